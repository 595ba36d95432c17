"""The results page's fast path (the filters in SQL, one query for the responses and one for
their answers, counts from covering indexes) gives exactly what the straightforward computation
gives: ``deepdive.report`` over every response with the filters as its ``keep``, the table sorted
and paged by hand, the trend per day by hand. On a simulated shop, under a table of filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxlisten import deepdive, stats
from cxlisten.simulate import simulate
from cxlisten.storage import reports
from cxlisten.surveys import catalogue
from cxlisten.surveys.overview import survey_lines
from cxlisten.surveys.results import PAGE_SIZE, load_filters, results

NOW = int(datetime(2026, 3, 2, 12, tzinfo=UTC).timestamp() * 1000)  # the simulation's clock
DAY = timedelta(days=1)


@pytest.fixture
def shop(db, site):
    """The demo shop simulated for a week before NOW: pulse and cart-abandon answered."""
    simulate(db, site, events=30_000, seed=5, days=7, now=NOW)
    return site


def _day(offset: int) -> str:
    return (datetime.fromtimestamp(NOW / 1000, UTC) - offset * DAY).date().isoformat()


FILTERS = [
    {},
    {"device": "mobile"},
    {"device": "desktop", "completion": "complete"},
    {"completion": "partial"},
    {"locale": "zh-CN"},
    {"channel": "web"},
    {"channel": "qr"},
    {"version": "1"},
    {"since": _day(3)},
    {"since": _day(5), "until": _day(2)},
    {"answer": "reason:shipping"},
    {"answer": "reason:other", "device": "mobile"},
    {"answer": "found:5"},
    {"answer": "found:1", "locale": "en"},
    {"answer": "ease:7"},
    {"answer": "more:x"},
    {"answer": "reason:ship"},  # a part of a code is not the code
    {"answer": "nosuch:1"},
    {"page": "2"},
    {"page": "100000"},
]


def straightforward(db, site, slug: str, args: dict) -> dict:
    """The figures computed the plain way: every response read, the filters applied in Python."""
    f = load_filters(args)
    kept, answers_of = [], {}

    def keep(response, answers):
        if f.keeps(response, answers):
            kept.append(response)
            answers_of[response["id"]] = answers
            return True
        return False

    report = deepdive.report(
        db, site, slug, since=f.since_ms, until=f.until_ms, version=f.version, keep=keep
    )
    newest = sorted(kept, key=lambda r: (r["started_at"], r["id"]), reverse=True)
    pages = max(1, -(-len(kept) // PAGE_SIZE))
    start = (min(f.page, pages) - 1) * PAGE_SIZE
    definition = catalogue.definition_of(db, catalogue.get_survey(db, site, slug), f.version)
    metric = next((q for q in definition["questions"] if q["type"] in deepdive.SCORE_TYPES), None)
    trend = {}
    for r in kept:
        answer = answers_of[r["id"]].get(metric["id"]) if metric else None
        if answer and answer["number"] is not None:
            trend.setdefault(r["started_at"] // 86_400_000, []).append(answer["number"])
    return {
        "report": report,
        "answered": sum(r["answered"] > 0 for r in kept),
        "complete": sum(r["status"] == "complete" for r in kept),
        "filtered": len(kept),
        "pages": pages,
        "rows": [(r["id"], r["journey"], answers_of[r["id"]]) for r in newest[start:][:PAGE_SIZE]],
        "trend": [(len(v), deepdive.score(metric["type"], v)) for _, v in sorted(trend.items())],
    }


@pytest.mark.parametrize("slug", ["pulse", "cart-abandon"])
def test_the_results_page_gives_what_the_straightforward_computation_gives(db, shop, slug):
    for args in FILTERS:  # one simulated shop for the whole table
        expected = straightforward(db, shop, slug, args)
        found = results(db, shop, slug, load_filters(args))
        assert found.report == expected["report"], args
        assert (found.funnel["answered"], found.funnel["complete"]) == (
            expected["answered"],
            expected["complete"],
        ), args
        assert (found.filtered, found.pages) == (expected["filtered"], expected["pages"]), args
        rows = [(r["id"], r["journey"], r["answers"]) for r in found.rows]
        assert rows == expected["rows"], args
        assert [t["n"] for t in found.trend] == [n for n, _ in expected["trend"]], args
        scale = 100 if found.trend_metric == "CSAT" else 1
        for point, (_, score) in zip(found.trend, expected["trend"], strict=True):
            assert point["score"] == round(score["value"] * scale, 2), args


def test_the_filters_keep_something_in_most_cases(db, shop):
    """The table above means something: most of its filters keep some responses, not all."""
    kept = [results(db, shop, "cart-abandon", load_filters(a)).filtered for a in FILTERS]
    everything = kept[0]
    assert everything > 20
    assert sum(0 < n < everything for n in kept) >= 8


def test_the_surveys_list_counts_what_each_survey_counts_alone(db, shop):
    lines = survey_lines(db, shop, now=NOW)
    assert {line.survey.slug for line in lines} >= {"pulse", "cart-abandon"}
    for line in lines:
        counts = catalogue.response_counts(db, line.survey)
        shown = reports.survey_event_counts(db, shop.id, line.survey.slug).get("shown", 0)
        assert (line.partial, line.complete, line.shown) == (
            counts["partial"],
            counts["complete"],
            shown,
        )
        assert shown > 0


@pytest.mark.parametrize(
    "values",
    [
        [4.0, 5.0, 5.0, 1.0, 3.0],
        [7.0] * 3 + [1.0] * 5 + [4.0],
        [2.0, 2.0],
        list(map(float, range(11))),
    ],
)
def test_a_mean_is_the_same_whatever_order_its_values_come_in(values):
    assert stats.mean_ci(values) == stats.mean_ci(list(reversed(values)))
    n = len(values)
    m = sum(values) / n
    sd = (sum((v - m) ** 2 for v in values) / (n - 1)) ** 0.5
    assert stats.mean_ci(values)["low"] == round(m - 1.96 * sd / n**0.5, 4)
