"""How the widget renders: isolated from the host both ways, text only, any locale, any screen."""

from __future__ import annotations

import pytest

from cxlisten.storage import sites as site_store
from tests.browser.snippet_fixtures import new_context, snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"
OPTIONS = [{"code": "a", "label": {"en": "Alpha"}}, {"code": "b", "label": {"en": "Beta"}}]

LAYOUT = """() => {
  const card = document.querySelector("cxlisten-ui").shadowRoot.querySelector(".card");
  const box = card.getBoundingClientRect();
  const css = getComputedStyle(card);
  const next = card.querySelector("button.primary");
  return {
    box: [box.x, box.y, box.width, box.height].map(Math.round),
    font: css.fontSize, color: css.color, background: css.backgroundColor,
    next: getComputedStyle(next).backgroundColor,
    visible: getComputedStyle(document.querySelector("cxlisten-ui")).display,
  };
}"""


def show_survey(page, snippet, page_name="basic.html", **attrs):
    snippet.survey(
        questions=[{"id": "pick", "type": "single", "text": {"en": "Pick one"}, "options": OPTIONS}]
    )
    page.goto(snippet.url(page_name, **attrs))
    page.locator(DIALOG).wait_for()


def test_hostile_host_css_leaves_the_widget_intact(browser, snippet):
    layouts = []
    for name in ("basic.html", "hostile.html"):
        ctx = new_context(browser, viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        try:
            page = ctx.new_page()
            errors: list[str] = []
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            snippet.survey(
                f"probe-{name[:5]}",
                questions=[
                    {"id": "pick", "type": "single", "text": {"en": "Pick one"}, "options": OPTIONS}
                ],
            )
            page.goto(snippet.url(name))
            page.locator(DIALOG).wait_for()
            layouts.append(page.evaluate(LAYOUT))
            assert errors == []
        finally:
            ctx.close()
    plain, hostile = layouts
    assert hostile == plain
    assert plain["visible"] == "block"


def test_the_widget_does_not_change_the_host_page(page, snippet):
    snippet.survey()
    page.goto(snippet.url("hostile.html"))
    before = page.evaluate("""() => [document.styleSheets.length,
        JSON.stringify(document.querySelector('#layout').getBoundingClientRect())]""")
    page.locator(DIALOG).wait_for()
    after = page.evaluate("""() => [document.styleSheets.length,
        JSON.stringify(document.querySelector('#layout').getBoundingClientRect())]""")
    assert after == before  # no stylesheet added to the page, its layout unmoved


XSS = '<img src=x onerror="window.pwned=1">'


def test_survey_texts_are_shown_literally_never_as_html(page, snippet):
    snippet.survey(
        questions=[
            {
                "id": "pick",
                "type": "single",
                "text": {"en": f"Question {XSS}"},
                "options": [
                    {"code": "a", "label": {"en": XSS}},
                    {"code": "b", "label": {"en": "<b>bold</b>"}},
                ],
            }
        ],
        texts={"title": {"en": XSS}},
    )
    page.goto(snippet.url())
    dialog = page.locator(DIALOG)
    dialog.wait_for()
    assert dialog.get_by_role("heading").inner_text() == XSS
    assert dialog.locator("legend").inner_text() == f"Question {XSS}"
    assert dialog.get_by_role("radio", name=XSS).count() == 1
    assert dialog.locator("img, b").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert page.errors == []


ZH = {
    "en": "How likely are you to recommend us?",
    "zh-CN": "您向朋友推荐我们的可能性有多大？",
    "zh-TW": "您向朋友推薦我們的可能性有多大？",
}


@pytest.mark.parametrize(
    ("locale", "attrs", "page_name", "question", "next_label"),
    [
        ("en-US", {}, "basic.html", ZH["en"], "Submit"),
        ("zh-CN", {}, "basic.html", ZH["en"], "Submit"),  # <html lang> before the browser
        ("zh-CN", {"locale": "zh-CN"}, "basic.html", ZH["zh-CN"], "提交"),  # data-locale wins
        ("zh-TW", {}, "gb2312.html", ZH["zh-TW"], "送出"),  # no <html lang>: the browser's
        ("zh-HK", {}, "gb2312.html", ZH["zh-TW"], "送出"),  # Hong Kong reads Traditional
        ("fr-FR", {}, "gb2312.html", ZH["en"], "Submit"),  # not offered: the survey's default
    ],
)
def test_locale_and_chinese_rendering(
    browser, snippet, locale, attrs, page_name, question, next_label
):
    ctx = new_context(browser, locale=locale)
    try:
        page = ctx.new_page()
        snippet.survey(
            questions=[{"id": "nps", "type": "nps", "text": ZH}],
            locales=["en", "zh-CN", "zh-TW"],
            default_locale="en",
        )
        page.goto(snippet.url(page_name, **attrs))
        dialog = page.locator(DIALOG)
        dialog.wait_for()
        assert dialog.locator("legend").inner_text() == question
        assert dialog.locator("button.primary").inner_text() == next_label
        # Laid out as text; the build is ASCII-only, so a GB2312 page shows no mojibake.
        assert dialog.locator("legend").evaluate("e => e.getBoundingClientRect().width") > 100
    finally:
        ctx.close()


def test_a_360px_phone_gets_a_bottom_sheet(browser, snippet):
    ctx = new_context(
        browser,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
    )
    try:
        page = ctx.new_page()
        show_survey(page, snippet)
        x, y, w, h = page.evaluate(LAYOUT)["box"]
        assert (x, w, y + h) == (0, 360, 740)  # full width, on the bottom edge
        nps_fits = page.evaluate(
            "() => document.querySelector('cxlisten-ui').shadowRoot.querySelector('.card').scrollWidth <= 360"
        )
        assert nps_fits
    finally:
        ctx.close()


def test_desktop_gets_a_card_in_the_corner(page, snippet):
    page.emulate_media(reduced_motion="reduce")  # measure it at rest
    show_survey(page, snippet)
    x, y, w, h = page.evaluate(LAYOUT)["box"]
    assert (w, 1280 - (x + w), 800 - (y + h)) == (360, 16, 16)


@pytest.mark.parametrize(
    ("media", "background", "animation"),
    [
        ({"color_scheme": "light"}, "rgb(255, 255, 255)", "cx-in"),
        ({"color_scheme": "dark"}, "rgb(17, 24, 39)", "cx-in"),
        ({"color_scheme": "light", "reduced_motion": "reduce"}, "rgb(255, 255, 255)", "none"),
    ],
)
def test_dark_mode_and_reduced_motion(page, snippet, media, background, animation):
    page.emulate_media(**media)
    show_survey(page, snippet)
    card = page.locator(f"{DIALOG}")
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == background
    assert card.evaluate("e => getComputedStyle(e).animationName") == animation


@pytest.mark.parametrize(
    ("accent", "button", "text"),
    [
        (None, "rgb(37, 99, 235)", "rgb(255, 255, 255)"),  # the default blue
        ("#166534", "rgb(22, 101, 52)", "rgb(255, 255, 255)"),
        ("#fde047", "rgb(253, 224, 71)", "rgb(17, 24, 39)"),  # light accent: dark text reads better
    ],
)
def test_the_sites_accent_colour(page, snippet, accent, button, text):
    if accent:
        site_store.update_site(snippet.db, snippet.site.id, accent=accent)
    page.emulate_media(color_scheme="light")
    show_survey(page, snippet)
    primary = page.locator(f"{DIALOG} button.primary")
    assert primary.evaluate("e => getComputedStyle(e).backgroundColor") == button
    assert primary.evaluate("e => getComputedStyle(e).color") == text
