"""Links in interventions stay on the site's own origins or an explicitly allowed list.

``/\\evil.example`` looks like a path but a browser reads it as ``//evil.example``.
"""

from __future__ import annotations

import pytest

from cxlisten import surveys
from cxlisten.errors import InvalidInput
from tests.surveys.conftest import HELP, definition


def with_link(url: str) -> dict:
    return definition(HELP, content={**HELP["content"], "url": url})


@pytest.mark.parametrize(
    "url",
    [
        "/\\evil.example",
        "/\\\\evil.example/x",
        "//evil.example",
        "/\t/evil.example",
        "/help\\..\\x",
        "https://shop.example\\@evil.example/",
        "https://user@evil.example/",
        "javascript:alert(1)",
        "https://evil.example/phish",  # well formed, but not the site's
    ],
)
def test_links_off_the_site_are_refused(db, site, url):
    with pytest.raises(InvalidInput) as exc:
        surveys.create_survey(db, site, with_link(url))
    assert "content.url" in exc.value.fields


@pytest.mark.parametrize(
    "url", ["/help/contact", "/help?topic=cart#chat", "https://shop.example/h"]
)
def test_links_on_the_site_are_kept(db, site, url):
    survey = surveys.create_survey(db, site, with_link(url))
    assert survey.definition["content"]["url"] == url


def test_an_origin_can_be_allowed_explicitly(db, site, monkeypatch):
    url = "https://help.example.com/chat"
    with pytest.raises(InvalidInput):
        surveys.create_survey(db, site, with_link(url))
    monkeypatch.setenv("CXLISTEN_LINK_ORIGINS", "https://help.example.com, https://*.example.org")
    assert surveys.create_survey(db, site, with_link(url)).definition["content"]["url"] == url
    other = definition(with_link("https://kb.example.org/a"), id="kb")
    assert surveys.create_survey(db, site, other)


def test_an_update_is_checked_too(db, site):
    surveys.create_survey(db, site, with_link("/help"))
    with pytest.raises(InvalidInput):
        surveys.update_survey(db, site, "need-help", with_link("https://evil.example/"))


# -- the next best action's links (activation rules) follow the same rule ----------------------


def rule_with(then: dict) -> dict:
    return {"name": "help-offer", "level": "reactive", "when": [], "then": then}


def show(url: str) -> dict:
    return {"kind": "content", "title": {"en": "Help"}, "label": {"en": "Open"}, "url": url}


@pytest.mark.parametrize(
    "then,field",
    [
        ({"show": show("https://evil.example/phish")}, "then.show.url"),
        ({"choose": [show("/help"), show("https://evil.example/")]}, "then.choose.1.url"),
        (
            {
                "from_answer": {
                    "survey": "s",
                    "question": "q",
                    "map": {"a": show("http://x.example")},
                }
            },
            "then.from_answer.map.a.url",
        ),
        ({"show": show("/\\evil.example")}, "then.show.url"),
    ],
)
def test_a_rules_links_off_the_site_are_refused(db, site, then, field):
    from cxlisten import activate

    with pytest.raises(InvalidInput) as exc:
        activate.save_rule(db, site, rule_with(then))
    assert field in exc.value.fields, exc.value.fields


def test_a_rules_links_on_the_site_or_allowed_are_kept(db, site, monkeypatch):
    from cxlisten import activate

    kept = activate.save_rule(db, site, rule_with({"show": show("https://shop.example/help")}))
    assert kept.then["show"]["url"] == "https://shop.example/help"
    monkeypatch.setenv("CXLISTEN_LINK_ORIGINS", "https://help.example.com")
    kept = activate.save_rule(db, site, rule_with({"show": show("https://help.example.com/c")}))
    assert kept.then["show"]["url"] == "https://help.example.com/c"
