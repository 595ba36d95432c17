"""Read-only queries behind a survey's results page: its responses and answers under the page's
filters, and impressions under the filters that impressions carry."""

from __future__ import annotations

from cxlisten.storage.db import Database
from cxlisten.storage.reports import in_window

RESPONSE_KEYS = (
    "id",
    "version",
    "status",
    "answered",
    "locale",
    "path",
    "device",
    "session_id",
    "visitor_id",
    "started_at",
    "is_returning",
    "channel",
)


_SELECT = (
    "SELECT r.id, r.version, r.status, r.answered, r.locale, r.path, r.device, "
    "r.session_id, r.visitor_id, r.started_at, COALESCE(s.is_returning, 0), r.channel "
    "FROM responses r LEFT JOIN sessions s ON s.id = r.session_id AND s.is_bot IN (0, 1) "
)


def _where(
    site_id: int,
    survey: str,
    *,
    since: int | None,
    until: int | None,
    version: int | None,
    device: str | None,
    locale: str | None,
    completion: str | None,
    channel: str | None,
    answer: tuple[str, str] | None,
) -> tuple[str, list]:
    """Return the WHERE clause (on ``responses r``) of the responses the filters may keep.

    Exact for every filter but an answer's, which it narrows to the responses with an answer
    to that question that may hold the value (a number, or text containing it): the one rule
    (``cxlisten.surveys.results.response_kept``) then decides on those few rows.
    """
    args: list = [site_id, survey]
    sql = "r.site_id = ? AND r.survey = ? AND r.is_bot = 0"
    for column, wanted in (("r.version", version), ("r.device", device), ("r.locale", locale)):
        if wanted is not None:
            sql += f" AND {column} = ?"
            args.append(wanted)
    if completion is not None:
        sql += " AND r.status = ?"
        args.append(completion)
    if channel is not None:
        sql += " AND COALESCE(NULLIF(r.channel, ''), 'web') = ?"
        args.append(channel)
    if answer is not None:
        question, wanted = answer
        escaped = wanted.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        sql += (
            " AND EXISTS (SELECT 1 FROM answers x WHERE x.response_id = r.id AND x.question = ?"
            " AND (x.number IS NOT NULL OR x.value LIKE ? ESCAPE '!'))"
        )
        args += [question, f"%{escaped}%"]
    return in_window(sql, args, "r.started_at", since, until), args


def filtered_responses(
    db: Database, site_id: int, survey: str, **filters
) -> tuple[list[dict], dict[int, dict[str, dict]]]:
    """Return the human responses of SURVEY the FILTERS (``_where``'s) may keep, oldest first,
    and their answers ({response id: {question: {"type", "value", "number", "other"}}}).

    Two queries whatever the count, neither reading a session row: every session's bot flag
    is 0 or 1, and saying so lets the join read the returning flag from the index m0017 made.
    Without ``journey`` (``journeys`` reads it for the rows the page shows).
    """
    where, args = _where(site_id, survey, **filters)
    responses = [
        dict(zip(RESPONSE_KEYS, row, strict=True))
        for row in db.execute(_SELECT + f"WHERE {where} ORDER BY r.id", args)
    ]
    answers: dict[int, dict[str, dict]] = {r["id"]: {} for r in responses}
    for rid, question, qtype, value, number, other in db.execute(
        "SELECT a.response_id, a.question, a.type, a.value, a.number, a.other FROM answers a "
        f"JOIN responses r ON r.id = a.response_id WHERE {where}",
        args,
    ):
        answers[rid][question] = {"type": qtype, "value": value, "number": number, "other": other}
    return responses, answers


def newest_responses(
    db: Database, site_id: int, survey: str, start: int, count: int, total: int, **filters
) -> tuple[list[dict], dict[int, dict[str, dict]]]:
    """Return COUNT of the TOTAL human responses of SURVEY the FILTERS keep (``_where``'s,
    without an answer's: exact), newest first from position START, and their answers.

    A page past the middle is read from the oldest end (the order is total: time, then id), so
    the last page skips a few rows, not all the others; the rows are picked by their ids first
    and only the page's joined to their sessions.
    """
    where, args = _where(site_id, survey, answer=None, **filters)
    order, skip = "DESC", start
    if start > total // 2:
        order, skip = "ASC", max(0, total - start - count)
        count = min(count, total - start)
    page = (
        f"SELECT r.id FROM responses r WHERE {where} "
        f"ORDER BY r.started_at {order}, r.id {order} LIMIT ? OFFSET ?"
    )
    rows = db.execute(
        _SELECT + f"WHERE r.id IN ({page}) ORDER BY r.started_at DESC, r.id DESC",
        [*args, max(count, 0), skip],
    )
    responses = [dict(zip(RESPONSE_KEYS, row, strict=True)) for row in rows]
    answers: dict[int, dict[str, dict]] = {r["id"]: {} for r in responses}
    if responses:
        marks = ", ".join("?" * len(responses))
        for rid, question, qtype, value, number, other in db.execute(
            "SELECT response_id, question, type, value, number, other FROM answers "
            f"WHERE response_id IN ({marks})",
            list(answers),
        ):
            answers[rid][question] = {
                "type": qtype,
                "value": value,
                "number": number,
                "other": other,
            }
    return responses, answers


def open_texts(
    db: Database, site_id: int, survey: str, **filters
) -> list[tuple[str, str, str | None, str | None]]:
    """Return (question, type, value, other) of the text answers and "other" texts of the
    human responses of SURVEY the FILTERS keep (``_where``'s, without an answer's), in the
    order of the responses: the open texts of a report, never kept with its counts."""
    where, args = _where(site_id, survey, answer=None, **filters)
    return db.execute(
        "SELECT a.question, a.type, a.value, a.other FROM answers a "
        f"JOIN responses r ON r.id = a.response_id WHERE {where} "
        "AND ((a.type = 'text' AND a.value IS NOT NULL AND a.value != '') "
        "OR (a.other IS NOT NULL AND a.other != '')) ORDER BY a.response_id",
        args,
    ).fetchall()


def journeys(db: Database, response_ids: list[int]) -> dict[int, str]:
    """Return {response id: its journey as JSON text} for a page of responses."""
    if not response_ids:
        return {}
    rows = db.execute(
        f"SELECT id, journey FROM responses WHERE id IN ({', '.join('?' * len(response_ids))})",
        response_ids,
    )
    return dict(rows)


def shown_sessions(
    db: Database,
    site_id: int,
    survey: str,
    *,
    since: int | None = None,
    until: int | None = None,
    device: str | None = None,
    version: int | None = None,
) -> int:
    """Return the human sessions SURVEY was shown in, within the filters that impressions carry.

    Reads the covering index of survey events (m0017), not the site's other events; a version
    (kept in the event's data) reads the rows of the survey's events alone.
    """
    args: list = [site_id, survey]
    sql = (
        "SELECT COUNT(DISTINCT e.session_id) FROM events e JOIN sessions s ON s.id = e.session_id "
        "WHERE e.site_id = ? AND e.name = ? AND e.kind = 'survey' AND e.action = 'shown' "
        "AND s.is_bot = 0"
    )
    if since is not None:
        sql += " AND e.ts >= ?"
        args.append(since)
    if until is not None:
        sql += " AND e.ts < ?"
        args.append(until)
    if device is not None:
        sql += " AND s.device = ?"
        args.append(device)
    if version is not None:
        sql += " AND CAST(json_extract(e.data, '$.version') AS INTEGER) = ?"
        args.append(version)
    return db.execute(sql, args).fetchone()[0]
