"""What every benchmark (and the durability test) shares: a real gunicorn, a bare baseline app,
a load driver, and figures printed against a baseline measured in the same run.

    with Gunicorn("collector:create_app()", env={"CXLISTEN_DB": path}) as server:
        result = drive(server.url, request_lua, name="collector", duration=5, items=10)
    print_results([bare, result], baseline=bare)

Why wrk (Debian's ``apt-get install wrk``) drives the load: it is C with a LuaJIT hook per request,
so one client thread sustains tens of thousands of requests/s on a few percent of one core. On this
two-core machine the client shares the CPU with the server; a Python client would spend more CPU
per request than the bare Flask app it is measuring and report its own ceiling, not the server's.
Its latency histogram (HdrHistogram) gives exact p50/p99 per request. Fresh, unique payloads per
request (event ids must not repeat) come from the Lua ``request()`` hook.

``Gunicorn`` itself lives in ``tests/support/gunicorn.py`` (the durability test uses it too).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.gunicorn import Gunicorn

REPO = Path(__file__).resolve().parent.parent
BARE_APP = "bench.common:create_bare_app()"

# A benchmark's load comes from one address, many requests a second, often a new visitor each:
# the abuse limits, meant for the open internet, would answer most of it 429.
NO_LIMIT_SETTINGS = {
    "rate_client_per_minute": 0,
    "rate_site_per_minute": 0,
    "new_visitors_per_client_per_minute": 0,
}
NO_LIMITS = {f"CXLISTEN_{name.upper()}": str(v) for name, v in NO_LIMIT_SETTINGS.items()}  # env


def create_bare_app():
    """The ceiling: a Flask app whose collect endpoint only parses the JSON body and says 204."""
    from flask import Flask, request

    app = Flask("bare")

    @app.post("/v1/collect")
    def collect():
        json.loads(request.get_data(cache=False))
        return "", 204

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


# wrk's done() hook: one JSON line with the figures, parsed by drive(). Latencies are in µs.
_REPORT_LUA = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""

_PACING_LUA = """
function delay()
  return %d
end
"""


@dataclass
class Result:
    """The figures of one load run."""

    name: str
    requests: int
    seconds: float
    items_per_request: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int
    connections: int = 0
    server_cpu_s: float | None = None  # CPU the server used during the run, if measured

    @property
    def cpu_ms_per_request(self) -> float | None:
        """Server CPU per request: unlike req/s, barely moved by other load on the machine."""
        if self.server_cpu_s is None or not self.requests:
            return None
        return self.server_cpu_s * 1000 / self.requests

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def items_per_s(self) -> float:
        """Items (events) per second in requests answered 2xx."""
        ok = max(self.requests - self.non_2xx, 0)
        return ok * self.items_per_request / self.seconds if self.seconds else 0.0


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    return path


def drive(
    url: str,
    request_lua: str,
    *,
    name: str,
    duration: float = 5,
    connections: int = 8,
    threads: int = 1,
    items: int = 1,
    pause_ms: int = 0,
    script_args: Sequence[str] = (),
) -> Result:
    """Load URL for DURATION seconds from 127.0.0.1 with wrk and return the figures.

    REQUEST_LUA defines wrk's ``request()`` (and ``init(args)`` for SCRIPT_ARGS); ITEMS is how
    many items (events) each request carries. Closed loop: CONNECTIONS requests in flight, each
    connection sending its next request as soon as the previous is answered, after PAUSE_MS
    (a think time that lowers the offered load below the ceiling).
    """
    script = request_lua + _REPORT_LUA + (_PACING_LUA % pause_ms if pause_ms else "")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        command = [
            wrk_path(), "--latency", "--timeout", "5s",
            "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
            "-s", f.name, url, *(["--", *script_args] if script_args else []),
        ]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    finally:
        os.unlink(f.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if out.returncode or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line[len("RESULT ") :])
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        items_per_request=items,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        non_2xx=data["status"],
        connections=connections,
    )


def _cpu(result: Result) -> str:
    cpu = result.cpu_ms_per_request
    return "-" if cpu is None else f"{cpu:.2f}"


def measure_server(server: Gunicorn, run) -> Result:
    """Call RUN() (a drive(...) closure) and attach the CPU SERVER used meanwhile."""
    before = server.cpu_seconds()
    result = run()
    result.server_cpu_s = server.cpu_seconds() - before
    return result


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.0%}" if baseline else "n/a"


def print_results(results: Sequence[Result], baseline: Result, file=None) -> None:
    """Print one row per result, with its request rate as a share of BASELINE's."""
    file = file or sys.stdout
    header = (
        f"{'run':<34} {'conns':>5} {'req/s':>8} {'items/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'errors':>6} {'non2xx':>6} {'cpu ms/req':>10} {'vs ' + baseline.name:>14}"
    )
    print(header, file=file)
    print("-" * len(header), file=file)
    for r in results:
        print(
            f"{r.name:<34} {r.connections:>5} {r.rps:>8.0f} {r.items_per_s:>9.0f} "
            f"{r.p50_ms:>7.2f} {r.p99_ms:>7.2f} {r.max_ms:>7.1f} {r.errors:>6} {r.non_2xx:>6} "
            f"{_cpu(r):>10} "
            f"{ratio(r.rps, baseline.rps):>14}",
            file=file,
        )
