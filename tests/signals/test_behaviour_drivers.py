"""Behaviour signals as drivers, per operational segment and per visit reason: each planted
signal ranks first in its own segment only; with an independent outcome, nothing is ranked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.driver_inputs import BEHAVIOUR, has_loop
from cxlisten.drivers import drivers
from cxlisten.errors import InvalidInput
from cxlisten.simulate_drivers import plant_behaviour_drivers
from cxlisten.storage.db import open_database

# segmentation -> {segment: the signal planted in it}
PLANTED = {
    "orders": {"orders under 50": "rage clicks", "orders 200–1000": "help-seeking"},
    "answer:reason": {"buy": "abandoned fields", "support": "loops"},
}


@pytest.fixture(scope="module", params=[True, False], ids=["planted", "independent"])
def shop(request, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("behaviour") / "b.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    plant_behaviour_drivers(db, site, related=request.param, seed=3)
    return request.param, path, db, site


@pytest.mark.parametrize("by", sorted(PLANTED))
def test_each_planted_signal_ranks_first_in_its_own_segment_only(shop, by):
    planted, _, db, site = shop
    result = drivers(db, site, "visit", "nps", by=by, behaviour=True)
    segments = {s.segment: s for s in result.segments}
    assert set(PLANTED[by]) <= set(segments)
    for s in segments.values():
        assert {d.question for d in s.drivers} == {"delivery", *BEHAVIOUR}
        if planted:  # (shares of noise sit near 0, where a percentile interval may miss them)
            assert all(d.low <= d.share <= d.high for d in s.drivers)
    for name, signal in PLANTED[by].items():
        s = segments[name]
        if planted:
            assert s.drivers[0].question == signal, s.sentence
            assert s.drivers[0].low > 0.4 and s.r2 > 0.4
            others = [o for o in PLANTED[by] if o != name]
            assert all(segments[o].drivers[0].question != signal for o in others)
        else:
            assert s.r2 < 0.05 and "nothing here" in s.sentence, s.sentence


def test_segments_say_who_they_are(shop):
    planted, _, db, site = shop
    by_orders = {s.segment: s for s in drivers(db, site, "visit", "nps", by="orders").segments}
    assert set(by_orders) == {"orders under 50", "orders 200–1000", "not identified"}
    assert by_orders["orders under 50"].sentence.startswith("For customers with orders under 50")
    assert by_orders["not identified"].sentence.startswith(
        "For respondents not linked to a customer"
    )
    tickets = {s.segment for s in drivers(db, site, "visit", "nps", by="ticket").segments}
    assert tickets == {"no open ticket", "not identified"}
    reason = drivers(db, site, "visit", "nps", by="answer:reason", behaviour=True).segments
    if planted:
        assert reason[0].sentence.startswith('For reason "buy", abandoned fields explains ')


def test_without_behaviour_only_the_questions_are_weighed(shop):
    _, _, db, site = shop
    result = drivers(db, site, "visit", "nps", by="orders")
    assert all([d.question for d in s.drivers] == ["delivery"] for s in result.segments)


@pytest.mark.parametrize(
    "by, message",
    [
        ("answer:nps", "answer: one of reason"),
        ("answer:nope", "answer: one of reason"),
        ("planet", "one of device, visitor, orders, ticket, answer:QUESTION"),
    ],
)
def test_a_segment_the_survey_cannot_give_is_refused(shop, by, message):
    _, path, db, site = shop
    with pytest.raises(InvalidInput) as caught:
        drivers(db, site, "visit", "nps", by=by)
    assert caught.value.fields == {"by": [message]}
    out = CliRunner(env={"CXLISTEN_DB": path}).invoke(
        cli, ["drivers", "visit", "--outcome", "nps", "--by", by]
    )
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_the_command_weighs_behaviour_per_segment(shop):
    planted, path, _, _ = shop
    out = CliRunner(env={"CXLISTEN_DB": path}).invoke(
        cli, ["drivers", "visit", "--outcome", "nps", "--by", "orders", "--behaviour"]
    )
    assert out.exit_code == 0, out.output
    assert len(out.output.splitlines()) == 3
    assert ("rage clicks explains" in out.output) is planted
    assert ("nothing here" in out.output) is not planted


@pytest.mark.parametrize(
    "steps, loops",
    [
        (["/", "/a", "/b"], False),
        (["/", "/a", "/a", "/b"], False),  # a reload
        (["/", "/a", "/b", "/a"], True),
        (["/", "/a", "/"], True),
    ],
)
def test_a_loop_is_a_return_to_a_page_left_earlier(steps, loops):
    assert has_loop(steps) is loops
