"""Activation rules (when → then) and who was exposed to which action, in which arm."""

from __future__ import annotations

import json
import time

from cxlisten.storage.db import Database, transaction

_COLUMNS = ("name", "level", "priority", "journey", "spec", "enabled", "updated_at")
EXPOSURE_COLUMNS = (
    "site_id",
    "rule",
    "action",
    "arm",
    "visitor_id",
    "session_id",
    "journey",
    "segment",
    "step_index",
    "ts",
)


def _rule(row) -> dict:
    item = dict(zip(_COLUMNS, row, strict=True))
    item.update(json.loads(item.pop("spec")))
    item["enabled"] = bool(item["enabled"])
    return item


def save_rule(db: Database, site_id: int, rule: dict) -> None:
    """Insert or replace a rule (dict with name, level, priority, journey and the rest)."""
    spec = {k: v for k, v in rule.items() if k not in _COLUMNS}
    with transaction(db):
        db.execute(
            "INSERT INTO rules (site_id, name, level, priority, journey, spec, enabled, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, name) DO UPDATE "
            "SET level = excluded.level, priority = excluded.priority, "
            "journey = excluded.journey, spec = excluded.spec, enabled = excluded.enabled, "
            "updated_at = excluded.updated_at",
            [
                site_id,
                rule["name"],
                rule["level"],
                rule.get("priority", 0),
                rule.get("journey"),
                json.dumps(spec, ensure_ascii=False),
                int(rule.get("enabled", True)),
                int(time.time() * 1000),
            ],
        )


def get_rule(db: Database, site_id: int, name: str) -> dict | None:
    row = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM rules WHERE site_id = ? AND name = ?",
        [site_id, name],
    ).fetchone()
    return _rule(row) if row else None


def list_rules(db: Database, site_id: int, *, enabled_only: bool = False) -> list[dict]:
    sql = f"SELECT {', '.join(_COLUMNS)} FROM rules WHERE site_id = ?"
    if enabled_only:
        sql += " AND enabled = 1"
    return [_rule(r) for r in db.execute(sql + " ORDER BY priority DESC, name", [site_id])]


def rules_stamp(db: Database, site_id: int) -> tuple:
    """Return a cheap stamp that changes whenever any of the site's rules changes."""
    return tuple(
        db.execute(
            "SELECT COUNT(*), MAX(updated_at) FROM rules WHERE site_id = ?", [site_id]
        ).fetchone()
    )


def delete_rule(db: Database, site_id: int, name: str) -> bool:
    with transaction(db):
        cur = db.execute("DELETE FROM rules WHERE site_id = ? AND name = ?", [site_id, name])
    return cur.rowcount > 0


def record_exposures(db: Database, rows: list[dict]) -> int:
    """Record exposures (first one per rule, visitor and session wins); return how many were new."""
    with transaction(db):
        before = db.conn.total_changes
        db.conn.executemany(
            f"INSERT INTO action_exposures ({', '.join(EXPOSURE_COLUMNS)}) "
            f"VALUES ({','.join('?' * len(EXPOSURE_COLUMNS))}) "
            "ON CONFLICT (site_id, rule, visitor_id, session_id) DO NOTHING",
            [tuple(r.get(c) for c in EXPOSURE_COLUMNS) for r in rows],
        )
        return db.conn.total_changes - before


def exposures(
    db: Database,
    site_id: int,
    rule: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> list[dict]:
    """Return exposures (oldest first), optionally for one rule and a time window."""
    sql = f"SELECT {', '.join(EXPOSURE_COLUMNS)} FROM action_exposures WHERE site_id = ?"
    args: list = [site_id]
    for clause, value in (("rule = ?", rule), ("ts >= ?", since), ("ts < ?", until)):
        if value is not None:
            sql += f" AND {clause}"
            args.append(value)
    cur = db.execute(sql + " ORDER BY ts", args)
    return [dict(zip(EXPOSURE_COLUMNS, r, strict=True)) for r in cur]


def recorded(
    db: Database, site_id: int, visitor_id: str, session_id: str, rules: list[str]
) -> set[str]:
    """Return which of RULES already have a row for this visitor and session."""
    if not rules:
        return set()
    marks = ",".join("?" * len(rules))
    cur = db.execute(
        f"SELECT rule FROM action_exposures WHERE site_id = ? AND rule IN ({marks}) "
        "AND visitor_id = ? AND session_id = ?",
        [site_id, *rules, visitor_id, session_id],
    )
    return {row[0] for row in cur}
