"""The statements behind intervention holdouts, behaviour drivers and process scores, on both
engines (this file is in tests/conftest.py's BOTH_ENGINES): small planted data, same answers."""

from __future__ import annotations

from cxlisten import intervention_lift
from cxlisten.drivers import drivers
from cxlisten.process_scores import process_scores
from cxlisten.simulate_drivers import plant_behaviour_drivers
from cxlisten.simulate_interventions import plant_intervention
from cxlisten.simulate_process import plant_process_scores

NOW = 1_795_000_000_000


def test_an_intervention_holdout_is_recorded_and_measured(db, site):
    truth = plant_intervention(db, site, visitors=120, effect=0.5, seed=2, now=NOW)
    result = intervention_lift.lift(db, site, "chat-offer")
    assert (result["shown"]["n"], result["holdout"]["n"]) == (truth.shown, truth.holdout)
    assert round(result["shown"]["value"] * truth.shown) == truth.reached["shown"]
    assert intervention_lift.with_holdout(db, site) == ["chat-offer"]


def test_behaviour_and_operational_segments_are_read(db, site):
    plant_behaviour_drivers(db, site, respondents=300, seed=2)
    by_orders = drivers(db, site, "visit", "nps", by="orders", behaviour=True)
    assert {s.segment for s in by_orders.segments} == {
        "orders under 50",
        "orders 200–1000",
        "not identified",
    }
    assert sum(s.respondents for s in by_orders.segments) == 300
    by_reason = drivers(db, site, "visit", "nps", by="answer:reason", behaviour=True)
    assert {s.segment for s in by_reason.segments} == {"buy", "support"}
    tickets = drivers(db, site, "visit", "nps", by="ticket")
    assert {s.segment for s in tickets.segments} == {"no open ticket", "not identified"}


def test_process_scores_are_summed_per_week(db, site):
    plant_process_scores(db, site, weeks=2, per_week=40, now=NOW)
    report = process_scores(db, site)
    for process in report.processes:
        assert process.responses == 80
        assert [p.n for p in process.dimensions[0].periods] == [40, 40]
        assert [p.start for p in process.dimensions[0].periods] == ["2026-11-02", "2026-11-09"]
