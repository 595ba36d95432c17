"""Interventions keep a holdout: eligible visitors shown nothing, and lift measured as for rules.

On planted traffic (cxlisten.simulate_interventions) a "Need more help?" that truly helps is
found to help, and one that changes nothing gets "no evidence"; through the collector, a held
back visitor is served nothing, both groups are recorded once per session, and the CLI and the
admin API report the same lift.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cxlisten import intervention_lift, sites
from cxlisten.cli import cli
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.simulate_interventions import plant_intervention
from cxlisten.storage import rules as exposure_store
from cxlisten.storage.db import open_database
from tests.surveys.conftest import HELP, PULSE


@pytest.fixture(scope="module", params=[0.2, 0.0], ids=["helps", "no-effect"])
def planted(request, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("holdout") / "h.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    truth = plant_intervention(db, site, visitors=1500, effect=request.param, seed=3)
    return request.param, truth, path, db, site


def test_a_planted_effect_is_found_and_no_effect_is_no_evidence(planted):
    effect, truth, _, db, site = planted
    result = intervention_lift.lift(db, site, "chat-offer")
    assert result["goal"] == "/help/contact" and result["holdout_percent"] == 20
    # The holdout is the share the intervention asks for, of the visitors it was eligible for.
    assert result["holdout"]["n"] == truth.holdout and result["shown"]["n"] == truth.shown
    assert 0.16 < truth.holdout / (truth.shown + truth.holdout) < 0.24
    # What was planted is what lift counts: the same visitors reached the goal.
    assert round(result["shown"]["value"] * truth.shown) == truth.reached["shown"]
    assert round(result["holdout"]["value"] * truth.holdout) == truth.reached["holdout"]
    low, high = result["lift"]["low"], result["lift"]["high"]
    if effect:
        assert result["verdict"] == "helps"
        assert low < effect < high
    else:
        assert result["verdict"] == "no evidence"
        assert low < 0 < high


def test_the_command_and_the_listing_report_it(planted):
    effect, _, path, _, _ = planted
    runner = CliRunner(env={"CXLISTEN_DB": path})
    out = runner.invoke(cli, ["activate", "lift", "--intervention", "chat-offer"])
    assert out.exit_code == 0, out.output
    assert "intervention:chat-offer" in out.output
    assert ("helps" if effect else "no evidence") in out.output
    # Without arguments: every rule and every intervention that keeps a holdout.
    listed = runner.invoke(cli, ["activate", "lift", "--json"])
    assert listed.exit_code == 0, listed.output
    assert '"intervention": "chat-offer"' in listed.output
    unknown = runner.invoke(cli, ["activate", "lift", "--intervention", "nope"])
    assert unknown.exit_code != 0 and "no intervention 'nope'" in unknown.output
    assert "Traceback" not in unknown.output


def test_a_held_back_visitor_is_served_nothing_and_both_groups_are_recorded(
    db, site, add, new_visitor, tokens, client, admin_headers
):
    add(HELP, holdout=50, goal="custom:contacted", repetition={"mode": "until_answered"})
    groups: dict[str, list] = {"shown": [], "holdout": []}
    for _ in range(60):  # each visitor is a fair coin: both groups are met well within 60
        browser = new_visitor()
        browser.visit("/help/returns")
        served = browser.shown(browser.config("/help/returns"), "interventions")
        groups["shown" if served == ["need-help"] else "holdout"].append(browser)
        if all(len(g) >= 2 for g in groups.values()):
            break
    for browser in (*groups["shown"], *groups["holdout"]):
        browser.config("/help/returns")  # a reload: nothing more is recorded
    recorded = exposure_store.exposures(db, site.id, "intervention:need-help")
    by_visitor = {e["visitor_id"]: e["arm"] for e in recorded}
    assert len(recorded) == len(by_visitor)  # once per visitor and session
    for arm, browsers in groups.items():
        assert {by_visitor[tokens.read(b.visitor, site.id)] for b in browsers} == {arm}
    # The why-not call says why a held-back visitor saw nothing.
    held = tokens.read(groups["holdout"][0].visitor, site.id)
    why = client.get(
        "/api/why-not",
        query_string={"visitor": held, "url": "https://shop.example/help/returns"},
        headers=admin_headers,
    ).get_json()
    reason = next(d["reason"] for d in why["decisions"] if d["id"] == "need-help")
    assert reason == "holdout: in the 50% holdout: eligible, not shown"
    # The admin API reports the lift on the intervention's own goal.
    lift = client.get("/api/interventions/need-help/lift", headers=admin_headers)
    assert lift.status_code == 200
    body = lift.get_json()
    assert body["goal"] == "custom:contacted"
    assert body["shown"]["n"] == len(groups["shown"])
    assert body["holdout"]["n"] == len(groups["holdout"])
    missing = client.get("/api/interventions/nope/lift", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["fields"] == {"intervention": ["unknown intervention"]}


def test_an_intervention_without_a_holdout_records_nothing(db, site, add, visitor):
    add(HELP)
    visitor.visit("/help/returns")
    assert visitor.shown(visitor.config("/help/returns"), "interventions") == ["need-help"]
    assert exposure_store.exposures(db, site.id, "intervention:need-help") == []
    assert intervention_lift.with_holdout(db, site) == []


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"holdout": 95}, "holdout"),
        ({"holdout": "half"}, "holdout"),
        ({"goal": "contact page"}, "goal"),
    ],
)
def test_a_bad_holdout_or_goal_is_refused_in_place(add, changes, field):
    with pytest.raises(InvalidInput) as caught:
        add(HELP, **changes)
    assert field in caught.value.fields


def test_lift_of_an_unknown_intervention_or_a_survey_is_not_found(db, site, add):
    add(PULSE)
    for slug in ("nope", "pulse"):
        with pytest.raises(NotFound):
            intervention_lift.lift(db, site, slug)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_console_lists_each_interventions_lift_beside_the_rules(planted, locale):
    from collector import create_app
    from cxlisten.identity import create_admin_key
    from tests.console.conftest import Console

    effect, truth, path, db, site = planted
    console = Console(create_app({"db": path, "secret": "test-secret"}).test_client())
    console.sign_in(create_admin_key(db, f"ops {locale}"))
    page = console.get("/console/activate", headers={"Accept-Language": locale})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    row = body.split('data-intervention="chat-offer"', 1)[1].split("</tr>", 1)[0]
    assert f"· {truth.holdout}<" in row and f"· {truth.shown}<" in row
    verdict = "helps" if effect else "no evidence"
    assert f'data-verdict="{verdict}"' in row


def test_without_its_own_goal_an_intervention_is_measured_on_its_journeys_goal(db, site, add):
    from cxlisten import journeys

    journeys.save_journey(
        db, site.id, {"name": "support", "steps": ["/help*"], "goal": "/help/contact"}
    )
    add(HELP, holdout=10, journey="support", phase="deepdive")
    assert intervention_lift.lift(db, site, "need-help")["goal"] == "/help/contact"
    add(HELP, id="orphan", holdout=10)
    result = intervention_lift.lift(db, site, "orphan")
    assert result["goal"] is None and result["verdict"] == "not enough data"


def test_each_visitor_counts_once_from_the_first_time_they_were_eligible(db, site, add):
    from tests.clock import now_ms
    from tests.phases.conftest import add_session

    add(HELP, holdout=20, goal="/help/contact")
    t = now_ms() - 86_400_000
    rows = []
    # A held-back visitor stays eligible on every visit; one shown it saw it once, then had enough.
    for visitor, arm, visits in (("held", "holdout", 3), ("shown", "shown", 1)):
        for k in range(visits):
            steps = ["/help/returns"] + (["/help/contact"] if k == 2 else [])
            session = add_session(db, site, steps, visitor=visitor, started=t + k * 3_600_000)
            rows.append(
                {
                    "site_id": site.id,
                    "rule": "intervention:need-help",
                    "action": "need-help",
                    "arm": arm,
                    "visitor_id": visitor,
                    "session_id": session,
                    "journey": None,
                    "segment": "desktop",
                    "step_index": 0,
                    "ts": t + k * 3_600_000,
                }
            )
    exposure_store.record_exposures(db, rows)
    result = intervention_lift.lift(db, site, "need-help")
    assert result["holdout"]["n"] == 1 and result["shown"]["n"] == 1
    # From their first eligible visit, the held-back visitor reached the goal two visits later.
    assert result["holdout"]["value"] == 1.0
