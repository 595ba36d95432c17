"""The three-phase pages in Chinese say nothing in the catalogue's English: every word comes from
the catalogue (cxlisten.phrasebook) or from the data (journeys, paths, the visitors' own words),
and the deep-dive's top reasons are worded in the page's language around the visitors' words,
which stay as they wrote them, as text."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import time

import pytest

from cxlisten import deepdive, journeys, surveys
from cxlisten.phrasebook import PHRASES
from cxlisten.rule_words import action_words
from cxlisten.storage import rules as rule_store
from cxlisten.storage import sites as site_store
from tests.clock import DAY_MS, now_ms
from tests.conftest import BROWSER_UA, ORIGIN
from tests.console import test_phase_pages as phase_pages
from tests.surveys.conftest import PULSE, definition

# The demo database simulated with 1,000 visitors, and its console signed in (one per module).
demo_db, demo_app = phase_pages.demo_db, phase_pages.demo_app
person, shop = phase_pages.person, phase_pages.shop


def custom(page: str, days: int) -> str:
    """PAGE over the last DAYS days, as a custom window."""
    start, end = (
        time.strftime("%Y-%m-%d", time.gmtime(t / 1000))
        for t in (now_ms() - days * DAY_MS, now_ms())
    )
    return f"{page}?window=custom&from={start}&to={end}"


PAGES = [
    "/console/home",
    "/console/home?window=today",
    "/console/home?window=30d",
    custom("/console/home", 50),
    "/console/home/live",
    "/console/track",
    "/console/track?window=30d",
    custom("/console/track", 50),
    "/console/deepdive/checkout",
    "/console/deepdive/signup",
    "/console/activate",
    "/console/activate/new",
    "/console/activate/checkout-assist",
    "/console/activate/reason-path/edit",
    "/console/activate/why?visitor=nobody&url=/checkout/payment",
    "/console/visitors",
    "/console/visitors?attribute=needs_care",
    "/console/operations",
]


def english_fragments() -> set[str]:
    """The catalogue's English words that its Chinese does not share: the literal runs of each
    entry between its fields, of two words or more."""
    found = set()
    for entry in PHRASES.values():
        if entry["en"] == entry["zh-CN"]:
            continue
        for piece in re.split(r"\{\w+\}", entry["en"]):
            piece = piece.strip(" .,:;()“”\"'—–-")
            if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2 and piece not in entry["zh-CN"]:
                found.add(piece)
    return found


FRAGMENTS = english_fragments()


def shown_text(page: str) -> str:
    """The page's words a person reads or hears: its text and its labels (no scripts, styles,
    or the JSON that charts read)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    words = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([words, *labels])))


def data_words(db, site) -> str:
    """What the data says in its own words: the demo's surveys, interventions, journeys and
    rules as their authors wrote them, and the visitors' answers."""
    authored = [
        *(s.definition for s in surveys.list_surveys(db, site, include_archived=True)),
        *(dataclasses.asdict(j) for j in journeys.list_journeys(db, site.id)),
        *rule_store.list_rules(db, site.id),
    ]
    answers = db.execute("SELECT value FROM answers WHERE value IS NOT NULL")
    return " ".join(
        [*(json.dumps(a, ensure_ascii=False, default=str) for a in authored)]
        + [str(a[0]) for a in answers]
    )


def test_a_visitors_page_in_chinese_has_no_catalogue_english(person, demo_db, shop):
    db = demo_db[1]
    visitor = db.execute(  # one who answered a survey: a profile, sessions, surveys seen
        "SELECT visitor_id FROM responses WHERE site_id = ? AND is_bot = 0 LIMIT 1", [shop.id]
    ).fetchone()[0]
    path = f"/console/visitors/{visitor}?url=/checkout/payment"
    reply = person.get(path, headers={"Accept-Language": "zh-CN"})
    assert reply.status_code == 200
    shown = shown_text(reply.get_data(as_text=True))
    theirs = data_words(db, shop)
    assert not sorted(f for f in FRAGMENTS if f in shown and f not in theirs)


def test_the_catalogue_yields_english_to_look_for():
    assert {"visitors who answered", "Open answers", "No answers yet"} <= FRAGMENTS
    assert len(FRAGMENTS) > 300


@pytest.mark.parametrize("path", PAGES)
def test_a_phase_page_in_chinese_has_no_catalogue_english(person, demo_db, shop, path):
    reply = person.get(path, headers={"Accept-Language": "zh-CN"})
    assert reply.status_code == 200, path
    shown = shown_text(reply.get_data(as_text=True))
    theirs = data_words(demo_db[1], shop)
    left = sorted(f for f in FRAGMENTS if f in shown and f not in theirs)
    assert not left, f"{path} shows catalogue English in zh-CN: {left}"


def reasons_on(person, locale: str, survey: str) -> list[str]:
    """The lines of SURVEY's top reasons on the checkout deep-dive page in LOCALE, as shown."""
    page = person.get("/console/deepdive/checkout", headers={"Accept-Language": locale})
    box = page.get_data(as_text=True).split(f'id="reasons-{survey}"', 1)[1]
    return html.unescape(box.split(">", 1)[1].split("</textarea>", 1)[0]).splitlines()


def test_the_top_reasons_are_said_in_the_pages_language(person, demo_db, shop):
    db = demo_db[1]
    report = deepdive.report(db, shop, "cart-abandon")
    assert reasons_on(person, "zh-CN", "cart-abandon") == [
        line.say("zh-CN") for line in report["top_reasons"]
    ]
    assert reasons_on(person, "en", "cart-abandon") == [str(r) for r in report["top_reasons"]]
    question = surveys.get_survey(db, shop, "cart-abandon").definition["questions"][0]
    top = report["questions"][0]["distribution"][0]["code"]
    label = next(o["label"] for o in question["options"] if o["code"] == top)
    zh = reasons_on(person, "zh-CN", "cart-abandon")[0]
    assert f"选择了“{label['zh-CN']}”" in zh and "/checkout" in zh and "checkout 旅程" in zh
    assert str(report["top_reasons"][0]).endswith(f'chose "{label["en"]}".')  # the CLI's words


HOSTILE = "<script>window.pwned=1</script> the payment page doesn't work"


def test_reasons_from_the_visitors_answers_stay_as_they_wrote_them(person, demo_app, demo_db):
    db, summary = demo_db[1], demo_db[2]
    shop = site_store.site_by_key(db, summary.site_key)
    surveys.create_survey(
        db,
        shop,
        definition(PULSE, id="checkout-why", phase="deepdive", journey="checkout", status="active"),
    )
    client = demo_app.test_client()
    for n in range(3):
        reply = client.post(
            "/v1/responses",
            json={
                "site": shop.key,
                "visitor": None,
                "survey": "checkout-why",
                "response": f"hostile-{n}",
                "version": 1,
                "answers": [
                    {"question": "found", "value": "no"},
                    {"question": "what", "value": HOSTILE},
                ],
                "complete": True,
                "url": f"{ORIGIN}/checkout/payment",
            },
            headers={"Origin": ORIGIN, "User-Agent": BROWSER_UA},
        )
        assert reply.status_code == 200, reply.get_json()
    page = person.get("/console/deepdive/checkout", headers={"Accept-Language": "zh-CN"})
    body = page.get_data(as_text=True)
    assert "<script>window.pwned" not in body and "&lt;script&gt;window.pwned=1" in body
    lines = reasons_on(person, "zh-CN", "checkout-why")
    said = [line for line in lines if line.startswith("开放回答")]
    assert said and f"“{HOSTILE}”" in said[0]  # the visitors' own words, untranslated, as text


@pytest.mark.parametrize(
    ("placement", "en", "zh"),
    [
        ("bottom-right", ", at the bottom right", "，显示在右下角"),
        ("center", ", at the centre of the page", "，显示在页面中央"),
        ("slot:hero", ", in the page's slot hero", "，显示在页面的插槽 hero 中"),
    ],
)
def test_where_a_rules_action_shows_is_said_in_words(placement, en, zh):
    show = {"kind": "channel", "channel": "chat", "title": {"en": "Chat", "zh-CN": "聊天"}}
    then = {"show": {**show, "placement": placement}}
    assert action_words(then, "en") == [f"show a channel (chat) “Chat”{en}"]
    assert action_words(then, "zh-CN")[0].endswith(zh)


def test_the_rules_page_says_where_each_action_shows(person):
    en = phase_pages.text(person.get("/console/activate"))
    assert "“Sorry it was hard” linking to /help/contact, at the bottom right" in en
    zh = phase_pages.text(person.get("/console/activate", headers={"Accept-Language": "zh-CN"}))
    assert "，显示在右下角" in zh
