"""Shallow scroll as a signal of the problem score: planted on phones at payment, and absent."""

from __future__ import annotations

import json

import pytest

import cxlisten.diagnose as diagnose_module
from cxlisten.diagnose import WEIGHTS, diagnose
from cxlisten.scrolldepth import SiteScroll, StepScroll
from cxlisten.simulate import simulate


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    """The demo shop simulated with its shallow payment page on phones planted, and without."""
    from cxlisten import sites
    from cxlisten.storage.db import open_database

    made = {}
    for planted in (True, False):
        path = str(tmp_path_factory.mktemp("shop") / "shop.db")
        db = open_database(path, synchronous="NORMAL")
        site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
        simulate(db, site, events=30_000, seed=11, shallow=planted)
        made[planted] = diagnose(db, site)
        db.conn.close()
    return made


def test_phones_not_scrolling_the_payment_page_is_a_signal_with_its_evidence(shops):
    checkout = shops[True].journey("checkout")
    payment = next(s for s in checkout.steps if s.step == "/checkout/payment")
    # Planted: every phone visit to the payment page stops at 15%; phones are about a third
    assert 0.2 <= payment.shallow_share <= 0.5
    assert all(s.shallow_share == 0 for s in checkout.steps if s is not payment)
    assert 0.15 <= checkout.problem.signals.shallow <= payment.shallow_share
    [line] = [e for e in checkout.problem.evidence if "scrolled" in e]
    assert line == (
        f"{payment.shallow_share * 100:.0f}% of visits to /checkout/payment never scrolled "
        "past 25% of the page (2% of the site's page views)"
    )
    assert line.key == "evidence.shallow"  # a typed sentence, worded in the console's locale
    assert line.say("zh-CN") == (
        f"/checkout/payment 的访问中有 {payment.shallow_share * 100:.0f}% 从未滚动超过页面的 25%"
        "（全站页面浏览为 2%）"
    )
    unplanted = shops[False].journey("checkout").problem.score
    assert checkout.problem.score > unplanted  # the signal weighs in the score
    for other in ("support", "search", "signup"):
        assert shops[True].journey(other).problem.signals.shallow is None


def test_without_shallow_scroll_nothing_is_said_of_it(shops):
    for journey in shops[False].journeys:
        assert journey.problem.signals.shallow is None
        assert not any("scrolled" in line for line in journey.problem.evidence)
        assert all(s.shallow_share == 0 for s in journey.steps)


def test_a_step_as_shallow_as_the_rest_of_the_site_is_not_a_signal():
    site, step = SiteScroll(), StepScroll(2)
    for i in range(100):
        depths = [20 if i % 3 == 0 else 80, 20 if i % 3 == 0 else 80]  # a third shallow everywhere
        site.add(json.dumps(depths))
        step.add(((0, 0), (1, 1)), depths)
    assert step.worst(site) is None
    assert step.evidence(["/a", "/b"], site) == []
    unmeasured = StepScroll(1)
    unmeasured.add(((0, 0),), [0])  # no dwell event arrived: not measured, not shallow
    assert unmeasured.measured == [0] and unmeasured.worst(site) is None


def test_scroll_counts_merge_and_keep_as_json_exactly():
    site, days = SiteScroll(), []
    whole = StepScroll(2)
    for day in range(3):
        part, part_site = StepScroll(2), SiteScroll()
        for i in range(20 + day):
            depths = [10 + 7 * i % 90, 0 if i % 4 else 20]
            for counts, sites in ((part, part_site), (whole, site)):
                counts.add(((0, 0), (1, 1)), sites.add(json.dumps(depths)))
        days.append(
            (StepScroll.from_json(part.to_json()), SiteScroll.from_json(part_site.to_json()))
        )
    merged, merged_site = StepScroll(2), SiteScroll()
    for part, part_site in days:
        merged.merge(part)
        merged_site.merge(part_site)
    assert (merged.measured, merged.shallow) == (whole.measured, whole.shallow)
    assert (merged_site.measured, merged_site.shallow) == (site.measured, site.shallow)


def test_the_weights_stay_one_declaration_and_the_docstring_names_each():
    assert WEIGHTS["shallow"] == 0.10
    table = diagnose_module.__doc__
    assert "combines eight signals" in table and len(WEIGHTS) == 8
    for name, weight in WEIGHTS.items():
        assert f"{weight:.2f}" in table
        assert name[:7] in table
