"""Long commands draw a progress bar on a terminal, and print nothing more into a pipe or file."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from cxlisten import sites
from cxlisten.storage.db import open_database

pytestmark = pytest.mark.slow


def _run(args: list[str], *, terminal: bool) -> tuple[int, str, str]:
    """Run the cxlisten command with ARGS; its standard error a terminal when TERMINAL."""
    command = [sys.executable, "-c", "from collector.cli import main; main()", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL
    ) as proc:
        os.close(follower)
        screen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            screen += chunk
        out = proc.stdout.read().decode()
        proc.wait(timeout=300)
    os.close(leader)
    return proc.returncode, out, screen.decode(errors="replace")


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "progress.db")
    db = open_database(path)
    sites.create_site(db, "Shop", ["https://shop.example"])
    db.conn.close()
    return path


def test_simulate_shows_done_total_and_rate_on_a_terminal(db_path):
    code, out, screen = _run(["simulate", "--db", db_path, "--visitors", "300"], terminal=True)
    assert code == 0, screen
    assert "Simulating visitors" in screen and "300/300" in screen and "/s" in screen
    assert out.startswith("visitors 300")


def test_simulate_into_a_pipe_prints_only_its_result(db_path):
    code, out, err = _run(["simulate", "--db", db_path, "--visitors", "300"], terminal=False)
    assert code == 0 and err == ""
    assert out.startswith("visitors 300")


def test_an_export_to_a_file_shows_its_rows_on_a_terminal_only(db_path, tmp_path):
    _run(["simulate", "--db", db_path, "--visitors", "300"], terminal=False)
    out_file = str(tmp_path / "events.csv")
    code, out, screen = _run(
        ["export", "events", "--db", db_path, "--out", out_file], terminal=True
    )
    assert code == 0, screen
    assert "Exporting events" in screen
    code, out, err = _run(["export", "events", "--db", db_path, "--out", out_file], terminal=False)
    assert code == 0 and err == "" and out.startswith("Wrote ")
