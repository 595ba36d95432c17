"""Survey responses (one row each) and their answers (one row per answered question)."""

from __future__ import annotations

import json

from cxlisten.storage.db import Database

RESPONSE_COLUMNS = (
    "site_id",
    "survey_id",
    "survey",
    "version",
    "client_id",
    "visitor_id",
    "session_id",
    "status",
    "answered",
    "locale",
    "url",
    "path",
    "device",
    "browser",
    "os",
    "is_bot",
    "journey",
    "started_at",
    "updated_at",
    "completed_at",
    "channel",
)
ANSWER_COLUMNS = (
    "response_id",
    "site_id",
    "survey",
    "version",
    "visitor_id",
    "question",
    "position",
    "type",
    "value",
    "number",
    "other",
    "answered_at",
)


def get_response(db: Database, site_id: int, client_id: str) -> dict | None:
    """Return the response a browser calls CLIENT_ID (with ``id``, its row id)."""
    row = db.execute(
        f"SELECT id, {', '.join(RESPONSE_COLUMNS)} FROM responses "
        "WHERE site_id = ? AND client_id = ?",
        [site_id, client_id],
    ).fetchone()
    if row is None:
        return None
    item = dict(zip(("id", *RESPONSE_COLUMNS), row, strict=True))
    item["journey"] = json.loads(item["journey"])
    return item


def insert_response(db: Database, row: dict) -> int:
    """Insert a response row; call inside a transaction. Return its row id."""
    row = {"channel": "web", **row}  # rows made before channels existed are the web intercept's
    values = [json.dumps(row[c]) if c == "journey" else row[c] for c in RESPONSE_COLUMNS]
    cur = db.execute(
        f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
        f"VALUES ({','.join('?' * len(RESPONSE_COLUMNS))})",
        values,
    )
    return cur.lastrowid


def update_response(
    db: Database,
    response_id: int,
    *,
    status: str,
    answered: int,
    updated_at: int,
    completed_at: int | None,
) -> None:
    db.execute(
        "UPDATE responses SET status = ?, answered = ?, updated_at = ?, completed_at = ? "
        "WHERE id = ?",
        [status, answered, updated_at, completed_at, response_id],
    )


def upsert_answers(db: Database, rows: list[dict]) -> None:
    """Insert answers or replace the value of ones already given; call inside a transaction."""
    cols = ", ".join(ANSWER_COLUMNS)
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in ("value", "number", "other", "answered_at", "position")
    )
    db.conn.executemany(
        f"INSERT INTO answers ({cols}) VALUES ({','.join('?' * len(ANSWER_COLUMNS))}) "
        f"ON CONFLICT (response_id, question) DO UPDATE SET {updates}",
        [tuple(r[c] for c in ANSWER_COLUMNS) for r in rows],
    )


def answers_of(db: Database, response_ids: list[int]) -> dict[int, list[dict]]:
    """Return each response's answers in question order."""
    if not response_ids:
        return {}
    out: dict[int, list[dict]] = {i: [] for i in response_ids}
    cur = db.execute(
        "SELECT response_id, question, type, value, number, other, answered_at FROM answers "
        f"WHERE response_id IN ({','.join('?' * len(response_ids))}) "
        "ORDER BY response_id, position",
        response_ids,
    )
    for row in cur:
        out[row[0]].append(
            {
                "question": row[1],
                "type": row[2],
                "value": row[3],
                "number": row[4],
                "other": row[5],
                "answered_at": row[6],
            }
        )
    return out


def responses_of_visitor(db: Database, site_id: int, visitor_id: str) -> list[dict]:
    """Return a visitor's responses, newest first, each with its answers."""
    cur = db.execute(
        "SELECT id, survey, version, client_id, status, url, locale, started_at, updated_at, "
        "completed_at, channel FROM responses WHERE site_id = ? AND visitor_id = ? "
        "ORDER BY started_at DESC",
        [site_id, visitor_id],
    )
    keys = (
        "id",
        "survey",
        "version",
        "response",
        "status",
        "url",
        "locale",
        "started_at",
        "updated_at",
        "completed_at",
        "channel",
    )
    items = [dict(zip(keys, row, strict=True)) for row in cur]
    answers = answers_of(db, [i["id"] for i in items])
    for item in items:
        item["answers"] = answers[item.pop("id")]
    return items


def visitor_response_stats(
    db: Database, visitor_id: str | tuple[str, ...]
) -> dict[int, tuple[int, int]]:
    """Return {survey row id: (responses with an answer, time of the latest)} for a visitor
    (or, given a tuple, for all of one customer's visitors together)."""
    ids = (visitor_id,) if isinstance(visitor_id, str) else visitor_id
    cur = db.execute(
        "SELECT survey_id, COUNT(*), MAX(updated_at) FROM responses "
        f"WHERE visitor_id IN ({','.join('?' * len(ids))}) AND answered > 0 GROUP BY survey_id",
        list(ids),
    )
    return {row[0]: (row[1], row[2]) for row in cur}


def count_complete(db: Database, survey_id: int, limit: int | None = None) -> int:
    """Return the survey's complete responses (bots left out), counting at most LIMIT."""
    sql = "SELECT 1 FROM responses WHERE survey_id = ? AND status = 'complete' AND is_bot = 0"
    if limit is None:
        return db.execute(f"SELECT COUNT(*) FROM ({sql}) AS c", [survey_id]).fetchone()[0]
    return db.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT ?) AS c", [survey_id, limit]).fetchone()[
        0
    ]


def count_by_version_of(db: Database, survey_ids: list[int]) -> dict[int, list[dict]]:
    """Return {survey id: [{"version", "partial", "complete"}]} for SURVEY_IDS in one query
    (bots left out): the surveys list counts every survey at once."""
    out: dict[int, list[dict]] = {i: [] for i in survey_ids}
    if not survey_ids:
        return out
    cur = db.execute(
        "SELECT survey_id, version, SUM(CASE WHEN status = 'partial' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) FROM responses "
        f"WHERE survey_id IN ({', '.join('?' * len(survey_ids))}) AND is_bot = 0 "
        "GROUP BY survey_id, version ORDER BY survey_id, version",
        survey_ids,
    )
    for survey_id, version, partial, complete in cur:
        out[survey_id].append({"version": version, "partial": partial, "complete": complete})
    return out


def has_responses(db: Database, survey_id: int, version: int) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM responses WHERE survey_id = ? AND version = ? LIMIT 1",
            [survey_id, version],
        ).fetchone()
        is not None
    )
