"""The survey and the panel are placed where the visitor can see them, and "shown" means seen.

wide.html holds a 549px-wide table: on a 360px phone it widens the layout viewport, which a
position:fixed box follows, so without care the bottom sheet lands outside the screen.
"""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import new_context, snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser

CARD = "cxlisten-ui .card"
# The card's box and the visual viewport, both in the layout viewport's CSS pixels.
BOXES = """(selector) => {
  const card = [...document.querySelectorAll("cxlisten-ui")]
    .map((h) => h.shadowRoot.querySelector(".card")).find(Boolean);
  const r = card.getBoundingClientRect();
  const v = visualViewport;
  return {card: [r.left, r.top, r.right, r.bottom],
          view: [v.offsetLeft, v.offsetTop, v.offsetLeft + v.width, v.offsetTop + v.height],
          page: document.documentElement.scrollWidth};
}"""

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def inside(boxes) -> bool:
    (left, top, right, bottom), (vl, vt, vr, vb) = boxes["card"], boxes["view"]
    on = left >= vl - 0.5 and top >= vt - 0.5 and right <= vr + 0.5 and bottom <= vb + 0.5
    return on and right > left and bottom > top


def open_widget(snippet, page, kind: str, **attrs):
    if kind == "survey":
        snippet.survey()
    else:
        snippet.intervention()
    page.goto(snippet.url("wide.html", **attrs))
    page.locator(CARD).wait_for()


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["360px", "desktop"])
@pytest.mark.parametrize("kind", ["survey", "intervention"])
def test_on_a_page_wider_than_the_screen_the_widget_is_on_screen(browser, snippet, screen, kind):
    ctx = new_context(browser, reduced_motion="reduce", **screen)
    try:
        page = ctx.new_page()
        open_widget(snippet, page, kind)
        boxes = page.evaluate(BOXES)
        if screen is PHONE:
            assert boxes["page"] >= 549  # the page does overflow the phone
            assert boxes["card"][2] - boxes["card"][0] == pytest.approx(360, abs=1)  # a sheet
        assert inside(boxes), boxes
        [event] = snippet.wait_count(kind, 1)
        assert event["action"] == "shown"
    finally:
        ctx.close()


@pytest.mark.parametrize("kind", ["survey", "intervention"])
def test_in_a_zoomed_and_scrolled_visual_viewport_the_widget_follows(browser, snippet, kind):
    ctx = new_context(browser, reduced_motion="reduce", **PHONE)
    try:
        page = ctx.new_page()
        # The first page's config answered before the survey exists: a later answer would show
        # it on this page, which the reload ends, and the session would hold it shown already.
        with page.expect_response(lambda r: "/v1/config" in r.url):
            page.goto(snippet.url("wide.html"))
        cdp = ctx.new_cdp_session(page)
        cdp.send("Emulation.setPageScaleFactor", {"pageScaleFactor": 2})
        page.wait_for_function("visualViewport.scale > 1.5")
        page.evaluate("window.scrollTo(120, 300)")
        page.wait_for_function("visualViewport.offsetTop > 0 || visualViewport.pageTop > 0")
        if kind == "survey":
            snippet.survey()
        else:
            snippet.intervention()
        page.reload()
        page.wait_for_function("visualViewport.scale > 1.5")
        page.locator(CARD).wait_for()
        page.evaluate("window.scrollTo(150, 400)")
        page.wait_for_function(
            f"""() => {{ const b = ({BOXES})(); const [l, t, r, bo] = b.card, [vl, vt, vr, vb] = b.view;
                return l >= vl - 0.5 && t >= vt - 0.5 && r <= vr + 0.5 && bo <= vb + 0.5; }}"""
        )
        snippet.wait_count(kind, 1)
    finally:
        ctx.close()


def test_a_widget_that_cannot_be_seen_is_not_counted_as_shown(browser, snippet):
    ctx = new_context(browser, **PHONE)
    try:
        page = ctx.new_page()
        logs = []
        page.on("console", lambda m: logs.append(m.text))
        snippet.survey()
        page.goto(snippet.url("hidden.html", debug=""))
        page.wait_for_function(
            "() => [...document.querySelectorAll('cxlisten-ui')].some(h => h.shadowRoot.querySelector('.card'))"
        )
        page.wait_for_event(
            "console", predicate=lambda m: "not shown: not visible on screen" in m.text
        )
        page.goto(snippet.url("basic.html"))  # the first page's queue is flushed on pagehide
        snippet.wait(lambda ev: len(ev) >= 2, kind="pageview")
        assert [e for e in snippet.events("survey") if e["action"] == "shown"] == []
    finally:
        ctx.close()
