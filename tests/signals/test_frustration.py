"""Frustration signals: rage clicks derived from click events, dead clicks and abandoned fields
sent by the snippet, folded into the session summaries and scored by diagnose."""

from __future__ import annotations

import json
import random

import pytest

from cxlisten import journeys, signals
from cxlisten.diagnose import diagnose
from cxlisten.sessions import apply_event, new_session
from cxlisten.simulate import simulate
from tests.clock import now_ms
from tests.conftest import BROWSER_UA, ORIGIN, batch, event
from tests.phases.conftest import DESKTOP

FLOW = {"name": "order", "steps": ["/basket", "/delivery", "/confirm"], "goal": "/thanks"}


def _session_with_clicks(times, targets=None):
    session = new_session(1, "v", times[0], DESKTOP, False)
    for i, ts in enumerate(times):
        target = targets[i] if targets else "button#pay"
        click = {"target": target, "text": "Pay"}
        apply_event(session, {"kind": "click", "ts": ts, "path": "/pay", "click": click})
    return session


@pytest.mark.parametrize(
    "times, targets, rage",
    [
        ([0, 200, 400], None, 1),  # three within a second
        ([0, 200, 400, 600, 800, 1000], None, 1),  # one burst, counted once
        ([0, 300], None, 0),  # two are not rage
        ([0, 600, 1200, 1800], None, 0),  # never three within a second
        ([0, 100, 200], ["button#pay", "button#back", "button#pay"], 0),  # other elements
        ([0, 100, 200, 5000, 5100, 5200], None, 2),  # two bursts
    ],
)
def test_rage_clicks_are_three_clicks_on_one_element_within_a_second(times, targets, rage):
    session = _session_with_clicks(times, targets)
    assert session["rage_clicks"] == rage
    assert session["signals"] == [["rage", "/pay", "button#pay", "Pay"]] * rage


def test_signals_kept_are_bounded_but_counted():
    session = _session_with_clicks([i * 10_000 + d for i in range(60) for d in (0, 1, 2)])
    assert session["rage_clicks"] == 60
    assert len(session["signals"]) == signals.MAX_SIGNALS


class Visitor:
    """One browser posting batches to the collector with the token it was answered."""

    def __init__(self, client, site):
        self.client, self.site, self.token = client, site, None

    def send(self, *events) -> dict:
        reply = self.client.post(
            "/v1/collect",
            data=json.dumps(batch(self.site, *events, visitor=self.token)),
            headers={"User-Agent": BROWSER_UA, "Origin": ORIGIN},
            content_type="application/json",
        )
        assert reply.status_code == 200, reply.get_json()
        body = reply.get_json()
        assert not body["rejected"], body
        self.token = body["visitor"]
        return body


def page(path, ts, dwell_ms=8000):
    """A page view of PATH at TS and its dwell."""
    return [
        event("pageview", ts=ts, url=ORIGIN + path, path=path),
        event("dwell", ts=ts + dwell_ms, url=ORIGIN + path, visible_ms=dwell_ms, total_ms=dwell_ms),
    ]


def clicks(path, ts, n, target="button#apply", text="Apply", gap=200, **fields):
    return [
        event("click", ts=ts + i * gap, url=ORIGIN + path, target=target, text=text, **fields)
        for i in range(n)
    ]


def summary(db, session_id):
    row = db.execute(
        "SELECT rage_clicks, dead_clicks, abandoned_fields, signals, scroll FROM sessions "
        "WHERE id = ?",
        [session_id],
    ).fetchone()
    return row[:3] + (json.loads(row[3]), json.loads(row[4]))


def test_a_rage_run_split_across_two_batches_is_still_rage(client, site, db):
    t = now_ms() - 60_000
    visitor = Visitor(client, site)
    visitor.send(*page("/pay", t), *clicks("/pay", t + 100, 2))
    reply = visitor.send(*clicks("/pay", t + 500, 1))
    rage, dead, abandoned, kept, scroll = summary(db, reply["session"])
    assert (rage, dead, abandoned) == (1, 0, 0)
    assert kept == [["rage", "/pay", "button#apply", "Apply"]]
    assert scroll == [40]  # the dwell event's scroll, per step


def test_dead_clicks_and_abandoned_fields_from_the_snippet_are_counted(client, site, db):
    t = now_ms() - 60_000
    reply = Visitor(client, site).send(
        *page("/form", t),
        *clicks("/form", t + 100, 1, target="button.print", text="Print", signal="dead"),
        *clicks("/form", t + 200, 1, target="input#email", text="E-mail", signal="abandoned"),
    )
    rage, dead, abandoned, kept, _ = summary(db, reply["session"])
    assert (rage, dead, abandoned) == (0, 1, 1)
    assert kept == [
        ["dead", "/form", "button.print", "Print"],
        ["abandoned", "/form", "input#email", "E-mail"],
    ]


def test_an_unknown_signal_is_refused_with_a_field_message(client, site):
    reply = client.post(
        "/v1/collect",
        data=json.dumps(batch(site, event("click", signal="angry"))),
        headers={"User-Agent": BROWSER_UA, "Origin": ORIGIN},
        content_type="application/json",
    )
    assert reply.status_code in (200, 400)
    assert "signal" in reply.get_json()["rejected"][0]["errors"]


def _traffic(client, site, *, rage_share: float, seed=3):
    """40 sessions through FLOW; every step loses the same share; RAGE_SHARE rage at /delivery."""
    rng = random.Random(seed)
    t0 = now_ms() - 3_600_000
    for i in range(40):
        t = t0 + i * 60_000
        events = []
        path = ["/basket", "/delivery", "/confirm", "/thanks"][: 4 - i % 4 // 3]
        for k, step in enumerate(path):
            events += page(step, t + k * 10_000)
            if step == "/delivery" and rng.random() < rage_share:
                events += clicks(step, t + k * 10_000 + 1000, rng.randint(3, 5))
            elif step == "/delivery":
                events += clicks(step, t + k * 10_000 + 1000, 1)
        Visitor(client, site).send(*events)


@pytest.mark.parametrize("planted", [True, False])
def test_planted_rage_clicks_rank_their_step_first(client, site, db, planted):
    journeys.save_journey(db, site.id, FLOW)
    _traffic(client, site, rage_share=0.5 if planted else 0.0)
    result = diagnose(db, site).journey("order")
    problem = result.problem
    rage_lines = [line for line in problem.evidence if "rage-clicked" in line]
    if planted:
        assert problem.failing_step == "/delivery"
        assert problem.signals.frustration == pytest.approx(problem.counts.frustrated / 40)
        assert 0.3 <= problem.signals.frustration <= 0.7
        assert rage_lines == [
            f"{problem.signals.frustration * 100:.0f}% of sessions rage-clicked the *Apply* "
            "button on /delivery"
        ]
    else:
        # Nothing here: the signal is left out of the score, and no sentence claims otherwise.
        assert problem.signals.frustration is None
        assert problem.failing_step != "/delivery"
        assert rage_lines == []


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    """The demo shop simulated with its frustration planted, and without."""
    from cxlisten import sites
    from cxlisten.storage.db import open_database

    made = {}
    for planted in (True, False):
        path = str(tmp_path_factory.mktemp("shop") / "shop.db")
        db = open_database(path, synchronous="NORMAL")
        site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
        simulate(db, site, events=30_000, seed=11, frustration=planted)
        made[planted] = diagnose(db, site)
        db.conn.close()
    return made


def test_the_demo_plants_rage_clicks_on_pay_and_diagnose_names_them(shops):
    checkout = shops[True].journey("checkout").problem
    assert checkout.failing_step == "/checkout/payment"
    line = next(line for line in checkout.evidence if "rage-clicked" in line)
    assert line.endswith("of sessions rage-clicked the *Pay* button on /checkout/payment")
    # Planted: ~70% of the ~57% that fail at payment, of the sessions that entered at /cart
    assert 0.10 <= checkout.signals.frustration <= 0.45
    assert any("*Card number* field on /checkout/payment" in line for line in checkout.evidence)


def test_the_demo_without_frustration_says_nothing_of_it(shops):
    for journey in shops[False].journeys:
        assert journey.problem.signals.frustration is None
        assert journey.problem.counts.frustrated == 0
        assert not any("click" in line or "typed" in line for line in journey.problem.evidence)
