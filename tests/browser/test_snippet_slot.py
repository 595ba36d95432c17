"""Inline slots: a next best action rendered inside the page's data-cxlisten-slot element.

A page element ``<div data-cxlisten-slot="NAME">`` takes an action whose ``placement`` is
``slot:NAME``, whose ``id`` is NAME, or that the rule named NAME chose; its default content is
replaced by the action's card, in its own Shadow DOM. Without a matching slot the floating panel
is shown as before.
"""

from __future__ import annotations

import pytest

from cxlisten import activate
from cxlisten.storage import sites as site_store
from tests.browser.snippet_fixtures import (  # noqa: F401
    new_context,
    sdk_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

SLOT = "#offer cxlisten-ui[data-placement=slot] section.panel"
FLOATING = "body > cxlisten-ui section.panel"
XSS = '<img src=x onerror="window.pwned=1">'

OFFER = {
    "id": "offer-gift",
    "kind": "content",
    "title": {"en": "Gift ideas under $50"},
    "body": {"en": "Free gift wrapping."},
    "label": {"en": "See gift ideas"},
    "url": "/product/mug",
}


def home_offer(snippet, name: str = "home-offer", show: dict | None = None, when=None) -> None:
    """A rule like the demo's home-offer: on these test pages, offer SHOW."""
    activate.save_rule(
        snippet.db,
        snippet.site,
        {
            "name": name,
            "level": "choice",
            "when": when or [{"page": ["/slot*", "/basic*"]}],
            "then": {"show": show or OFFER},
        },
    )


def shown(snippet, n: int = 1) -> list[tuple[str, str]]:
    events = snippet.wait(lambda ev: len(ev) >= n, kind="intervention")
    return [(e["name"], e["action"]) for e in events]


def test_an_action_from_the_config_replaces_the_slots_default_content(page, snippet):
    home_offer(snippet)  # the slot is named after the rule: whichever action it picks goes there
    page.goto(snippet.url("slot.html"))
    card = page.locator(SLOT)
    card.wait_for()
    assert card.get_by_role("heading").inner_text() == "Gift ideas under $50"
    assert card.locator("p").inner_text() == "Free gift wrapping."
    link = card.get_by_role("link", name="See gift ideas")
    assert link.get_attribute("href") == f"{snippet.origin}/product/mug"
    # The default content is gone; no floating panel, no close button, nothing announced.
    # (document.querySelector, not a Playwright locator: those pierce shadow roots)
    assert page.evaluate("[...document.querySelector('#offer').children].map(e => e.tagName)") == [
        "CXLISTEN-UI"
    ]
    assert page.locator(FLOATING).count() == 0
    assert card.get_by_role("button").count() == 0
    assert card.get_attribute("aria-live") is None
    assert page.evaluate("document.activeElement === document.body")  # focus not taken
    assert shown(snippet) == [("offer-gift", "shown")]
    assert page.errors == []


@pytest.mark.parametrize(
    ("slot", "show"),
    [
        ("offer-gift", OFFER),  # the action's id
        ("promo", {**OFFER, "placement": "slot:promo"}),  # placement slot:NAME
    ],
)
def test_a_slot_is_also_named_by_the_actions_id_or_placement(page, snippet, slot, show):
    page.goto(snippet.url("slot.html"))
    sdk_ready(page)
    page.evaluate("n => document.querySelector('#offer').dataset.cxlistenSlot = n", slot)
    # cxlisten.show(object) takes the same path as an action: here the placement comes as given.
    page.evaluate("a => cxlisten.show(a)", show)
    page.locator(SLOT).get_by_role("heading", name="Gift ideas under $50").wait_for()
    assert page.locator(FLOATING).count() == 0


def test_an_action_in_the_reply_to_an_answer_goes_into_the_slot(page, snippet):
    activate.save_rule(
        snippet.db,
        snippet.site,
        {
            "name": "detractor-chat",
            "level": "reactive",
            "when": [{"score": "nps", "max": 6}],
            "then": {
                "show": {
                    "id": "home-offer",  # named like the page's slot
                    "kind": "channel",
                    "title": {"en": "Sorry to hear that"},
                    "label": {"en": "Chat"},
                    "url": "/help/chat",
                }
            },
        },
    )
    snippet.survey()  # one NPS question on page view
    page.goto(snippet.url("slot.html"))
    dialog = page.locator("cxlisten-ui section[role=dialog]")
    dialog.get_by_role("radio", name="3").check()
    dialog.get_by_role("button", name="Submit").click()
    card = page.locator(SLOT)
    card.wait_for()  # from the reply of POST /v1/responses
    assert card.get_by_role("heading").inner_text() == "Sorry to hear that"
    assert card.get_by_role("link", name="Chat").get_attribute("href").endswith("/help/chat")
    assert page.locator(FLOATING).count() == 0  # not floating too
    assert page.locator("body > cxlisten-ui .survey").count() == 1  # the survey's thank-you
    assert shown(snippet) == [("home-offer", "shown")]


LAYOUT = """() => {
  const host = document.querySelector("#offer cxlisten-ui");
  const card = host.shadowRoot.querySelector(".card");
  const box = card.getBoundingClientRect();
  const css = getComputedStyle(card);
  const link = card.querySelector("a");
  const h2 = card.querySelector("h2");
  return {
    size: [box.width, box.height].map(Math.round),
    font: css.fontSize, color: css.color, background: css.backgroundColor,
    heading: [getComputedStyle(h2).fontSize, getComputedStyle(h2).color],
    link: [getComputedStyle(link).backgroundColor, getComputedStyle(link).display],
    host: [getComputedStyle(host).display, getComputedStyle(host).visibility],
  };
}"""


def test_hostile_host_css_cannot_break_the_slot(browser, snippet):
    home_offer(snippet)
    layouts = []
    for name in ("slot.html", "slot_hostile.html"):
        ctx = new_context(browser, viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        try:
            page = ctx.new_page()
            errors: list[str] = []
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            page.goto(snippet.url(name))
            page.locator(SLOT).wait_for()
            layouts.append(page.evaluate(LAYOUT))
            assert page.locator(SLOT).is_visible()
            assert errors == []
        finally:
            ctx.close()
    plain, hostile = layouts
    assert hostile == plain
    assert plain["size"][0] == 480  # as wide as the page's slot
    assert plain["host"] == ["block", "visible"]
    assert plain["heading"][0] == "16px"


def test_texts_in_the_slot_are_shown_literally(page, snippet):
    home_offer(
        snippet,
        show={
            **OFFER,
            "title": {"en": XSS},
            "body": {"en": f"<b>bold</b> {XSS}"},
            "label": {"en": XSS},
        },
    )
    page.goto(snippet.url("slot.html"))
    card = page.locator(SLOT)
    card.wait_for()
    assert card.get_by_role("heading").inner_text() == XSS
    assert card.locator("p").inner_text() == f"<b>bold</b> {XSS}"
    assert card.get_by_role("link").inner_text() == XSS
    assert card.locator("img, b").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert page.errors == []


def test_the_slots_link_is_reached_by_keyboard_and_its_click_tracked(page, snippet):
    snippet.state["route_page"] = "basic.html"
    home_offer(snippet)
    page.goto(snippet.url("slot.html"))
    page.locator(SLOT).wait_for()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const a = document.activeElement;
                   const inner = a.shadowRoot && a.shadowRoot.activeElement;
                   return inner ? [inner.tagName, inner.textContent,
                                   getComputedStyle(inner).outlineStyle] : [a.tagName]; }"""
    )
    assert focused == ["A", "See gift ideas", "solid"]  # visible focus
    page.keyboard.press("Enter")
    page.wait_for_url("**/product/mug")
    assert shown(snippet, 2) == [("offer-gift", "shown"), ("offer-gift", "clicked")]


@pytest.mark.parametrize(
    ("scheme", "background"),
    [("light", "rgb(255, 255, 255)"), ("dark", "rgb(17, 24, 39)")],
)
def test_the_slot_follows_the_colour_scheme_and_the_sites_accent(page, snippet, scheme, background):
    site_store.update_site(snippet.db, snippet.site.id, accent="#166534")
    home_offer(snippet)
    page.emulate_media(color_scheme=scheme)
    page.goto(snippet.url("slot.html"))
    card = page.locator(SLOT)
    card.wait_for()
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == background
    link = card.get_by_role("link")
    assert link.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(22, 101, 52)"
    assert link.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"


def test_without_a_matching_slot_the_action_floats_as_a_panel(page, snippet):
    home_offer(snippet, name="elsewhere")  # neither the rule, the id nor a placement names the slot
    page.goto(snippet.url("slot.html"))
    panel = page.locator(FLOATING)
    panel.wait_for()
    assert panel.get_by_role("heading").inner_text() == "Gift ideas under $50"
    assert page.evaluate("document.querySelector('#offer h2').textContent") == "Default offer"
    assert page.locator("#offer cxlisten-ui").count() == 0
    assert shown(snippet) == [("offer-gift", "shown")]


def test_no_slot_on_the_page_means_the_panel_as_before(page, snippet):
    home_offer(snippet)
    page.goto(snippet.url("basic.html"))
    panel = page.locator(FLOATING)
    panel.wait_for()
    assert page.locator("cxlisten-ui").get_attribute("data-placement") == "bottom-right"
    assert panel.get_by_role("button", name="Close").count() == 1
    assert shown(snippet) == [("offer-gift", "shown")]


def test_the_slot_keeps_its_offer_on_every_visit_the_panel_only_once_a_session(page, snippet):
    home_offer(snippet)
    page.goto(snippet.url("slot.html"))
    page.locator(SLOT).wait_for()
    page.goto(snippet.url("basic.html"))  # same session: the floating panel is not repeated
    snippet.wait_config(page, 2)
    page.wait_for_timeout(300)
    assert page.locator(FLOATING).count() == 0
    page.goto(snippet.url("slot.html"))  # but the page's slot shows it again
    page.locator(SLOT).wait_for()
    assert shown(snippet, 2) == [("offer-gift", "shown"), ("offer-gift", "shown")]
