"""Process scores: the template scores a process on four dimensions in two languages; the report
finds each process's planted weakest dimension, a planted drop in the latest week, and says
"nothing moved" when nothing was planted to move."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.errors import InvalidInput
from cxlisten.process_scores import DIMENSIONS, PROCESSES, process_scores, template
from cxlisten.simulate_process import DROPPED, PLANTED, WEEK_MS, plant_process_scores
from cxlisten.storage.db import open_database
from cxlisten.surveys import create_survey, definitions

NOW = 1_795_000_000_000  # a fixed "now": the weeks planted and reported are exact


@pytest.fixture(scope="module", params=[True, False], ids=["drop", "steady"])
def shop(request, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("process") / "p.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    plant_process_scores(db, site, drop=request.param, now=NOW)
    return request.param, path, db, site


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_the_template_asks_the_four_dimensions_in_both_languages(process):
    survey = template(process)
    normalised = definitions.normalise(survey)
    assert normalised["id"] == f"process-{process}"
    asked = [q for q in normalised["questions"] if q["id"] in DIMENSIONS]
    assert [q["id"] for q in asked] == list(DIMENSIONS)
    for q in asked:
        assert q["type"] == "rating" and q["scale"] == {"max": 5}
        assert set(q["text"]) == {"en", "zh-CN"} and all(q["text"].values())
    assert survey["trigger"]["urls"] == PROCESSES[process]["urls"]


def test_any_other_process_needs_the_pages_that_end_it():
    with pytest.raises(InvalidInput) as caught:
        template("returns")
    assert list(caught.value.fields) == ["urls"]
    survey = template("returns", urls=["/returns/done*"])
    assert survey["questions"][0]["text"]["en"] == "How convenient was returns?"
    with pytest.raises(InvalidInput):
        template("Bad Name", urls=["/x"])


def test_each_process_gets_its_scores_intervals_and_weakest_dimension(shop):
    dropped, _, db, site = shop
    report = process_scores(db, site)
    found = {p.process: p for p in report.processes}
    assert set(found) == set(PLANTED)
    for name, means in PLANTED.items():
        process = found[name]
        assert process.responses == 600
        for d in process.dimensions:
            planted = means[d.dimension]
            if dropped and (name, d.dimension) == DROPPED[:2]:
                planted = (3 * planted + DROPPED[2]) / 4  # three weeks as planted, one dropped
            assert d.low < d.mean < d.high and d.n == 600
            assert abs(d.mean - planted) < 0.15, (name, d)
            assert len(d.periods) == 4 and all(p.n == 150 for p in d.periods)
            assert d.periods[-1].start == "2026-11-09"  # the Monday of the week before NOW's
    assert found["checkout"].weakest == "convenience"
    assert found["support"].weakest == "responsiveness"
    assert report.ranking["convenience"] == ["support", "checkout"]
    assert report.ranking["responsiveness"] == ["checkout", "support"]


def test_a_planted_drop_is_a_trend_and_nothing_else_moves(shop):
    dropped, _, db, site = shop
    report = process_scores(db, site)
    trends = {(p.process, d.dimension): d for p in report.processes for d in p.dimensions}
    for key, d in trends.items():
        if dropped and key == DROPPED[:2]:
            assert d.trend == "down"
            assert d.change_low < DROPPED[2] - PLANTED["checkout"]["reliability"] < d.change_high
        else:
            assert d.trend == "steady", (key, d)
    checkout = next(p for p in report.processes if p.process == "checkout")
    if dropped:
        assert "Reliability fell 0.9 points" in checkout.sentence
        assert "in the week from 2026-11-09 against the week before" in checkout.sentence
    else:
        assert "Nothing moved against the week before." in checkout.sentence


def test_a_window_and_a_longer_period_are_honoured(shop):
    _, _, db, site = shop
    last_monday = int(datetime(2026, 11, 9, tzinfo=UTC).timestamp() * 1000)
    assert NOW - 2 * WEEK_MS < last_monday < NOW - WEEK_MS
    latest = process_scores(db, site, ["process-support"], since=last_monday)
    assert [p.process for p in latest.processes] == ["support"]
    assert latest.processes[0].responses == 150  # only the latest full week is in the window
    assert latest.processes[0].dimensions[0].trend == "too few periods"
    monthly = process_scores(db, site, days=28)
    assert all(len(d.periods) <= 2 for p in monthly.processes for d in p.dimensions)


def test_bad_surveys_and_periods_are_refused(shop, tmp_path):
    _, _, db, site = shop
    with pytest.raises(InvalidInput) as caught:
        process_scores(db, site, ["nope"])
    assert caught.value.fields == {"surveys": ["unknown: nope"]}
    create_survey(
        db,
        site,
        {
            "id": "pulse",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "score", "type": "nps", "text": {"en": "Recommend us?"}}],
        },
    )
    with pytest.raises(InvalidInput) as caught:
        process_scores(db, site, ["pulse"])
    assert "does not score a process" in str(caught.value)
    with pytest.raises(InvalidInput):
        process_scores(db, site, days=0)


def test_the_commands_write_a_template_and_report_the_scores(shop, tmp_path):
    dropped, path, _, _ = shop
    runner = CliRunner(env={"CXLISTEN_DB": path})
    out_file = tmp_path / "signup.json"
    written = runner.invoke(cli, ["process", "template", "signup", "--out", str(out_file)])
    assert written.exit_code == 0, written.output
    assert json.loads(out_file.read_text())["id"] == "process-signup"
    added = runner.invoke(cli, ["surveys", "add", str(out_file)])
    assert added.exit_code == 0, added.output
    report = runner.invoke(cli, ["process", "scores"])
    assert report.exit_code == 0, report.output
    assert report.output.startswith("checkout: convenience 2.6")
    assert "signup: no answers yet." in report.output
    assert "Convenience, best first: support 4.0, checkout 2.6." in report.output
    assert ("Reliability fell" in report.output) is dropped
    as_csv = runner.invoke(cli, ["process", "scores", "process-checkout", "--csv"])
    assert as_csv.exit_code == 0 and len(as_csv.output.strip().splitlines()) == 5
    bad = runner.invoke(cli, ["process", "template", "returns"])
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1


def test_the_admin_api_gives_the_same_report(db, site, client, admin_headers):
    plant_process_scores(db, site, weeks=2, per_week=40, now=NOW)
    got = client.get(
        "/api/process-scores",
        query_string={"surveys": "process-checkout", "days": "14"},
        headers=admin_headers,
    )
    assert got.status_code == 200, got.get_json()
    body = got.get_json()
    library = process_scores(db, site, ["process-checkout"], days=14)
    assert body["sentences"] == list(library.sentences)
    assert [p["process"] for p in body["processes"]] == ["checkout"]
    assert body["processes"][0]["dimensions"][0]["dimension"] == "convenience"
    for bad, field in (({"days": "week"}, "days"), ({"surveys": "nope"}, "surveys")):
        refused = client.get("/api/process-scores", query_string=bad, headers=admin_headers)
        assert refused.status_code == 400 and field in refused.get_json()["error"]["fields"]
    assert client.get("/api/process-scores").status_code == 401
