"""Read-only share links of a survey's results: stored by the token's hash, revocable."""

from __future__ import annotations

import json

from cxlisten.storage.db import Database, transaction

_COLUMNS = "id, site_id, survey, questions, filters, created_at, expires_at, revoked_at"


def _row(row) -> dict:
    keys = ("id", "site_id", "survey", "questions", "filters", "created_at", "expires_at")
    out = dict(zip(keys, row[:7], strict=True))
    out["questions"] = json.loads(out["questions"])
    out["filters"] = json.loads(out["filters"])
    out["revoked_at"] = row[7]
    return out


def add_share(
    db: Database,
    site_id: int,
    survey: str,
    token_hash: str,
    questions: list[str],
    filters: dict,
    now: int,
    expires_at: int,
) -> int:
    with transaction(db):
        cur = db.execute(
            "INSERT INTO result_shares (site_id, survey, hash, questions, filters, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                site_id,
                survey,
                token_hash,
                json.dumps(questions),
                json.dumps(filters),
                now,
                expires_at,
            ],
        )
    return cur.lastrowid


def share_by_hash(db: Database, token_hash: str) -> dict | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM result_shares WHERE hash = ?", [token_hash]
    ).fetchone()
    return _row(row) if row else None


def shares_of(db: Database, site_id: int, survey: str) -> list[dict]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM result_shares WHERE site_id = ? AND survey = ? ORDER BY id DESC",
        [site_id, survey],
    )
    return [_row(r) for r in rows]


def revoke_share(db: Database, site_id: int, share_id: int, now: int) -> bool:
    with transaction(db):
        cur = db.execute(
            "UPDATE result_shares SET revoked_at = ? WHERE id = ? AND site_id = ? "
            "AND revoked_at IS NULL",
            [now, share_id, site_id],
        )
    return cur.rowcount == 1
