"""The builder's form over the test client: every survey survives a round trip through its
fields, the engine's errors land next to the field they name, questions, options and branches are
added, moved and removed with the focus placed where it belongs, drafts and publishing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from collector.console.builder_form import FieldErrors, definition_of, field_id, fields_of
from collector.console.builder_ops import apply
from cxlisten import surveys
from cxlisten.errors import InvalidInput
from cxlisten.storage import drafts as draft_store
from cxlisten.surveys.definitions import normalise
from tests.console.forms import form_fields
from tests.surveys.conftest import DEEPDIVE, PULSE, definition

EXAMPLES = Path(__file__).parents[2] / "examples" / "surveys"
RICH = {
    "id": "rich",
    "name": "Every field",
    "description": "For the team:\nwhat it is for, on two lines",
    "phase": "deepdive",
    "journey": "checkout",
    "priority": 7,
    "trigger": {"type": "dwell", "seconds": 45, "urls": ["/help/*", "/faq"]},
    "audience": {
        "sample": 12.5,
        "devices": ["mobile", "tablet"],
        "visitors": "returning",
        "attributes": {"has": ["plan"], "lacks": ["churned"], "equals": {"tier": "gold"}},
        "start": "2026-11-01T09:00:00Z",
        "end": "2026-12-01",
        "quota": 300,
    },
    "repetition": {"mode": "times", "times": 3, "recontact_days": 14},
    "default_locale": "en",
    "locales": ["en", "zh-CN", "zh-TW"],
    "texts": {"title": {"en": "Quick question", "zh-CN": "快速提问", "zh-TW": "快速提問"}},
    "questions": [
        {
            "id": "stars",
            "type": "rating",
            "scale": {"max": 7},
            "labels": {"min": {"en": "Bad"}, "max": {"en": "Great"}},
            "text": {"en": "Rate us", "zh-CN": "请评分", "zh-TW": "請評分"},
            "branch": [{"when": {"min": 6, "max": 7}, "goto": "end"}],
        },
        {
            "id": "pick",
            "type": "multi",
            "other": True,
            "required": False,
            "saves_as": "interest",
            "text": {"en": "Which?", "zh-CN": "哪些？"},
            "options": [
                {"code": "a", "label": {"en": "A", "zh-CN": "甲"}},
                {"code": "b", "label": {"en": "B", "zh-TW": "乙"}},
            ],
            "branch": [{"when": {"in": ["a", "other"]}, "goto": "why"}],
        },
        {"id": "why", "type": "text", "max_length": 80, "text": {"en": "Why?"}},
    ],
}


def page(reply) -> str:
    return reply.get_data(as_text=True)


def submit(console, html: str, *extra: tuple[str, str], drop=(), change=None):
    """Post the builder form in HTML as a browser would, with EXTRA pairs (a clicked button)."""
    fields = [(k, v) for k, v in form_fields(html) if k not in drop]
    for key, value in (change or {}).items():
        fields = [(k, value if k == key else v) for k, v in fields]
        if key not in dict(fields):
            fields.append((key, value))
    return console.client.post("/console/builder/form", data=MultiDict([*fields, *extra]))


def examples():
    for path in sorted(EXAMPLES.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("kind", "survey") == "survey":
            yield pytest.param(raw, id=path.stem)


@pytest.mark.parametrize(
    "raw",
    [pytest.param(RICH, id="every-field"), pytest.param(DEEPDIVE, id="deepdive"), *examples()],
)
def test_every_survey_comes_back_from_its_form_unchanged(console, keys, db, site, raw):
    surveys.create_survey(db, site, raw)
    console.sign_in(keys["a"])
    html = page(console.get(f"/console/surveys/{raw['id']}/edit"))
    assert 'id="builder-form"' in html
    # The form's fields alone rebuild the definition the engine stored.
    posted, problems = definition_of(MultiDict(form_fields(html)))
    assert problems == {}
    assert normalise(posted, "survey") == normalise(raw, "survey")
    before = surveys.get_survey(db, site, raw["id"])
    reply = submit(console, html, ("action", "publish"))
    assert reply.status_code == 302
    notice = page(console.get(reply.headers["Location"]))
    assert f"“{raw['id']}” is unchanged" in notice.replace("&#8220;", "“").replace("&#8221;", "”")
    after = surveys.get_survey(db, site, raw["id"])
    assert (after.version, after.status, after.updated_at) == (1, before.status, before.updated_at)


def test_texts_show_en_zh_cn_and_zh_tw_side_by_side_with_missing_ones_flagged(
    console, keys, db, site
):
    surveys.create_survey(db, site, RICH)
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/rich/edit"))
    box = re.search(
        r'<fieldset class="locales" id="f-questions-1-text">(.*?)</fieldset>', html, re.S
    )
    cells = re.findall(r'<label for="f-questions-1-text-([\w-]+)">', box.group(1))
    assert cells == ["en", "zh-CN", "zh-TW"]
    assert 'data-missing="zh-TW"' in box.group(1) and 'data-missing="zh-CN"' not in box.group(1)
    assert 'lang="zh-CN" value="哪些？"' in box.group(1)


def test_scale_end_labels_and_the_description_are_fields_of_their_own(console, keys, db, site):
    surveys.create_survey(db, site, RICH)
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/rich/edit"))
    description = re.search(r'<textarea id="f-description" name="description"[^>]*>([^<]*)<', html)
    assert description.group(1) == RICH["description"]
    assert re.search(
        r'<div class="scale-labels" data-show-field="questions\[0\].type" '
        r'data-show-values="nps,csat,ces,rating">',
        html,
    )
    for end, en in (("min", "Bad"), ("max", "Great")):
        box = re.search(
            rf'<fieldset class="locales" id="f-questions-0-labels-{end}">(.*?)</fieldset>',
            html,
            re.S,
        ).group(1)
        cells = re.findall(rf'<label for="f-questions-0-labels-{end}-([\w-]+)">', box)
        assert cells == ["en", "zh-CN", "zh-TW"]  # side by side, as every text
        assert f'lang="en" value="{en}"' in box
        # Given in English only: the other listed locales are flagged as missing.
        assert 'data-missing="zh-CN"' in box and 'data-missing="zh-TW"' in box
        assert 'data-missing="en"' not in box
    # A scale question left without labels is not missing any (they are optional); a choice
    # question's label fields are hidden until its type is a scale's.
    multi = re.search(r'id="f-questions-1-labels-min">(.*?)</fieldset>', html, re.S).group(1)
    assert "data-missing" not in multi
    assert re.search(
        r'<div class="scale-labels" data-show-field="questions\[1\].type"[^>]*hidden', html
    )
    # Nothing of them travels in the hidden JSON any more.
    rest = dict(form_fields(html))
    assert "description" not in rest["rest"] and "labels" not in rest["questions[0].rest"]

    typed = {
        "description": "Asked after checkout.\r\nFor the payments team.",
        "questions[0].labels.min.zh-CN": "很差",
        "questions[0].labels.min.zh-TW": "很差",
        "questions[0].labels.max.zh-CN": "很好",
        "questions[0].labels.max.zh-TW": "很好",
    }
    done = submit(console, html, ("action", "publish"), change=typed)
    assert done.status_code == 302, page(done)
    live = surveys.get_survey(db, site, "rich").definition
    assert live["description"] == "Asked after checkout.\nFor the payments team."
    assert live["questions"][0]["labels"] == {
        "min": {"en": "Bad", "zh-CN": "很差", "zh-TW": "很差"},
        "max": {"en": "Great", "zh-CN": "很好", "zh-TW": "很好"},
    }
    again = page(console.get("/console/surveys/rich/edit"))
    assert "data-missing" not in re.search(
        r'id="f-questions-0-labels-max">(.*?)</fieldset>', again, re.S
    ).group(1)
    # Blanking every locale of both ends drops the labels (the widget's own words return).
    blank = {f"questions[0].labels.{e}.{loc}": "" for e in ("min", "max") for loc in SIDE}
    done = submit(console, again, ("action", "publish"), change={**blank, "description": " "})
    assert done.status_code == 302, page(done)
    live = surveys.get_survey(db, site, "rich").definition
    assert "labels" not in live["questions"][0] and "description" not in live


SIDE = ("en", "zh-CN", "zh-TW")


@pytest.mark.parametrize(
    "change, path, fid, message",
    [
        (
            {"questions[0].labels.max.en": "x" * 101},
            "questions[0].labels.max.en",
            "f-questions-0-labels-max-en",
            "between 1 and 100",
        ),
        (
            {"questions[0].labels.min.en": "", "questions[0].labels.min.zh-CN": "差"},
            "questions[0].labels.min",
            "f-questions-0-labels-min",
            "missing the default locale",
        ),
        ({"description": "d" * 2001}, "description", "f-description", "2000"),
    ],
)
def test_a_bad_label_or_description_is_shown_next_to_its_field(
    console, keys, db, site, change, path, fid, message
):
    surveys.create_survey(db, site, RICH)
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/rich/edit"))
    reply = submit(console, html, ("action", "publish"), change=change)
    assert reply.status_code == 400
    shown = page(reply)
    assert f'data-field="{path}"' in re.search(
        r'<div class="error-summary".*?</div>', shown, re.S
    ).group(0)
    error = re.search(rf'<p class="field-error" id="{fid}-error">([^<]*)</p>', shown)
    assert error and message in error.group(1)
    if path != "questions[0].labels.min":  # a field (not a group): marked invalid
        assert re.search(rf'id="{fid}"[^>]*aria-invalid="true"', shown)
    assert surveys.get_survey(db, site, "rich").version == 1


def test_every_error_of_the_api_is_shown_next_to_its_field(console, keys, client, db, site):
    surveys.create_survey(db, site, RICH)
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/rich/edit"))
    bad = {
        "questions[1].options[1].code": "Not A Code",
        "questions[0].scale.max": "12",
        "audience.sample": "150",
        "trigger.seconds": "",
        "questions[2].text.en": "",
        "questions[1].text.fr": "bonjour",
    }
    reply = submit(console, html, ("action", "publish"), change=bad)
    assert reply.status_code == 400
    shown = page(reply)
    raw, _ = definition_of(MultiDict(form_fields(shown)))  # what the page now holds
    raw["questions"][1]["text"]["fr"] = "bonjour"  # (no fr column: the field is not kept)
    with pytest.raises(InvalidInput) as caught:
        normalise(raw, "survey")
    api = client.post(
        f"/api/surveys?site={site.key}", json=raw, headers={"X-Admin-Key": keys["a"]}
    ).get_json()["error"]["fields"]
    assert set(api) == set(caught.value.fields) and len(api) >= 5
    summary = re.search(r'<div class="error-summary".*?</div>', shown, re.S).group(0)
    assert f"{len(api)} errors" in summary
    for path in api:
        assert f'data-field="{path}"' in summary
    # Each named field carries its message right after it, and says it is invalid.
    for path, fid in [
        ("questions[1].options[1].code", "f-questions-1-options-1-code"),
        ("questions[0].scale.max", "f-questions-0-scale-max"),
        ("audience.sample", "f-audience-sample"),
        ("trigger.seconds", "f-trigger-seconds"),
        ("questions[2].text", "f-questions-2-text"),
    ]:
        messages = api[path]
        if path == "questions[2].text":  # a group: its message heads the locales' fieldset
            assert re.search(
                rf'<fieldset class="locales" id="{fid}">\s*<legend>[^<]*</legend>\s*<p class="field-error" id="{fid}-error">[^<]*{messages[0]}',
                shown,
            ), path
            continue
        field = re.search(
            rf'<(input|select)[^>]*id="{fid}"[^>]*>\s*<p class="field-error" id="{fid}-error">([^<]*)</p>',
            shown,
        )
        assert field, path
        assert messages[0] in field.group(2)
        assert 'aria-invalid="true"' in field.group(0)
        assert f'aria-describedby="{fid}-error"' in field.group(0)
        assert f'<a href="#{fid}"><code>{path}</code></a>' in summary
    # Fixing them publishes.
    fixed = {
        "questions[1].options[1].code": "b",
        "questions[0].scale.max": "7",
        "audience.sample": "12.5",
        "questions[2].text.en": "Why?",
        "trigger.seconds": "45",
    }
    done = submit(console, shown, ("action", "publish"), change=fixed)
    assert done.status_code == 302, page(done)
    live = surveys.get_survey(db, site, "rich").definition
    assert live["questions"][1]["options"][1]["code"] == "b"
    assert "fr" not in live["questions"][1]["text"]


def test_adding_moving_and_removing_questions_places_the_focus(console, keys, db, site):
    surveys.create_survey(db, site, definition(DEEPDIVE))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/cart/edit"))
    ids = lambda h: [v for k, v in form_fields(h) if re.fullmatch(r"questions\[\d+\]\.id", k)]  # noqa: E731
    focused = lambda h: re.findall(r'id="([^"]+)"[^>]*\bautofocus', h)  # noqa: E731
    assert ids(html) == ["reason", "score", "channels", "more"]

    down = page(submit(console, html, ("op", "down-question:0")))
    assert ids(down) == ["score", "reason", "channels", "more"]
    assert focused(down) == [field_id("questions[1].down-question")]
    up = page(submit(console, down, ("op", "up-question:1")))
    assert ids(up) == ["reason", "score", "channels", "more"]
    assert focused(up) == [field_id("questions[0].down-question")]  # first: no "up" button
    last = page(submit(console, up, ("op", "down-question:2")))
    assert ids(last) == ["reason", "score", "more", "channels"]
    assert focused(last) == [field_id("questions[3].up-question")]
    gone = page(submit(console, last, ("op", "remove-question:1")))
    assert ids(gone) == ["reason", "more", "channels"]
    assert focused(gone) == [field_id("questions[1].remove-question")]
    added = page(submit(console, gone, ("op", "add-question")))
    assert ids(added) == ["reason", "more", "channels", "q4"]
    assert focused(added) == [field_id("questions[3].id")]
    # Options and branches the same way; nothing is saved by any of it.
    option = page(submit(console, added, ("op", "up-option:0:1")))
    codes = [v for k, v in form_fields(option) if k.startswith("questions[0].options[")]
    assert codes[:2] == ["price", "shipping"] or "price" in codes[0]
    assert focused(option) == [field_id("questions[0].options[0].down-option")]
    branch = page(submit(console, option, ("op", "add-branch:2")))
    assert focused(branch) == [field_id("questions[2].branch[0].test")]
    assert draft_store.get_draft(db, site.id, "cart") is None
    assert len(surveys.get_survey(db, site, "cart").definition["questions"]) == 4


def test_a_draft_from_the_form_leaves_the_live_survey_alone(console, keys, db, site):
    surveys.create_survey(db, site, definition(PULSE))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    reply = submit(console, html, ("action", "save"), change={"questions[0].text.en": "Found it?"})
    assert reply.status_code == 200 and "Draft saved" in page(reply)
    live = surveys.get_survey(db, site, "pulse").definition
    assert live["questions"][0]["text"]["en"] == "Did you find it?"
    again = page(console.get("/console/surveys/pulse/edit"))
    assert 'value="Found it?"' in again
    published = submit(console, again, ("action", "publish"))
    assert published.status_code == 302
    assert surveys.get_survey(db, site, "pulse").definition["questions"][0]["text"]["en"] == (
        "Found it?"
    )
    assert draft_store.get_draft(db, site.id, "pulse") is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("op", "sideways-question:0"), "not a builder action"),
        (("op", "remove-question:99"), "no such question"),
        (("op", "up-option:x"), "not a builder action"),
        (("rest", "[1, 2]"), "not a JSON object"),
        (("rest", "{nope"), "not a JSON object"),
    ],
)
def test_tampered_form_input_is_a_readable_error(console, keys, db, site, extra, message):
    surveys.create_survey(db, site, definition(PULSE))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    name, value = extra
    if name == "rest":
        reply = submit(console, html, ("action", "check"), change={"rest": value})
    else:
        reply = submit(console, html, extra)
    assert reply.status_code in (200, 400)
    assert message in page(reply)


def test_the_form_refuses_a_post_without_its_csrf_token(console, keys, db, site):
    surveys.create_survey(db, site, definition(PULSE))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    reply = submit(console, html, ("action", "publish"), drop=("csrf_token",))
    assert reply.status_code == 403


def test_the_json_view_stays_as_the_advanced_way(console, keys, db, site):
    surveys.create_survey(db, site, definition(PULSE))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    assert 'href="/console/surveys/pulse/edit?view=json"' in html
    advanced = page(console.get("/console/surveys/pulse/edit?view=json"))
    assert '<textarea id="text" name="text"' in advanced


def test_the_form_model_in_isolation():
    fields = fields_of({"questions": "not a list", "trigger": 3, "locales": "en"})
    assert fields["questions"] == [] and fields["trigger"]["type"] == "pageview"
    assert apply({"questions": []}, "add-option:0").errors == {"op": ["no question [0]"]}
    errs = FieldErrors({"trigger.urls[2]": ["bad"], "questions": ["too few"]})
    assert errs.at("trigger.urls", below=True) == ["[2]: bad"]
    assert errs.shown == {"trigger.urls[2]": "f-trigger-urls"}


def test_the_words_follow_each_valid_part_while_another_has_an_error(console, keys, db, site):
    surveys.create_survey(db, site, RICH)
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/rich/edit"))
    fields = [(k, v) for k, v in form_fields(html) if k != "action"]
    changed = [(k, "Bad Id" if k == "questions[0].id" else v) for k, v in fields]
    changed = [(k, "30" if k == "trigger.seconds" else v) for k, v in changed]
    checks = page(console.client.post("/console/builder/form/check", data=MultiDict(changed)))
    assert 'data-field="questions[0].id"' in checks
    assert re.search(r'data-words="trigger">after 30 s on /help/\* or /faq<', checks), checks
    broken = [(k, "5000" if k == "trigger.seconds" else v) for k, v in changed]
    checks = page(console.client.post("/console/builder/form/check", data=MultiDict(broken)))
    assert 'data-words="trigger">–<' in checks and 'data-words="repetition">–<' not in checks


@pytest.mark.parametrize(
    "pairs",
    [
        [("questions", "x"), ("trigger", "y"), ("audience.devices", "phone")],
        [("questions[0]", "x"), ("questions[0].text", "y"), ("questions[0].options", "z")],
        [("trigger.type.deeper", "x"), ("questions[0].branch[0].when", "1")],
        [("questions[999].id", "far"), ("questions[0].options[5].label.en", "<b>x</b>")],
        [("[0]", "x"), ("..", "y"), ("", "z"), ("questions[-1].id", "neg")],
        [("questions[0].type", "rating"), ("questions[0].scale.max", "1e9")],
        [("priority", "99999999999999999999"), ("audience.sample", "NaN")],
    ],
)
def test_any_posted_form_gets_a_page_never_a_500(console, keys, pairs):
    console.sign_in(keys["a"])
    for action in ("check", "save", "publish"):
        data = MultiDict([("csrf_token", console.token), ("action", action), *pairs])
        reply = console.client.post("/console/builder/form", data=data)
        assert reply.status_code in (200, 400), (action, reply.status_code)
        assert "<b>x</b>" not in page(reply)


# --- the triggers the engine knows, each with fields of its own -------------------------------

TRIGGERS = {
    "scroll": (
        {"type": "scroll", "percent": 75, "urls": ["/pricing"]},
        ["percent"],
        "after scrolling 75% of /pricing",
    ),
    "visit": (
        {"type": "visit", "visit": 3, "urls": ["/pricing"]},
        ["visit", "days"],
        "on visit 3 or later to /pricing in the session",
    ),
    "visit-days": (
        {"type": "visit", "visit": 2, "days": 30, "urls": ["/plans/*"]},
        ["visit", "days"],
        "on visit 2 or later to /plans/* in the last 30 days",
    ),
    "dwell-after": (
        {"type": "dwell", "seconds": 60, "urls": ["/help/*"], "after": ["/checkout/*", "/cart"]},
        ["seconds", "after"],
        "after 60 s on /help/* after visiting /checkout/* or /cart",
    ),
    "frustration": (
        {"type": "frustration", "signal": "rage", "urls": ["/checkout/*"]},
        ["signal"],
        "after a rage click on /checkout/*",
    ),
    "abandoned": (
        {"type": "frustration", "signal": "abandoned", "urls": ["/cart*"]},
        ["signal"],
        "on /cart* after a form field was left unsent in the session",
    ),
    "slow-page": (
        {"type": "slow_page", "metric": "lcp", "over": 4000, "urls": ["/checkout/payment"]},
        ["metric", "over"],
        "when LCP on /checkout/payment is over 4.0 s",
    ),
    "slow-cls": (
        {"type": "slow_page", "metric": "cls", "over": 0.25, "urls": []},
        ["metric", "over"],
        "when CLS on any page is over 0.25",
    ),
}
TRIGGER_FIELDS = ("seconds", "event", "steps", "after", "visit", "days", "signal", "metric")


def shown(html: str, name: str) -> bool:
    """Whether the field trigger.NAME sits in a part of the form shown for the current type."""
    fid = field_id(f"trigger.{name}")
    before = html[: html.index(f'id="{fid}"')]
    opened = before.rindex("<div data-show-field=") if "<div data-show-field=" in before else -1
    wrapper = html[opened : html.index(">", opened)] if opened >= 0 else ""
    return 'data-show-field="trigger.type"' not in wrapper or " hidden" not in wrapper


@pytest.mark.parametrize("case", list(TRIGGERS), ids=list(TRIGGERS))
def test_each_trigger_comes_back_from_its_fields_unchanged(console, keys, db, site, case):
    trigger, fields, words = TRIGGERS[case]
    surveys.create_survey(db, site, definition(PULSE, trigger=trigger))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    kinds = re.search(r'<select id="f-trigger-type"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert f'<option value="{trigger["type"]}" selected>' in kinds
    assert len(re.findall("<option ", kinds)) == 9  # every trigger type of the schema
    for name in fields:
        assert shown(html, name), name
    for name in set(TRIGGER_FIELDS) - set(fields):
        assert not shown(html, name), name  # in the page, hidden until its type is chosen
    assert f'data-words="trigger">{words}<' in html
    posted, problems = definition_of(MultiDict(form_fields(html)))
    assert problems == {}
    assert normalise(posted, "survey") == normalise(definition(PULSE, trigger=trigger), "survey")
    reply = submit(console, html, ("action", "publish"))
    assert reply.status_code == 302
    assert surveys.get_survey(db, site, "pulse").version == 1  # unchanged


def test_choosing_another_trigger_type_sends_its_fields_only(console, keys, db, site):
    surveys.create_survey(db, site, definition(PULSE, trigger=TRIGGERS["dwell-after"][0]))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    change = {"trigger.type": "slow_page", "trigger.metric": "inp", "trigger.over": "500"}
    checks = console.client.post(
        "/console/builder/form/check",
        data=MultiDict([(k, change.get(k, v)) for k, v in form_fields(html)]),
    )
    assert 'data-words="trigger">when INP on /help/* is over 500 ms<' in page(checks)
    # The dwell's seconds and "after" pages are still in the page (hidden), not in the survey.
    done = submit(console, html, ("action", "publish"), change=change)
    assert done.status_code == 302, page(done)
    live = surveys.get_survey(db, site, "pulse").definition["trigger"]
    assert live == {"type": "slow_page", "metric": "inp", "over": 500.0, "urls": ["/help/*"]}
    again = page(console.get("/console/surveys/pulse/edit"))
    assert shown(again, "metric") and not shown(again, "after")
    assert "when INP on /help/* is over 500 ms" in again


@pytest.mark.parametrize(
    ("case", "change", "path", "message"),
    [
        ("scroll", {"trigger.percent": ""}, "trigger.percent", "required for scroll triggers"),
        ("scroll", {"trigger.percent": "101"}, "trigger.percent", "less than or equal to 100"),
        ("scroll", {"trigger.percent": "50.5"}, "trigger.percent", "whole number"),
        ("visit", {"trigger.visit": ""}, "trigger.visit", "required for visit triggers"),
        ("visit", {"trigger.visit": "0"}, "trigger.visit", "greater than or equal to 1"),
        ("visit", {"trigger.days": "400"}, "trigger.days", "less than or equal to 365"),
        ("dwell-after", {"trigger.after": "checkout"}, "trigger.after", "starting with /"),
        ("frustration", {"trigger.signal": "sideways"}, "trigger.signal", "one of"),
        ("slow-page", {"trigger.metric": "fast"}, "trigger.metric", "one of"),
        ("slow-page", {"trigger.over": ""}, "trigger.over", "required for slow_page triggers"),
        ("slow-page", {"trigger.over": "-5"}, "trigger.over", "greater than or equal to 0"),
    ],
)
def test_a_bad_trigger_field_is_shown_next_to_it(
    console, keys, db, site, case, change, path, message
):
    surveys.create_survey(db, site, definition(PULSE, trigger=TRIGGERS[case][0]))
    console.sign_in(keys["a"])
    html = page(console.get("/console/surveys/pulse/edit"))
    reply = submit(console, html, ("action", "publish"), change=change)
    assert reply.status_code == 400
    shown_page = page(reply)
    fid = field_id(path)
    summary = re.search(r'<div class="error-summary".*?</div>', shown_page, re.S).group(0)
    assert f'<a href="#{fid}"><code>' in summary
    field = re.search(
        rf'<(input|select|textarea)[^>]*id="{fid}"[^>]*>'
        r"(?:[^<]*</textarea>|(?:\s*<option[^>]*>[^<]*</option>)*\s*</select>)?\s*"
        rf'<p class="field-error" id="{fid}-error">([^<]*)</p>',
        shown_page,
    )
    assert field, shown_page
    assert message in field.group(2)
    assert 'aria-invalid="true"' in field.group(0)
    assert shown(shown_page, path.split(".")[1])  # next to a field the page shows
    assert 'data-words="trigger">–<' in shown_page  # no words for a trigger that is wrong
    assert surveys.get_survey(db, site, "pulse").version == 1
