"""Page speed: what vitals.js sends is stored per step, reported as performance people read it,
found as a slow step and tied to what visitors answer (cxlisten.speed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cxlisten import surveys
from cxlisten.cli import cli
from cxlisten.diagnose import diagnose
from cxlisten.errors import InvalidInput
from cxlisten.simulate import simulate
from cxlisten.speed import speed_and_feelings, speed_report
from cxlisten.vitals import p75, rating
from tests.conftest import BROWSER_UA, batch, event
from tests.phases.conftest import NOW

FAST = {"ttfb": 300, "fcp": 900, "lcp": 1500, "cls": 0.02, "inp": 80, "conn": "4g"}


def test_thresholds_rate_as_published():
    assert [rating("lcp", v) for v in (2500, 2501, 4000, 4001)] == [
        "good",
        "needs-improvement",
        "needs-improvement",
        "poor",
    ]
    assert rating("cls", 0.1) == "good" and rating("cls", 0.26) == "poor"
    assert p75([1, 2, 3, 4]) == 3 and p75([5]) == 5  # nearest rank


# --- ingestion --------------------------------------------------------------------------------


def test_a_dwell_event_carries_its_page_views_speed_into_the_session_step(client, db, site):
    url = "https://shop.example/checkout/payment"
    views = [event("pageview", url="https://shop.example/cart"), event("pageview", url=url)]
    r = client.post("/v1/collect", json=batch(site, *views))
    assert r.status_code == 200, r.json
    visitor = r.json["visitor"]
    slow = {**FAST, "lcp": 5200}
    for vitals in ({**FAST, "lcp": 4100}, slow):  # the later dwell has the page view's all
        dwell = event("dwell", url=url, vitals=vitals)
        assert (
            client.post("/v1/collect", json=batch(site, dwell, visitor=visitor)).json["accepted"]
            == 1
        )
    [(steps, speed)] = db.execute("SELECT steps, speed FROM sessions").fetchall()
    assert json.loads(steps) == ["/cart", "/checkout/payment"]
    assert json.loads(speed) == [None, slow]


@pytest.mark.parametrize(
    ("vitals", "message"),
    [
        ({"lcp": -1}, "lcp"),
        ({"lcp": 1.5}, "lcp"),
        ({"cls": "a"}, "cls"),
        ({"conn": "6g"}, "conn"),
        ({"speed": 1}, "must be an object"),
        ([1], "must be an object"),
    ],
)
def test_bad_vitals_are_refused_in_place_and_the_rest_is_kept(client, db, site, vitals, message):
    good = event("pageview")
    bad = event("dwell", vitals=vitals)
    r = client.post("/v1/collect", json=batch(site, good, bad))
    assert r.status_code == 400 and r.json["accepted"] == 1  # the page view is kept
    assert message in " ".join(r.json["error"]["fields"]["events.1.vitals"])


def test_a_slow_page_trigger_needs_its_metric_and_threshold(db, site):
    definition = {
        "id": "fast-enough",
        "phase": "track",
        "trigger": {"type": "slow_page", "metric": "lcp"},
        "questions": [{"id": "q", "type": "csat", "text": {"en": "Fast enough?"}}],
    }
    with pytest.raises(InvalidInput) as e:
        surveys.create_survey(db, site, definition)
    assert "trigger.over" in e.value.fields
    definition["trigger"] = {"type": "slow_page", "metric": "ttfx", "over": 1}
    with pytest.raises(InvalidInput) as e:
        surveys.create_survey(db, site, definition)
    assert "trigger.metric" in e.value.fields
    definition["trigger"] = {"type": "slow_page", "metric": "lcp", "over": 4000}
    assert surveys.create_survey(db, site, definition).definition["trigger"]["over"] == 4000


# --- planted: a slow payment page on phones that lowers the checkout's ease ----------------------


def test_the_planted_slow_step_is_found_on_phones(shop_ro):
    db, site = shop_ro
    report = speed_report(db, site)
    payment = {(p.split, p.segment): p for p in report.pages if p.page == "/checkout/payment"}
    phones, desktops = payment[("device", "mobile")], payment[("device", "desktop")]
    assert phones.metric("lcp").p75 > 4000 and phones.metric("lcp").rating == "poor"
    assert desktops.metric("lcp").rating == "good" and desktops.metric("lcp").poor == 0
    assert phones.steps == ("checkout · step 3",)
    first = report.slow_steps[0]
    assert (first.page, first.segment, first.metric) == ("/checkout/payment", "mobile", "lcp")
    assert first.evidence.startswith("p75 LCP on /checkout/payment is ")
    assert "for mobile visitors, poor (over 4.0 s); the site's median page is" in first.evidence
    assert {s.page for s in report.slow_steps} == {"/checkout/payment"}  # nothing else is slow


def test_the_slow_step_is_a_signal_of_the_problem_score(shop_ro):
    db, site = shop_ro
    result = diagnose(db, site)
    checkout = result.journey("checkout")
    assert checkout.problem.signals.slow > 0.1
    assert any(
        e.startswith("p75 LCP on /checkout/payment is ") and "poor" in e
        for e in checkout.problem.evidence
    )
    payment = next(s for s in checkout.steps if s.step == "/checkout/payment")
    assert payment.slow_share > 0.2
    assert result.journey("signup").problem.signals.slow == 0.0


def test_visitors_whose_payment_page_was_slow_rate_the_ease_lower(shop_ro):
    db, site = shop_ro
    found = speed_and_feelings(
        db, site, "cart-abandon", "ease", "/checkout/payment", journey="checkout"
    )
    d = found.answer_difference
    assert d["value"] < -0.5 and d["high"] < 0, d  # planted: about 1.5 points lower
    assert found.summary.startswith("visitors whose /checkout/payment took over 4.0 s (LCP) rate")
    assert "points worse" in found.summary
    poor = next(b for b in found.bands if b.name == "poor")
    good = next(b for b in found.bands if b.name == "good")
    assert poor.respondents >= 10 and good.respondents >= 10
    assert poor.answer["value"] < good.answer["value"]


# --- absent: nothing slow, nothing said to be ------------------------------------------------------


@pytest.fixture
def fast_shop(db, site):
    """A simulated shop without page speed, then fast page views only, stored as the snippet
    sends them."""
    simulate(db, site, events=6000, seed=3, now=NOW, speed=False)
    return db, site


def test_without_measurements_there_is_no_speed_signal_nor_report(fast_shop):
    db, site = fast_shop
    assert diagnose(db, site).journey("checkout").problem.signals.slow is None
    report = speed_report(db, site)
    assert report.page_views == 0 and report.pages == () and report.slow_steps == ()
    found = speed_and_feelings(db, site, "cart-abandon", "ease", "/checkout/payment")
    assert found.answer_difference["value"] is None
    assert found.summary.startswith("not enough answers to ease")


def test_fast_pages_make_no_slow_step(client, db, site):
    client.environ_base["HTTP_USER_AGENT"] = BROWSER_UA  # a person's browser, not a bot
    for _ in range(25):
        url = "https://shop.example/checkout/payment"
        r = client.post("/v1/collect", json=batch(site, event("pageview", url=url)))
        visitor = r.json["visitor"]
        client.post(
            "/v1/collect", json=batch(site, event("dwell", url=url, vitals=FAST), visitor=visitor)
        )
    report = speed_report(db, site)
    [everyone] = [p for p in report.pages if p.split == "all"]
    assert everyone.views == 25 and everyone.metric("lcp").p75 == 1500
    assert everyone.metric("lcp").good == 1.0
    assert report.slow_steps == ()


# --- the command ------------------------------------------------------------------------------------


def test_the_command_prints_the_slow_step_and_the_feelings(shop_file):
    path, _ = shop_file
    r = CliRunner().invoke(
        cli,
        [
            "speed",
            "--db",
            path,
            "--survey",
            "cart-abandon",
            "--question",
            "ease",
            "--page",
            "/checkout/payment",
            "--journey",
            "checkout",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Slow steps\n- p75 LCP on /checkout/payment is " in r.output
    assert "rate ease " in r.output and "points worse" in r.output
    as_json = CliRunner().invoke(cli, ["speed", "--db", path, "--json"])
    assert json.loads(as_json.output)["slow_steps"][0]["page"] == "/checkout/payment"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--survey", "cart-abandon"], "--survey needs --question and --page"),
        (["--page", "/x"], "go with --survey"),
        (["--metric", "fid"], "Invalid value for '--metric'"),
    ],
)
def test_bad_options_are_one_readable_line(shop_file, args, message):
    r = CliRunner().invoke(cli, ["speed", "--db", shop_file[0], *args])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output


# --- speed as a driver ------------------------------------------------------------------------------


def test_page_speed_enters_the_drivers_as_one_more_element(shop_ro):
    from cxlisten.drivers import drivers

    db, site = shop_ro
    [overall] = drivers(db, site, "cart-abandon", "ease", speed="lcp").segments
    assert [d.question for d in overall.drivers] == ["page speed (LCP)"]
    assert overall.r2 >= 0.05  # planted: the slow payment page lowers the ease
    assert overall.sentence.startswith("Overall, page speed (LCP) explains ")
    # Without it the survey has no experience question beside its outcome to weigh.
    with pytest.raises(InvalidInput):
        drivers(db, site, "cart-abandon", "ease")
    with pytest.raises(InvalidInput) as e:
        drivers(db, site, "cart-abandon", "ease", speed="fid")
    assert "speed" in e.value.fields


def test_without_measured_speed_the_speed_driver_has_nobody_to_weigh(fast_shop):
    from cxlisten.drivers import drivers

    db, site = fast_shop
    [overall] = drivers(db, site, "cart-abandon", "ease", speed="lcp").segments
    assert overall.drivers == () and "too few to tell" in overall.sentence
