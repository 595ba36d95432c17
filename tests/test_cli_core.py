"""cxlisten init / serve, and the CLI's promise of one readable line per error."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from collector.cli import cli
from cxlisten.identity import hash_admin_key
from cxlisten.storage.db import open_database


@pytest.fixture
def runner():
    return CliRunner()


def test_init_creates_database_site_tag_and_admin_key(runner, tmp_path):
    path = str(tmp_path / "new.db")
    r = runner.invoke(
        cli,
        [
            "init",
            "--db",
            path,
            "--origin",
            "https://shop.example",
            "--collector-url",
            "https://cx.shop.example",
        ],
    )
    assert r.exit_code == 0, r.output
    key = re.search(r"Site key:\s+(\S+)", r.output).group(1)
    admin = re.search(r"Admin key:\s+(\S+)", r.output).group(1)
    assert (
        f'<script async src="https://cx.shop.example/sdk.js" data-site="{key}"></script>'
        in r.output
    )
    db = open_database(path)
    assert (
        db.execute("SELECT origins FROM sites WHERE key = ?", [key]).fetchone()[0]
        == '["https://shop.example"]'
    )
    stored = [row[0] for row in db.execute("SELECT hash FROM admin_keys")]
    assert stored == [hash_admin_key(admin)]  # only the hash is kept
    from pathlib import Path

    assert admin.encode() not in Path(path).read_bytes() + Path(path + "-wal").read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["init", "--origin", "shop.example"], "invalid origin"),
        (["init", "--origin", "ftp://shop.example"], "invalid origin"),
        (["serve", "--port", "99999"], "99999"),
    ],
)
def test_bad_input_gives_one_readable_line(runner, tmp_path, args, message):
    r = runner.invoke(cli, [*args, "--db", str(tmp_path / "x.db")])
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_a_file_that_is_not_a_database_is_one_line(runner, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("hello, I am not SQLite" * 100)
    r = runner.invoke(cli, ["init", "--db", str(bad)])
    assert r.exit_code == 1
    assert r.output.strip().startswith("Error: database error")
    assert "Traceback" not in r.output


def test_every_command_has_help(runner):
    def walk(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, command in walk(cli, []):
        r = runner.invoke(cli, [*path, "--help"])
        assert r.exit_code == 0, path
        assert command.help or command.short_help, f"cxlisten {' '.join(path)} has no help"


@pytest.mark.parametrize(
    "value, message",
    [("yesterday", "is not a date"), ("0001-01-01T00:00:00+14:00", "out of range")],
)
def test_dates_are_checked_in_one_line(runner, value, message):
    import click

    from cxlisten.cli.options import Moment

    with pytest.raises(click.BadParameter, match=message):
        Moment().convert(value, None, None)


def test_sites_list_and_update(runner, tmp_path):
    path = str(tmp_path / "s.db")
    runner.invoke(cli, ["init", "--db", path, "--origin", "https://shop.example"])
    key = open_database(path).execute("SELECT key FROM sites").fetchone()[0]
    r = runner.invoke(
        cli,
        [
            "sites",
            "update",
            key,
            "--db",
            path,
            "--origin",
            "https://a.example",
            "--origin",
            "https://*.b.example",
            "--ignore-dnt",
            "--accent",
            "#0a7",
            "--contact-sessions",
            "2",
            "--contact-days",
            "7",
        ],
    )
    assert r.exit_code == 0, r.output
    listed = runner.invoke(cli, ["sites", "list", "--db", path]).output
    assert "https://a.example, https://*.b.example" in listed
    assert "Do Not Track: ignored" in listed and "#0a7" in listed
    assert "2 a session, one per 7 days" in listed


@pytest.mark.parametrize(
    "args, message",
    [
        (["cx_nope"], "no site with key cx_nope"),
        (["KEY", "--origin", "shop.example"], "invalid origin"),
        (["KEY", "--accent", "red"], "invalid accent"),
        (["KEY", "--contact-days", "-1"], "-1"),
    ],
)
def test_sites_update_refuses_bad_input_in_one_line(runner, tmp_path, args, message):
    path = str(tmp_path / "s.db")
    runner.invoke(cli, ["init", "--db", path])
    key = open_database(path).execute("SELECT key FROM sites").fetchone()[0]
    args = [key if a == "KEY" else a for a in args]
    r = runner.invoke(cli, ["sites", "update", *args, "--db", path])
    assert r.exit_code != 0 and message in r.output and "Traceback" not in r.output
