"""Reading JSON from outside: every body a browser or an admin client sends goes through here.

``json.loads`` alone lets through what later breaks storage, exports or the reply:

- a lone surrogate (``"\\ud83d"``, what ``title.slice(0, 512)`` leaves of a cut emoji) is a
  Python ``str`` that UTF-8 cannot encode: SQLite and the JSON reply fail on it. Each one is
  replaced by U+FFFD, so the rest of the text is kept;
- ``NaN``, ``Infinity`` and numbers past a double (``1e4000``) are not JSON (RFC 8259) and make
  the stored text unreadable to ``JSON.parse`` and ``pd.read_json``: refused;
- integers past 64 bits overflow SQLite's integers: they are read as a browser reads them, as a
  double (so a schema that wants an integer refuses that one field, located);
- nesting deeper than ``MAX_DEPTH`` is refused before anything recurses over it.

Everything refused raises ``JSONRefused`` (a ``ValueError``) with a message fit for the client.
"""

from __future__ import annotations

import json
import math
import re

__all__ = ["MAX_DEPTH", "JSONRefused", "loads", "dumps"]

MAX_DEPTH = 32  # levels of arrays/objects; the deepest payload cxlisten defines has 6
_INT64 = 2**63
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Lone surrogates can only come from \u escapes: raw UTF-8 cannot encode them.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class JSONRefused(ValueError):
    """A body that is not standard JSON cxlisten can keep."""


def _constant(name: str):
    raise JSONRefused(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JSONRefused(f"number out of range: {text[:40]}")
    return value


def _int(text: str) -> int | float:
    if len(text) < 19:  # fewer than 19 digits always fits in 64 bits
        return int(text)
    value = int(text) if len(text) <= 20 else None
    if value is not None and -_INT64 <= value < _INT64:
        return value
    return _float(text)  # past 64 bits: a double, as in the browser that sent it


_DECODER = json.JSONDecoder(parse_float=_float, parse_int=_int, parse_constant=_constant)


def loads(data: bytes | str) -> object:
    """Decode a JSON body (UTF-8 if bytes); raise JSONRefused saying what is wrong."""
    if isinstance(data, bytes | bytearray):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONRefused(f"not UTF-8 text: {exc}") from None
    else:
        text = data
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    except JSONRefused:
        raise
    except ValueError as exc:
        refused = JSONRefused(str(exc))
        if isinstance(exc, json.JSONDecodeError):  # where it broke, for an editor to point at
            refused.msg, refused.lineno, refused.colno = exc.msg, exc.lineno, exc.colno
        raise refused from None
    # Counting brackets is a cheap upper bound on the depth: most bodies need no walk.
    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_depth(value, 1)
    if _SURROGATE_ESCAPE.search(text):
        value = _replace_surrogates(value)
    return value


def _check_depth(value: object, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels")
    items = value.values() if type(value) is dict else value if type(value) is list else ()
    for item in items:
        kind = type(item)
        if kind is dict or kind is list:
            _check_depth(item, depth + 1)


def _replace_surrogates(value: object) -> object:
    kind = type(value)
    if kind is str:
        return _LONE_SURROGATE.sub("\ufffd", value)
    if kind is list:
        return [_replace_surrogates(v) for v in value]
    if kind is dict:
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def dumps(value: object) -> str:
    """Encode VALUE as compact standard JSON (never NaN or Infinity), for storage."""
    return _ENCODE(value)
