"""Named journeys (step patterns, goal, phase) and each site's path-normalisation rules."""

from __future__ import annotations

import json
import time

from cxlisten.storage.db import Database, transaction

_COLUMNS = "name, title, kind, steps, goal, phase, phase_changed_at, updated_at"


def _now() -> int:
    return int(time.time() * 1000)


def _journey(row) -> dict:
    item = dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True))
    item["steps"] = json.loads(item["steps"])
    return item


def save_journey(db: Database, site_id: int, journey: dict) -> None:
    """Insert or replace a journey's definition; its phase is kept unless JOURNEY names one."""
    now = _now()
    phase = journey.get("phase")
    with transaction(db):
        db.execute(
            "INSERT INTO journeys (site_id, name, title, kind, steps, goal, phase, "
            "phase_changed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (site_id, name) DO UPDATE SET title = excluded.title, "
            "kind = excluded.kind, steps = excluded.steps, goal = excluded.goal, "
            "updated_at = excluded.updated_at",
            [
                site_id,
                journey["name"],
                journey.get("title", ""),
                journey.get("kind"),
                json.dumps(journey["steps"]),
                journey["goal"],
                phase or "track",
                now,
                now,
            ],
        )
        if phase:
            set_phase(db, site_id, journey["name"], phase)


def get_journey(db: Database, site_id: int, name: str) -> dict | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM journeys WHERE site_id = ? AND name = ?", [site_id, name]
    ).fetchone()
    return _journey(row) if row else None


def list_journeys(db: Database, site_id: int, phase: str | None = None) -> list[dict]:
    sql = f"SELECT {_COLUMNS} FROM journeys WHERE site_id = ?"
    args: list = [site_id]
    if phase:
        sql += " AND phase = ?"
        args.append(phase)
    return [_journey(r) for r in db.execute(sql + " ORDER BY name", args)]


def delete_journey(db: Database, site_id: int, name: str) -> bool:
    with transaction(db):
        cur = db.execute("DELETE FROM journeys WHERE site_id = ? AND name = ?", [site_id, name])
    return cur.rowcount > 0


def get_phase(db: Database, site_id: int, name: str) -> str | None:
    row = db.execute(
        "SELECT phase FROM journeys WHERE site_id = ? AND name = ?", [site_id, name]
    ).fetchone()
    return row[0] if row else None


def set_phase(db: Database, site_id: int, name: str, phase: str) -> bool:
    """Set a journey's phase; return False if there is no such journey."""
    with transaction(db):
        cur = db.execute(
            "UPDATE journeys SET phase = ?, phase_changed_at = ? "
            "WHERE site_id = ? AND name = ? AND phase <> ?",
            [phase, _now(), site_id, name, phase],
        )
        if cur.rowcount == 0:
            return get_phase(db, site_id, name) is not None
    return True


def get_path_rules(db: Database, site_id: int) -> dict | None:
    row = db.execute("SELECT config FROM path_rules WHERE site_id = ?", [site_id]).fetchone()
    return json.loads(row[0]) if row else None


def save_path_rules(db: Database, site_id: int, config: dict) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO path_rules (site_id, config, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (site_id) DO UPDATE SET config = excluded.config, "
            "updated_at = excluded.updated_at",
            [site_id, json.dumps(config), _now()],
        )
