"""Write a table as RFC 4180 CSV that is safe to open in a spreadsheet, or as JSON Lines.

CSV: fields separated by commas, quoted with ``"`` when they hold a comma, a quote (doubled), CR or
LF; records end with CRLF; UTF-8. The ``excel`` format is the same file with a UTF-8 byte order
mark first, which is what makes Excel read Chinese (any non-ASCII) text as UTF-8.

Formula neutralisation: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be run as a formula by Excel, LibreOffice or Google Sheets, so it is written
with a leading apostrophe (``'=1+1``): spreadsheets show it as text. Two exceptions keep the rule
exact and reversible:

* a text cell that is a plain negative number (``-12``, ``-3.5``: a minus, ASCII digits, at most
  one decimal point, nothing else) is left alone — a spreadsheet reads it as that number and there
  is no room in it for a formula; numeric columns (integers, floats) are never touched;
* a text cell that already starts with an apostrophe gets one more, so undoing the rule is always
  "drop one leading apostrophe" (``restore``).

JSON Lines is data for programs, not spreadsheets: values are written as they are, never
neutralised. Times are ISO 8601 UTC with milliseconds (``2026-11-23T15:46:09.123Z``) in both.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

__all__ = [
    "FORMATS",
    "TRIGGERS",
    "csv_chunks",
    "iso_time",
    "jsonl_chunks",
    "neutralise",
    "restore",
]

FORMATS = ("csv", "excel", "jsonl")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FIRST = frozenset(TRIGGERS) | {"'"}
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?", re.ASCII)
BOM = "\ufeff"

# Column kinds: how a raw value of that column is written.
#   time   ms since the epoch (int) -> ISO 8601 UTC
#   number integer or float, written as is
#   id     text the server made (hex ids, enums): written as is
#   text   free text (visitor or author supplied): neutralised in CSV
#   json   JSON text as stored: neutralised in CSV (as text), parsed in JSON Lines
#   bool   0/1 -> true/false
#   value  any Python value (answers): numbers as numbers, lists as JSON, text neutralised
KINDS = ("time", "number", "id", "text", "json", "bool", "value")


def neutralise(text: str) -> str:
    """Return TEXT as a spreadsheet shows it as text (see the module docstring)."""
    if text and text[0] in _FIRST and not _NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(cell: str) -> str:
    """Undo ``neutralise``: drop one leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


_MINUTES: dict[int, str] = {}
_IN_MINUTE: list[str] = []


def _minute(minute: int) -> str:
    # Rows come in time order, so one formatted minute serves many rows.
    if len(_MINUTES) > 4096:
        _MINUTES.clear()
    if not _IN_MINUTE:
        _IN_MINUTE.extend(f"{ms // 1000:02d}.{ms % 1000:03d}Z" for ms in range(60000))
    text = _MINUTES[minute] = datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%dT%H:%M:")
    return text


def iso_time(ms: int | None) -> str | None:
    """Return MS since the epoch as ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    if ms is None:
        return None
    minute, rest = divmod(ms, 60000)
    return (_MINUTES.get(minute) or _minute(minute)) + _IN_MINUTE[rest]


def _cell(value):
    """Return any Python value as a CSV cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        return neutralise(value)
    return neutralise(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


_BOOL = {0: "false", 1: "true", None: None}  # False and True are 0 and 1 as keys


def _csv_batch_function(kinds: Sequence[str]):
    """Compile a function turning a batch of raw rows into rows of CSV cells.

    Built once per export from its column kinds: one call per batch, each cell an inline
    expression, and only the cells that can hold visitor text pay for the neutralisation check.
    This is what keeps exporting as fast as a bare ``csv.writer`` loop.
    """
    cells = []
    for i, kind in enumerate(kinds):
        x = f"r[{i}]"
        if kind in ("number", "id"):
            cells.append(x)
        elif kind == "time":  # iso_time, inlined
            cells.append(
                f"(None if {x} is None else "
                f"(MINUTE({x} // 60000) or NEW({x} // 60000)) + IN_MINUTE[{x} % 60000])"
            )
        elif kind in ("text", "json"):
            cells.append(f"(neutralise({x}) if {x} and {x}[0] in FIRST else {x})")
        elif kind == "bool":
            cells.append(f"BOOL[{x}]")
        elif kind == "value":
            cells.append(f"cell({x})")
        else:
            raise ValueError(f"unknown column kind {kind!r}")
    iso_time(0)  # fills IN_MINUTE
    scope = {
        "MINUTE": _MINUTES.get,
        "NEW": _minute,
        "IN_MINUTE": _IN_MINUTE,
        "neutralise": neutralise,
        "FIRST": _FIRST,
        "BOOL": _BOOL,
        "cell": _cell,
    }
    source = (
        f"def rows(batch, {', '.join(f'{k}={k}' for k in scope)}):\n"
        f"    return [({', '.join(cells)},) for r in batch]\n"
    )
    exec(source, scope)  # noqa: S102 - source built above from a fixed vocabulary
    return scope["rows"]


def csv_chunks(
    names: Sequence[str],
    kinds: Sequence[str],
    batches: Iterable[Sequence[tuple]],
    *,
    excel: bool = False,
) -> Iterator[str]:
    """Yield the CSV text: the header row at once, then one chunk per batch of rows."""
    parts: list[str] = []
    sink = _Sink()
    sink.write = parts.append  # the writer hands over each row's text; no copying buffer
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow([neutralise(n) for n in names])
    yield (BOM if excel else "") + parts.pop()
    rows = _csv_batch_function(kinds)
    for batch in batches:
        writer.writerows(rows(batch))
        text = "".join(parts)
        parts.clear()
        yield text


class _Sink:
    """A file-like object for csv.writer whose ``write`` is set per use."""

    write = None


def _json_value(kind: str, value):
    if value is None:
        return None
    if kind == "time":
        return iso_time(value)
    if kind == "json":
        return json.loads(value)
    if kind == "bool":
        return bool(value)
    return value


def jsonl_chunks(
    names: Sequence[str], kinds: Sequence[str], batches: Iterable[Sequence[tuple]]
) -> Iterator[str]:
    """Yield JSON Lines: one object per row, keys in column order. Nothing to send first."""
    pairs = list(zip(names, kinds, strict=True))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield ""
    for batch in batches:
        yield "".join(
            dumps({n: _json_value(k, v) for (n, k), v in zip(pairs, r, strict=True)}) + "\n"
            for r in batch
        )
