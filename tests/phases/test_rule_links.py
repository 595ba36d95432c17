"""A rule's next-best-action link is checked as survey links are: a path of the site or an
http(s) URL, never one a browser reads as another host (docs/reliability.md)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.rules import validate_rule

RULE = json.loads((Path(__file__).resolve().parents[2] / "examples/rules.json").read_text())[
    "rules"
][0]  # detractor-care: then.show.url is a path of the shop


def _with_url(url: str) -> dict:
    rule = copy.deepcopy(RULE)
    rule["then"]["show"]["url"] = url
    return rule


@pytest.mark.parametrize("url", ["/help/contact", "https://shop.example/help"])
def test_paths_and_http_urls_are_links(url):
    assert validate_rule(_with_url(url))


@pytest.mark.parametrize(
    "url", ["/\\evil.example", "//evil.example", "/\t/evil.example", "javascript:alert(1)"]
)
def test_links_that_leave_the_site_are_refused_located(url):
    with pytest.raises(InvalidInput) as refused:
        validate_rule(_with_url(url))
    assert any(path.endswith("url") for path in refused.value.fields)
