"""Operational data beside experience data: orders, tickets, subscriptions, any kind named.

Each record has a customer key, a time, an optional amount and status, and free attributes.
``cxlisten import KIND FILE.csv --key customer_id`` and ``POST /api/operational/<kind>`` take the
same rows: every row is validated, bad ones come back by line (or index) and column, good ones are
kept. A record key (``--record-key``, default column ``id``) makes re-importing idempotent: an
identical row changes nothing, a changed one (a ticket closed) is updated.

The reports (``cxlisten.segments``) and the exports read the kinds ``order`` and ``ticket``;
``orders``, ``tickets`` and ``subscriptions`` are accepted as the same kinds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from marshmallow import ValidationError

from cxlisten.errors import InvalidInput
from cxlisten.schemas.operational import OPERATIONAL_IMPORT, OPERATIONAL_RECORD
from cxlisten.storage import operational as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site

__all__ = ["ImportResult", "import_csv", "import_json", "import_rows", "kind_name", "summary"]

ORDER, TICKET = "order", "ticket"
_PLURALS = {"orders": "order", "tickets": "ticket", "subscriptions": "subscription"}
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
BATCH = 5000  # rows validated and written per transaction


@dataclass
class ImportResult:
    kind: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    # One per bad row: {"line": N (CSV) or "index": N (JSON), "errors": {column: [messages]}}
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.errors),
            "errors": self.errors,
        }


def kind_name(kind: str) -> str:
    """Return the stored name of KIND (``orders`` → ``order``), or raise InvalidInput."""
    name = _PLURALS.get(kind.strip().lower(), kind.strip().lower())
    if not _KIND.fullmatch(name):
        raise InvalidInput(
            "invalid kind", {"kind": ["lower-case letters, digits and _, starting with a letter"]}
        )
    return name


def _shape(raw: dict, key: str, record_key: str, time: str) -> tuple[dict, dict[str, str]]:
    """Return the schema's fields from a row named by columns, and {schema field: column}."""
    named = {"customer": key, "record": record_key, "time": time, "amount": "amount"}
    named["status"] = "status"
    columns = {v: k for k, v in named.items()}
    shaped: dict = {"attributes": {}}
    for column, value in raw.items():
        if column is None:  # a CSV line with more cells than the header
            shaped.setdefault("_extra", value)
            continue
        target = columns.get(column)
        if target:
            shaped[target] = value
        elif value not in (None, ""):
            shaped["attributes"][column] = value if isinstance(value, str) else str(value)
    if isinstance(shaped.get("status"), str):
        shaped["status"] = shaped["status"].strip() or None
    return shaped, {**named, "attributes": "attributes", "_extra": "(extra cells)"}


def _load(raw: dict, key: str, record_key: str, time: str) -> tuple[dict | None, dict]:
    shaped, names = _shape(raw, key, record_key, time)
    try:
        return OPERATIONAL_RECORD.load(shaped), {}
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for name, messages in exc.messages.items():
            column = names.get(name, name)
            if isinstance(messages, dict):  # attributes: {column: {"value": [...]}}
                for sub, inner in messages.items():
                    errors[str(sub)] = [str(m) for m in _flat(inner)]
            else:
                errors[column] = [str(m) for m in _flat(messages)]
        return None, errors


def _flat(messages) -> list:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flat(v)]
    return list(messages) if isinstance(messages, list) else [messages]


def import_rows(
    db: Database,
    site: Site,
    kind: str,
    rows: Iterable[tuple[str, int, dict]],
    *,
    key: str = "customer_id",
    record_key: str = "id",
    time: str = "time",
) -> ImportResult:
    """Validate and store ROWS, each (where: "line" or "index", number, {column: value})."""
    result = ImportResult(kind_name(kind))
    good: list[dict] = []
    seen: dict[str, int] = {}

    def flush():
        for name, n in store.upsert(db, site.id, result.kind, good).items():
            setattr(result, name, getattr(result, name) + n)
        good.clear()

    for where, number, raw in rows:
        record, errors = _load(raw, key, record_key, time)
        if record is not None and record["record"] in seen:
            errors = {
                record_key: [
                    f"record {record['record']!r} repeats {where} {seen[record['record']]}"
                ]
            }
            record = None
        if record is None:
            result.errors.append({where: number, "errors": errors})
            continue
        seen[record["record"]] = number
        good.append(record)
        if len(good) >= BATCH:
            flush()
    if good:
        flush()
    return result


def _csv_rows(text: Iterable[str]) -> Iterator[tuple[str, int, dict]]:
    reader = csv.DictReader(text)
    for raw in reader:
        yield "line", reader.line_num, raw


def import_csv(db: Database, site: Site, kind: str, path: str, **columns) -> ImportResult:
    """Import the records of the CSV file at PATH (a header line names the columns)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        header = next(csv.reader(io.StringIO(f.readline())), [])
        f.seek(0)
        missing = [
            columns.get(k, d)
            for k, d in (("key", "customer_id"), ("record_key", "id"), ("time", "time"))
            if columns.get(k, d) not in header
        ]
        if missing:
            raise InvalidInput(
                f"{path}: no column {', '.join(map(repr, missing))} in the header line",
                {"header": [f"columns are {', '.join(header) or 'none'}"]},
            )
        return import_rows(db, site, kind, _csv_rows(f), **columns)


def import_json(db: Database, site: Site, kind: str, body: object) -> ImportResult:
    """Import ``{"rows": [...], "key": ..., "record_key": ..., "time": ...}`` (the admin API)."""
    if not isinstance(body, dict):
        raise InvalidInput("body must be a JSON object", {"_body": ["expected a JSON object"]})
    try:
        data = OPERATIONAL_IMPORT.load(body)
    except ValidationError as exc:
        raise InvalidInput(
            "invalid import", {k: _flat(v) for k, v in exc.messages.items()}
        ) from None
    rows = data.pop("rows")
    return import_rows(db, site, kind, (("index", i, r) for i, r in enumerate(rows)), **data)


def summary(db: Database, site: Site, customer_id: str) -> dict[str, dict]:
    """Return the customer's records per kind: count, open ones, amount, first and last time."""
    return store.kinds_summary(db, site.id, customer_id)
