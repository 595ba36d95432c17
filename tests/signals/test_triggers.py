"""Journey-pattern and frustration triggers, as the collector decides them."""

from __future__ import annotations

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.settings import load_settings
from cxlisten.surveys import targeting
from cxlisten.surveys.definitions import normalise
from tests.conftest import ORIGIN, event
from tests.surveys.conftest import DAY, DESKTOP, PULSE, now_ms


@pytest.fixture
def relaxed(db_path):
    """Settings without a contact budget, to test the trigger rules alone."""
    return load_settings({"db": db_path, "contact_days": 0, "contact_sessions": 100})


def decide(db, settings, site, visitor_id, path, now=None, slug="pulse"):
    result = targeting.evaluate(db, settings, site, visitor_id, f"{ORIGIN}{path}", DESKTOP, now=now)
    return {d.survey.slug: d for d in result.decisions}[slug]


def vid(tokens, site, browser):  # noqa: F811
    return tokens.read(browser.visitor, site.id)


def test_the_nth_visit_to_a_page_pattern_in_a_session(db, relaxed, site, add, visitor, tokens):
    add(PULSE, trigger={"type": "visit", "visit": 3, "urls": ["/pricing*"]})
    visitor.visit("/pricing")
    visitor.visit("/features")
    me = vid(tokens, site, visitor)
    second = decide(db, relaxed, site, me, "/pricing/teams")
    assert not second.included
    assert second.reason == ("visits: visit 2 in this session to /pricing*; shown from visit 3")
    visitor.visit("/pricing/teams")
    assert decide(db, relaxed, site, me, "/pricing").included  # the third
    assert not decide(db, relaxed, site, me, "/features").included  # not a page of the pattern


def test_the_nth_visit_over_the_last_days_counts_earlier_sessions(
    db, relaxed, site, add, visitor, tokens
):
    add(PULSE, trigger={"type": "visit", "visit": 3, "days": 7, "urls": ["/pricing"]})
    t = now_ms()
    visitor.visit("/pricing", ts=t - 10 * DAY)  # outside the 7 days
    visitor.visit("/pricing", ts=t - 3 * DAY)
    visitor.visit("/pricing", ts=t - 2 * DAY)
    me = vid(tokens, site, visitor)
    assert decide(db, relaxed, site, me, "/pricing", now=t).included  # 2 in the window + this
    add(PULSE, id="fourth", trigger={"type": "visit", "visit": 4, "days": 7, "urls": ["/pricing"]})
    reason = decide(db, relaxed, site, me, "/pricing", now=t, slug="fourth").reason
    assert reason == "visits: visit 3 in the last 7 days to /pricing; shown from visit 4"


def test_dwell_after_another_step(db, relaxed, site, add, visitor, new_visitor, tokens):
    add(
        PULSE,
        trigger={"type": "dwell", "seconds": 60, "urls": ["/help/*"], "after": ["/checkout/*"]},
    )
    visitor.visit("/checkout/payment")
    visitor.visit("/help/cards")
    assert decide(db, relaxed, site, vid(tokens, site, visitor), "/help/cards").included
    other = new_visitor()
    other.visit("/help/cards")
    decision = decide(db, relaxed, site, vid(tokens, site, other), "/help/cards")
    assert decision.reason == (
        "after steps: this session did not visit /checkout/* before this page"
    )


def test_the_config_hands_frustration_and_visit_triggers_to_the_snippet(add, visitor):
    add(PULSE, trigger={"type": "frustration", "signal": "rage", "urls": ["/checkout/*"]})
    reply = visitor.config("/checkout/payment").get_json()
    assert [s["trigger"] for s in reply["surveys"]] == [
        {"type": "frustration", "signal": "rage", "urls": ["/checkout/*"]}
    ]
    assert visitor.config("/cart").get_json()["surveys"] == []


@pytest.mark.parametrize(
    "trigger, field, message",
    [
        ({"type": "visit"}, "trigger.visit", "required for visit triggers"),
        ({"type": "frustration"}, "trigger.signal", "required for frustration triggers"),
        (
            {"type": "frustration", "signal": "angry"},
            "trigger.signal",
            "must be one of: rage, dead, abandoned",
        ),
        ({"type": "pageview", "after": ["/a"]}, "trigger.after", "only for dwell triggers"),
        ({"type": "dwell", "seconds": 5, "days": 3}, "trigger.days", "only for visit triggers"),
        ({"type": "visit", "visit": 0}, "trigger.visit", "greater than or equal to 1"),
    ],
)
def test_bad_triggers_are_refused_field_by_field(trigger, field, message):
    with pytest.raises(InvalidInput) as caught:
        normalise({**PULSE, "trigger": trigger})
    assert message in " ".join(caught.value.fields[field])


def test_signals_from_the_snippet_do_not_count_as_page_visits(
    db, relaxed, site, add, visitor, tokens
):
    add(PULSE, trigger={"type": "visit", "visit": 2, "urls": ["/pay"]})
    visitor.send(
        event("pageview", url=f"{ORIGIN}/pay"),
        event("click", url=f"{ORIGIN}/pay", signal="dead"),
    )
    assert not decide(db, relaxed, site, vid(tokens, site, visitor), "/pay").included


def test_an_abandoned_form_field_triggers_on_a_later_page_of_the_session(
    db, relaxed, site, add, visitor, tokens
):
    add(PULSE, trigger={"type": "frustration", "signal": "abandoned", "urls": ["/cart*"]})
    visitor.visit("/checkout/payment")
    me = vid(tokens, site, visitor)
    before = decide(db, relaxed, site, me, "/cart")
    assert before.reason == "abandoned field: no form field abandoned in this session"
    visitor.send(
        event(
            "click",
            url=f"{ORIGIN}/checkout/payment",
            target="input#card",
            text="Card number",
            signal="abandoned",
        )
    )
    after = decide(db, relaxed, site, me, "/cart")
    assert after.included
    assert any(
        r.detail == "this session abandoned Card number on /checkout/payment" for r in after.rules
    )
    # The collector decided; the snippet shows it on this page at once.
    reply = visitor.config("/cart").get_json()
    assert [s["trigger"] for s in reply["surveys"]] == [{"type": "pageview", "urls": ["/cart*"]}]
