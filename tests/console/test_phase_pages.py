"""The phase pages over the test client, on the demo database simulated with 1,000 visitors:
every page in both languages, figures that are the library's, every change behind CSRF, bad
input answered with a readable page, hostile text shown as text."""

from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from markupsafe import escape

from collector import create_app
from cxlisten import activate, journeys, surveys, webhooks
from cxlisten.console_cache import FRESH_SECONDS, fresh
from cxlisten.demo import create_demo_database
from cxlisten.diagnose import WEIGHTS, diagnose
from cxlisten.identity import VisitorTokens, create_admin_key
from cxlisten.site_overview import overview, window
from cxlisten.storage import console_queries, profiles, rejected
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import open_database
from tests.clock import now_ms
from tests.conftest import ORIGIN
from tests.console.conftest import Console
from tests.demo.conftest import wait_for

XSS = '<img src=x onerror="window.pwned=1">'


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("phases") / "demo.db")
    summary = create_demo_database(path, [ORIGIN], simulate=1000)
    db = open_database(path)
    yield path, db, summary
    db.conn.close()


@pytest.fixture(scope="module")
def demo_app(demo_db):
    return create_app({"db": demo_db[0], "secret": "test-secret"})


@pytest.fixture
def shop(demo_db):
    return site_store.site_by_key(demo_db[1], demo_db[2].site_key)


@pytest.fixture
def person(demo_app, demo_db):
    """The console signed in with the demo's operator key."""
    console = Console(demo_app.test_client())
    console.sign_in(demo_db[2].admin_key)
    return console


def text(reply) -> str:
    body = reply.get_data(as_text=True)
    main = body.split('id="main"', 1)[-1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


PAGES = [
    "/console/home",
    "/console/home?window=today",
    "/console/home?window=30d",
    "/console/home/live",
    "/console/track?window=30d",
    "/console/deepdive/checkout",
    "/console/activate",
    "/console/activate/new",
    "/console/activate/checkout-assist",
    "/console/activate/reason-path/edit",
    "/console/activate/why",
    "/console/visitors",
    "/console/visitors?attribute=needs_care",
    "/console/operations",
]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("path", PAGES)
def test_every_phase_page_renders_in_both_languages(person, path, locale):
    reply = person.get(path, headers={"Accept-Language": locale})
    assert reply.status_code == 200, text(reply)[:2000]
    if locale == "zh-CN" and path != "/console/home/live":
        assert "首页" in reply.get_data(as_text=True)  # the nav, from the catalogue


# --- home ----------------------------------------------------------------------------------------


def test_home_shows_the_library_figures_and_the_problem_journeys(person, demo_db, shop):
    db = demo_db[1]
    w = window("30d", None, None, now_ms())
    expected = overview(db, shop, w)
    reply = person.get("/console/home?window=30d")
    page = reply.get_data(as_text=True)
    assert f'data-figure="visitors">{expected.visitors:,}<' in page
    assert f'data-figure="sessions">{expected.sessions:,}<' in page
    assert f'data-figure="answered">{expected.surveys_answered:,}<' in page
    assert expected.visitors > 500 and expected.surveys_shown > 0
    named = re.findall(r'<li data-journey="([^"]+)">', page)
    assert named == [j.name for j in expected.problems] and "checkout" in named
    checkout = next(j for j in expected.problems if j.name == "checkout")
    assert checkout.problem.failing_step == "/checkout/payment"
    assert "failing at /checkout/payment" in text(reply)
    assert 'data-trend="CSAT"' in page  # the demo's pulse and deep-dive surveys have scores


def test_home_windows(person):
    custom = person.get("/console/home?window=custom&from=2026-01-01&to=2026-01-31")
    assert custom.status_code == 200
    assert "Shown: 2026-01-01 to 2026-01-31 (UTC)." in text(custom)
    assert 'data-figure="sessions">0<' in custom.get_data(as_text=True)
    for bad, field in [
        ("window=custom&from=2026-02-01&to=2026-01-01", "to"),
        ("window=custom&from=yesterday&to=2026-01-01", "from"),
        ("window=fortnight", "window"),
    ]:
        reply = person.get(f"/console/home?{bad}")
        assert reply.status_code == 400, bad
        assert 'class="error"' in reply.get_data(as_text=True)
        assert field in reply.get_data(as_text=True)


def test_events_arriving_now_are_a_fragment_the_page_polls(person, demo_app, shop):
    page = person.get("/console/home").get_data(as_text=True)
    assert 'hx-get="/console/home/live"' in page and 'hx-trigger="every 5s"' in page
    client = demo_app.test_client()
    event = {"id": "0d9a6b1e-4c1e-4d4e-9a57-111111111111", "kind": "pageview", "ts": now_ms()}
    event |= {"url": f"{ORIGIN}/just-now/{XSS}", "title": "x"}
    reply = client.post("/v1/collect", json={"site": shop.key, "visitor": None, "events": [event]})
    assert reply.status_code == 200, reply.get_json()
    live = person.get("/console/home/live").get_data(as_text=True)
    assert "/just-now/" in live
    assert "<img" not in live and "&lt;img" in live


# --- track & diagnose ----------------------------------------------------------------------------


def test_track_shows_common_and_problem_journeys_with_the_failing_step(person, demo_db, shop):
    db = demo_db[1]
    w = window("30d", None, None, now_ms())
    found = diagnose(db, shop, w.since, w.until)
    reply = person.get("/console/track?window=30d")
    page = reply.get_data(as_text=True)
    words = text(reply)
    assert " → ".join(found.common[0].steps) in html.unescape(page)
    for j in found.problems:
        assert f'data-problem="{j.name}"' in page
        for line in j.problem.evidence:
            assert line in html.unescape(page)
    checkout = page.split('id="journey-checkout"', 1)[1].split("</article>", 1)[0]
    failing = re.search(
        r'<tr class="failing" data-failing="1">\s*<th scope="row"><code>([^<]+)', checkout
    )
    assert failing.group(1) == "/checkout/payment"
    assert 'data-marked="2"' in checkout
    assert "norm" in words and "Failing step: /checkout/payment" in words
    problem = page.split('data-problem="checkout"', 1)[1].split("</article>", 1)[0]
    for name in WEIGHTS:  # every signal of the score in the breakdown, with its weight
        assert f'data-signal="{name}"' in problem
    shallow = found.journey("checkout").problem.signals.shallow  # planted: phones at payment
    row = problem.split('data-signal="shallow"', 1)[1].split("</tr>", 1)[0]
    assert "Shallow scroll" in row and f"{round(shallow * 100, 1)}%" in row


def test_phase_is_changed_from_the_console_behind_csrf(person, demo_db, shop):
    db = demo_db[1]
    assert (
        person.post("/console/track/search/phase", {"phase": "deepdive"}, csrf=False).status_code
        == 403
    )
    assert journeys.phase_of(db, shop.id, "search") == "track"
    reply = person.post("/console/track/search/phase", {"phase": "deepdive"})
    assert reply.status_code == 303
    assert journeys.phase_of(db, shop.id, "search") == "deepdive"
    page = text(person.get(reply.headers["Location"]))
    assert "search is now in its deep-dive phase." in page
    bad = person.post("/console/track/search/phase", {"phase": "party"})
    assert bad.status_code == 400 and "phase" in text(bad)
    person.post("/console/track/search/phase", {"phase": "track"})


def test_each_phase_says_what_it_turns_on(person):
    page = person.get("/console/track?window=30d").get_data(as_text=True)
    checkout = page.split('id="journey-checkout"', 1)[1].split("</article>", 1)[0]
    activate_box = checkout.split('data-phase="activate"', 1)[1]
    assert "<code>checkout-assist</code>" in activate_box  # the rule tied to checkout
    deepdive_box = checkout.split('data-phase="deepdive"', 1)[1].split('data-phase="activate"')[0]
    assert "<code>cart-abandon</code>" in deepdive_box or "<li>" in deepdive_box


def test_plan_a_deepdive_drafts_the_survey_and_a_paused_intervention(person, demo_db, shop):
    db = demo_db[1]
    reply = person.post("/console/track/support/plan")
    assert reply.status_code == 303
    assert "/console/surveys/support-" in reply.headers["Location"]
    builder = person.get(reply.headers["Location"])
    assert builder.status_code == 200
    slug = re.search(r"/console/surveys/([^/]+)/edit", reply.headers["Location"]).group(1)
    assert surveys.list_surveys(db, shop) and not any(
        s.slug == slug for s in surveys.list_surveys(db, shop, kind="survey")
    )
    help_ = surveys.get_survey(db, shop, "support-need-help", kind="intervention")
    assert help_.status == "paused"
    assert person.post("/console/track/support/plan", csrf=False).status_code == 403


def test_deepdive_page_gives_the_top_reasons_to_paste(person):
    reply = person.get("/console/deepdive/checkout")
    page = reply.get_data(as_text=True)
    assert 'data-survey="cart-abandon"' in page
    reasons = page.split('id="reasons-cart-abandon"', 1)[1].split("</textarea>", 1)[0]
    assert "visitors who answered" in html.unescape(reasons)
    assert person.get("/console/deepdive/nope").status_code == 404


# --- activate ------------------------------------------------------------------------------------


def test_rules_in_words_in_both_languages(person):
    en = text(person.get("/console/activate"))
    assert "their latest CES score is at most 2" in en
    assert "choose what worked best for similar visitors" in en
    zh = text(person.get("/console/activate", headers={"Accept-Language": "zh-CN"}))
    assert "其最近的 CES 分数至多 2" in zh


def test_rules_are_saved_with_the_api_validation(person, demo_db, shop):
    db = demo_db[1]
    bad = {"name": "Bad Name", "level": "sometimes", "then": {}, "when": [{"score": "wow"}]}
    reply = person.post("/console/activate/save", {"text": json.dumps(bad)})
    assert reply.status_code == 400
    fields = set(re.findall(r'data-field="([^"]+)"', reply.get_data(as_text=True)))
    assert {"name", "level", "when.0.score"} <= fields
    assert person.post("/console/activate/save", {"text": "{nope"}).status_code == 400
    rule = {
        "name": "vip-welcome",
        "description": f"Welcome {XSS}",
        "level": "reactive",
        "priority": 5,
        "when": [{"attribute": "plan", "equals": "house"}],
        "then": {"show": {"title": {"en": "Welcome back"}, "url": "/welcome"}},
    }
    assert (
        person.post("/console/activate/save", {"text": json.dumps(rule)}, csrf=False).status_code
        == 403
    )
    reply = person.post("/console/activate/save", {"text": json.dumps(rule)})
    assert reply.status_code == 303
    assert activate.get_rule(db, shop, "vip-welcome").priority == 5
    page = person.get("/console/activate/vip-welcome").get_data(as_text=True)
    assert XSS not in page and str(escape(XSS)) in page
    assert "their plan is “house”" in text(person.get("/console/activate/vip-welcome"))
    renamed = person.post(
        "/console/activate/save",
        {"text": json.dumps({**rule, "name": "other"}), "of": "vip-welcome"},
    )
    assert renamed.status_code == 400 and 'data-field="name"' in renamed.get_data(as_text=True)
    assert person.post("/console/activate/vip-welcome/delete").status_code == 400  # unconfirmed
    assert (
        person.post("/console/activate/vip-welcome/delete", {"confirm": "yes"}).status_code == 303
    )
    assert "vip-welcome" not in [r.name for r in activate.list_rules(db, shop)]


def test_lift_of_checkout_assist_shows_the_chat_helping_and_the_banner_not(person):
    page = person.get("/console/activate/checkout-assist").get_data(as_text=True)
    assert 'data-phase-chart="lift"' in page
    chat = page.split('data-action="checkout-chat"', 1)[1].split("</tr>", 1)[0]
    banner = page.split('data-action="shipping-banner"', 1)[1].split("</tr>", 1)[0]
    assert 'data-verdict="helps"' in chat
    assert 'data-verdict="helps"' not in banner
    assert re.search(r"About \d+ more visitors per group would settle it", banner)
    holdout = page.split('data-arm="holdout"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r"<td>\d+</td>", holdout)  # the group's size


def test_which_rule_would_a_visitor_get_and_why(person, demo_db, shop):
    db = demo_db[1]
    row = db.execute(
        "SELECT visitor_id FROM answers WHERE site_id = ? AND type = 'ces' AND number <= 2 LIMIT 1",
        [shop.id],
    ).fetchone()
    token = VisitorTokens("test-secret").issue(shop.id, row[0])
    reply = person.get("/console/activate/why", query_string={"visitor": token, "url": "/help"})
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert re.search(r'data-rule="detractor-care" data-verdict="(shown|holdout)"', page)
    assert 'data-rule="checkout-assist" data-verdict="phase"' in page  # checkout is in deep-dive
    assert "✓" in page
    before = db.execute("SELECT COUNT(*) FROM action_exposures").fetchone()[0]
    person.get("/console/activate/why", query_string={"visitor": row[0], "url": "/help"})
    assert (
        db.execute("SELECT COUNT(*) FROM action_exposures").fetchone()[0] == before
    )  # nothing recorded
    bad = person.get("/console/activate/why", query_string={"visitor": "v1.forged", "url": "/x"})
    assert bad.status_code == 400 and "not a token of this site" in text(bad)


# --- visitors ------------------------------------------------------------------------------------


def test_a_visitor_found_by_token_shows_profile_sessions_and_why_not(person, demo_db, shop):
    db = demo_db[1]
    visitor_id, response = db.execute(
        "SELECT visitor_id, client_id FROM responses WHERE site_id = ? LIMIT 1", [shop.id]
    ).fetchone()
    row = {"site_id": shop.id, "visitor_id": visitor_id, "name": "plan", "value": "house"}
    row |= {"survey": "cart-abandon", "version": 1, "question": "reason", "response": response}
    profiles.set_attributes(db, [row | {"updated_at": now_ms()}])
    token = VisitorTokens("test-secret").issue(shop.id, visitor_id)
    reply = person.get("/console/visitors", query_string={"q": token})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(visitor_id)
    page = person.get(f"/console/visitors/{visitor_id}", query_string={"url": "/cart"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-attribute="plan"' in body
    assert "answer to cart-abandon v1, question reason" in text(page)  # provenance
    assert 'data-session="' in body and '<ol class="steps">' in body
    assert 'data-shown="' in body  # "why not" on /cart
    assert person.get("/console/visitors", query_string={"q": "nobody"}).status_code == 400
    listed = person.get("/console/visitors", query_string={"attribute": "plan", "value": "house"})
    assert f"/console/visitors/{visitor_id}" in listed.get_data(as_text=True)


def test_erasing_a_visitor_needs_confirmation_and_csrf(person, demo_db, shop):
    db = demo_db[1]
    visitor_id = db.execute(
        "SELECT id FROM visitors WHERE site_id = ? ORDER BY last_seen LIMIT 1", [shop.id]
    ).fetchone()[0]
    path = f"/console/visitors/{visitor_id}/erase"
    assert person.post(path, {"confirm": "yes"}, csrf=False).status_code == 403
    assert person.post(path).status_code == 400
    assert console_queries.visitor_exists(db, shop.id, visitor_id)
    reply = person.post(path, {"confirm": "yes"})
    assert reply.status_code == 303
    assert not console_queries.visitor_exists(db, shop.id, visitor_id)
    assert (
        db.execute("SELECT COUNT(*) FROM events WHERE visitor_id = ?", [visitor_id]).fetchone()[0]
        == 0
    )
    assert person.get(f"/console/visitors/{visitor_id}").status_code == 404


# --- operations ----------------------------------------------------------------------------------


def test_operations_shows_refused_payloads_as_text(person, demo_db, shop):
    db = demo_db[1]
    rejected.quarantine(
        db,
        [{"index": 0, "errors": {"kind": [f"unknown {XSS}"]}, "payload": json.dumps({"x": XSS})}],
        keep=100,
        site_id=shop.id,
        endpoint="/v1/collect",
    )
    page = person.get("/console/operations").get_data(as_text=True)
    assert "data-refused=" in page
    assert XSS not in page and "&lt;img" in page


def test_site_settings_are_changed_and_checked(person, demo_db, shop):
    db = demo_db[1]
    form = {
        "origins": f"{ORIGIN}\nhttps://blog.example",
        "contact_sessions": "2",
        "contact_days": "x",
    }
    bad = person.post("/console/operations/site", form)
    assert bad.status_code == 400 and 'data-field="contact_days"' in bad.get_data(as_text=True)
    good = person.post(
        "/console/operations/site", form | {"contact_days": "7", "respect_dnt": "yes"}
    )
    assert good.status_code == 303
    site = site_store.site_by_key(db, shop.key)
    assert site.contact_days == 7 and "https://blog.example" in site.origins and site.respect_dnt
    person.post(
        "/console/operations/site",
        {"origins": ORIGIN, "contact_sessions": "5", "contact_days": "0", "respect_dnt": "yes"},
    )


def test_admin_keys_are_created_once_scoped_and_revoked(person, demo_app, demo_db, shop):
    db = demo_db[1]
    reply = person.post("/console/operations/keys", {"name": "analyst", "scope": "site"})
    assert reply.status_code == 201
    key = re.search(r'id="new-key" readonly value="([^"]+)"', reply.get_data(as_text=True)).group(1)
    assert key.startswith("cxadmin_")
    assert key not in person.get("/console/operations").get_data(as_text=True)  # shown once
    # The new site key signs in, sees only its site's keys, and cannot make an operator's key.
    analyst = Console(demo_app.test_client())
    analyst.sign_in(key)
    attempt = analyst.post("/console/operations/keys", {"name": "sneaky", "scope": "operator"})
    assert (
        attempt.status_code == 201
        and "operator key" not in text(attempt).split("Key created")[1][:60]
    )
    own = site_store.list_admin_keys(db)
    sneaky = next(k for k in own if k.name == "sneaky")
    assert sneaky.site_id == shop.id
    operator_key = next(k for k in own if k.site_id is None)
    assert (
        analyst.post(
            f"/console/operations/keys/{operator_key.id}/revoke", {"confirm": "yes"}
        ).status_code
        == 404
    )
    mine = next(k for k in own if k.name == "analyst")
    assert person.post(f"/console/operations/keys/{mine.id}/revoke").status_code == 400
    assert (
        person.post(f"/console/operations/keys/{mine.id}/revoke", {"confirm": "yes"}).status_code
        == 303
    )
    assert analyst.get("/console/home").status_code == 302  # its session ended with the key


def test_webhook_retry_answers_unknown_messages_readably(person):
    reply = person.post("/console/operations/webhooks/999999/retry")
    assert reply.status_code == 404 and "no pending message" in text(reply)
    assert person.post("/console/operations/webhooks/1/retry", csrf=False).status_code == 403


def test_a_site_key_sees_only_its_own_site(demo_app, demo_db):
    db = demo_db[1]
    from cxlisten import sites

    other = sites.create_site(db, "Elsewhere", ["https://else.example"])
    key = create_admin_key(db, "else", site_id=other.id)
    console = Console(demo_app.test_client())
    console.sign_in(key)
    page = console.get("/console/home?window=30d").get_data(as_text=True)
    assert 'data-figure="sessions">0<' in page
    assert console.get("/console/activate/checkout-assist").status_code == 404
    assert console.get("/console/deepdive/checkout").status_code == 404


def test_reports_are_reused_for_a_minute_and_say_when(person, demo_db, shop):
    db = demo_db[1]
    calls = []
    first = fresh(db, ("test", shop.id), lambda: calls.append(1) or len(calls))
    again = fresh(db, ("test", shop.id), lambda: calls.append(1) or len(calls))
    assert calls == [1] and first == again and first.value == 1
    assert FRESH_SECONDS == 60
    for path in ("/console/home", "/console/track", "/console/activate/checkout-assist"):
        assert "they are reused for 60 s" in text(person.get(path)), path


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that records what it is sent and answers 200."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", got
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_failed_webhook_message_is_retried_from_the_console(person, demo_db, shop, receiver):
    db = demo_db[1]
    url, got = receiver
    webhooks.add_webhook(db, shop, "ops-test", url, events=["console.test"], allow_private=True)
    assert webhooks.enqueue(db, shop, "console.test", {"n": 1}) == 1
    summary = webhooks.deliver_due(db, send=lambda *a: 503, allow_private=True, timeout=2)
    assert summary["failed"] >= 1
    message = next(m for m in webhooks.outbox(db, shop) if m["event"] == "console.test")
    assert message["status"] == "pending" and message["next_attempt_at"] > now_ms()
    page = person.get("/console/operations").get_data(as_text=True)
    row = page.split(f'data-message="{message["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "Retry now" in row and "503" in row  # the last error
    reply = person.post(f"/console/operations/webhooks/{message['id']}/retry")
    assert reply.status_code == 303
    wait_for(lambda: got)
    wait_for(
        lambda: (
            next(m for m in webhooks.outbox(db, shop) if m["id"] == message["id"])["status"]
            == "delivered"
        )
    )
    log = person.get("/console/operations").get_data(as_text=True)
    assert "ops-test" in log and "console.test" in log


def test_the_live_fragment_does_not_keep_a_session_alive(console, keys, clock, app):
    console.sign_in(keys["a"])
    start = clock.now
    for minutes in (10, 20, 29):
        clock.now = start + minutes * 60
        assert console.get("/console/home/live").status_code == 200
    clock.now = start + 31 * 60  # 31 minutes after the last thing the person did
    reply = console.get("/console/home")
    assert reply.status_code == 302 and "expired=1" in reply.headers["Location"]
    assert console.get("/console/home/live").status_code == 302


def test_evidence_and_why_not_read_in_chinese(person, demo_db, shop):
    """The library words them as messages (cxlisten.results.Message): the console says them in
    the page's language from the one catalogue, where the CLI prints their English."""
    db = demo_db[1]
    w = window("30d", None, None, now_ms())
    lines = [
        line for j in diagnose(db, shop, w.since, w.until).problems for line in j.problem.evidence
    ]
    zh = html.unescape(
        person.get("/console/track?window=30d", headers={"Accept-Language": "zh-CN"}).get_data(
            as_text=True
        )
    )
    for line in lines:
        assert line.say("zh-CN") in zh and line.say("zh-CN") != str(line)
        assert str(line) not in zh
    assert any("个会话中" in line.say("zh-CN") for line in lines)

    visitor_id = db.execute("SELECT visitor_id FROM sessions WHERE is_bot = 0 LIMIT 1").fetchone()[
        0
    ]
    page = person.get(
        f"/console/visitors/{visitor_id}",
        query_string={"url": "/cart"},
        headers={"Accept-Language": "zh-CN"},
    )
    words = text(page)
    assert "页面：/cart 不匹配" in words  # "page: /cart does not match ..."
    assert "does not match" not in words
    english = text(person.get(f"/console/visitors/{visitor_id}", query_string={"url": "/cart"}))
    assert "page: /cart does not match" in english
