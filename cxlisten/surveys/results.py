"""A survey's results under one set of filters, for every view of the results page at once.

    filters = load_filters({"device": "mobile", "answer": "reason:shipping"})
    page = results(db, site, "cart-abandon", filters)

One filtered list of responses feeds the funnel, the scores, every distribution, the cross-tabs,
the themes, the top reasons, the trend, the table and the counts: the figures come from
``deepdive.summarise``, the builder of the report ``cxlisten deepdive report`` prints. The
responses are read by one query with the filters in SQL (``storage.results``), then
``response_kept`` decides, so the page matches ``deepdive.report`` with the filters as its
``keep``; impressions are counted under the filters they carry (dates, device, version).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from cxlisten import deepdive, results_days
from cxlisten import journeys as journey_lib
from cxlisten import results_tally as tally
from cxlisten.errors import InvalidInput, flatten_fields
from cxlisten.schemas.surveys import DEVICES, LOCALE
from cxlisten.storage import reports
from cxlisten.storage import results as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.surveys import catalogue

__all__ = [
    "ANSWER_FILTER",
    "CHANNEL_FILTER",
    "COMPLETIONS",
    "FILTER_NAMES",
    "LOCALE_FILTER",
    "PAGE_SIZE",
    "Filters",
    "Results",
    "load_filters",
    "response_kept",
    "results",
]

PAGE_SIZE = 25
FILTER_NAMES = (
    "since", "until", "device", "locale", "version", "completion", "answer", "channel",
)  # fmt: skip
DAY_MS = 86_400_000
# Declared once: the exports take these filters with the same names and checks.
COMPLETIONS = ("complete", "partial")
ANSWER_FILTER = validate.Regexp(
    r"^[a-z0-9][a-z0-9_\-]{0,63}:[^\s]{1,200}$", error="question:value, e.g. reason:price"
)
LOCALE_FILTER = validate.Regexp(LOCALE, error="not a locale such as zh-CN")
CHANNEL_FILTER = validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{0,31}$", error="a channel name")


def response_kept(
    response: dict,
    answers: dict[str, dict],
    *,
    device: str | None = None,
    locale: str | None = None,
    completion: str | None = None,
    answer: tuple[str, str] | None = None,
    channel: str | None = None,
) -> bool:
    """Whether RESPONSE (``device``, ``locale``, ``status``, ``channel``) with its ANSWERS
    ({question: {"value", "number"}}) passes the filters: the one rule of the results page,
    its share links and the responses and answers exports."""
    if device and response["device"] != device:
        return False
    if locale and (response["locale"] or "") != locale:
        return False
    if completion and response["status"] != completion:
        return False
    if channel and (response.get("channel") or "web") != channel:
        return False
    if answer:
        question, wanted = answer
        given = answers.get(question)
        if given is None:
            return False
        if given["number"] is not None:
            return str(int(given["number"])) == wanted
        return wanted in deepdive.choices(given) or given["value"] == wanted
    return True


class _Query(Schema):
    """The results page's query string; every field optional, each error located."""

    class Meta:
        unknown = RAISE

    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
    device = fields.String(load_default=None, validate=validate.OneOf(DEVICES))
    locale = fields.String(load_default=None, validate=LOCALE_FILTER)
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    completion = fields.String(load_default=None, validate=validate.OneOf(COMPLETIONS))
    answer = fields.String(load_default=None, validate=ANSWER_FILTER)
    channel = fields.String(load_default=None, validate=CHANNEL_FILTER)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))

    @validates_schema
    def _window(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError("must not be before since", "until")


_QUERY = _Query()


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    device: str | None = None
    locale: str | None = None
    version: int | None = None
    completion: str | None = None
    answer: tuple[str, str] | None = None  # (question id, value or option code)
    channel: str | None = None  # web, link, qr, email or a hosted link's src
    page: int = 1

    @property
    def since_ms(self) -> int | None:
        return _ms(self.since) if self.since else None

    @property
    def until_ms(self) -> int | None:
        return _ms(self.until + timedelta(days=1)) if self.until else None

    def as_query(self, **changes) -> dict[str, str]:
        """Return the filters as query parameters (CHANGES override; None drops one)."""
        out = {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "device": self.device,
            "locale": self.locale,
            "version": str(self.version) if self.version else None,
            "completion": self.completion,
            "answer": ":".join(self.answer) if self.answer else None,
            "channel": self.channel,
        }
        out.update(changes)
        return {k: v for k, v in out.items() if v is not None}

    @property
    def active(self) -> bool:
        return bool(self.as_query())

    def keeps(self, response: dict, answers: dict[str, dict]) -> bool:
        """Whether RESPONSE (with its ANSWERS) passes the filters the report cannot apply."""
        return response_kept(
            response,
            answers,
            device=self.device,
            locale=self.locale,
            completion=self.completion,
            answer=self.answer,
            channel=self.channel,
        )


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def load_filters(args: dict) -> Filters:
    """Return the Filters in query ARGS, or raise InvalidInput naming each bad field."""
    try:
        data = _QUERY.load({k: v for k, v in args.items() if v not in ("", None)})
    except ValidationError as exc:
        raise InvalidInput("invalid filters", flatten_fields(exc.messages)) from None
    if data["answer"]:
        data["answer"] = tuple(data["answer"].split(":", 1))
    return Filters(**data)


@dataclass(frozen=True)
class Results:
    survey: str
    definition: dict
    version: int  # the current version
    versions: list[int]
    filters: Filters
    funnel: dict  # shown, answered, complete (None: shown not countable under these filters)
    report: dict  # deepdive.summarise of the filtered responses
    trend: list[dict]  # per day: {"day", "score", "low", "high", "n"} of the first score question
    trend_metric: str | None
    total: int  # the survey's responses, unfiltered
    filtered: int  # under the filters
    rows: list[dict] = field(default_factory=list)  # this page of the table, newest first
    pages: int = 1


def results(
    db: Database, site: Site, slug: str, filters: Filters, *, now: int | None = None
) -> Results:
    """Return the results of survey SLUG of SITE under FILTERS (bots left out).

    Without an answer filter the responses are read as the cells of their days (kept for the
    days that are over: ``cxlisten.results_days``), chosen by the filters, and the table's page
    by a query of its own; an answer filter (or a definition the kept cells cannot serve) reads
    the filtered responses themselves. Both give the same figures (tests/console/
    test_results_summary.py).
    """
    survey = catalogue.get_survey(db, site, slug, kind="survey")
    definition = catalogue.definition_of(db, survey, filters.version)
    read = None if filters.answer else _by_days(db, site, slug, definition, filters, now)
    cells, texts, filtered, rows, pages = read or _by_responses(db, site, slug, definition, filters)
    events = reports.survey_event_counts(db, site.id, slug, filters.since_ms, filters.until_ms)
    report = deepdive.summarise_cells(
        journey_lib.path_rules(db, site.id),
        slug,
        definition,
        filters.version or survey.version,
        {"since": filters.since_ms, "until": filters.until_ms},
        cells,
        texts,
        events,
    )
    counts = catalogue.response_counts(db, survey)
    shown = _shown(db, site, slug, filters, report)
    funnel = {
        "shown": shown,
        "answered": report["counts"]["answered"],
        "complete": report["counts"]["complete"],
    }
    metric_q = next((q for q in definition["questions"] if q["type"] in deepdive.SCORE_TYPES), None)
    return Results(
        survey=slug,
        definition=definition,
        version=survey.version,
        versions=[v["version"] for v in catalogue.versions(db, survey)],
        filters=filters,
        funnel=funnel,
        report=report,
        trend=_trend(metric_q, cells) if metric_q else [],
        trend_metric=metric_q["type"].upper() if metric_q else None,
        total=counts["partial"] + counts["complete"],
        filtered=filtered,
        rows=rows,
        pages=pages,
    )


def _sql_filters(filters: Filters) -> dict:
    """The filters SQL applies exactly (all but an answer's)."""
    return {
        "since": filters.since_ms,
        "until": filters.until_ms,
        "version": filters.version,
        "device": filters.device,
        "locale": filters.locale,
        "completion": filters.completion,
        "channel": filters.channel,
    }


def _by_responses(db: Database, site: Site, slug: str, definition: dict, filters: Filters):
    """Return (cells, texts, filtered, rows, pages) from the filtered responses themselves."""
    # SQL applies the filters (an answer's, to the rows that may hold it); the one rule
    # (response_kept) then decides on what it read, so the page, its share links and the
    # exports keep the same responses.
    read, answers_of = store.filtered_responses(
        db, site.id, slug, answer=filters.answer, **_sql_filters(filters)
    )
    kept = [r for r in read if filters.keeps(r, answers_of[r["id"]])]
    cells = tally.cells_of(kept, answers_of, every_code=True)
    texts = deepdive.texts_of(definition, kept, answers_of)
    rows, pages = _page(db, kept, answers_of, filters.page)
    return cells, texts, len(kept), rows, pages


def _by_days(
    db: Database, site: Site, slug: str, definition: dict, filters: Filters, now: int | None
):
    """Return (cells, texts, filtered, rows, pages) from the cells of the window's days and
    the table's page read apart; None when the cells cannot serve DEFINITION."""
    cells = results_days.cells(
        db, site.id, slug, filters.since_ms, filters.until_ms, now_ms=now
    ).where(lambda c: _cell_kept(c, filters))
    if not tally.fits(definition, cells):
        return None
    texts: dict[str, list[str]] = {}
    kinds = {q["id"]: q["type"] for q in definition["questions"]}
    with_texts = {"text", *tally.CHOICE_TYPES} & set(kinds.values())  # else none to read
    for question, qtype, value, other in (
        store.open_texts(db, site.id, slug, **_sql_filters(filters)) if with_texts else []
    ):
        wanted = kinds.get(question)
        if wanted == "text" and qtype == "text" and value:
            texts.setdefault(question, []).append(value)
        elif wanted in tally.CHOICE_TYPES and other:
            texts.setdefault(question, []).append(other)
    filtered = sum(c.n for c in cells.by_visitor)
    pages = max(1, -(-filtered // PAGE_SIZE))
    start = (min(filters.page, pages) - 1) * PAGE_SIZE
    shown, answers_of = store.newest_responses(
        db, site.id, slug, start, PAGE_SIZE, filtered, **_sql_filters(filters)
    )
    return cells, texts, filtered, _rows(db, shown, answers_of), pages


def _cell_kept(cell: tally.Cell, filters: Filters) -> bool:
    """Whether the responses of CELL pass FILTERS (``response_kept``'s rule, on a cell's values)."""
    return (
        (filters.version is None or cell.version == filters.version)
        and (not filters.device or cell.device == filters.device)
        and (not filters.locale or (cell.locale or "") == filters.locale)
        and (not filters.completion or cell.status == filters.completion)
        and (not filters.channel or cell.channel == filters.channel)
    )


def _shown(db: Database, site: Site, slug: str, filters: Filters, report: dict) -> int | None:
    """Return the sessions shown the survey under FILTERS (None: not countable under them)."""
    # Impressions carry dates, device and version; a filter on locale, completion, an answer or
    # a channel (a hosted page's answers had no intercept) has no impression to count, so the
    # funnel then starts at the answered.
    if filters.locale or filters.completion or filters.answer or filters.channel:
        return None
    if filters.device or filters.version:
        return store.shown_sessions(
            db,
            site.id,
            slug,
            since=filters.since_ms,
            until=filters.until_ms,
            device=filters.device,
            version=filters.version,
        )
    return report["counts"]["shown"]  # the report counted them under the same dates


def _page(
    db: Database, kept: list[dict], answers_of: dict[int, dict], page: int
) -> tuple[list[dict], int]:
    """Sort KEPT newest first in place; return table page PAGE's rows and the page count."""
    kept.sort(key=lambda r: (r["started_at"], r["id"]), reverse=True)
    pages = max(1, -(-len(kept) // PAGE_SIZE))
    start = (min(page, pages) - 1) * PAGE_SIZE
    return _rows(db, kept[start : start + PAGE_SIZE], answers_of), pages


def _rows(db: Database, shown: list[dict], answers_of: dict[int, dict]) -> list[dict]:
    """Return the table's rows of the responses SHOWN: each with its journey and answers."""
    journeys = store.journeys(db, [r["id"] for r in shown])  # read for the rows shown alone
    rows = []
    for r in shown:
        journey = json.loads(journeys[r["id"]] or "[]")
        entry = (journey or [r["path"]])[0]
        rows.append({**r, "journey": journey, "answers": answers_of[r["id"]], "entry": entry})
    return rows


def _trend(question: dict, counted: tally.Tally) -> list[dict]:
    """Return the score of QUESTION per day of the COUNTED, oldest first, with its interval."""
    by_day: dict[int, list[tally.Cell]] = {}
    for cell in counted.by_visitor:
        by_day.setdefault(cell.day, []).append(cell)
    out = []
    for day in sorted(by_day):
        answers = tally.merged(by_day[day], question["id"])
        numbers = answers.number_list() if answers else []
        if not numbers:
            continue
        score = deepdive.score(question["type"], numbers) or {}
        scale = 100 if question["type"] == "csat" else 1  # CSAT reads as a percentage
        value = score.get("value")
        out.append(
            {
                "day": time.strftime("%Y-%m-%d", time.gmtime(day * 86400)),
                "score": None if value is None else round(value * scale, 2),
                "low": None if score.get("low") is None else round(score["low"] * scale, 2),
                "high": None if score.get("high") is None else round(score["high"] * scale, 2),
                "n": len(numbers),
            }
        )
    return out
