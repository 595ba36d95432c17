"""Turn the library's typed results into JSON-ready values, in one place.

The phases return frozen dataclasses (``cxlisten.diagnose.Diagnosis``, ``ProblemScore``, ...);
the edges that speak JSON (the CLI's ``--json``, the admin API, webhook payloads, exports) call
``to_json`` on them, so a key is the field's name and keys come in the fields' order.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

__all__ = ["to_json"]


def to_json(value):
    """Return VALUE with dataclasses as dicts and tuples as lists, all the way down."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value
