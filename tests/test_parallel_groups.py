"""The suite's own xdist grouping (tests/conftest.py): under ``-n 2 --dist loadgroup`` every
browser test runs on one worker and each other file's tests together. Shown on a small suite of
its own, run in a subprocess with the real conftest hook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFTEST = "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"


def test_browser_tests_share_one_worker_and_a_files_tests_stay_together(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    for n in range(4):
        (tmp_path / f"test_plain_{n}.py").write_text(
            "".join(f"def test_{i}():\n    pass\n\n\n" for i in range(6))
        )
        (tmp_path / f"test_ui_{n}.py").write_text(
            "import pytest\n\npytestmark = pytest.mark.browser\n\n\n"
            + "".join(f"def test_{i}():\n    pass\n\n\n" for i in range(6))
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-v",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:benchmark",
            "-o",
            "addopts=",
            "-c",
            "/dev/null",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = re.findall(r"\[(gw\d)\] \[ *\d+%\] PASSED (\S+)::test_\d+@(\S+)", done.stdout)
    assert len(ran) == 48, done.stdout[-3000:]
    workers: dict[str, set[str]] = {}
    for worker, path, group in ran:
        workers.setdefault(path, set()).add(worker)
        assert group == ("browser" if "test_ui_" in path else path), (path, group)
    assert len(set().union(*(w for p, w in workers.items() if "test_ui_" in p))) == 1
    assert all(len(w) == 1 for w in workers.values())
