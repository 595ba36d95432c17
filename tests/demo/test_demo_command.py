"""``cxlisten demo`` and ``cxlisten.demo``: a fresh database, two servers, a clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from click.testing import CliRunner

from collector.cli import cli, describe
from collector.demo import ShopApp, start_demo
from cxlisten import journeys, surveys
from cxlisten.demo import (
    DEMO_SITE_KEY,
    EXAMPLES_DIR,
    create_demo_database,
    demo_settings,
)
from cxlisten.errors import InvalidInput
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import open_database
from tests.clock import now_ms
from tests.conftest import BROWSER_UA


def test_the_demo_database_has_the_demo_site_allowed_from_the_shop(db_path):
    summary = create_demo_database(db_path, ["http://127.0.0.1:8001"])
    site = site_store.site_by_key(open_database(db_path), DEMO_SITE_KEY)
    assert summary.site_key == DEMO_SITE_KEY
    assert site.origins == ("http://127.0.0.1:8001",)
    assert summary.admin_key.startswith("cxadmin_")


def test_the_demo_database_holds_every_example(db_path):
    summary = create_demo_database(db_path, ["http://127.0.0.1:8001"])
    files = {p.stem: json.loads(p.read_text()) for p in (EXAMPLES_DIR / "surveys").glob("*.json")}
    assert sorted(summary.surveys + summary.interventions) == sorted(
        d["id"] for d in files.values()
    )
    assert "what-brings-you" in summary.surveys
    named = json.loads((EXAMPLES_DIR / "journeys.json").read_text())["journeys"]
    assert summary.journeys == [j["name"] for j in named]
    rules = json.loads((EXAMPLES_DIR / "rules.json").read_text())["rules"]
    assert summary.rules == [r["name"] for r in rules]
    assert "home-offer" in summary.rules


@pytest.mark.parametrize(
    ("journey", "phase"),
    [
        ("checkout", "deepdive"),
        ("signup", "deepdive"),
        ("support", "deepdive"),
        ("search", "track"),
    ],
)
def test_each_demo_journey_starts_in_its_phase_of_the_story(db_path, journey, phase):
    create_demo_database(db_path, ["http://127.0.0.1:8001"])
    db = open_database(db_path)
    site = site_store.site_by_key(db, DEMO_SITE_KEY)
    assert journeys.phase_of(db, site.id, journey) == phase


def test_an_earlier_demo_database_is_replaced(db_path):
    create_demo_database(db_path, ["http://127.0.0.1:8001"])
    create_demo_database(db_path, ["http://127.0.0.1:9001"])
    all_sites = site_store.list_sites(open_database(db_path))
    assert [s.origins for s in all_sites] == [("http://127.0.0.1:9001",)]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all", None],
    ids=["empty file", "text file", "another cxlisten database"],
)
def test_any_other_existing_file_is_refused_and_kept(tmp_path, content):
    path = tmp_path / "precious.db"
    if content is None:
        from cxlisten import sites

        sites.create_site(open_database(str(path)), "Real shop", ["https://shop.example"])
    else:
        path.write_bytes(content)
    result = CliRunner().invoke(cli, ["demo", "--db", str(path), "--port", "0", "--shop-port", "0"])
    assert result.exit_code == 1
    assert "is not a demo database" in result.output
    if content is None:
        assert [s.name for s in site_store.list_sites(open_database(str(path)))] == ["Real shop"]
    else:
        assert path.read_bytes() == content


def test_start_demo_serves_the_shop_and_the_collector_on_their_own_ports(db_path):
    with start_demo(db_path, port=0, shop_port=0) as demo:
        assert demo.shop_url != demo.collector_url
        page = requests.get(demo.shop_url + "/cart", timeout=5)
        assert page.status_code == 200
        assert f'src="{demo.collector_url}/sdk.js" data-site="cx_demo"' in page.text
        assert requests.get(demo.collector_url + "/healthz", timeout=5).json() == {"status": "ok"}
        # The shop is another origin: the browser's CORS preflight must be allowed.
        preflight = requests.options(
            demo.collector_url + "/v1/collect",
            headers={"Origin": demo.shop_url, "Access-Control-Request-Method": "POST"},
            timeout=5,
        )
        assert preflight.headers.get("Access-Control-Allow-Origin") == demo.shop_url
    with pytest.raises(requests.ConnectionError):
        requests.get(demo.shop_url, timeout=2)


def test_help_lists_every_option():
    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--port", "--shop-port", "--simulate", "--no-browser-hint"):
        assert option in result.output


def _read_until(stream, marker: str, deadline: float) -> str:
    seen = ""
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {marker!r} in output: {seen!r}")
        line = stream.readline()
        if not line:
            raise AssertionError(f"exited before {marker!r}: {seen!r}")
        seen += line
    return seen


def test_the_command_prints_the_urls_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    db = tmp_path / "demo.db"
    args = ["demo", "--db", str(db), "--port", "0", "--shop-port", "0"]
    with subprocess.Popen(
        [sys.executable, "-c", "from collector.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A run started in the background inherits SIGINT ignored, and Ctrl-C would do nothing.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as proc:
        _interrupt_after_checks(proc)
    assert db.exists()


def _interrupt_after_checks(proc):
    try:
        out = _read_until(proc.stdout, "Press Ctrl-C to stop.", time.monotonic() + 90)
        shop_url = next(
            line.split()[1] for line in out.splitlines() if line.strip().startswith("Shop:")
        )
        assert requests.get(shop_url, timeout=5).status_code == 200
        assert "cxlisten track --db" in out
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, {"contact_sessions": 5, "contact_days": 0}),
        ({"CXLISTEN_CONTACT_DAYS": "14"}, {"contact_sessions": 5}),
        ({"CXLISTEN_CONTACT_DAYS": "3", "CXLISTEN_CONTACT_SESSIONS": "1"}, {}),
    ],
)
def test_the_demo_relaxes_the_contact_budget_unless_the_environment_says(environ, expected):
    assert demo_settings(environ) == expected


@pytest.fixture(scope="module")
def simulated_demo(tmp_path_factory):
    """A demo database filled with 1,000 simulated visitors."""
    path = str(tmp_path_factory.mktemp("simulated") / "demo.db")
    return create_demo_database(path, ["http://127.0.0.1:8001"], simulate=1000)


def test_simulate_n_fills_the_database_with_n_visitors(simulated_demo):
    counts = simulated_demo.simulated
    assert counts["visitors"] == 1000
    db = open_database(simulated_demo.db_path)
    assert db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] == 1000
    assert counts["sessions"] > counts["visitors"]
    assert counts["responses"] > 0


def test_the_simulated_visitors_browse_this_shop(simulated_demo):
    """Every simulated page view is a page of examples/shop, at the demo's shop address."""
    db = open_database(simulated_demo.db_path)
    site = site_store.site_by_key(db, DEMO_SITE_KEY)
    views = db.execute("SELECT DISTINCT url, path FROM events WHERE kind = 'pageview'").fetchall()
    shop = ShopApp()
    assert [path for _, path in views if shop.resolve(path) is None] == []
    assert {url[: -len(path)] for url, path in views} == {site.origins[0]}
    assert {path for _, path in views} >= {"/", "/products", "/product/mug", "/checkout/payment"}


def test_the_example_rule_measures_the_planted_checkout_experiment(simulated_demo):
    """The simulator records exposures under examples/rules.json's rule and candidate ids."""
    result = CliRunner().invoke(cli, ["activate", "lift", "--db", simulated_demo.db_path, "--json"])
    assert result.exit_code == 0, result.output
    lifts = {r["rule"]: r for r in json.loads(result.output)}
    # every rule, and the simulation's one intervention with a holdout (need-help keeps none)
    assert set(lifts) == set(simulated_demo.rules) | {"intervention:chat-offer"}
    measured = {a["action"]: a for a in lifts["checkout-assist"]["actions"]}
    assert set(measured) == {"checkout-chat", "shipping-banner"}
    chat, banner = measured["checkout-chat"], measured["shipping-banner"]
    assert chat["verdict"] == "helps" and chat["lift"]["low"] > 0
    assert banner["verdict"] == "no evidence"
    assert banner["lift"]["low"] < 0 < banner["lift"]["high"]


def test_the_lift_table_shows_each_candidate_against_the_holdout(simulated_demo):
    result = CliRunner().invoke(
        cli, ["activate", "lift", "checkout-assist", "--db", simulated_demo.db_path]
    )
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:]}
    assert set(rows) == {"checkout-assist", "checkout-chat", "shipping-banner"}
    assert rows["checkout-chat"].rstrip().endswith("helps")
    assert rows["shipping-banner"].rstrip().endswith("no evidence")


def test_the_live_shop_asks_only_the_example_surveys_after_a_simulation(simulated_demo):
    db = open_database(simulated_demo.db_path)
    site = site_store.site_by_key(db, DEMO_SITE_KEY)
    active = {s.slug for s in surveys.list_surveys(db, site) if s.status == "active"}
    assert active == set(simulated_demo.surveys) | set(simulated_demo.interventions)
    for slug in simulated_demo.paused:  # paused, not gone: their figures stay in the reports
        survey = surveys.get_survey(db, site, slug)
        if survey.kind == "survey":
            assert surveys.response_counts(db, survey)["complete"] > 0
    assert "chat-offer" in simulated_demo.paused


def test_the_simulation_plants_an_intervention_lift_process_scores_and_behaviour_drivers(
    simulated_demo,
):
    """What the README's behaviour walk-through runs on the demo file says something."""
    db_path = simulated_demo.db_path
    runner = CliRunner()
    found = runner.invoke(
        cli, ["activate", "lift", "--intervention", "chat-offer", "--db", db_path, "--json"]
    )
    assert found.exit_code == 0, found.output
    [chat] = json.loads(found.output)
    assert chat["actions"][0]["verdict"] == "helps" and chat["actions"][0]["lift"]["low"] > 0
    found = runner.invoke(cli, ["activate", "lift", "--intervention", "need-help", "--db", db_path])
    # the example's "Need more help?" keeps no holdout: everyone who needs it sees it
    assert found.exit_code == 0 and found.output.rstrip().endswith("not enough data")
    found = runner.invoke(cli, ["process", "scores", "--db", db_path])
    assert found.exit_code == 0, found.output
    assert "checkout: convenience 2.6" in found.output and "Weakest: convenience" in found.output
    assert "Reliability fell" in found.output
    found = runner.invoke(
        cli, ["drivers", "cart-abandon", "--outcome", "ease", "--behaviour", "--db", db_path]
    )
    assert found.exit_code == 0, found.output
    assert found.output.startswith("Overall, ") and " explains " in found.output


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["track"], ["Most problematic journeys", "checkout", "/checkout/payment", "support"]),
        (["deepdive", "report", "cart-abandon"], ["What stopped you", "Shipping cost"]),
    ],
)
def test_with_simulated_traffic_the_phase_reports_tell_the_planted_story(
    simulated_demo, command, expected
):
    result = CliRunner().invoke(cli, [*command, "--db", simulated_demo.db_path])
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output


@pytest.mark.parametrize("hint", [True, False], ids=["walkthrough", "no-browser-hint"])
def test_the_summary_names_what_was_loaded_and_where_to_go(db_path, hint):
    with start_demo(db_path, port=0, shop_port=0) as demo:
        text = "\n".join(describe(demo, db_path, hint=hint))
    surveys = ", ".join(demo.summary.surveys)
    for expected in (
        f"{len(demo.summary.surveys)} surveys: {surveys}",
        "intervention: need-help",
        "checkout (deepdive)",
        "home-offer",
        f"Shop:       {demo.shop_url}/",
        f"Collector:  {demo.collector_url}/",
        f"Admin key:  {demo.summary.admin_key}",
    ):
        assert expected in text
    assert ("cxlisten track --db" in text) is hint
    assert ("cxlisten export responses" in text) is hint


def test_without_the_examples_the_demo_says_what_is_missing(db_path, tmp_path):
    with pytest.raises(InvalidInput, match="the installed package is incomplete"):
        create_demo_database(db_path, ["http://127.0.0.1:8001"], examples=tmp_path / "nowhere")
    assert not os.path.exists(db_path)


@pytest.mark.parametrize("option", ["--shop-port", "--port"])
def test_a_busy_port_is_one_error_line_and_leaves_the_database_alone(db_path, option):
    create_demo_database(db_path, ["http://127.0.0.1:8001"])
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        ports = {"--port": "0", "--shop-port": "0", option: str(port)}
        args = [x for pair in ports.items() for x in pair]
        result = CliRunner().invoke(cli, ["demo", "--db", db_path, *args])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert option in result.output
    site = site_store.site_by_key(open_database(db_path), DEMO_SITE_KEY)
    assert site.origins == ("http://127.0.0.1:8001",)  # the earlier demo was not replaced


def test_the_relaxed_budget_is_the_sites_so_a_second_terminal_agrees_with_the_collector(
    tmp_path, monkeypatch
):
    for name in ("CXLISTEN_CONTACT_SESSIONS", "CXLISTEN_CONTACT_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CXLISTEN_SECRET", "demo-secret")
    path = str(tmp_path / "demo.db")
    with start_demo(path, port=0, shop_port=0, secret="demo-secret") as demo:
        site = site_store.site_by_key(open_database(path), DEMO_SITE_KEY)
        assert (site.contact_sessions, site.contact_days) == (5, 0)
        # A visitor who has just been shown one survey: under the production budget (one a
        # session) nothing more would show; under the demo's, more may.
        reply = requests.post(
            f"{demo.collector_url}/v1/collect",
            json={
                "site": DEMO_SITE_KEY,
                "visitor": None,
                "events": [
                    {"id": "e1", "kind": "pageview", "ts": now_ms(), "url": f"{demo.shop_url}/"},
                    {
                        "id": "e2",
                        "kind": "survey",
                        "ts": now_ms(),
                        "url": f"{demo.shop_url}/",
                        "survey": "what-brings-you",
                        "action": "shown",
                    },
                ],
            },
            headers={"Origin": demo.shop_url, "User-Agent": BROWSER_UA},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text
        token = reply.json()["visitor"]
        url = f"{demo.shop_url}/products"
        served = requests.get(
            f"{demo.collector_url}/api/why-not",
            params={"visitor": token, "url": url},
            headers={"Authorization": f"Bearer {demo.summary.admin_key}"},
            timeout=10,
        ).json()
    printed = CliRunner().invoke(
        cli, ["surveys", "why", "--db", path, "--visitor", token, "--url", url, "--json"]
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output)["decisions"] == served["decisions"]
