"""Surveys and interventions (table ``surveys``) and their definitions per version."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cxlisten.storage.db import Database


@dataclass(frozen=True)
class Survey:
    """A survey or intervention with its current definition."""

    id: int
    site_id: int
    slug: str
    kind: str
    name: str
    status: str
    version: int
    phase: str | None
    journey: str | None
    priority: int
    created_at: int
    updated_at: int
    definition: dict


_COLUMNS = (
    "s.id, s.site_id, s.slug, s.kind, s.name, s.status, s.version, s.phase, s.journey, "
    "s.priority, s.created_at, s.updated_at, v.definition"
)
_FROM = "FROM surveys s JOIN survey_versions v ON v.survey_id = s.id AND v.version = s.version"


def _survey(row) -> Survey:
    return Survey(*row[:-1], definition=json.loads(row[-1]))


def _dump(definition: dict) -> str:
    return json.dumps(definition, ensure_ascii=False, separators=(",", ":"))


def insert_survey(db: Database, site_id: int, definition: dict, status: str, now: int) -> int:
    """Insert a survey at version 1; call inside a transaction. Return its row id."""
    cur = db.execute(
        "INSERT INTO surveys (site_id, slug, kind, name, status, version, phase, journey, "
        "priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
        [
            site_id,
            definition["id"],
            definition["kind"],
            definition["name"],
            status,
            definition.get("phase"),
            definition.get("journey"),
            definition["priority"],
            now,
            now,
        ],
    )
    db.execute(
        "INSERT INTO survey_versions (survey_id, version, definition, created_at) "
        "VALUES (?, 1, ?, ?)",
        [cur.lastrowid, _dump(definition), now],
    )
    return cur.lastrowid


def save_version(
    db: Database, survey_id: int, version: int, definition: dict, now: int, *, new: bool
) -> None:
    """Store DEFINITION as VERSION (a new row, or replacing it) and make it current."""
    if new:
        db.execute(
            "INSERT INTO survey_versions (survey_id, version, definition, created_at) "
            "VALUES (?, ?, ?, ?)",
            [survey_id, version, _dump(definition), now],
        )
    else:
        db.execute(
            "UPDATE survey_versions SET definition = ? WHERE survey_id = ? AND version = ?",
            [_dump(definition), survey_id, version],
        )
    db.execute(
        "UPDATE surveys SET version = ?, name = ?, phase = ?, journey = ?, priority = ?, "
        "updated_at = ? WHERE id = ?",
        [
            version,
            definition["name"],
            definition.get("phase"),
            definition.get("journey"),
            definition["priority"],
            now,
            survey_id,
        ],
    )


def get_survey(db: Database, site_id: int, slug: str) -> Survey | None:
    row = db.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE s.site_id = ? AND s.slug = ?", [site_id, slug]
    ).fetchone()
    return _survey(row) if row else None


def list_surveys(
    db: Database, site_id: int, *, kind: str | None = None, statuses: tuple[str, ...] | None = None
) -> list[Survey]:
    """Return a site's surveys, highest priority first."""
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE s.site_id = ?"
    params: list = [site_id]
    if kind:
        sql += " AND s.kind = ?"
        params.append(kind)
    if statuses:
        sql += f" AND s.status IN ({','.join('?' * len(statuses))})"
        params.extend(statuses)
    sql += " ORDER BY s.priority DESC, s.slug"
    return [_survey(r) for r in db.execute(sql, params)]


def site_version_stamp(db: Database, site_id: int) -> tuple:
    """Return a cheap stamp that changes whenever any of the site's surveys changes."""
    return tuple(
        db.execute(
            "SELECT COUNT(*), MAX(updated_at), SUM(version) FROM surveys WHERE site_id = ?",
            [site_id],
        ).fetchone()
    )


def get_version(db: Database, survey_id: int, version: int) -> dict | None:
    row = db.execute(
        "SELECT definition FROM survey_versions WHERE survey_id = ? AND version = ?",
        [survey_id, version],
    ).fetchone()
    return json.loads(row[0]) if row else None


def list_versions(db: Database, survey_id: int) -> list[dict]:
    return [
        {"version": r[0], "created_at": r[1]}
        for r in db.execute(
            "SELECT version, created_at FROM survey_versions WHERE survey_id = ? ORDER BY version",
            [survey_id],
        )
    ]


def set_status(db: Database, survey_id: int, status: str, now: int) -> None:
    db.execute(
        "UPDATE surveys SET status = ?, updated_at = ? WHERE id = ?", [status, now, survey_id]
    )
