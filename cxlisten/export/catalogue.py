"""Every export: its name, its columns in a stable order with the meaning of each, its filters.

``docs/exports.md`` documents the same columns; a test keeps the two in step. An export's rows come
from ``cxlisten.storage.exports`` (streamed) or, for the phase reports, from the library functions
that compute them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from cxlisten import journeys as journey_lib
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.export.filters import (
    FILTER_SCHEMA,
    Filters,
    journey_steps,
    load_filters,
    resolve_site,
)
from cxlisten.storage import exports as store
from cxlisten.storage.db import Database

Batches = Iterator[list[tuple]]


@dataclass(frozen=True)
class Column:
    """One column: its header, how its values are written (csvsafe kinds), what it means."""

    name: str
    kind: str
    meaning: str


@dataclass
class Table:
    """An export ready to stream: the columns and, lazily, the rows in batches."""

    name: str
    columns: list[Column]
    batches: Iterable[list[tuple]]
    filters: Filters
    rows: int = 0
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def counted(self) -> Batches:
        """Yield the batches, counting rows into ``rows``."""
        for batch in self.batches:
            self.rows += len(batch)
            yield batch

    def on_close(self, fn: Callable[[], None]) -> None:
        self._closers.append(fn)

    def close(self) -> None:
        """Stop the query (if still running) and release what the export holds."""
        close = getattr(self.batches, "close", None)
        if close:
            close()
        for fn in reversed(self._closers):
            fn()
        self._closers.clear()


@dataclass(frozen=True)
class Export:
    name: str
    summary: str
    filters: tuple[str, ...]  # beyond ``site``, which every export takes
    columns: tuple[Column, ...]
    build: Callable[[Database, Filters], tuple[list[Column], Iterable[list[tuple]]]]
    more_columns: str | None = None  # the columns that depend on the data, when there are some
    requires: tuple[str, ...] = ()


EXPORTS: dict[str, Export] = {}


def _register(export: Export) -> None:
    EXPORTS[export.name] = export


def get_export(name: str) -> Export:
    """Return the export called NAME, or raise NotFound listing the ones there are."""
    try:
        return EXPORTS[name]
    except KeyError:
        raise NotFound(
            f"no export called {name!r}", {"export": [f"one of: {', '.join(EXPORTS)}"]}
        ) from None


def open_export(db: Database, name: str, raw_filters: dict, schema=FILTER_SCHEMA) -> Table:
    """Check NAME and the filters, then return the table, its rows not yet read.

    Every problem with the request (unknown export, survey or site, malformed or inverted dates, a
    filter the export does not take) is raised here, before anything is sent.
    """
    export = get_export(name)
    data = load_filters(raw_filters, schema)
    taken = {"site", *export.filters}
    wrong = {k: v for k, v in data.items() if k in FILTER_NAMES_ALL and k not in taken}
    if wrong:
        others = ", ".join(export.filters) or "no filter but site"
        raise InvalidInput(
            f"filter not taken by the {name} export",
            {k: [f"the {name} export takes: site, {others}"] for k in wrong},
        )
    missing = [k for k in export.requires if data.get(k) is None]
    if missing:
        raise InvalidInput(
            f"the {name} export needs {', '.join(missing)}",
            {k: ["required for this export"] for k in missing},
        )
    site = resolve_site(db, data.get("site"))
    filters = Filters(
        site=site,
        survey=data.get("survey"),
        since=data.get("since"),
        until=data.get("until"),
        journey=data.get("journey"),
        bots=bool(data.get("bots", False)),
    )
    columns, batches = export.build(db, filters)
    return Table(name=name, columns=list(columns), batches=batches, filters=filters)


FILTER_NAMES_ALL = ("survey", "since", "until", "journey", "bots")


# -- events -------------------------------------------------------------------------------------

EVENT_COLUMNS = (
    Column("time", "time", "When the event happened, by the visitor's clock (ISO 8601 UTC)."),
    Column("received", "time", "When the collector stored it (ISO 8601 UTC)."),
    Column("kind", "id", "pageview, dwell, click, custom, survey or intervention."),
    Column("event_id", "text", "The id the snippet gave the event (unique per site)."),
    Column("visitor", "id", "Visitor id (the same in every export)."),
    Column("session", "id", "Session id."),
    Column("url", "text", "Full page URL."),
    Column("path", "text", "Page path."),
    Column("name", "text", "custom: the event name; survey: the survey id; intervention: its id."),
    Column("action", "id", "survey: shown, answered or dismissed; intervention: shown, clicked "
                           "or dismissed."),
    Column("value", "int", "dwell: visible milliseconds added by this event."),
    Column("device", "id", "desktop, mobile, tablet or other (from the session's browser)."),
    Column("browser", "text", "Browser family."),
    Column("os", "text", "Operating system family."),
    Column("data", "json", "Every other field the event carried, as a JSON object (referrer, "
                           "title, viewport, total_ms, scroll, target, text, href, props, "
                           "version, question ...)."),
)


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


def _by_session_journey(batches: Batches, matches, steps_at: int, session_at: int) -> Batches:
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


def _events(db: Database, f: Filters):
    batches = store.stream_events(
        db, f.site.id, since=f.since, until=f.until, bots=f.bots, with_steps=bool(f.journey)
    )
    if f.journey:
        matches = session_matcher(db, f.site.id, f.journey)
        batches = _by_session_journey(batches, matches, len(EVENT_COLUMNS), 5)
    return EVENT_COLUMNS, batches


_register(Export(
    name="events",
    summary="Every stored event, one row each, in time order.",
    filters=("since", "until", "journey", "bots"),
    columns=EVENT_COLUMNS,
    build=_events,
))


# -- sessions -----------------------------------------------------------------------------------

SESSION_COLUMNS = (
    Column("session", "id", "Session id."),
    Column("visitor", "id", "Visitor id."),
    Column("started", "time", "Time of the session's first event (ISO 8601 UTC)."),
    Column("ended", "time", "Time of its last event (ISO 8601 UTC)."),
    Column("duration_ms", "int", "ended minus started, in milliseconds."),
    Column("pageviews", "int", "Page views in the session."),
    Column("events", "int", "Events of every kind in the session."),
    Column("entry", "text", "Path of the first page."),
    Column("exit", "text", "Path of the last page."),
    Column("journey", "json", "The journey: JSON list of the page paths visited, in order."),
    Column("dwell_ms", "json", "JSON list of visible dwell (ms) on each journey step, aligned "
                               "with journey."),
    Column("custom_events", "json", "JSON list of the custom event names, in order."),
    Column("max_scroll", "int", "Deepest scroll reached on any page, in percent."),
    Column("surveys_shown", "int", "Surveys shown in the session."),
    Column("surveys_answered", "int", "Survey questions answered."),
    Column("surveys_dismissed", "int", "Surveys dismissed."),
    Column("interventions_shown", "int", "Interventions (and next best actions) shown."),
    Column("interventions_clicked", "int", "Interventions clicked."),
    Column("device", "id", "desktop, mobile, tablet or other."),
    Column("browser", "text", "Browser family."),
    Column("os", "text", "Operating system family."),
    Column("returning", "bool", "true when the visitor had an earlier session."),
    Column("bot", "bool", "true when the browser was classified as a bot (only with bots)."),
)


def _sessions(db: Database, f: Filters):
    batches = store.stream_sessions(db, f.site.id, since=f.since, until=f.until, bots=f.bots)
    if f.journey:
        batches = _keep(batches, session_matcher(db, f.site.id, f.journey), 9)
    return SESSION_COLUMNS, batches


def _keep(batches: Batches, matches, steps_at: int) -> Batches:
    """Keep the rows whose journey (JSON at STEPS_AT) matches."""
    for batch in batches:
        kept = [r for r in batch if matches(json.loads(r[steps_at]))]
        if kept:
            yield kept


_register(Export(
    name="sessions",
    summary="One row per session that started in the window, with its journey.",
    filters=("since", "until", "journey", "bots"),
    columns=SESSION_COLUMNS,
    build=_sessions,
))


# -- visitors -----------------------------------------------------------------------------------

VISITOR_COLUMNS = (
    Column("visitor", "id", "Visitor id."),
    Column("first_seen", "time", "Time of the visitor's first event (ISO 8601 UTC)."),
    Column("last_seen", "time", "Time of the latest event (ISO 8601 UTC)."),
    Column("sessions", "int", "Sessions so far."),
)


def _visitors(db: Database, f: Filters):
    batches = store.stream_visitors(db, f.site.id, since=f.since, until=f.until, bots=f.bots)
    return VISITOR_COLUMNS, batches


_register(Export(
    name="visitors",
    summary="One row per visitor seen in the window (last seen on or after since, first seen "
            "before until).",
    filters=("since", "until", "bots"),
    columns=VISITOR_COLUMNS,
    build=_visitors,
))
