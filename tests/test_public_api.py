"""The public library API: what ``cxlisten`` exports is what docs/library.md uses, and exists."""

from __future__ import annotations

import re
from pathlib import Path

import cxlisten

LIBRARY_MD = Path(__file__).resolve().parent.parent / "docs" / "library.md"


def _code_blocks() -> str:
    return "\n".join(
        re.findall(r"```python\n(.*?)```", LIBRARY_MD.read_text(encoding="utf-8"), re.S)
    )


def _names_the_docs_use() -> set[str]:
    code = _code_blocks()
    names = set(re.findall(r"(?<![\w\"'/.-])cxlisten\.(\w+)", code))  # not "cxlisten.db"
    for group in re.findall(r"^from cxlisten import ([\w, ]+)$", code, re.M):
        names |= {n.strip() for n in group.split(",")}
    names |= set(re.findall(r"^from cxlisten\.(\w+)", code, re.M))
    return names


def test_every_exported_name_exists_once():
    assert len(cxlisten.__all__) == len(set(cxlisten.__all__))
    assert [n for n in cxlisten.__all__ if not hasattr(cxlisten, n)] == []


def test_star_import_gives_exactly_the_public_api():
    namespace: dict = {}
    exec("from cxlisten import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(cxlisten.__all__)


def test_the_docs_use_only_the_public_api():
    used = _names_the_docs_use()
    assert {"open_database", "pick_site", "diagnose", "journeys"} <= used  # the parse finds them
    assert used - set(cxlisten.__all__) == set()


def test_the_docs_start_from_the_package_not_from_storage():
    first = _code_blocks().split("\n\n")[0]
    assert "import cxlisten" in first and "cxlisten.storage" not in _code_blocks()
