"""Docs are tested: every endpoint and every CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collector.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def all_docs() -> str:
    return "\n".join(
        p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    )


def commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield " ".join((*prefix, name))
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("command", list(commands()))
def test_every_cli_command_is_documented(command):
    assert f"cxlisten {command}" in all_docs(), f"`cxlisten {command}` is not in README.md or docs/"


def test_every_endpoint_is_in_docs_api(client):
    api = (ROOT / "docs" / "api.md").read_text()
    spec = client.get("/openapi.json").get_json()
    for path in spec["paths"]:
        # A parameter may be named differently in prose: {id} in the spec, {slug} in the docs.
        pattern = r"\{[^}]+\}".join(re.escape(part) for part in re.split(r"\{[^}]+\}", path))
        assert re.search(pattern, api), f"{path} is not described in docs/api.md"
