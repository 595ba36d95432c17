"""The rows of each export, batch by batch, from ``cxlisten.storage.exports``.

Each builder checks what it needs (a survey that exists, a journey that exists) at once and
returns a lazy iterator of batches: nothing is read before the first batch is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from cxlisten import journeys as journey_lib
from cxlisten.errors import NotFound
from cxlisten.export.filters import Filters, journey_steps
from cxlisten.export.table import Batches, Column
from cxlisten.storage import exports as store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database


def session_matcher(db: Database, site_id: int, journey: str) -> Callable[[list[str]], bool]:
    """Return a test on a session's steps for the JOURNEY filter (raise NotFound if unknown).

    A journey name: the session entered that named journey (its first step, on the site's
    normalised paths). Step patterns: the session visited pages matching them in that order; a
    page matches on its path as recorded or as normalised.
    """
    rules = journey_lib.path_rules(db, site_id)
    parsed = journey_steps(journey)
    if isinstance(parsed, str):
        named = journey_lib.get_journey(db, site_id, parsed)
        return lambda steps: named.follow([rules.normalise(s) for s in steps]) is not None
    patterns = [journey_lib.compile_pattern(p).match for p in parsed]

    def matches(steps: list[str]) -> bool:
        i = 0
        for step in steps:
            if patterns[i](step) or patterns[i](rules.normalise(step)):
                i += 1
                if i == len(patterns):
                    return True
        return False

    return matches


def by_session_journey(batches: Batches, matches, steps_at: int, session_at: int) -> Batches:
    """Keep the rows whose session's journey matches; drop the trailing steps column."""
    seen: dict[str, bool] = {}
    for batch in batches:
        kept = []
        for row in batch:
            ok = seen.get(row[session_at])
            if ok is None:
                if len(seen) > 10000:
                    seen.clear()
                steps = row[steps_at]
                ok = seen[row[session_at]] = steps is not None and matches(json.loads(steps))
            if ok:
                kept.append(row[:steps_at])
        if kept:
            yield kept


def _keep(batches: Batches, matches, steps_at: int) -> Batches:
    """Keep the rows whose journey (JSON at STEPS_AT) matches."""
    for batch in batches:
        kept = [r for r in batch if matches(json.loads(r[steps_at]))]
        if kept:
            yield kept


def _at(columns, name: str) -> int:
    """Return where column NAME is in a row of COLUMNS (storage's declared order)."""
    return [c.name for c in columns].index(name)


def _number(value):
    """A stored REAL as the number it was given as (7.0 -> 7)."""
    return int(value) if value is not None and float(value).is_integer() else value


# -- events, sessions, visitors -----------------------------------------------------------------


def events(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    batches = store.stream_events(
        db, f.site.id, since=f.since, until=f.until, bots=f.bots, with_steps=bool(f.journey)
    )
    if f.journey:
        matches = session_matcher(db, f.site.id, f.journey)
        session_at = _at(store.EVENT_COLUMNS, "session")
        batches = by_session_journey(batches, matches, len(store.EVENT_COLUMNS), session_at)
    return list(columns), batches


def sessions(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    batches = store.stream_sessions(db, f.site.id, since=f.since, until=f.until, bots=f.bots)
    if f.journey:
        matches = session_matcher(db, f.site.id, f.journey)
        batches = _keep(batches, matches, _at(store.SESSION_COLUMNS, "journey"))
    return list(columns), batches


def visitors(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    names = store.attribute_names(db, f.site.id)
    columns = [
        *columns,
        *(
            Column(
                f"attr.{name}",
                "text",
                f"Zero-party attribute {name!r}: the latest value the "
                "visitor gave (empty: never asked or not answered).",
            )
            for name in names
        ),
    ]
    batches = store.stream_visitors(db, f.site.id, since=f.since, until=f.until, bots=f.bots)
    return columns, _with_attributes(db, f.site.id, batches, names)


def _with_attributes(db: Database, site_id: int, batches: Batches, names: list[str]) -> Batches:
    for batch in batches:
        values = store.attributes_of(db, site_id, [r[0] for r in batch]) if names else {}
        yield [row + tuple(values.get(row[0], {}).get(n) for n in names) for row in batch]


# -- responses and answers ----------------------------------------------------------------------


def surveys_of(db: Database, f: Filters) -> list:
    """Return the surveys the filter names (all the site's surveys when it names none)."""
    if f.survey is None:
        return survey_store.list_surveys(db, f.site.id, kind="survey")
    survey = survey_store.get_survey(db, f.site.id, f.survey)
    if survey is None or survey.kind != "survey":
        raise NotFound(
            f"no survey {f.survey!r} on this site", {"survey": [f"unknown survey {f.survey!r}"]}
        )
    return [survey]


def question_columns(db: Database, surveys: list) -> list[tuple]:
    """Return [(survey, question id, has other, text, type)], current version's order first.

    Questions that only older versions asked follow, so every stored answer has its column.
    """
    out, seen = [], set()
    for survey in sorted(surveys, key=lambda s: s.slug):
        versions = [survey.definition] + [
            survey_store.get_version(db, survey.id, v["version"]) or {}
            for v in reversed(survey_store.list_versions(db, survey.id))
            if v["version"] != survey.version
        ]
        for definition in versions:
            for q in definition.get("questions", []):
                if (survey.slug, q["id"]) in seen:
                    continue
                seen.add((survey.slug, q["id"]))
                text = q.get("text") or {}
                label = text.get("en") or next(iter(text.values()), "")
                out.append((survey.slug, q["id"], bool(q.get("other")), label, q["type"]))
    return out


def responses(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    """Wide responses: the context COLUMNS, then a column per question (and per Other text)."""
    columns, slots = list(columns), {}
    fixed = len(columns)
    for slug, qid, other, text, qtype in question_columns(db, surveys_of(db, f)):
        name = qid if f.survey else f"{slug}.{qid}"
        slots[(slug, qid)] = len(columns) - fixed
        columns.append(Column(name, "value", f"{qtype} answer to: {text}"))
        if other:
            slots[(slug, qid, "other")] = len(columns) - fixed
            columns.append(Column(f"{name}.other", "text", f"'Other' text for {qid}."))
    batches = store.stream_responses(
        db,
        f.site.id,
        survey=f.survey,
        since=f.since,
        until=f.until,
        bots=f.bots,
        with_steps=bool(f.journey),
        channel=f.channel,
    )
    if f.journey:
        matches = session_matcher(db, f.site.id, f.journey)
        steps_at = 1 + len(store.RESPONSE_COLUMNS)
        batches = by_session_journey(batches, matches, steps_at, _AT["session"])
    return columns, _wide(db, batches, slots, len(columns) - fixed, f)


# Where the response filters' fields are in a response row: (row id, *store.RESPONSE_COLUMNS).
_AT = {c.name: 1 + i for i, c in enumerate(store.RESPONSE_COLUMNS)}
# The response filters' fields, by the export column that holds each ("partial" is the status).
_FILTERED = {
    "version": "version",
    "status": "partial",
    "locale": "locale",
    "device": "device",
    "channel": "channel",
}


def _as_response(r: tuple) -> dict:
    """The fields of a response row that the response filters read, by column name."""
    return {field: r[_AT[column]] for field, column in _FILTERED.items()}


def _by_question(answers: list) -> dict[str, dict]:
    """[(question, value, number, ...)] as {question: {"value", "number"}}."""
    return {a[0]: {"value": a[1], "number": a[2]} for a in answers}


def _wide(db: Database, batches: Batches, slots: dict, width: int, f: Filters) -> Batches:
    """Turn response rows (storage order) and their answers into one wide row each, keeping
    those that pass the response filters (device, locale, version, completion, answer)."""
    for batch in batches:
        answers = store.answers_of(db, [r[0] for r in batch])
        if f.by_response:
            batch = [r for r in batch if f.keeps(_as_response(r), _by_question(answers[r[0]]))]
        if batch:
            yield [_wide_row(r, answers[r[0]], slots, width) for r in batch]


def _answer_cells(answers: list, survey: str, slots: dict, width: int) -> list:
    """Return the question cells of one response of SURVEY, placed by SLOTS."""
    cells: list = [None] * width
    for question, value, number, other in answers:
        at = slots.get((survey, question))
        if at is None:
            continue  # a question no stored version has: nothing to put it under
        cells[at] = _number(number) if number is not None else value
        other_at = slots.get((survey, question, "other"))
        if other_at is not None:
            cells[other_at] = other
    return cells


_NAMES = [c.name for c in store.RESPONSE_COLUMNS]
PARTIAL, SURVEY = _NAMES.index("partial"), _NAMES.index("survey")


def _wide_row(r: tuple, answers: list, slots: dict, width: int) -> tuple:
    """Return the wide row of response row R (row id, RESPONSE_COLUMNS) with its ANSWERS."""
    _rid, *fixed = r
    fixed[PARTIAL] = fixed[PARTIAL] != "complete"  # stored as the status
    cells = _answer_cells(answers, fixed[SURVEY], slots, width)
    return (*fixed, *cells)


def answers(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    surveys_of(db, f)  # an unknown survey is an error, not an empty file
    batches = store.stream_answers(
        db,
        f.site.id,
        survey=f.survey,
        since=f.since,
        until=f.until,
        bots=f.bots,
        with_steps=bool(f.journey),
        channel=f.channel,
    )
    if f.journey:
        matches = session_matcher(db, f.site.id, f.journey)
        steps_at = len(store.ANSWER_COLUMNS)
        batches = by_session_journey(batches, matches, steps_at, _ANSWER["session"])
    if f.by_response:
        batches = _responses_kept(batches, f)
    return list(columns), _long(batches)


# Where each field is in an answer row (store.ANSWER_COLUMNS).
_ANSWER = {c.name: i for i, c in enumerate(store.ANSWER_COLUMNS)}


def _responses_kept(batches: Batches, f: Filters) -> Batches:
    """Keep the answer rows of the responses that pass the response filters.

    A response's answers come together (ordered by response), possibly across two batches: each
    response's rows are held until the next response starts, then kept or dropped together.
    """
    a = _ANSWER

    def verdict(rows: list) -> bool:
        first = rows[0]
        # An answer row has no channel: the SQL keeps only the asked channel's answers already.
        response = {field: first[a[col]] for field, col in _FILTERED.items() if col in a}
        response["channel"] = None
        answers = {
            r[a["question"]]: {"value": r[a["value"]], "number": r[a["number"]]} for r in rows
        }
        return f.keeps(response, answers)

    def response_of(row: tuple) -> tuple:
        return row[a["survey"]], row[a["response"]]

    held: list = []
    for batch in batches:
        kept: list = []
        for row in batch:
            if held and response_of(row) != response_of(held[0]):
                if verdict(held):
                    kept.extend(held)
                held = []
            held.append(row)
        if kept:
            yield kept
    if held and verdict(held):
        yield held


def _long_row(r: tuple) -> tuple:
    """Return answer row R with the response's status as ``partial`` and the number as given."""
    row = list(r)
    row[_ANSWER["partial"]] = row[_ANSWER["partial"]] != "complete"  # stored as the status
    row[_ANSWER["number"]] = _number(row[_ANSWER["number"]])
    return tuple(row)


def _long(batches: Batches) -> Batches:
    for batch in batches:
        yield [_long_row(r) for r in batch]
