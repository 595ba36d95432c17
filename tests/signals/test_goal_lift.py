"""Lift everywhere: a rule without a journey is measured on its own goal event."""

from __future__ import annotations

import random

import pytest

from cxlisten import activate
from cxlisten.errors import InvalidInput
from cxlisten.lift import lift
from cxlisten.storage import rules as rule_store
from tests.clock import now_ms
from tests.phases.conftest import add_session

RULE = {
    "name": "free-shipping",
    "level": "proactive",
    "holdout": 20,
    "goal": "custom:order_placed",
    "then": {"show": {"kind": "content", "title": {"en": "Free shipping today"}}},
}


@pytest.mark.parametrize("planted", [True, False])
def test_a_rule_without_a_journey_is_measured_on_its_goal_event(db, site, planted):
    activate.save_rule(db, site, RULE)
    t = now_ms() - 3_600_000
    rows = []
    rng = random.Random(7)
    for i in range(400):
        arm = "holdout" if i % 5 == 0 else "shown"
        ordered = rng.random() < (0.6 if arm == "shown" and planted else 0.3)
        visitor = f"v{i}"
        session = add_session(
            db,
            site,
            ["/", "/cart"],
            visitor=visitor,
            started=t + i,
            custom=["order_placed"] if ordered else [],
        )
        rows.append(
            {
                "site_id": site.id,
                "rule": "free-shipping",
                "action": "free-shipping",
                "arm": arm,
                "visitor_id": visitor,
                "session_id": session,
                "journey": None,
                "segment": "desktop",
                "step_index": 0,
                "ts": t + i,
            }
        )
    rule_store.record_exposures(db, rows)
    result = lift(db, site, "free-shipping")
    assert result["goal"] == "custom:order_placed" and result["journey"] is None
    assert result["holdout"]["n"] == 80 and result["shown"]["n"] == 320
    assert result["verdict"] == ("helps" if planted else "no evidence")


def test_a_bad_goal_is_refused_in_place(db, site):
    with pytest.raises(InvalidInput) as caught:
        activate.save_rule(db, site, {**RULE, "goal": "order placed"})
    assert caught.value.fields["goal"] == ["custom:EVENT_NAME or a path pattern starting with /"]
