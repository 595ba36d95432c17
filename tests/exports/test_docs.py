"""docs/exports.md documents every export and every column, in the catalogue's order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxlisten.export import EXPORTS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text()


def section(name: str) -> str:
    match = re.search(rf"^## `{re.escape(name)}`\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert match, f"docs/exports.md has no section ## `{name}`"
    return match.group(1)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_column_is_documented_in_order(name):
    table = section(name).split("| column | type | meaning |\n", 1)[1].split("\n\n", 1)[0]
    documented = re.findall(r"^\| `([^`]+)` \|", table, re.M)
    assert documented == [c.name for c in EXPORTS[name].columns]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_meaning_is_the_catalogues(name):
    text = section(name)
    for column in EXPORTS[name].columns:
        assert column.meaning.replace("|", "\\|") in text, (name, column.name)


@pytest.mark.parametrize(
    "topic",
    [
        "## Formula neutralisation",
        "## Share links",
        "`=`, `+`, `-` or `@`",
        "tab or carriage return",
        "share_link_hours",
        "RFC 4180",
        "byte order mark",
    ],
)
def test_rules_are_documented(topic):
    assert topic in DOC
