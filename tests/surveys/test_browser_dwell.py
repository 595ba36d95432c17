"""End to end in headless Chromium: a survey triggered by visible dwell, answered in the widget,
and the answer in the visitor's zero-party profile (read by the page itself from /v1/me)."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import browser, context, page  # noqa: F401
from tests.browser.snippet_fixtures import snippet  # noqa: F401

pytestmark = pytest.mark.browser

PLANS = {
    "id": "plans",
    "phase": "track",
    "trigger": {"type": "dwell", "seconds": 2},
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
  const token = localStorage.getItem("cxl_v") || null;
  const reply = await fetch(`${collector}/v1/me?site=${site}&visitor=${encodeURIComponent(
      JSON.parse(token) ?? "")}`);
  return reply.json();
}"""


def test_dwell_survey_answered_lands_in_the_profile(page, snippet):  # noqa: F811
    snippet.survey(**PLANS)
    started = time.monotonic()
    page.goto(snippet.url())
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible", timeout=10_000)
    assert time.monotonic() - started >= 2  # not before 2 s of visible dwell
    assert dialog.get_by_text("What are you planning?").is_visible()

    dialog.get_by_label("Buying a house").check()
    dialog.get_by_role("button", name="Submit").click()
    page.get_by_text("Thank you!").wait_for(timeout=5_000)

    [response] = snippet.wait_response(lambda found: found and found[0]["status"] == "complete")
    assert response["survey"] == "plans"
    assert [(a["question"], a["value"]) for a in response["answers"]] == [("plan", "buy-house")]
    shown = snippet.wait(lambda ev: any(e.get("action") == "shown" for e in ev), kind="survey")
    assert shown[0]["name"] == "plans"

    profile = page.evaluate(READ_PROFILE, [snippet.collector, snippet.site.key])
    assert [(a["name"], a["value"], a["survey"], a["question"]) for a in profile["attributes"]] == [
        ("plan", "buy-house", "plans", "plan")
    ]
    assert profile["responses"][0]["status"] == "complete"
    assert page.errors == []
