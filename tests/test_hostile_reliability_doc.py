"""Every attack row of docs/reliability.md names tests, and every test it names exists.

A cell names tests as `tests/path.py::test_name`, `file.py::test_name` (a file under tests/), or
`::test_name` (in the file named last); a name ending in "…" is a prefix. A bare file (`tests/x.py`)
must exist.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DOC = TESTS.parent / "docs" / "reliability.md"


def _file(name: str) -> Path:
    path = TESTS.parent / name if name.startswith("tests/") else None
    if path is None:
        found = sorted(TESTS.rglob(name))
        assert len(found) == 1, f"{name}: {len(found)} files of that name under tests/"
        path = found[0]
    assert path.exists(), name
    return path


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("attack",):
            if not set(cells[2]) <= set("-| "):
                rows.append((cells[0], cells[2]))
    return rows


def test_every_row_names_tests_that_exist():
    rows = _rows()
    assert len(rows) > 25
    for attack, cell in rows:
        current, named = None, 0
        for token in re.findall(r"`([^`]+)`", cell):
            where, _, name = token.partition("::")
            if where:
                current = _file(where)
            assert current is not None, (attack, token)
            if not name:
                named += 1
                continue
            defined = re.findall(r"^def (test_\w+)", current.read_text(encoding="utf-8"), re.M)
            prefix = name.rstrip("…").rstrip("_")
            wanted = [
                d for d in defined if d == name or (name.endswith("…") and d.startswith(prefix))
            ]
            assert wanted, f"{attack[:60]}: {current.name} has no {name}"
            named += 1
        assert named, f"no test named for: {attack[:80]}"
