"""The console's pages over the test client: scope, language, the surveys list and its actions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxlisten import surveys
from cxlisten.phrasebook import LOCALES, PHRASES, pick_locale
from cxlisten.surveys.words import audience_words, repetition_words, trigger_words
from tests.surveys.conftest import Browser

TEMPLATES = Path(__file__).resolve().parents[2] / "collector" / "console" / "templates"
PYTHON = Path(__file__).resolve().parents[2] / "collector" / "console"


def text(reply) -> str:
    return reply.get_data(as_text=True)


# --- the catalogue -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_entry_is_in_every_locale_with_the_same_fields(key):
    fields = {loc: set(re.findall(r"\{(\w+)\}", PHRASES[key][loc])) for loc in LOCALES}
    assert set(PHRASES[key]) == set(LOCALES)
    assert fields["en"] == fields["zh-CN"], key


def test_every_key_the_console_uses_is_in_the_catalogue():
    used = set()
    for path in [*TEMPLATES.rglob("*.html"), *PYTHON.glob("*.py")]:
        source = path.read_text()
        used |= set(re.findall(r"""\b_\(["']([\w.]+)["']\s*[,)]""", source))
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']\s*[,)]""", source))
    assert len(used) > 50, "catalogue keys not found"
    # Keys made from a value: statuses, actions, devices, phases, repetition modes.
    from cxlisten.schemas.surveys import DEVICES, PHASES, REPETITION_MODES, STATUSES

    used |= {f"status.{s}" for s in STATUSES} | {f"device.{d}" for d in DEVICES}
    used |= {f"phase.{p}" for p in PHASES} | {f"repeat.{m}" for m in REPETITION_MODES}
    used |= {f"action.{v}" for v in ("pause", "resume", "archive", "duplicate")}
    used |= {f"action.done.{s}" for s in STATUSES}
    used |= {f"builder.published.{w}" for w in ("created", "updated", "unchanged")}
    used |= {f"metric.{m}" for m in ("NPS", "CSAT", "CES")}
    used |= {f"funnel.{s}" for s in ("shown", "answered", "complete", "partial")}
    assert used - set(PHRASES) == set()


@pytest.mark.parametrize(
    ("wanted", "accepted", "chosen"),
    [
        (None, ["zh-CN", "en"], "zh-CN"),
        (None, ["zh-TW"], "zh-CN"),
        (None, ["zh"], "zh-CN"),
        (None, ["fr", "en-GB"], "en"),
        (None, [], "en"),
        ("en", ["zh-CN"], "en"),
        ("xx", ["zh-CN"], "zh-CN"),
    ],
)
def test_the_locale_comes_from_the_choice_then_the_browser(wanted, accepted, chosen):
    assert pick_locale(wanted, accepted) == chosen


# --- words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "en", "zh"),
    [
        (
            {"type": "dwell", "seconds": 45, "urls": ["/help/*"]},
            "after 45 s on /help/*",
            "在 /help/* 停留 45 秒后",
        ),
        ({"type": "pageview", "urls": []}, "on viewing any page", "浏览任意页面时"),
        (
            {"type": "exit_intent", "urls": ["/cart*", "/checkout*"]},
            "when leaving /cart* or /checkout*",
            "即将离开 /cart* 或 /checkout* 时",
        ),
        (
            {"type": "event", "event": "cart_abandoned", "urls": []},
            "on the event “cart_abandoned” on any page",
            "在任意页面发生事件“cart_abandoned”时",
        ),
        (
            {"type": "journey", "steps": ["/cart", "/checkout"], "urls": []},
            "after the journey /cart → /checkout on any page",
            "在任意页面走完路径 /cart → /checkout 后",
        ),
        (
            {"type": "scroll", "percent": 75, "urls": ["/pricing"]},
            "after scrolling 75% of /pricing",
            "在 /pricing 滚动到 75% 后",
        ),
        (  # trig3: the other triggers of the schema
            {"type": "dwell", "seconds": 60, "urls": ["/help/*"], "after": ["/checkout/*"]},
            "after 60 s on /help/* after visiting /checkout/*",
            "访问过 /checkout/* 后，在 /help/* 停留 60 秒后",
        ),
        (
            {"type": "visit", "visit": 3, "urls": ["/pricing"]},
            "on visit 3 or later to /pricing in the session",
            "在同一会话中第 3 次（或之后）访问 /pricing 时",
        ),
        (
            {"type": "visit", "visit": 2, "days": 30, "urls": []},
            "on visit 2 or later to any page in the last 30 days",
            "在最近 30 天内第 2 次（或之后）访问任意页面时",
        ),
        (
            {"type": "frustration", "signal": "dead", "urls": ["/cart"]},
            "after a dead click on /cart",
            "在 /cart 出现无效点击后",
        ),
        (
            {"type": "frustration", "signal": "abandoned", "urls": ["/cart*"]},
            "on /cart* after a form field was left unsent in the session",
            "本次会话中有表单字段填写后未提交，再浏览 /cart* 时",
        ),
        (
            {"type": "slow_page", "metric": "inp", "over": 500.0, "urls": ["/checkout/payment"]},
            "when INP on /checkout/payment is over 500 ms",
            "当 /checkout/payment 的 INP 超过 500 ms 时",
        ),
    ],
)
def test_triggers_in_words(trigger, en, zh):
    assert trigger_words(trigger, "en") == en
    assert trigger_words(trigger, "zh-CN") == zh


def test_audience_and_repetition_in_words():
    definition = {
        "journey": "checkout",
        "phase": "deepdive",
        "audience": {
            "sample": 25,
            "devices": ["mobile", "tablet"],
            "visitors": "returning",
            "attributes": {"has": ["plan"], "lacks": [], "equals": {"plan": "house"}},
            "quota": 500,
        },
    }
    assert audience_words(definition, "en") == (
        "25% of visitors, on phone or tablet, returning visitors only, who told us plan, "
        "whose plan is “house”, while the journey checkout is in its deep-dive phase, "
        "until 500 complete responses"
    )
    assert audience_words({"audience": {}}, "zh-CN") == "所有访客"
    assert repetition_words({"mode": "until_answered", "recontact_days": 30}, "en") == (
        "asked until answered, again after 30 days"
    )
    assert repetition_words({"mode": "times", "times": 3}, "zh-CN") == "最多询问 3 次"


# --- scope ---------------------------------------------------------------------------------------


def test_a_site_key_sees_only_its_site(console, keys, survey_a, survey_b):
    console.sign_in(keys["b"])
    page = text(console.get("/console/surveys"))
    assert "blog-pulse" in page and "shop-pulse" not in page
    assert 'id="site-switch"' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/console/surveys/shop-pulse/edit",
        "/console/surveys/shop-pulse.json",
        "/console/surveys/shop-pulse/preview",
        "/console/surveys/shop-pulse/preview/frame",
    ],
)
def test_a_site_b_key_gets_404_on_site_a_surveys(console, keys, survey_a, survey_b, path):
    console.sign_in(keys["b"])
    reply = console.get(path)
    assert reply.status_code == 404
    assert "shop-pulse" in text(reply)  # a readable page naming what was not found


def test_a_site_b_key_cannot_change_site_a_surveys(console, keys, db, site, survey_a, survey_b):
    console.sign_in(keys["b"])
    for verb in ("pause", "archive", "duplicate"):
        assert console.post(f"/console/surveys/shop-pulse/{verb}").status_code == 404
    assert [s.slug for s in surveys.list_surveys(db, site)] == ["shop-pulse"]
    assert surveys.get_survey(db, site, "shop-pulse").status == "active"
    # Nor switch to site A.
    assert console.post("/console/site", {"site": site.key}).status_code == 404


def test_the_operator_switches_sites(console, keys, site, other_site, survey_a, survey_b):
    console.sign_in(keys["operator"])
    page = text(console.get("/console/surveys"))
    assert 'id="site-switch"' in page and "shop-pulse" in page
    assert console.post("/console/site", {"site": other_site.key}).status_code == 302
    page = text(console.get("/console/surveys"))
    assert "blog-pulse" in page and "shop-pulse" not in page


# --- language ------------------------------------------------------------------------------------


def test_the_browser_language_picks_the_interface(console, keys, survey_a):
    console.sign_in(keys["a"])
    page = text(console.get("/console/surveys", headers={"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert '<html lang="zh-CN">' in page and "<h1>问卷</h1>" in page
    page = text(console.get("/console/surveys", headers={"Accept-Language": "en-US"}))
    assert "<h1>Surveys</h1>" in page


def test_the_chosen_language_wins_over_the_browser(console, keys, survey_a):
    console.sign_in(keys["a"])
    reply = console.post("/console/locale", {"locale": "zh-CN", "next": "/console/surveys"})
    assert reply.location == "/console/surveys"
    page = text(console.get("/console/surveys", headers={"Accept-Language": "en"}))
    assert "<h1>问卷</h1>" in page
    assert "浏览任意页面时" in page  # the trigger in words, too


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_counts_rate_and_words(console, keys, client, site, survey_a):
    for complete in (True, False, True):
        visitor = Browser(client, site)
        visitor.visit("/cart")
        visitor.saw("shop-pulse")
        reply = visitor.respond(
            "shop-pulse", [{"question": "found", "value": "no"}], complete=complete
        )
        assert reply.status_code == 200, reply.get_json()
    visitor = Browser(client, site)
    visitor.visit("/cart")
    visitor.saw("shop-pulse")  # shown, never answered
    console.sign_in(keys["a"])
    page = text(console.get("/console/surveys"))
    assert "2 complete, 1 partial" in page
    assert "75% of 4 shown" in page
    assert "on viewing any page" in page or "on viewing /" in page
    assert "3 answers in 30 days" in page
    values = json.loads(re.search(r"data-values='([^']+)'", page).group(1))
    assert len(values) == 30 and values[-1] == 3 and sum(values) == 3


def test_pause_resume_archive_duplicate(console, keys, db, site, survey_a):
    console.sign_in(keys["a"])
    for verb, status in (("pause", "paused"), ("resume", "active"), ("archive", "archived")):
        reply = console.post(f"/console/surveys/shop-pulse/{verb}")
        assert reply.status_code == 302
        assert surveys.get_survey(db, site, "shop-pulse").status == status
    assert "shop-pulse" not in text(console.get("/console/surveys"))
    assert "shop-pulse" in text(console.get("/console/surveys?archived=1"))
    console.post("/console/surveys/shop-pulse/resume")
    reply = console.post("/console/surveys/shop-pulse/duplicate")
    copy = surveys.get_survey(db, site, "shop-pulse-copy")
    assert (copy.status, copy.version, copy.name) == ("paused", 1, "shop-pulse (copy)")
    assert copy.definition["questions"] == survey_a.definition["questions"]
    console.post("/console/surveys/shop-pulse/duplicate")
    assert surveys.get_survey(db, site, "shop-pulse-copy-2").status == "paused"
    assert console.post("/console/surveys/shop-pulse/explode").status_code == 404


def test_the_downloaded_file_loads_back_to_the_same_survey(console, keys, db, site):
    from cxlisten.surveys.definitions import normalise

    examples = Path(__file__).resolve().parents[2] / "examples" / "surveys"
    console.sign_in(keys["a"])
    for path in sorted(examples.glob("*.json")):
        raw = json.loads(path.read_text())
        if raw.get("kind", "survey") != "survey":
            continue
        survey = surveys.create_survey(db, site, raw)
        reply = console.get(f"/console/surveys/{survey.slug}.json")
        assert reply.headers["Content-Disposition"] == f'attachment; filename="{survey.slug}.json"'
        assert normalise(json.loads(reply.data)) == survey.definition, path.name


def test_bad_filters_are_said_next_to_each_field(console, keys, survey_a):
    console.sign_in(keys["a"])
    reply = console.get(
        "/console/surveys/shop-pulse/results?device=phone&since=2026-13-01&answer=nocolon"
    )
    assert reply.status_code == 400
    page = text(reply)
    for field in ("device", "since", "answer"):
        assert f'id="f-{field}-error"' in page
    assert 'aria-describedby="f-device-error"' in page
    assert "Must be one of: desktop, mobile, tablet." in page
    assert "0 responses in all" in page  # the page is still there, unfiltered


def test_the_results_page_title_is_plain_text_and_the_share_form_appears_once(
    console, keys, survey_a
):
    console.sign_in(keys["a"])
    page = text(console.get("/console/surveys/shop-pulse/results"))
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert "<" not in title and "share" not in title.lower()
    assert page.count('id="share-h"') == 1
