"""End to end in headless Chromium: a survey triggered by visible dwell, answered in the widget,
and the answer in the visitor's zero-party profile (read by the page itself from /v1/me).

The collector (tests.conftest's ``live_server``) and the host page run on two 127.0.0.1 ports, so
every request of the snippet is cross-origin, as on a real site.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from flask import Flask

from cxlisten import sites, surveys
from cxlisten.storage import responses as response_store
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plans</title>
<script async src="{collector}/sdk.js" data-site="{site}" data-webdriver="allow"></script>
</head><body><h1>Mortgages</h1><p>Read about our rates.</p></body></html>"""

PLANS = {
    "id": "plans",
    "phase": "track",
    "trigger": {"type": "dwell", "seconds": 2, "urls": ["/rates*"]},
    "texts": {"title": {"en": "Quick question"}, "thanks": {"en": "Thank you!"}},
    "questions": [
        {
            "id": "plan",
            "type": "single",
            "saves_as": "plan",
            "text": {"en": "What are you planning?"},
            "options": [
                {"code": "buy-house", "label": {"en": "Buying a house"}},
                {"code": "renting", "label": {"en": "Renting"}},
            ],
        }
    ],
}

READ_PROFILE = """async ([collector, site]) => {
  const stored = localStorage.getItem("cxl_v");
  const token = stored ? JSON.parse(stored) : "";
  const reply = await fetch(`${collector}/v1/me?site=${site}&visitor=${encodeURIComponent(token)}`);
  return reply.json();
}"""


@pytest.fixture
def host(live_server, db):
    """A host site on its own origin whose /rates page carries the snippet."""
    state: dict = {}
    app = Flask("host")

    @app.get("/favicon.ico")
    def favicon():
        return "", 204

    @app.get("/rates")
    def rates():
        return PAGE.format(collector=live_server.url, site=state["site"].key)

    with LiveServer(app) as server:
        state["site"] = sites.create_site(db, "Bank", [server.url])
        yield SimpleNamespace(url=server.url, site=state["site"], collector=live_server.url)


def wait_for(read, timeout=8.0):
    deadline = time.monotonic() + timeout
    while not (found := read()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def test_dwell_survey_answered_lands_in_the_profile(page, host, db):  # noqa: F811
    surveys.create_survey(db, host.site, PLANS)
    started = time.monotonic()
    page.goto(f"{host.url}/rates")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible", timeout=10_000)
    assert time.monotonic() - started >= 2  # not before two seconds of visible dwell
    assert dialog.get_by_text("What are you planning?").is_visible()

    dialog.get_by_label("Buying a house").check()
    dialog.get_by_role("button", name="Submit").click()
    page.get_by_text("Thank you!").wait_for(timeout=5_000)

    [(status, answers)] = wait_for(
        lambda: [
            (status, response_store.answers_of(db, [rid])[rid])
            for rid, status in db.execute(
                "SELECT id, status FROM responses WHERE site_id = ?", [host.site.id]
            ).fetchall()
            if status == "complete"
        ]
    )
    assert [(a["question"], a["value"]) for a in answers] == [("plan", "buy-house")]
    shown = wait_for(
        lambda: db.execute(
            "SELECT name FROM events WHERE site_id = ? AND kind = 'survey' AND action = 'shown'",
            [host.site.id],
        ).fetchall()
    )
    assert shown == [("plans",)]

    profile = page.evaluate(READ_PROFILE, [host.collector, host.site.key])
    assert [(a["name"], a["value"], a["survey"], a["question"]) for a in profile["attributes"]] == [
        ("plan", "buy-house", "plans", "plan")
    ]
    assert profile["responses"][0]["status"] == "complete"
    assert page.errors == []
