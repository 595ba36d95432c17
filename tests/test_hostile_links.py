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
