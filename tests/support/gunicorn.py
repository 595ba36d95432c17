"""A real gunicorn master and its workers on 127.0.0.1, for tests and benchmarks.

    with Gunicorn("collector:create_app()", env={"CXLISTEN_DB": path}) as server:
        requests.post(server.url + "/v1/collect", ...)

Standard library only (``tests/test_durability.py`` and ``bench/`` both use it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """A gunicorn master and its workers, in a process group of their own, on 127.0.0.1.

    ``kill()`` signals that group only (by its id), so nothing else on the machine is touched.
    The port stays the same across ``kill()`` and ``start()``: gunicorn binds with SO_REUSEADDR.
    """

    def __init__(
        self,
        app: str,
        *,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 1,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        log_path: str | os.PathLike | None = None,
        args: Sequence[str] = (),
        ready_path: str = "/healthz",
    ):
        self.app = app
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.env = dict(env or {})
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = list(args)
        self.ready_path = ready_path
        self.log_path = Path(log_path) if log_path else None
        self.proc: subprocess.Popen | None = None
        self._log = None

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--threads", str(self.threads),
            "--log-level", "warning",
            *self.args,
            self.app,
        ]  # fmt: skip

    def start(self, timeout: float = 30) -> Gunicorn:
        """Start the server and return once it answers ``ready_path`` with 200."""
        if self.log_path is None:
            self.log_path = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in _reap()
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            self.command(),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: pgid == pid
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"gunicorn not ready after {timeout} s:\n{self.log_tail()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send SIG to the master and every worker (its process group), and reap the master."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        if sig == signal.SIGKILL:
            self._reap_group()
        self._close_log()
        self.proc = None

    def stop(self) -> None:
        """Shut down gracefully (SIGTERM), or by force after 15 s."""
        self.kill(signal.SIGTERM)

    def _reap_group(self) -> None:
        # Killed workers are re-parented and may linger as zombies until init reaps them; a zombie
        # holds no socket and no lock, so wait only until no member of the group still runs.
        pgid = self.proc.pid
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _group_running(pgid):
            time.sleep(0.02)

    def _close_log(self) -> None:
        if self._log:
            self._log.close()
            self._log = None

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) used so far by the master and its workers."""
        if self.proc is None or not os.path.isdir("/proc"):
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        # Fields after the name: state=0 ... utime=11, stime=12 (man 5 proc, minus 3).
        return sum(int(f[11]) + int(f[12]) for f in _group_stats(self.proc.pid)) / ticks

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _group_stats(pgid: int) -> list[list[bytes]]:
    """Return the /proc stat fields (after the command name) of every process of group PGID."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            found.append(fields)
    return found


def _group_running(pgid: int) -> bool:
    """Return whether a process of group PGID exists that is not a zombie."""
    if not os.path.isdir("/proc"):  # no procfs: fall back to "some member exists"
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    return any(fields[0] != b"Z" for fields in _group_stats(pgid))
