"""The traffic generator writes what ingestion would, with the planted problems."""

from __future__ import annotations

import json

import pytest

from cxlisten import sessions as sessionise
from cxlisten.errors import InvalidInput
from cxlisten.simulate import simulate
from cxlisten.storage import events as event_store


def test_counts_add_up(shop_ro, shop_file):
    db, site = shop_ro
    counts = shop_file[1]
    assert counts["events"] >= 60_000
    assert event_store.count_events(db, site.id) == counts["events"]
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == counts["sessions"]
    assert db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] == counts["visitors"]
    assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == counts["responses"]
    assert db.execute("SELECT COUNT(*) FROM action_exposures").fetchone()[0] == counts["exposures"]


def test_session_summaries_match_their_events(shop_ro):
    db, site = shop_ro
    for (session_id,) in db.execute("SELECT id FROM sessions ORDER BY id LIMIT 25").fetchall():
        stored = event_store.get_session(db, session_id)
        rebuilt = sessionise.new_session(
            site.id,
            stored["visitor_id"],
            stored["started"],
            _Device(stored),
            bool(stored["is_returning"]),
        )
        rows = db.execute(
            "SELECT kind, ts, path, name, action, value FROM events "
            "WHERE session_id = ? ORDER BY seq",
            [session_id],
        ).fetchall()
        for kind, ts, path, name, action, value in rows:
            sessionise.apply_event(
                rebuilt,
                {
                    "kind": kind,
                    "ts": ts,
                    "path": path,
                    "name": name,
                    "action": action,
                    "value": value,
                },
            )
        for key in (
            "steps",
            "dwell",
            "pageviews",
            "events",
            "surveys_shown",
            "surveys_answered",
            "surveys_dismissed",
            "interventions_shown",
            "started",
            "last_ts",
        ):
            assert rebuilt[key] == stored[key], (session_id, key)


class _Device:
    def __init__(self, s):
        self.kind, self.browser, self.os, self.is_bot = (
            s["device"],
            s["browser"],
            s["os"],
            bool(s["is_bot"]),
        )


def test_answers_go_through_the_survey_tables(shop_ro):
    db, _ = shop_ro
    texts = [
        r[0]
        for r in db.execute(
            "SELECT value FROM answers WHERE survey = 'cart-abandon' AND question = 'more'"
        )
    ]
    assert any("运费" in t for t in texts) and any("Shipping" in t for t in texts)
    assert (
        db.execute(
            "SELECT COUNT(*) FROM surveys WHERE slug IN ('pulse', 'cart-abandon')"
        ).fetchone()[0]
        == 2
    )


def test_same_seed_same_traffic(db, site, tmp_path):
    from cxlisten import sites
    from cxlisten.storage.db import open_database

    other = open_database(str(tmp_path / "other.db"))
    other_site = sites.create_site(other, "Shop", ["https://shop.example"])
    a = simulate(db, site, events=3000, seed=5, now=1_795_000_000_000)
    b = simulate(other, other_site, events=3000, seed=5, now=1_795_000_000_000)
    assert {k: v for k, v in a.items() if k != "seconds"} == {
        k: v for k, v in b.items() if k != "seconds"
    }
    steps = "SELECT steps FROM sessions ORDER BY started, id"
    assert [json.loads(r[0]) for r in db.execute(steps)] == [
        json.loads(r[0]) for r in other.execute(steps)
    ]


def test_simulated_shop_uses_the_example_journeys():
    from pathlib import Path

    from cxlisten.simulate import SHOP_JOURNEYS

    example = json.loads((Path(__file__).parents[2] / "examples" / "journeys.json").read_text())
    assert {k: example[k] for k in ("paths", "journeys")} == SHOP_JOURNEYS


def test_simulated_cart_abandon_answers_fit_the_example_survey():
    from pathlib import Path

    from cxlisten.simulate import DEMO_SURVEYS, PLANTED_REASONS

    example = json.loads(
        (Path(__file__).parents[2] / "examples" / "surveys" / "cart-abandon.json").read_text()
    )
    ours = next(s for s in DEMO_SURVEYS if s["id"] == "cart-abandon")

    def shape(survey):
        return [
            (q["id"], q["type"], [o["code"] for o in q.get("options", [])])
            for q in survey["questions"]
        ]

    assert shape(ours) == shape(example)
    codes = {o["code"] for o in example["questions"][0]["options"]}
    assert {code for code, *_ in PLANTED_REASONS} <= codes


# -- the simulated shop is the demo's shop ------------------------------------------------------


def test_every_simulated_page_is_a_page_of_the_demo_shop(shop_ro):
    from collector.demo import ShopApp

    db, _ = shop_ro
    paths = [r[0] for r in db.execute("SELECT DISTINCT path FROM events WHERE kind = 'pageview'")]
    assert len(paths) > 15
    shop = ShopApp()
    assert [p for p in paths if shop.resolve(p) is None] == []


def test_every_simulated_product_and_article_has_its_page():
    from collector.demo import ShopApp
    from cxlisten.simulate_shop import ARTICLES, PRODUCTS

    shop = ShopApp()
    pages = [f"/product/{p}" for p in PRODUCTS] + [f"/help/article/{a}" for a in ARTICLES]
    assert [p for p in pages if shop.resolve(p) is None] == []


def test_urls_are_on_the_sites_own_origin(shop_ro):
    db, site = shop_ro
    origins = {r[0].split("/", 3)[2] for r in db.execute("SELECT DISTINCT url FROM events")}
    assert origins == {site.origins[0].split("/", 3)[2]}


@pytest.mark.parametrize("visitors", [1, 40, 250])
def test_visitors_means_visitors(db, site, visitors):
    counts = simulate(db, site, visitors=visitors, seed=3, now=1_795_000_000_000)
    assert counts["visitors"] == visitors
    assert db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] == visitors


def test_visitors_or_events_not_both(db, site):
    with pytest.raises(InvalidInput) as exc:
        simulate(db, site, visitors=10, events=100)
    assert "visitors" in exc.value.fields


def test_the_checkout_experiment_is_the_example_proactive_rule():
    from pathlib import Path

    from cxlisten.simulate_shop import EXPERIMENT_ACTIONS, EXPERIMENT_RULE, HELPFUL_ACTION

    rules = json.loads((Path(__file__).parents[2] / "examples" / "rules.json").read_text())
    example = next(r for r in rules["rules"] if r["name"] == EXPERIMENT_RULE)
    assert example["level"] == "proactive" and example["journey"] == "checkout"
    assert EXPERIMENT_ACTIONS == tuple(a["id"] for a in example["then"]["choose"])
    assert HELPFUL_ACTION in EXPERIMENT_ACTIONS
