"""``cxlisten export NAME --out FILE``."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from cxlisten.cli import cli
from tests.exports.conftest import T0


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    ("name", "args", "rows"),
    [
        ("events", [], 20),
        ("sessions", [], 3),
        ("sessions", ["--journey", "/cart > /checkout"], 1),
        ("sessions", ["--bots"], 4),
        ("sessions", ["--since", "2000-01-01", "--until", "2100-01-01"], 3),
        ("visitors", [], 2),
    ],
)
def test_export_writes_the_file(shop, db_path, tmp_path, name, args, rows):
    out = tmp_path / f"{name}.csv"
    result = run("export", name, "--db", db_path, "--out", out, *args)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {rows} rows of {name} to {out} (csv)\n"
    with open(out, newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == rows


@pytest.mark.parametrize(
    ("out", "fmt", "first"),
    [
        ("e.jsonl", None, b'{"time":'),
        ("e.csv", "jsonl", b'{"time":'),
        ("e.csv", None, b"time,"),
        ("e.csv", "excel", b"\xef\xbb\xbftime,"),
    ],
)
def test_format_follows_the_option_or_the_file_name(shop, db_path, tmp_path, out, fmt, first):
    path = tmp_path / out
    result = run(
        "export", "events", "--db", db_path, "--out", path, *(["--format", fmt] if fmt else [])
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(first)


def test_out_dash_writes_standard_output(shop, db_path):
    result = run("export", "visitors", "--db", db_path, "--out", "-", "--format", "jsonl")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 and set(lines[0]) == {
        "visitor",
        "first_seen",
        "last_seen",
        "sessions",
        "device",
        "browser",
        "os",
        "customer",
        "customer_orders",
        "customer_revenue",
        "customer_open_tickets",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--since", "2026-13-01"], "Invalid value for '--since'"),
        (
            ["events", "--since", "2026-12-01", "--until", "2026-11-01"],
            "Error: invalid export filters (until: must be later than since)",
        ),
        (["events", "--site", "cx_nope"], "Error: no site with key cx_nope"),
        (
            ["events", "--survey", "cart-abandon"],
            "Error: filter not taken by the events export (survey: the events export takes: site, "
            "since, until, journey, bots)",
        ),
        (["visitors", "--journey", "/cart"], "Error: filter not taken by the visitors export"),
        (
            ["events", "--journey", "cart"],
            "Error: no journey named 'cart' (journey: unknown journey)",
        ),
        (["events", "--journey", "Cart page"], "journey: a journey name, or path patterns"),
        (["orders"], "Invalid value for 'NAME': 'orders' is not one of 'events'"),
    ],
)
def test_bad_input_is_one_readable_line(shop, db_path, tmp_path, args, message):
    out = tmp_path / "x.csv"
    result = run("export", args[0], "--db", db_path, "--out", out, *args[1:])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_database_and_directory(shop, db_path, tmp_path):
    result = run("export", "events", "--db", tmp_path / "none.db", "--out", tmp_path / "e.csv")
    assert result.exit_code == 1 and "no database at" in result.output
    result = run("export", "events", "--db", db_path, "--out", tmp_path / "no" / "e.csv")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write ") and "no directory" in result.output


def test_a_failed_export_leaves_no_file_behind(shop, db_path, tmp_path, monkeypatch):
    from cxlisten.export import rows

    def broken(batches, *args):
        yield next(batches)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rows, "by_session_journey", broken)
    out = tmp_path / "e.csv"
    out.write_text("previous export\n")
    result = run("export", "events", "--db", db_path, "--out", out, "--journey", "/")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["e.csv", "cxlisten.db", *_wal(tmp_path)]
    )


def _wal(tmp_path):
    return [p.name for p in tmp_path.iterdir() if p.name.startswith("cxlisten.db-")]


def test_since_accepts_dates_and_times(shop, db_path, tmp_path):
    from cxlisten.export.csvsafe import iso_time

    out = tmp_path / "s.csv"
    result = run(
        "export", "sessions", "--db", db_path, "--out", out, "--since", iso_time(T0 + 1)[:-1]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote 2 rows")


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["responses", "--survey", "cart"], "Wrote 2 rows of responses"),
        (["answers", "--survey", "cart", "--bots"], "Wrote 6 rows of answers"),
        (["survey-report", "--survey", "cart"], "rows of survey-report"),
        (
            ["responses", "--survey", "nope"],
            "Error: no survey 'nope' on this site (survey: unknown survey 'nope')",
        ),
        (
            ["survey-report"],
            "Error: the survey-report export needs survey (survey: required for this export)",
        ),
    ],
)
def test_survey_exports_from_the_cli(answered, db_path, tmp_path, args, output):
    result = run("export", args[0], "--db", db_path, "--out", tmp_path / "out.csv", *args[1:])
    assert output in result.output
