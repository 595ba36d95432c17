"""The phase reports as exports: common journeys, problem journeys, a survey's report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cxlisten import deepdive, journeys
from cxlisten.diagnose import diagnose
from cxlisten.export import restore


@pytest.fixture
def checkout(db, shop):
    journeys.save_journey(
        db, shop.id, {"name": "checkout", "steps": ["/cart", "/checkout"], "goal": "/checkout/done"}
    )
    return shop


def get_csv(client, headers, path) -> list[dict]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    rows = csv.DictReader(io.StringIO(response.get_data().decode(), newline=""))
    return [{k: restore(v) for k, v in row.items()} for row in rows]


def test_common_journeys_are_the_diagnosis_common_table(client, admin_headers, checkout, db):
    rows = get_csv(client, admin_headers, "/api/export/common-journeys.csv")
    report = diagnose(db, checkout, top=100)
    assert [(json.loads(r["journey"]), int(r["sessions"]), float(r["share"])) for r in rows] == [
        (list(c.steps), c.sessions, c.share) for c in report.common
    ]
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert {r["total_sessions"] for r in rows} == {"3"}


def test_problem_journeys_rank_every_named_journey(client, admin_headers, checkout, db):
    body = client.get("/api/export/problem-journeys.jsonl", headers=admin_headers)
    rows = [json.loads(line) for line in body.get_data().decode().splitlines()]
    report = diagnose(db, checkout)
    assert len(rows) == 1
    row, journey = rows[0], report.journeys[0]
    assert (row["journey"], row["steps"], row["goal"]) == (
        "checkout",
        ["/cart", "/checkout"],
        "/checkout/done",
    )
    assert row["score"] == journey.problem.score
    assert row["sessions"] == journey.sessions == 1
    assert row["evidence"] == list(journey.problem.evidence)
    assert [s["step"] for s in row["funnel"]] == ["/cart", "/checkout"]


def test_a_named_journey_filters_sessions(client, admin_headers, checkout):
    rows = get_csv(client, admin_headers, "/api/export/sessions.csv?journey=checkout")
    assert [json.loads(r["journey"]) for r in rows] == [["/", "/cart", "/checkout"]]


def test_survey_report_flattens_the_deep_dive_report(client, admin_headers, answered, db):
    rows = get_csv(client, admin_headers, "/api/export/survey-report.csv?survey=cart")
    report = deepdive.report(db, answered, "cart")
    sections = [r["section"] for r in rows]
    assert sections[:5] == ["count"] * 5
    counts = {r["item"]: int(r["count"]) for r in rows if r["section"] == "count"}
    assert counts == {k: report["counts"][k] for k in counts}
    assert counts["complete"] == 1 and counts["partial"] == 1  # the bot's answer left out
    reason = {
        r["item"]: r for r in rows if r["section"] == "distribution" and r["question"] == "reason"
    }
    assert set(reason) == {"other", "shipping"}
    assert reason["shipping"]["label"] == "Shipping" and reason["shipping"]["count"] == "1"
    nps = [r for r in rows if r["section"] == "score" and r["question"] == "score"]
    assert nps and nps[0]["item"] == "NPS"
    assert [r["question"] for r in rows if r["section"] == "question"] == [
        "reason",
        "score",
        "channels",
        "more",
    ]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [("", 400, "survey"), ("survey=nope", 404, "survey"), ("journey=/cart", 400, "journey")],
)
def test_survey_report_needs_a_known_survey(client, admin_headers, answered, query, status, field):
    response = client.get(f"/api/export/survey-report.csv?{query}", headers=admin_headers)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("export", ["common-journeys", "problem-journeys"])
def test_reports_start_with_the_header_at_once(client, admin_headers, checkout, export):
    response = client.get(f"/api/export/{export}.csv", headers=admin_headers, buffered=False)
    first = next(iter(response.response))
    response.close()
    assert first.decode().startswith("rank,")


def test_a_report_row_is_built_by_column_name():
    from cxlisten.export.catalogue import COMMON_JOURNEY_COLUMNS
    from cxlisten.export.reports import in_order

    values = {c.name: i for i, c in enumerate(reversed(COMMON_JOURNEY_COLUMNS))}
    assert in_order(COMMON_JOURNEY_COLUMNS, values) == tuple(
        values[c.name] for c in COMMON_JOURNEY_COLUMNS
    )
    with pytest.raises(ValueError, match="do not match"):
        in_order(COMMON_JOURNEY_COLUMNS, {**values, "extra": 1})
    with pytest.raises(ValueError, match="do not match"):
        in_order(COMMON_JOURNEY_COLUMNS, {"rank": 1})
