"""Analyst exports: CSV (RFC 4180, formula-safe), CSV for Excel (with BOM), JSON Lines.

    from cxlisten.export import open_export, write_file
    table = open_export(db, "events", {"since": "2026-11-01"})
    write_file(table, "events.csv", "csv")

Every export streams: rows are read in batches and written as they come, so memory stays flat
however large the site. ``docs/exports.md`` lists every export and every column.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator

from cxlisten.errors import InvalidInput
from cxlisten.export.catalogue import EXPORTS, Column, Export, Table, get_export, open_export
from cxlisten.export.csvsafe import FORMATS, csv_chunks, jsonl_chunks, neutralise, restore
from cxlisten.export.filters import Filters

__all__ = [
    "EXPORTS",
    "FORMATS",
    "Column",
    "Export",
    "Filters",
    "Table",
    "chunks",
    "content_type",
    "file_name",
    "get_export",
    "neutralise",
    "open_export",
    "restore",
    "write_file",
]

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8; header=present",
    "excel": "text/csv; charset=utf-8; header=present",
    "jsonl": "application/jsonl; charset=utf-8",
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput("unknown format", {"format": [f"one of: {', '.join(FORMATS)}"]})


def chunks(table: Table, fmt: str = "csv") -> Iterator[str]:
    """Yield TABLE as text in FMT (csv, excel or jsonl): the header first, then batch by batch."""
    _check_format(fmt)
    names = [c.name for c in table.columns]
    kinds = [c.kind for c in table.columns]
    if fmt == "jsonl":
        return jsonl_chunks(names, kinds, table.counted())
    return csv_chunks(names, kinds, table.counted(), excel=fmt == "excel")


def content_type(fmt: str) -> str:
    _check_format(fmt)
    return _CONTENT_TYPES[fmt]


def file_name(table: Table, fmt: str) -> str:
    """Return a download name such as ``shop-events-2026-11-01--2026-12-01.csv``."""
    from cxlisten.export.csvsafe import iso_time

    parts = [table.name]
    f = table.filters
    if f.survey:
        parts.append(f.survey)
    if f.since is not None or f.until is not None:
        since = iso_time(f.since)[:10] if f.since is not None else "start"
        until = iso_time(f.until)[:10] if f.until is not None else "now"
        parts.append(f"{since}--{until}")
    safe = "-".join(parts)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in safe)[:120]
    return f"{safe}.{'jsonl' if fmt == 'jsonl' else 'csv'}"


def write_file(
    table: Table, path: str, fmt: str = "csv", progress: Callable[[int], None] | None = None
) -> int:
    """Write TABLE to PATH (``-``: standard output) and return the number of rows.

    The file appears complete or not at all: rows go to a temporary file in the same directory,
    renamed over PATH at the end. PROGRESS, if given, is told the rows written after each batch.
    """
    import sys

    _check_format(fmt)
    try:
        if path == "-":
            out = sys.stdout
            for text in chunks(table, fmt):
                out.write(text)
            out.flush()
            return table.rows
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise InvalidInput(f"cannot write {path}", {"out": [f"no directory {directory}"]})
        fd, tmp = tempfile.mkstemp(prefix=".cxlisten-export-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                for text in chunks(table, fmt):
                    out.write(text)
                    if progress:
                        progress(table.rows)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        return table.rows
    finally:
        table.close()
