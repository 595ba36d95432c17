"""Targeting: each rule, sampling, repetition on the server, the contact budget and priority."""

from __future__ import annotations

import pytest

from cxlisten import journeys
from cxlisten.settings import load_settings
from cxlisten.surveys import targeting
from cxlisten.useragent import Device
from tests.conftest import ORIGIN, event
from tests.surveys.conftest import DAY, DEEPDIVE, DESKTOP, HELP, PULSE, now_ms

MOBILE = Device("mobile", "Chrome Mobile", "Android", False)
BOT = Device("desktop", "HeadlessChrome", "Linux", True)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def relaxed(db_path):
    """Settings without a contact budget, to test the other rules alone."""
    return load_settings({"db": db_path, "contact_days": 0, "contact_sessions": 100})


def decide(db, settings, site, visitor_id, path="/cart", device=DESKTOP, now=None) -> dict:
    result = targeting.evaluate(db, settings, site, visitor_id, f"{ORIGIN}{path}", device, now=now)
    return {d.survey.slug: d for d in result.decisions}


def visitor_id(tokens, site, token) -> str:
    return tokens.read(token, site.id)


# --- the config reply --------------------------------------------------------------------------


def test_config_follows_the_contract(add, visitor, site):
    add(DEEPDIVE)
    add(HELP)
    r = visitor.config("/help/faq")
    assert r.status_code == 200
    body = r.get_json()
    assert list(body) == ["visitor", "site", "surveys", "interventions", "action"]
    assert body["visitor"].startswith("v1.") and body["action"] is None
    assert body["site"] == {"respect_dnt": True, "accent": "#2563eb"}
    assert body["surveys"] == []  # /help is not a cart page
    (help_,) = body["interventions"]
    assert help_ == {
        "id": "need-help",
        "priority": 5,
        "trigger": {"type": "dwell", "seconds": 45, "urls": ["/help*"]},
        "default_locale": "en",
        "locales": ["en"],
        "content": {
            "title": {"en": "Need more help?"},
            "label": {"en": "Chat"},
            "url": "/help/contact",
        },
        "placement": "bottom-right",
    }
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.headers["Cache-Control"] == "no-store"

    cart = visitor.config("/cart").get_json()["surveys"][0]
    assert set(cart) == {
        "id",
        "version",
        "phase",
        "priority",
        "trigger",
        "default_locale",
        "locales",
        "texts",
        "questions",
    }
    assert cart["version"] == 1 and cart["trigger"]["type"] == "exit_intent"
    assert "saves_as" not in cart["questions"][0]  # profile plumbing stays on the server
    assert cart["questions"][0]["branch"] == [{"when": {"in": ["price"]}, "goto": "end"}]


def test_config_keeps_the_visitor_token(visitor):
    first = visitor.config().get_json()["visitor"]
    assert visitor.config().get_json()["visitor"] == first


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"url": None}, 400, "url"),
        ({"url": "javascript:alert(1)"}, 400, "url"),
        ({"site": None}, 400, "site"),
        ({"site": "cx_nope"}, 404, "site"),
    ],
)
def test_config_refuses_bad_requests(client, site, query, status, field):
    args = {"site": site.key, "url": f"{ORIGIN}/cart", **query}
    r = client.get("/v1/config", query_string={k: v for k, v in args.items() if v is not None})
    assert r.status_code == status
    assert field in r.get_json()["error"]["fields"]


def test_config_refuses_foreign_origins(client, site, add):
    add(PULSE)
    r = client.get(
        "/v1/config",
        query_string={"site": site.key, "url": f"{ORIGIN}/"},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_config_under_do_not_track_offers_nothing(new_visitor, add, header):
    add(PULSE)
    v = new_visitor(headers={**dict(new_visitor().headers), **header})
    body = v.config("/").get_json()
    assert body["visitor"] is None and body["surveys"] == [] and body["ignored"] == "do-not-track"


# --- one rule at a time --------------------------------------------------------------------------

RULES = [
    ("every rule matches", {}, "/cart", DESKTOP, True, "shown"),
    ("paused", {"status": "paused"}, "/cart", DESKTOP, False, "status: paused"),
    (
        "not started",
        {"audience": {"start": "2099-01-01"}},
        "/cart",
        DESKTOP,
        False,
        "dates: starts 2099-01-01T00:00:00Z",
    ),
    (
        "ended",
        {"audience": {"end": "2020-01-01"}},
        "/cart",
        DESKTOP,
        False,
        "dates: ended 2020-01-01T00:00:00Z",
    ),
    (
        "page",
        {"trigger": {"type": "pageview", "urls": ["/checkout*"]}},
        "/cart",
        DESKTOP,
        False,
        "page: /cart does not match /checkout*",
    ),
    (
        "page wildcard",
        {"trigger": {"type": "pageview", "urls": ["/product/*"]}},
        "/product/lamp",
        DESKTOP,
        True,
        "shown",
    ),
    ("bot", {}, "/cart", BOT, False, "bot: automated client"),
    (
        "device",
        {"audience": {"devices": ["mobile", "tablet"]}},
        "/cart",
        DESKTOP,
        False,
        "device: desktop; wanted mobile, tablet",
    ),
    ("device matches", {"audience": {"devices": ["mobile"]}}, "/cart", MOBILE, True, "shown"),
    (
        "returning only",
        {"audience": {"visitors": "returning"}},
        "/cart",
        DESKTOP,
        False,
        "visitors: a new visitor; wanted returning",
    ),
    ("new only", {"audience": {"visitors": "new"}}, "/cart", DESKTOP, True, "shown"),
    (
        "has attribute",
        {"audience": {"attributes": {"has": ["plans_house"]}}},
        "/cart",
        DESKTOP,
        False,
        "attributes: lacks plans_house",
    ),
    (
        "lacks attribute",
        {"audience": {"attributes": {"lacks": ["plans_house"]}}},
        "/cart",
        DESKTOP,
        True,
        "shown",
    ),
    ("nobody sampled", {"audience": {"sample": 0}}, "/cart", DESKTOP, False, "sample: visitor's"),
    ("everybody sampled", {"audience": {"sample": 100}}, "/cart", DESKTOP, True, "shown"),
]


@pytest.mark.parametrize(
    ("case", "changes", "path", "device", "shown", "reason"), RULES, ids=[r[0] for r in RULES]
)
def test_each_rule(db, settings, site, add, case, changes, path, device, shown, reason):
    add(PULSE, **changes)
    decision = decide(db, settings, site, "visitor-1", path, device)["pulse"]
    assert decision.included is shown
    assert decision.reason.startswith(reason), decision.reason


def test_archived_surveys_are_not_considered(db, settings, site, add):
    add(PULSE, status="archived")
    assert decide(db, settings, site, "v") == {}


def test_returning_visitors_have_an_earlier_session(db, relaxed, site, add, visitor, tokens):
    add(PULSE, id="for-returning", audience={"visitors": "returning"})
    add(PULSE, id="for-new", audience={"visitors": "new"})
    visitor.visit("/", ts=now_ms() - 3 * 3600 * 1000)  # a session three hours ago
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, relaxed, site, vid)["for-returning"].included is True
    assert decide(db, relaxed, site, vid)["for-new"].reason == (
        "visitors: a returning visitor; wanted new"
    )


def test_attribute_rules_read_the_zero_party_profile(db, relaxed, site, add, visitor, tokens):
    add(DEEPDIVE)
    add(PULSE, audience={"attributes": {"equals": {"checkout_blocker": "shipping"}}})
    visitor.config()
    vid = visitor_id(tokens, site, visitor.visitor)
    assert not decide(db, relaxed, site, vid)["pulse"].included
    assert visitor.respond(answers=[{"question": "reason", "value": "shipping"}]).status_code == 200
    assert decide(db, relaxed, site, vid)["pulse"].included


def test_quota_counts_complete_responses(db, relaxed, site, add, new_visitor):
    add(DEEPDIVE, audience={"quota": 1})
    first = new_visitor()
    first.config()
    first.respond(answers=[{"question": "reason", "value": "price"}], complete=True)
    decision = decide(db, relaxed, site, "someone-else")["cart"]
    assert decision.reason == "quota: 1 of 1 complete responses"


def test_journey_trigger_follows_this_sessions_steps(db, relaxed, site, add, visitor, tokens):
    add(PULSE, trigger={"type": "journey", "steps": ["/cart", "/checkout*"]})
    visitor.visit("/cart")
    visitor.visit("/product/lamp")
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, relaxed, site, vid, "/checkout/payment")["pulse"].included
    assert decide(db, relaxed, site, "fresh", "/checkout/payment")["pulse"].reason == (
        "journey steps: this session's steps do not follow /cart → /checkout*"
    )
    assert not decide(db, relaxed, site, vid, "/help")["pulse"].included


def test_journey_phase_decides_deep_dives(db, relaxed, site, add):
    add(DEEPDIVE, journey="checkout")
    reason = decide(db, relaxed, site, "v")["cart"].reason
    assert (
        reason
        == "journey: journey 'checkout' is not a known journey; this survey is for phase deepdive"
    )
    journeys.save_journey(db, site.id, {"name": "checkout", "steps": ["/cart", "/checkout"]})
    journeys.set_phase(db, site.id, "checkout", "track")
    assert decide(db, relaxed, site, "v")["cart"].reason.startswith(
        "journey: journey 'checkout' is in phase track"
    )
    journeys.set_phase(db, site.id, "checkout", "deepdive")
    assert decide(db, relaxed, site, "v")["cart"].included


# --- sampling ------------------------------------------------------------------------------------


@pytest.mark.parametrize("percent", [5, 25, 50, 80])
def test_sampling_spread_is_within_two_points_over_10000_visitors(percent):
    ids = [f"visitor-{i}" for i in range(10_000)]
    chosen = sum(targeting.sample_point("cart-abandon", v) < percent for v in ids)
    assert abs(chosen / 100 - percent) <= 2


def test_sampling_is_deterministic_and_independent_between_surveys():
    ids = [f"v{i}" for i in range(10_000)]
    a = {v for v in ids if targeting.sample_point("a", v) < 50}
    assert a == {v for v in ids if targeting.sample_point("a", v) < 50}
    b = {v for v in ids if targeting.sample_point("b", v) < 50}
    assert abs(len(a & b) / 100 - 25) <= 2  # not the same half of visitors for every survey


def test_sampling_holds_across_requests(add, new_visitor):
    add(PULSE, audience={"sample": 50})
    for _ in range(20):
        v = new_visitor()
        first = v.shown(v.config("/"))
        assert all(v.shown(v.config("/")) == first for _ in range(3))


# --- repetition, on the server -------------------------------------------------------------------


def test_once_per_visitor(db, relaxed, site, add, visitor, tokens):
    add(PULSE)
    visitor.config("/")
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, relaxed, site, vid)["pulse"].included
    visitor.saw("pulse")
    assert decide(db, relaxed, site, vid)["pulse"].reason == (
        "repetition: once per visitor, and already shown"
    )


def test_once_with_recontact_days(db, relaxed, site, add, visitor, tokens):
    add(PULSE, repetition={"mode": "once", "recontact_days": 7})
    visitor.saw("pulse")
    vid, now = visitor_id(tokens, site, visitor.visitor), now_ms()
    assert decide(db, relaxed, site, vid, now=now + 6 * DAY)["pulse"].reason.startswith(
        "repetition: shown "
    )
    assert decide(db, relaxed, site, vid, now=now + 8 * DAY)["pulse"].included


def test_until_answered(db, relaxed, site, add, visitor, tokens):
    add(DEEPDIVE, repetition={"mode": "until_answered", "recontact_days": 30})
    visitor.saw("cart")
    visitor.saw("cart", "dismissed")
    vid, now = visitor_id(tokens, site, visitor.visitor), now_ms()
    assert decide(db, relaxed, site, vid, now=now + 31 * DAY)[
        "cart"
    ].included  # dismissed ≠ answered
    visitor.respond(answers=[{"question": "reason", "value": "shipping"}])  # partial still counts
    assert decide(db, relaxed, site, vid, now=now + 31 * DAY)["cart"].included is True
    assert decide(db, relaxed, site, vid, now=now + 29 * DAY)["cart"].reason.startswith(
        "repetition: shown"
    )


def test_until_answered_without_recontact_never_asks_again(db, relaxed, site, add, visitor, tokens):
    add(DEEPDIVE)
    visitor.config()
    visitor.respond(answers=[{"question": "reason", "value": "shipping"}])
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, relaxed, site, vid, now=now_ms() + 300 * DAY)["cart"].reason.startswith(
        "repetition: until answered, and answered"
    )


def test_at_most_n_times(db, relaxed, site, add, visitor, tokens):
    add(PULSE, repetition={"mode": "times", "times": 2})
    visitor.saw("pulse")
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, relaxed, site, vid)["pulse"].included
    visitor.saw("pulse")
    assert decide(db, relaxed, site, vid)["pulse"].reason == (
        "repetition: shown 2 of at most 2 times"
    )


def test_interventions_count_their_own_events(db, relaxed, site, add, visitor, tokens):
    add(HELP)  # at most twice
    visitor.saw("need-help", kind="intervention", path="/help")
    visitor.saw("need-help", kind="intervention", path="/help")
    vid = visitor_id(tokens, site, visitor.visitor)
    assert not decide(db, relaxed, site, vid, "/help")["need-help"].included
    add(HELP, id="chat", repetition={"mode": "until_answered"})
    visitor.saw("chat", "clicked", kind="intervention", path="/help")
    assert decide(db, relaxed, site, vid, "/help")["chat"].reason.startswith(
        "repetition: until clicked, and clicked"
    )


def test_repetition_holds_on_another_device(add, visitor, new_visitor):
    """Counted on the server: the same visitor on a phone is not asked again."""
    add(PULSE)
    assert visitor.shown(visitor.config("/")) == ["pulse"]
    visitor.saw("pulse", path="/")
    phone = new_visitor(headers={**visitor.headers, "User-Agent": PHONE_UA})
    phone.visitor = visitor.visitor
    assert phone.shown(phone.config("/")) == []


# --- the contact budget and priority -------------------------------------------------------------


def test_priority_decides_between_competing_surveys(add, visitor, db, settings, site, tokens):
    add(PULSE, id="low", priority=1)
    add(PULSE, id="high", priority=9)
    add(HELP, trigger={"type": "dwell", "seconds": 5})
    body = visitor.config("/").get_json()
    assert [s["id"] for s in body["surveys"]] == ["high"]
    assert [i["id"] for i in body["interventions"]] == ["need-help"]  # not in the budget
    vid = visitor_id(tokens, site, visitor.visitor)
    assert decide(db, settings, site, vid)["low"].reason == (
        "contact budget: higher priority first: high takes this session's 1 remaining slot(s)"
    )


def test_budget_per_session(db, site, add, visitor, tokens, db_path):
    two = load_settings({"db": db_path, "contact_days": 0, "contact_sessions": 2})
    for i in range(3):
        add(PULSE, id=f"s{i}", priority=i)
    visitor.visit("/")
    vid = visitor_id(tokens, site, visitor.visitor)
    shown = [s for s, d in decide(db, two, site, vid).items() if d.included]
    assert sorted(shown) == ["s1", "s2"]
    visitor.saw("s2")
    shown = [s for s, d in decide(db, two, site, vid).items() if d.included]
    assert shown == ["s1"]
    visitor.saw("s1")
    assert decide(db, two, site, vid)["s0"].reason == (
        "contact budget: 2 of 2 surveys shown this session"
    )


def test_budget_across_days(db, settings, site, add, visitor, tokens):
    add(PULSE, id="other")
    add(PULSE, id="earlier")
    now = now_ms()
    visitor.saw("earlier", ts=now - 3 * DAY)
    vid = visitor_id(tokens, site, visitor.visitor)
    reason = decide(db, settings, site, vid, now=now)["other"].reason
    assert (
        reason.startswith("contact budget: a survey was shown")
        and "at most one per 14 days" in reason
    )
    assert decide(db, settings, site, vid, now=now + 12 * DAY)["other"].included


def test_a_site_sets_its_own_budget_over_the_deployments(db, settings, site, add, visitor, tokens):
    from cxlisten import sites

    add(PULSE, id="other")
    add(PULSE, id="earlier")
    now = now_ms()
    visitor.saw("earlier", ts=now - 3 * DAY)
    vid = visitor_id(tokens, site, visitor.visitor)
    assert not decide(db, settings, site, vid, now=now)["other"].included  # 14 days by default
    relaxed = sites.update(db, site.key, contact_days=2, contact_sessions=3)
    assert decide(db, settings, relaxed, vid, now=now)["other"].included
    strict = sites.update(db, site.key, contact_sessions=0, contact_days=0)
    assert decide(db, settings, strict, vid, now=now)["other"].reason == (
        "contact budget: 0 of 0 surveys shown this session"
    )


def test_why_not_lists_every_rule(db, settings, site, add):
    add(PULSE, audience={"sample": 100, "devices": ["desktop"]})
    decision = decide(db, settings, site, "v")["pulse"].as_dict()
    assert decision["shown"] is True
    assert [r["rule"] for r in decision["rules"]] == [
        "status",
        "dates",
        "page",
        "bot",
        "device",
        "repetition",
        "contact budget",
    ]
    assert all(r["ok"] for r in decision["rules"])


def test_config_counts_shown_events_sent_through_collect(add, visitor):
    add(PULSE)
    assert visitor.shown(visitor.config("/")) == ["pulse"]
    visitor.send(event("survey", url=f"{ORIGIN}/", survey="pulse", action="shown"))
    assert visitor.shown(visitor.config("/")) == []
