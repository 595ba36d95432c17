"""The import rules of ARCHITECTURE.md, checked on the source (every import, also inside functions).

- ``cxlisten`` (the library) never imports Flask, Werkzeug or ``collector``;
- only ``cxlisten/storage`` talks to the database driver or runs SQL, and it imports nothing of
  cxlisten above it but ``cxlisten.errors``;
- ``collector`` (the HTTP layer) never runs SQL either: it calls cxlisten;
- a function over 60 lines says why in its docstring ("... on purpose: ...").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTTP = {"flask", "werkzeug", "collector"}
DRIVERS = {"sqlite3", "sqlite_utils", "psycopg", "psycopg_pool"}
SQL_METHODS = {"execute", "executemany", "executescript"}

# None: the commands that serve HTTP (serve, demo) live in collector/cli.py and collector/demo.py.
KNOWN_HTTP_IMPORTS: set[tuple[str, str]] = set()


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Return the top-level names of every module PATH imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _sql_calls(path: Path) -> list[int]:
    """Return the lines of PATH that call .execute/.executemany/.executescript."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SQL_METHODS
    ]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_library_never_imports_the_http_layer():
    found = {(_rel(p), name) for p in _modules("cxlisten") for name in _imports(p) & HTTP}
    assert found - KNOWN_HTTP_IMPORTS == set(), "cxlisten must not import flask or collector"
    # A known exception that is gone must leave the list, so the rule only ever gets stricter.
    assert KNOWN_HTTP_IMPORTS - found == set()


@pytest.mark.parametrize("package", ["cxlisten", "collector"])
def test_only_storage_talks_to_the_database(package):
    outside = [p for p in _modules(package) if not _rel(p).startswith("cxlisten/storage/")]
    drivers = {_rel(p): sorted(_imports(p) & DRIVERS) for p in outside if _imports(p) & DRIVERS}
    sql = {_rel(p): _sql_calls(p) for p in outside if _sql_calls(p)}
    assert drivers == {}, "import the driver only in cxlisten/storage"
    assert sql == {}, "run SQL only in cxlisten/storage"


def _cxlisten_imports(path: Path) -> set[str]:
    """Return the cxlisten modules PATH imports (``from cxlisten.x import y`` gives cxlisten.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {n for n in names if n == "cxlisten" or n.startswith("cxlisten.")}
    return found


def test_storage_imports_nothing_above_it():
    allowed = {"cxlisten.errors"}
    above = {
        (_rel(p), name)
        for p in _modules("cxlisten/storage")
        for name in _cxlisten_imports(p)
        if name not in allowed and not name.startswith("cxlisten.storage")
    }
    assert above == set(), "cxlisten/storage may import only the drivers and cxlisten.errors"


def test_the_rules_see_what_they_check():
    # The checks would pass vacuously if they read nothing: storage does run SQL.
    assert any(_sql_calls(p) for p in _modules("cxlisten/storage"))
    assert "flask" in _imports(ROOT / "collector" / "__init__.py")
    assert "cxlisten.errors" in _cxlisten_imports(ROOT / "cxlisten" / "storage" / "db.py")


# -- sizes ----------------------------------------------------------------------------------------

LONG = 60  # lines from ``def`` to the end, docstring included (not a view's OpenAPI part)
REASON = "on purpose:"  # "Long on purpose: ...", "One generator on purpose: ..."
# Long functions without a stated reason, in modules other work is changing now; they are to be
# split (and leave this list), never joined by new ones.
KNOWN_LONG: set[str] = set()


def _functions(package: str):
    """Yield (module:function, lines, docstring) of every function in PACKAGE, nested ones too."""
    for path in _modules(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node) or ""
                # A view's OpenAPI declaration (the docstring after "---") is data, not code.
                declared = doc.split("\n---\n", 1)[1].count("\n") + 1 if "\n---\n" in doc else 0
                yield (
                    f"{_rel(path)}:{node.name}",
                    node.end_lineno - node.lineno + 1 - declared,
                    doc,
                )


def test_a_long_function_says_why_it_is_long():
    found = {
        name
        for package in ("cxlisten", "collector", "bench")
        for name, lines, doc in _functions(package)
        if lines > LONG and REASON not in doc
    }
    assert found - KNOWN_LONG == set(), f"split them, or say why in the docstring ({REASON!r})"
    assert KNOWN_LONG - found == set(), "a function that was split leaves KNOWN_LONG"
