"""Every export: its name, its columns in a stable order with the meaning of each, its filters.

``docs/exports.md`` documents the same columns; a test keeps the two in step. The rows come from
``cxlisten.export.rows`` (streamed from ``cxlisten.storage.exports``) or, for the phase reports,
from ``cxlisten.export.reports`` (the library functions that compute them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.export import reports, rows
from cxlisten.export.filters import FILTER_NAMES as ALL_FILTERS
from cxlisten.export.filters import FILTER_SCHEMA, RESPONSE_FILTERS, Filters, load_filters
from cxlisten.export.table import Column, Table
from cxlisten.sites import pick_site
from cxlisten.storage.db import Database

__all__ = ["EXPORTS", "Column", "Export", "Table", "get_export", "open_export"]

FILTER_NAMES = tuple(n for n in ALL_FILTERS if n != "site")  # beyond site


@dataclass(frozen=True)
class Export:
    name: str
    summary: str
    filters: tuple[str, ...]  # beyond ``site``, which every export takes
    columns: tuple[Column, ...]
    build: Callable[[Database, Filters, tuple], tuple[list[Column], Iterable[list[tuple]]]]
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
    wrong = {k: v for k, v in data.items() if k in FILTER_NAMES and k not in taken}
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
    site = pick_site(db, data.get("site"))
    filters = Filters(
        site=site,
        survey=data.get("survey"),
        since=data.get("since"),
        until=data.get("until"),
        journey=data.get("journey"),
        bots=bool(data.get("bots", False)),
        channel=data.get("channel"),
        **{name: data.get(name) for name in RESPONSE_FILTERS},
    )
    columns, batches = export.build(db, filters, export.columns)
    return Table(name=name, columns=list(columns), batches=batches, filters=filters)


# -- events, sessions, visitors -----------------------------------------------------------------

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
    Column(
        "action",
        "id",
        "survey: shown, answered or dismissed; intervention: shown, clicked or dismissed.",
    ),
    Column("value", "number", "dwell: visible milliseconds added by this event."),
    Column(
        "data",
        "json",
        "Every other field the event carried, as a JSON object (referrer, "
        "title, viewport, total_ms, scroll, target, text, href, props, "
        "version, question ...).",
    ),
)

_register(
    Export(
        name="events",
        summary="Every stored event, one row each, in time order.",
        filters=("since", "until", "journey", "bots"),
        columns=EVENT_COLUMNS,
        build=rows.events,
    )
)


SESSION_COLUMNS = (
    Column("session", "id", "Session id."),
    Column("visitor", "id", "Visitor id."),
    Column("started", "time", "Time of the session's first event (ISO 8601 UTC)."),
    Column("ended", "time", "Time of its last event (ISO 8601 UTC)."),
    Column("duration_ms", "number", "ended minus started, in milliseconds."),
    Column("pageviews", "number", "Page views in the session."),
    Column("events", "number", "Events of every kind in the session."),
    Column("entry", "text", "Path of the first page."),
    Column("exit", "text", "Path of the last page."),
    Column("journey", "json", "The journey: JSON list of the page paths visited, in order."),
    Column(
        "dwell_ms",
        "json",
        "JSON list of visible dwell (ms) on each journey step, aligned with journey.",
    ),
    Column("custom_events", "json", "JSON list of the custom event names, in order."),
    Column("max_scroll", "number", "Deepest scroll reached on any page, in percent."),
    Column("surveys_shown", "number", "Surveys shown in the session."),
    Column("surveys_answered", "number", "Survey questions answered."),
    Column("surveys_dismissed", "number", "Surveys dismissed."),
    Column("interventions_shown", "number", "Interventions (and next best actions) shown."),
    Column("interventions_clicked", "number", "Interventions clicked."),
    Column("rage_clicks", "number", "Rage clicks: 3 or more on one element within a second."),
    Column("dead_clicks", "number", "Clicks after which nothing changed on the page."),
    Column("abandoned_fields", "number", "Form fields typed in, then left without submitting."),
    Column(
        "scroll",
        "json",
        "JSON list of the deepest scroll (percent) on each journey step, aligned with journey.",
    ),
    Column("device", "id", "desktop, mobile, tablet or other."),
    Column("browser", "text", "Browser family."),
    Column("os", "text", "Operating system family."),
    Column("returning", "bool", "true when the visitor had an earlier session."),
    Column("bot", "bool", "true when the browser was classified as a bot (only with bots)."),
)

_register(
    Export(
        name="sessions",
        summary="One row per session that started in the window, with its journey.",
        filters=("since", "until", "journey", "bots"),
        columns=SESSION_COLUMNS,
        build=rows.sessions,
    )
)


VISITOR_COLUMNS = (
    Column("visitor", "id", "Visitor id."),
    Column("first_seen", "time", "Time of the visitor's first event (ISO 8601 UTC)."),
    Column("last_seen", "time", "Time of the latest event (ISO 8601 UTC)."),
    Column("sessions", "number", "Sessions so far."),
    Column("device", "id", "Device of the latest session: desktop, mobile, tablet or other."),
    Column("browser", "text", "Browser of the latest session, e.g. Chrome."),
    Column("os", "text", "Operating system of the latest session, e.g. Android."),
    Column("customer", "id", "The customer the visitor is linked to (identify); empty if none."),
    Column("customer_orders", "number", "The customer's order records (empty: no customer)."),
    Column("customer_revenue", "number", "Sum of the customer's order amounts."),
    Column("customer_open_tickets", "number", "The customer's tickets with an open status."),
)

_register(
    Export(
        name="visitors",
        summary="One row per visitor seen in the window (last seen on or after since, first seen "
        "before until), with their zero-party attributes.",
        filters=("since", "until", "bots"),
        columns=VISITOR_COLUMNS,
        build=rows.visitors,
        more_columns="`attr.NAME`: one column per zero-party attribute any visitor of the site has "
        "(sorted by name), holding the visitor's latest value.",
    )
)


# -- responses and answers ----------------------------------------------------------------------

RESPONSE_COLUMNS = (
    Column(
        "response", "text", "The response id the snippet made (the same in the answers export)."
    ),
    Column("started", "time", "When the visitor began answering (ISO 8601 UTC)."),
    Column("updated", "time", "When the latest answer arrived."),
    Column("completed", "time", "When the response was completed; empty while partial."),
    Column("survey", "text", "Survey id."),
    Column("version", "number", "Survey version answered."),
    Column(
        "partial", "bool", "true until the visitor finished the survey (some answers, not all)."
    ),
    Column("answered", "number", "Questions answered."),
    Column("visitor", "id", "Visitor id."),
    Column("session", "id", "Session during which the response began (empty if unknown)."),
    Column("locale", "text", "Locale the survey was shown in."),
    Column("url", "text", "Page URL where the response began."),
    Column("path", "text", "Page path where the response began."),
    Column("device", "id", "desktop, mobile, tablet or other."),
    Column("browser", "text", "Browser family."),
    Column("os", "text", "Operating system family."),
    Column(
        "journey",
        "json",
        "JSON list of the session's last 20 page paths when the response "
        "began (the journey that led to it).",
    ),
    Column("bot", "bool", "true when the browser was classified as a bot (only with bots)."),
    Column(
        "channel",
        "id",
        "Where it was answered: web (the intercept), link, qr, email, or the hosted link's src.",
    ),
    Column("customer", "id", "The customer the visitor is linked to (identify); empty if none."),
    Column("customer_orders", "number", "The customer's order records (empty: no customer)."),
    Column("customer_revenue", "number", "Sum of the customer's order amounts."),
    Column("customer_open_tickets", "number", "The customer's tickets with an open status."),
)

_register(
    Export(
        name="responses",
        summary="One row per survey response (wide): context columns, then one column per "
        "question.",
        filters=("survey", "since", "until", "journey", "bots", "channel", *RESPONSE_FILTERS),
        columns=RESPONSE_COLUMNS,
        build=rows.responses,
        more_columns=(
            "One column per question, named by its id (without `survey`: `SURVEY.QUESTION` for "
            "every survey of the site), in the survey's order; questions only older versions "
            "asked come after. Values: the number for nps, csat, ces and rating; the option code "
            "for single; the codes joined by commas, in option order, for multi; the text for "
            "text. A question with an 'Other' option has a second column `QUESTION.other` with "
            "the visitor's own words. Empty: not answered."
        ),
    )
)


ANSWER_COLUMNS = (
    Column("answered", "time", "When this answer was given, or last changed (ISO 8601 UTC)."),
    Column("survey", "text", "Survey id."),
    Column("version", "number", "Survey version answered."),
    Column("response", "text", "Response id (as in the responses export)."),
    Column("partial", "bool", "true when the response is not complete."),
    Column("visitor", "id", "Visitor id."),
    Column("session", "id", "Session during which the response began (empty if unknown)."),
    Column("question", "text", "Question id."),
    Column("position", "number", "The question's place in the survey, from 0."),
    Column("type", "id", "nps, csat, ces, rating, single, multi or text."),
    Column(
        "value",
        "text",
        "The answer as stored: the number, the option code, codes joined by "
        "commas for multi, or the text.",
    ),
    Column("number", "number", "The numeric answer for nps, csat, ces and rating; else empty."),
    Column("other", "text", "The visitor's 'Other' text, when they chose Other."),
    Column("locale", "text", "Locale the survey was shown in."),
    Column("device", "id", "desktop, mobile, tablet or other."),
    Column("path", "text", "Page path where the response began."),
)

_register(
    Export(
        name="answers",
        summary="One row per answer (long), for responses that began in the window.",
        filters=("survey", "since", "until", "journey", "bots", "channel", *RESPONSE_FILTERS),
        columns=ANSWER_COLUMNS,
        build=rows.answers,
    )
)


# -- phase reports ------------------------------------------------------------------------------

COMMON_JOURNEY_COLUMNS = (
    Column("rank", "number", "1 for the most common sequence."),
    Column(
        "journey",
        "json",
        "JSON list of the first pages of a session (up to 4, normalised paths, repeats collapsed).",
    ),
    Column("steps", "number", "Number of pages in journey."),
    Column("sessions", "number", "Sessions that began with this sequence."),
    Column("share", "number", "sessions / all sessions of the window (0-1)."),
    Column(
        "completion",
        "number",
        "Share of those sessions that reached the goal of a named "
        "journey (empty without named journeys).",
    ),
    Column("total_sessions", "number", "Human sessions in the window (the denominator of share)."),
)

_register(
    Export(
        name="common-journeys",
        summary="Phase 1: the most common journeys (top 100 step sequences) of the window.",
        filters=("since", "until"),
        columns=COMMON_JOURNEY_COLUMNS,
        build=reports.common_journeys,
    )
)

PROBLEM_JOURNEY_COLUMNS = (
    Column("rank", "number", "1 for the highest problem score."),
    Column("journey", "text", "Named journey."),
    Column("title", "text", "Its title."),
    Column("kind", "text", "checkout, signup, search, support, content or other."),
    Column("phase", "id", "track, deepdive or activate."),
    Column("steps", "json", "JSON list of its step patterns."),
    Column("goal", "text", "Goal pattern."),
    Column("score", "number", "Problem score, 0-100 (see docs/phases.md)."),
    Column("problem", "bool", "true when score reaches the problem threshold."),
    Column("sessions", "number", "Sessions that entered the journey."),
    Column("share", "number", "sessions / all sessions of the window (0-1)."),
    Column("completed", "number", "Sessions that reached the goal."),
    Column("completion", "number", "completed / sessions (0-1)."),
    Column("failing_step", "text", "The step where it goes wrong most."),
    Column("failure_kind", "id", "abandonment, long_dwell, search_failure or signup_friction."),
    Column("drop", "number", "Signal: worst step's drop-off (0-1)."),
    Column("dwell", "number", "Signal: worst step's share of long dwells (0-1)."),
    Column("help", "number", "Signal: share of sessions that sought help (0-1)."),
    Column("loops", "number", "Signal: share of sessions that went back and forth (0-1)."),
    Column("pulse", "number", "Signal: share of low pulse answers (0-1); empty with too few."),
    Column("pulse_answers", "number", "Pulse answers in these sessions."),
    Column("evidence", "json", "JSON list of sentences giving the figures behind the score."),
    Column(
        "funnel",
        "json",
        "JSON list of the steps: step, reached, share_of_entered, drop_off, "
        "median_dwell_ms, long_dwell_share.",
    ),
)

_register(
    Export(
        name="problem-journeys",
        summary="Phase 1: every named journey with its problem score, highest first.",
        filters=("since", "until"),
        columns=PROBLEM_JOURNEY_COLUMNS,
        build=reports.problem_journeys,
    )
)

SURVEY_REPORT_COLUMNS = (
    Column(
        "section",
        "id",
        "count, rate, question, score, distribution, theme, by_device, "
        "by_step, by_visitor or reason (see below).",
    ),
    Column("question", "text", "Question id the row is about (empty: the whole survey)."),
    Column(
        "item",
        "text",
        "What is counted: the count or rate name, the question type, the "
        "metric, the option code or value, the theme, the group, the rank.",
    ),
    Column("label", "text", "Human text: question text, option label, theme terms, reason."),
    Column("count", "number", "How many (displays, answers, responses)."),
    Column("share", "number", "Share of the answers (0-1)."),
    Column("low", "number", "Lower bound of the 95% interval (Wilson for shares)."),
    Column("high", "number", "Upper bound of the 95% interval."),
    Column("value", "number", "The score (NPS -100..100, CSAT share, CES or rating mean)."),
    Column("detail", "json", "JSON: example answers of a theme, or shares per option of a group."),
)

_register(
    Export(
        name="survey-report",
        summary="Phase 2: a survey's deep-dive report as one long table.",
        filters=("survey", "since", "until"),
        columns=SURVEY_REPORT_COLUMNS,
        build=reports.survey_report,
        requires=("survey",),
    )
)
