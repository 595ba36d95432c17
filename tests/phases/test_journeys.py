"""Path normalisation, journey matching, journey storage and phases."""

from __future__ import annotations

import json

import pytest

from cxlisten import journeys
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.journeys import Journey, PathRules

CHECKOUT = {"name": "checkout", "steps": ["/cart", "/checkout", "/checkout/done"]}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/", "/"),
        ("/cart/", "/cart"),
        ("//cart//items", "/cart/items"),
        ("/order/1234", "/order/:id"),
        ("/u/5f0c9a1e-1111-2222-3333-444455556666/settings", "/u/:id/settings"),
        ("/t/0123456789abcdef", "/t/:id"),
        ("/p/blue-shirt-123", "/p/:id"),
        ("/product/blue-shirt", "/product/:slug"),
        ("/search?q=shoes&utm_source=x", "/search?q=shoes"),
        ("/checkout?utm_source=x", "/checkout"),
        ("https://shop.example/old/thing?x=1", "/new/thing"),
        ("/about", "/about"),
    ],
)
def test_normalise_folds_ids_applies_rules_and_drops_query(raw, expected):
    rules = PathRules(
        keep_query=("q",),
        rules=({"pattern": "/product/:slug"}, {"regex": "^/old/", "replace": "/new/"}),
    )
    assert rules.normalise(raw) == expected


def test_folding_ids_can_be_switched_off():
    assert PathRules(fold_ids=False).normalise("/order/1234") == "/order/1234"


@pytest.mark.parametrize(
    "steps, entered, reached, completed",
    [
        (["/", "/product/:id"], None, None, None),
        (["/", "/cart"], 1, 0, False),
        (["/cart", "/checkout"], 0, 1, False),
        (["/cart", "/checkout", "/checkout/done"], 0, 2, True),
        (["/cart", "/checkout/done"], 0, 2, True),  # a skipped step still counts as reached
        (["/checkout", "/cart", "/help", "/checkout"], 1, 1, False),
    ],
)
def test_follow_tells_how_far_a_session_went(steps, entered, reached, completed):
    match = Journey.from_dict(journeys.validate_journey(CHECKOUT)).follow(steps)
    if entered is None:
        assert match is None
    else:
        assert (match.entered_at, match.reached, match.completed) == (entered, reached, completed)


def test_goal_defaults_to_last_step_and_kind_is_guessed():
    checked = journeys.validate_journey(CHECKOUT)
    assert checked["goal"] == "/checkout/done" and checked["kind"] == "checkout"
    signup = journeys.validate_journey({"name": "sign-up", "steps": ["/signup", "/welcome"]})
    assert signup["kind"] == "signup"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"steps": ["/cart"]}, "name"),
        ({"name": "Bad Name", "steps": ["/cart"]}, "name"),
        ({"name": "x", "steps": []}, "steps"),
        ({"name": "x", "steps": ["cart"]}, "steps.0"),
        ({"name": "x", "steps": ["/cart"], "phase": "later"}, "phase"),
        ({"name": "x", "steps": ["/cart"], "colour": "red"}, "colour"),
    ],
)
def test_invalid_journeys_are_refused_with_the_field(data, field):
    with pytest.raises(InvalidInput) as exc:
        journeys.validate_journey(data)
    assert field in exc.value.fields


def test_phase_defaults_to_track_and_can_be_set(db, site):
    journeys.save_journey(db, site.id, CHECKOUT)
    assert journeys.phase_of(db, site.id, "checkout") == "track"
    journeys.set_phase(db, site.id, "checkout", "deepdive")
    assert journeys.phase_of(db, site.id, "checkout") == "deepdive"
    journeys.save_journey(db, site.id, {**CHECKOUT, "title": "Checkout"})  # redefining keeps phase
    assert journeys.phase_of(db, site.id, "checkout") == "deepdive"
    assert [j.name for j in journeys.journeys_in_phase(db, site.id, "deepdive")] == ["checkout"]
    assert journeys.phase_of(db, site.id, "nope") is None


def test_set_phase_refuses_unknown_journey_and_phase(db, site):
    journeys.save_journey(db, site.id, CHECKOUT)
    with pytest.raises(NotFound):
        journeys.set_phase(db, site.id, "nope", "activate")
    with pytest.raises(InvalidInput):
        journeys.set_phase(db, site.id, "checkout", "someday")


def test_load_journeys_file_stores_rules_and_journeys_or_nothing(db, site, tmp_path):
    good = tmp_path / "journeys.json"
    good.write_text(
        json.dumps(
            {
                "paths": {"rules": [{"pattern": "/product/:slug"}]},
                "journeys": [CHECKOUT, {"name": "signup", "steps": ["/signup", "/welcome"]}],
            }
        )
    )
    assert journeys.load_journeys_file(db, site, str(good)) == ["checkout", "signup"]
    assert journeys.path_rules(db, site.id).normalise("/product/x") == "/product/:slug"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"journeys": [{"name": "new", "steps": ["/a"]}, {"name": "x"}]}))
    with pytest.raises(InvalidInput) as exc:
        journeys.load_journeys_file(db, site, str(bad))
    assert "journeys.1.steps" in exc.value.fields
    assert [j.name for j in journeys.list_journeys(db, site.id)] == ["checkout", "signup"]


def test_example_journeys_file_loads(db, site):
    import pathlib

    path = pathlib.Path(__file__).parents[2] / "examples" / "journeys.json"
    names = journeys.load_journeys_file(db, site, str(path))
    assert {"checkout", "signup"} <= set(names)
