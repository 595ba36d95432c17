"""Reading the JSON files product teams keep in their repos: surveys, journeys, rules."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from cxlisten.errors import InvalidInput
from cxlisten.schemas import safejson

__all__ = ["EXAMPLES_DIR", "check_named_items", "read_json_file"]

# The example surveys, journeys, rules and shop: `examples/` in a checkout (through the
# `cxlisten/examples` link), copied into the package in a wheel, so the demo runs from either.
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def read_json_file(path: str | os.PathLike) -> object:
    """Read a JSON file, or raise InvalidInput saying where the JSON is broken."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    try:
        return safejson.loads(text)  # standard JSON only, as over HTTP: no NaN, bounded depth
    except safejson.JSONRefused as refused:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:  # broken syntax: say where
            raise InvalidInput(
                f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except (RecursionError, ValueError):
            pass
        raise InvalidInput(f"{path}: {refused}") from None


def check_named_items(
    items: object, validate_one: Callable[[object], dict], key: str, what: str
) -> list[dict]:
    """Validate every item of a file's list under KEY, reporting every error at once.

    Errors are located as ``KEY.i.field``; items must have unique ``name``s. Nothing is returned
    unless every item is valid, so a file is stored all or nothing.
    """
    if not isinstance(items, list):
        raise InvalidInput(f"invalid {what} file", {key: [f"expected a list of {key}"]})
    checked, errors = [], {}
    for i, item in enumerate(items):
        try:
            checked.append(validate_one(item))
        except InvalidInput as exc:
            errors.update({f"{key}.{i}.{k}": v for k, v in exc.fields.items()})
    names = [item["name"] for item in checked]
    if len(set(names)) != len(names):
        errors[key] = [f"{what} names must be unique"]
    if errors:
        raise InvalidInput(f"invalid {what} file", errors)
    return checked
