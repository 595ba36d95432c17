"""Accessibility (axe-core in Chromium) on every console page, and stored-XSS payloads replayed
through the console: survey texts, answers and theme quotes are text, never HTML."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cxlisten import surveys
from tests.surveys.conftest import Browser

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "sdk_js" / "node_modules" / "axe-core" / "axe.min.js"
# The payloads of the widget's tests (tests/browser/test_snippet_render.py and _slot.py).
XSS = '<img src=x onerror="window.pwned=1">'
SCRIPT = "<script>window.pwned=1</script>"

HOSTILE = {
    "id": "hostile",
    "name": f"Name {XSS}",
    "phase": "deepdive",
    "trigger": {"type": "pageview", "urls": ["/*"]},
    "locales": ["en", "zh-CN"],
    "texts": {"title": {"en": XSS, "zh-CN": SCRIPT}},
    "questions": [
        {
            "id": "pick",
            "type": "single",
            "text": {"en": f"Question {XSS}", "zh-CN": f"问题 {SCRIPT}"},
            "options": [
                {"code": "a", "label": {"en": XSS, "zh-CN": SCRIPT}},
                {"code": "b", "label": {"en": "B", "zh-CN": "乙"}},
            ],
        },
        {"id": "why", "type": "text", "required": False, "text": {"en": f"Why {SCRIPT}"}},
    ],
}


@pytest.fixture
def hostile(db, site, client):
    surveys.create_survey(db, site, HOSTILE)
    for text in (f"{XSS} one", f"{SCRIPT} two", f"{XSS} {SCRIPT} three"):
        visitor = Browser(client, site)
        visitor.visit("/cart")
        visitor.saw("hostile")
        reply = visitor.respond(
            "hostile",
            [{"question": "pick", "value": "a"}, {"question": "why", "value": text}],
            complete=True,
        )
        assert reply.status_code == 200, reply.get_json()


@pytest.fixture
def signed_in(browser, live_server, keys, request):
    """A page of a fresh profile signed in with site A's key (CSP bypassed only to inject axe)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=request.param == "axe"
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: page.errors.append(f"dialog: {d.message}"))
    page.goto(live_server.url + "/console/sign-in")
    page.get_by_label("Admin key").fill(keys["a"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    page.base = live_server.url
    yield page
    context.close()


def serious(page: Page) -> list[dict]:
    """Run axe-core on the page; return its serious and critical violations."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run `npm ci` in sdk_js/ (axe-core) before the tests")
        pytest.skip("sdk_js/node_modules absent (run `npm ci` in sdk_js/) and CI unset")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document);"
        " return {violations: r.violations, passes: r.passes.length}; }"
    )
    assert result["passes"] > 10  # axe ran its rules on this page
    found = result["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


PAGES = {
    "surveys": "/console/surveys",
    "builder-new": "/console/builder",
    "builder-edit": "/console/surveys/hostile/edit",
    "builder-json": "/console/surveys/hostile/edit?view=json",
    "preview": "/console/surveys/hostile/preview?width=phone&locale=zh-CN",
    "results": "/console/surveys/hostile/results",
    "results-filtered": "/console/surveys/hostile/results?answer=pick:a&device=desktop",
    "results-bad-filters": "/console/surveys/hostile/results?device=phone&since=x",
    "error": "/console/surveys/nope/edit",
}


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(signed_in, hostile, name):
    page = signed_in
    page.goto(page.base + PAGES[name])
    page.wait_for_load_state("load")
    assert serious(page) == [], name
    assert page.errors == []


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
def test_sign_in_and_builder_errors_are_accessible(signed_in, browser, live_server):
    page = signed_in
    page.goto(page.base + "/console/builder?view=json")
    page.get_by_label("The survey as JSON").fill('{"id": "x", "questions": 3}')
    expect(page.locator("#checks table.errors")).to_be_visible()
    assert serious(page) == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert serious(page) == []


@pytest.mark.parametrize("signed_in", ["plain"], indirect=True)
def test_the_keyboard_reaches_every_action_with_a_visible_focus(signed_in, hostile):
    page = signed_in
    page.goto(page.base + "/console/surveys")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement;
                const s = getComputedStyle(el);
                return {tag: el.tagName, text: (el.textContent || el.value || '').trim(),
                        outline: s.outlineStyle} }"""
        )
        if info["tag"] == "BODY":  # past the last control
            break
        assert info["outline"] != "none", info
        seen.add(info["text"])
    assert {"Pause", "Archive", "Duplicate", "Edit"} <= seen


@pytest.mark.parametrize("signed_in", ["plain"], indirect=True)
def test_stored_xss_payloads_run_nothing_anywhere_in_the_console(signed_in, hostile):
    page = signed_in
    for path in [
        p for n, p in PAGES.items() if n not in ("builder-new", "error", "results-bad-filters")
    ]:
        page.goto(page.base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.pwned") is None, path
        assert page.locator("main img").count() == 0, path
    # The payloads are there, as text: in the list, the results, the themes and the table.
    page.goto(page.base + "/console/surveys")
    expect(page.locator("table.surveys")).to_contain_text(f"Name {XSS}")
    page.goto(page.base + "/console/surveys/hostile/results")
    expect(page.locator('article[data-question="pick"] h3')).to_contain_text(f"Question {XSS}")
    expect(page.locator("table[data-table=pick]")).to_contain_text(XSS)
    expect(page.locator("table.responses")).to_contain_text(f"{SCRIPT} two")
    expect(page.locator("#reasons")).to_have_value(re.compile(re.escape(XSS)))
    # The preview frame (the real widget) shows them as text too.
    page.goto(page.base + PAGES["preview"])
    card = page.frame_locator("iframe").locator("cxlisten-ui .survey")
    expect(card.get_by_role("heading")).to_have_text(SCRIPT)
    expect(card.locator("legend")).to_have_text(f"问题 {SCRIPT}")
    assert page.frame_locator("iframe").locator("img").count() == 0
    assert page.errors == []


def test_the_download_is_the_payload_as_written(console, keys, hostile):
    console.sign_in(keys["a"])
    reply = console.get("/console/surveys/hostile.json")
    assert json.loads(reply.data)["texts"]["title"]["en"] == XSS
    page = console.get("/console/surveys/hostile/results").get_data(as_text=True)
    assert XSS not in page and "&lt;img src=x onerror=" in page


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
def test_the_shared_results_page_is_accessible_and_shows_payloads_as_text(
    signed_in, hostile, db, site
):
    from cxlisten.surveys import shares

    token, _ = shares.create_share(db, site, "hostile", ["pick", "why"], {}, 24)
    page = signed_in
    page.context.clear_cookies()  # the link is for people who cannot sign in
    page.goto(page.base + f"/console/shared/{token}")
    expect(page.locator("main")).to_contain_text(f"Question {XSS}")
    assert serious(page) == []
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img").count() == 0
    assert page.errors == []


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
def test_the_form_builder_with_field_errors_is_accessible(signed_in):
    page = signed_in
    page.goto(page.base + "/console/builder")
    page.locator("#f-id").fill("Not An Id")
    page.locator("#f-questions-0-text-en").fill("")
    page.locator("#publish").click()
    expect(page.locator("#f-id-error")).to_be_visible()
    expect(page.locator("#f-questions-0-text-error")).to_contain_text("default locale")
    assert serious(page) == []
    assert page.errors == []


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
def test_the_builder_s_trigger_fields_show_by_type_and_stay_accessible(signed_in):
    page = signed_in
    page.goto(page.base + "/console/builder")
    page.locator("#f-trigger-type").select_option("visit")
    expect(page.locator("#f-trigger-visit")).to_be_visible()
    expect(page.locator("#f-trigger-days")).to_be_visible()
    expect(page.locator("#f-trigger-seconds")).to_be_hidden()
    expect(page.locator("#f-trigger-after")).to_be_hidden()
    page.locator("#f-trigger-visit").fill("3")
    page.locator("#f-trigger-urls").fill("/pricing")
    page.locator("#f-trigger-visit").dispatch_event("change")
    expect(page.locator('[data-words="trigger"]')).to_have_text(
        "on visit 3 or later to /pricing in the session"
    )
    page.locator("#f-trigger-type").select_option("slow_page")
    expect(page.locator("#f-trigger-visit")).to_be_hidden()
    page.locator("#f-trigger-metric").select_option("lcp")
    page.locator("#f-trigger-over").fill("-5")
    page.locator("#publish").click()
    expect(page.locator("#f-trigger-over-error")).to_contain_text("greater than or equal to 0")
    expect(page.locator("#f-trigger-metric")).to_be_visible()
    assert serious(page) == []
    assert page.errors == []
