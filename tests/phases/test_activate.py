"""Phase 3: rules pick the next best action; conflicts, holdout, effects and lift."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cxlisten import activate, journeys
from cxlisten.caches import caches_of
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import profiles, transaction
from cxlisten.storage import rules as rule_store
from tests.phases.conftest import add_session

CHECKOUT = {
    "name": "checkout",
    "steps": ["/cart", "/checkout", "/checkout/done"],
    "phase": "activate",
}
URL = "https://shop.example/checkout"


def show(title="Chat with us", kind="channel", **extra):
    return {
        "kind": kind,
        "title": {"en": title, "zh-CN": "在线客服"},
        "body": {"en": "We reply in a minute."},
        "label": {"en": "Chat"},
        "url": "/help/chat",
        **extra,
    }


def rule(name="r", level="reactive", priority=0, when=(), then=None, **extra):
    return {
        "name": name,
        "level": level,
        "priority": priority,
        "when": list(when),
        "then": {"show": show()} if then is None else then,
        **extra,
    }


SURVEYS = {
    "pulse": {
        "id": "pulse",
        "phase": "track",
        "trigger": {"type": "pageview"},
        "questions": [
            {"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}},
            {"id": "csat", "type": "csat", "text": {"en": "Happy?"}},
        ],
    },
    "how": {
        "id": "how",
        "phase": "deepdive",
        "trigger": {"type": "pageview"},
        "questions": [
            {
                "id": "channel",
                "type": "single",
                "text": {"en": "How can we help?"},
                "options": [
                    {"code": "phone", "label": {"en": "Phone"}},
                    {"code": "chat", "label": {"en": "Chat"}},
                ],
            },
            {"id": "more", "type": "text", "required": False, "text": {"en": "More?"}},
        ],
    },
}


def answer(db, site, visitor, survey, question, value=None, number=None):
    """Store VISITOR's answer to SURVEY's QUESTION through the surveys storage."""
    from cxlisten.storage import responses
    from cxlisten.storage import surveys as survey_store
    from cxlisten.surveys import catalogue

    found = survey_store.get_survey(db, site.id, survey) or catalogue.create_survey(
        db, site, SURVEYS[survey]
    )
    qtype = next(q["type"] for q in found.definition["questions"] if q["id"] == question)
    now = int(time.time() * 1000)
    with transaction(db):
        rid = responses.insert_response(
            db,
            {
                "site_id": site.id,
                "survey_id": found.id,
                "survey": survey,
                "version": 1,
                "client_id": f"r-{visitor}-{question}-{now}",
                "visitor_id": visitor,
                "session_id": None,
                "status": "complete",
                "answered": 1,
                "locale": "en",
                "url": URL,
                "path": "/checkout",
                "device": "desktop",
                "browser": "Chrome",
                "os": "Linux",
                "is_bot": 0,
                "journey": [],
                "started_at": now,
                "updated_at": now,
                "completed_at": now,
            },
        )
        responses.upsert_answers(
            db,
            [
                {
                    "response_id": rid,
                    "site_id": site.id,
                    "survey": survey,
                    "version": 1,
                    "visitor_id": visitor,
                    "question": question,
                    "position": 0,
                    "type": qtype,
                    "value": value if value is not None else str(number),
                    "number": number,
                    "other": None,
                    "answered_at": now,
                }
            ],
        )


def set_answers(db, site, visitor, **numbers):
    """Store the visitor's latest numeric answers (question type -> number)."""
    for qtype, number in numbers.items():
        answer(db, site, visitor, "pulse", qtype, number=number)


def set_attribute(db, site, visitor, name, value):
    with transaction(db):
        profiles.set_attributes(
            db,
            [
                {
                    "site_id": site.id,
                    "visitor_id": visitor,
                    "name": name,
                    "value": value,
                    "survey": "s",
                    "version": 1,
                    "question": "q",
                    "response": "r",
                    "updated_at": 1,
                }
            ],
        )


@pytest.fixture
def checkout(db, site):
    journeys.save_journey(db, site.id, CHECKOUT)
    return add_session(db, site, ["/", "/cart", "/checkout"], visitor="v1")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"level": "reactive", "then": {"show": show()}}, "name"),
        (rule(level="sometimes"), "level"),
        (rule(then={}), "then"),
        (rule(then={"show": {"title": {}}}), "then.show.title"),
        (rule(then={"show": show(url="javascript:alert(1)")}), "then.show.url"),
        (rule(then={"show": show(), "choose": [show(), show()]}), "then"),
        (rule(when=[{"score": "nps", "max": "six"}]), "when.0.max"),
        (rule(when=[{"score": "happiness"}]), "when.0.score"),
        (rule(when=[{"journey": "checkout", "state": "lost"}]), "when.0.state"),
        (rule(when=[{"page": "/cart"}]), "when.0.page"),
        (rule(when=[{"colour": "red"}]), "when.0"),
        (rule(holdout=95), "holdout"),
    ],
)
def test_invalid_rules_are_refused_with_the_field(db, site, data, field):
    with pytest.raises(InvalidInput) as exc:
        activate.save_rule(db, site, data)
    assert field in exc.value.fields, exc.value.fields


def test_holdout_defaults_by_level(db, site):
    assert (
        activate.save_rule(
            db, site, rule("a", "proactive", then={"choose": [show("A"), show("B")]})
        ).holdout
        == 10
    )
    assert activate.save_rule(db, site, rule("b", "reactive")).holdout == 0


@pytest.mark.parametrize(
    "condition, holds",
    [
        ({"score": "nps", "max": 6}, True),
        ({"score": "nps", "min": 9}, False),
        ({"score": "csat", "min": 1}, False),  # never answered
        ({"attribute": "plan", "equals": "house"}, True),
        ({"attribute": "plan", "in": ["car", "house"]}, True),
        ({"attribute": "plan", "exists": False}, False),
        ({"attribute": "budget", "exists": False}, True),
        ({"journey": "checkout", "state": "entered"}, True),
        ({"journey": "checkout", "state": "in_progress", "step": "/checkout"}, True),
        ({"journey": "checkout", "state": "completed"}, False),
        ({"journey": "checkout", "state": "not_entered"}, False),
        ({"segment": {"device": ["desktop"]}}, True),
        ({"segment": {"device": ["mobile"]}}, False),
        ({"segment": {"visitor": "returning"}}, False),
        ({"page": ["/checkout*"]}, True),
        ({"page": ["/help*"]}, False),
    ],
)
def test_each_condition(db, site, checkout, condition, holds):
    set_answers(db, site, "v1", nps=3)
    set_attribute(db, site, "v1", "plan", "house")
    activate.save_rule(db, site, rule(when=[condition]))
    decision = activate.evaluate(db, site, "v1", URL, checkout, record=False)
    assert (decision["action"] is not None) is holds


def test_action_has_the_contract_shape(db, site, checkout):
    activate.save_rule(db, site, rule("chat", then={"show": show()}))
    action = activate.next_best_action(db, site, "v1", URL, checkout)
    assert set(action) == {"id", "kind", "title", "body", "label", "url", "placement", "rule"}
    assert action["kind"] == "channel" and action["rule"] == "chat"
    assert action["title"]["zh-CN"] == "在线客服"


def test_no_rules_no_visitor_no_action(db, site, checkout):
    assert activate.next_best_action(db, site, "v1", URL, checkout) is None
    activate.save_rule(db, site, rule())
    assert activate.next_best_action(db, site, None, URL, None) is None


@pytest.mark.parametrize(
    "rules, winner, suppressed",
    [
        ([rule("low", priority=1), rule("high", priority=5)], "high", ["low"]),
        ([rule("p", "proactive", 5, holdout=0), rule("r", "reactive", 5)], "r", ["p"]),
        ([rule("b", "choice", 5), rule("a", "choice", 5)], "a", ["b"]),
    ],
)
def test_conflicts_resolve_by_priority_then_level_then_name(
    db, site, checkout, rules, winner, suppressed
):
    for r in rules:
        activate.save_rule(db, site, r)
    decision = activate.evaluate(db, site, "v1", URL, checkout, record=False)
    assert decision["action"]["rule"] == winner
    assert decision["suppressed"] == suppressed


def test_rules_of_a_journey_act_only_in_its_activate_phase(db, site, checkout):
    activate.save_rule(db, site, rule("chat", journey="checkout"))
    assert activate.next_best_action(db, site, "v1", URL, checkout) is not None
    journeys.set_phase(db, site.id, "checkout", "deepdive")
    assert activate.next_best_action(db, site, "v1", URL, checkout) is None


def test_customer_choice_offers_the_path_the_visitor_picked(db, site, checkout):
    activate.save_rule(
        db,
        site,
        rule(
            "help-path",
            "choice",
            then={
                "from_answer": {
                    "survey": "how",
                    "question": "channel",
                    "map": {"phone": show("Call us"), "chat": show("Chat now")},
                }
            },
        ),
    )
    assert activate.next_best_action(db, site, "v1", URL, checkout) is None
    answer(db, site, "v1", "how", "channel", value="phone")
    action = activate.next_best_action(db, site, "v1", URL, checkout)
    assert action["title"]["en"] == "Call us" and action["id"] == "help-path-phone"


def test_holdout_sees_nothing_and_stays_in_its_arm(db, site, checkout):
    activate.save_rule(db, site, rule("chat", priority=5, holdout=50))
    activate.save_rule(db, site, rule("lower", priority=1))  # not shown to the holdout either
    visitors = [f"visitor-{i}" for i in range(200)]
    arms = {v: activate.arm_of(v, "chat", 50) for v in visitors}
    assert 60 < sum(a == "holdout" for a in arms.values()) < 140
    held = next(v for v, a in arms.items() if a == "holdout")
    shown = next(v for v, a in arms.items() if a == "shown")
    for _ in range(2):
        assert activate.next_best_action(db, site, held, URL, checkout) is None
        assert activate.next_best_action(db, site, shown, URL, checkout)["rule"] == "chat"
    recorded = {(e["visitor_id"], e["arm"]) for e in rule_store.exposures(db, site.id, "chat")}
    assert recorded == {(held, "holdout"), (shown, "shown")}


def test_effects_fire_once_per_visitor_and_session(db, site, checkout):
    from cxlisten import webhooks

    webhooks.add_webhook(db, site, "alerts", "http://127.0.0.1:9/hook", events=["detractor"])
    activate.save_rule(
        db,
        site,
        rule(
            "detractor",
            when=[{"score": "nps", "max": 6}],
            then={"set": {"needs_care": "yes"}, "webhook": "detractor"},
        ),
    )
    activate.save_rule(db, site, rule("tag", priority=0, then={"set": {"needs_care": "no"}}))
    set_answers(db, site, "v1", nps=2)
    for _ in range(3):
        activate.next_best_action(db, site, "v1", URL, checkout)
    messages = webhooks.outbox(db, site)
    assert len(messages) == 1 and messages[0]["event"] == "detractor"
    attributes = {a["name"]: a for a in profiles.attributes(db, site.id, "v1")}
    assert attributes["needs_care"]["value"] == "yes"  # the higher-ranked rule's value wins
    assert attributes["needs_care"]["survey"] == "rule:detractor"
    activate.save_rule(db, site, rule("late", then={"webhook": "detractor"}))
    activate.next_best_action(db, site, "v1", URL, checkout)  # a new rule fires, once
    activate.next_best_action(db, site, "v1", URL, checkout)
    assert len(webhooks.outbox(db, site)) == 2


def test_unknown_rules_are_not_found(db, site):
    with pytest.raises(NotFound):
        activate.get_rule(db, site, "nope")
    with pytest.raises(NotFound):
        activate.delete_rule(db, site, "nope")


def test_example_rules_file_loads(db, site):
    from pathlib import Path

    path = Path(__file__).parents[2] / "examples" / "rules.json"
    names = activate.load_rules_file(db, site, str(path))
    assert len(names) >= 3
    assert {r.level for r in activate.list_rules(db, site)} == set(activate.LEVELS)


def test_rules_file_is_all_or_nothing(db, site, tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(
        '{"rules": [{"name": "ok", "level": "reactive", "then": {"set": {"a": "b"}}},'
        ' {"name": "bad", "level": "reactive"}]}'
    )
    with pytest.raises(InvalidInput) as exc:
        activate.load_rules_file(db, site, str(path))
    assert "rules.1.then" in exc.value.fields
    assert activate.list_rules(db, site) == []


# -- lift on the simulated shop: a helpful action is found, a useless one is not -----------------


@pytest.fixture(scope="module")
def experiments(shop_file, tmp_path_factory):
    """The simulated shop with the example rules: its checkout experiment is theirs."""
    import shutil

    from cxlisten.storage import sites as site_store
    from cxlisten.storage.db import open_database

    path = str(tmp_path_factory.mktemp("lift") / "shop.db")
    shutil.copy(shop_file[0], path)
    db = open_database(path)
    site = site_store.site_by_key(db, "cx_shop")
    activate.load_rules_file(db, site, str(Path(__file__).parents[2] / "examples" / "rules.json"))
    return db, site


def test_the_simulator_records_the_example_rule_and_its_candidates(experiments):
    db, site = experiments
    example = {r.name: r for r in activate.list_rules(db, site)}["checkout-assist"]
    candidates = {a["id"] for a in example.then["choose"]}
    recorded = db.execute(
        "SELECT rule, action, arm, COUNT(*) FROM action_exposures GROUP BY rule, action, arm"
    ).fetchall()
    assert {(rule, action, arm) for rule, action, arm, _ in recorded} == {
        ("checkout-assist", a, arm) for a in candidates for arm in ("shown", "holdout")
    }
    holdout = sum(n for *_, arm, n in recorded if arm == "holdout") / sum(n for *_, n in recorded)
    assert holdout == pytest.approx(example.holdout / 100, abs=0.04)


def test_lift_of_the_example_rule(experiments):
    db, site = experiments
    result = activate.lift(db, site, "checkout-assist")
    assert result["holdout"]["n"] > 50 and result["shown"]["n"] > 3 * result["holdout"]["n"]
    assert result["lift"]["low"] <= result["lift"]["value"] <= result["lift"]["high"]
    assert result["verdict"] == "helps"  # half the shown visitors got the helpful action


@pytest.mark.parametrize(
    "action, verdict, planted",
    [("checkout-chat", "helps", 0.40), ("shipping-banner", "no evidence", 0.0)],
)
def test_lift_finds_the_helpful_action_and_not_the_useless_one(
    experiments, action, verdict, planted
):
    db, site = experiments
    found = {a["action"]: a for a in activate.lift(db, site, "checkout-assist")["actions"]}
    measured = found[action]
    assert measured["verdict"] == verdict
    assert measured["n"] > 100
    assert measured["lift"]["low"] <= measured["lift"]["value"] <= measured["lift"]["high"]
    assert measured["lift"]["value"] == pytest.approx(planted, abs=0.12)
    if verdict == "helps":
        assert measured["lift"]["low"] > 0
    else:
        assert measured["lift"]["low"] < 0 < measured["lift"]["high"]


def test_proactive_choice_prefers_the_action_that_worked(db, site, checkout):
    journeys.save_journey(db, site.id, CHECKOUT)
    activate.save_rule(
        db,
        site,
        rule(
            "best",
            "proactive",
            journey="checkout",
            holdout=0,
            then={"choose": [show("A", id="a"), show("B", id="b")]},
        ),
    )
    rows = []
    for i in range(200):
        action = "a" if i % 2 else "b"
        visitor = f"p{i}"
        done = (action == "a" and i % 10 != 1) or (action == "b" and i % 10 == 0)
        steps = ["/cart", "/checkout"] + (["/checkout/done"] if done else [])
        sid = add_session(db, site, steps, visitor=visitor)
        rows.append(
            {
                "site_id": site.id,
                "rule": "best",
                "action": action,
                "arm": "shown",
                "visitor_id": visitor,
                "session_id": sid,
                "journey": "checkout",
                "segment": "desktop",
                "step_index": 1,
                "ts": 1,
            }
        )
    rule_store.record_exposures(db, rows)
    caches_of(db).clear()  # the learned counts are cached for 5 minutes
    picks = [activate.next_best_action(db, site, f"new{i}", URL, checkout)["id"] for i in range(20)]
    assert picks.count("a") >= 18


def test_a_reload_in_the_same_session_writes_nothing(db, site, checkout):
    activate.save_rule(db, site, rule("chat", then={"show": show(), "set": {"seen_chat": "1"}}))
    first = activate.next_best_action(db, site, "v1", URL, checkout)
    changes = db.conn.total_changes
    assert activate.next_best_action(db, site, "v1", URL, checkout) == first
    assert db.conn.total_changes == changes


def test_a_stored_rule_is_typed_and_its_json_is_the_file_format(db, site):
    from cxlisten import to_json
    from cxlisten.rules import Rule

    saved = activate.save_rule(db, site, rule("chat", then={"show": show()}))
    assert isinstance(saved, Rule) and saved == activate.get_rule(db, site, "chat")
    data = to_json(saved)
    assert list(data)[:6] == ["name", "level", "priority", "journey", "enabled", "updated_at"]
    assert data["then"]["show"]["id"] == "chat" and data["when"] == []
    assert data["description"] is None  # not given: null, as every field of a Rule is present
