"""How close does ``POST /v1/collect`` come to the ceiling of Flask under the same gunicorn?

    python bench/ingest.py [--workers 2] [--worker-class sync] [--duration 5] [--connections 8]

Starts, in one run and with the same gunicorn settings, a bare Flask app whose endpoint only parses
the JSON and answers 204, and the collector on a fresh database; drives both with the same closed
loop of wrk connections from 127.0.0.1, each request a batch of 10 events with fresh UUIDs (a page
view, dwell, clicks and custom events, like a snippet flush); prints requests/s, events/s and
p50/p99 latency for each and the collector's share of the bare request rate.

Rows: the bare ceiling; the collector at the saturating load (synchronous=FULL, the default); the
collector with CXLISTEN_SYNCHRONOUS=NORMAL for comparison; and the collector paced to about 60% of
the bare ceiling (the goal's load), to show its p99 there. Goal: >= 60% of the bare request rate,
p99 < 50 ms at that load. Needs Debian's wrk (``apt-get install wrk``).

    python bench/ingest.py --profile [--synchronous NORMAL]

profiles 500 batches in-process (no gunicorn, no wrk) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    BARE_APP,
    DESKTOP_UA,
    Gunicorn,
    Result,
    drive,
    measure_server,
    print_results,
)

COLLECTOR_APP = "collector:create_app()"
EVENTS_PER_BATCH = 10
GOAL_SHARE = 0.60
GOAL_P99_MS = 50.0

# wrk's request() hook: a fresh batch per request. Ids are UUID-shaped: a random prefix per wrk
# thread and run, and a counter, so no id ever repeats (every event is new to the collector).
REQUEST_LUA = """
local site, events_per_batch = "SITE", 10
local prefix, counter = "", 0
local kinds = {
  '"kind":"pageview","title":"Product","referrer":null,"viewport":{"w":1280,"h":720}',
  '"kind":"dwell","visible_ms":1500,"total_ms":2000,"scroll":40',
  '"kind":"click","target":"button#add","text":"Add to cart"',
  '"kind":"click","target":"a.next","text":"Next","href":"https://shop.example/p/2"',
  '"kind":"custom","name":"add_to_cart","props":{"sku":"sku-1","qty":1}',
}

function init(args)
  site = args[1] or site
  events_per_batch = tonumber(args[2] or events_per_batch)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  prefix = string.format("%08x-%04x-4%03x-a%03x-", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
  wrk.headers["User-Agent"] = "UA"
end

function request()
  local now = os.time() * 1000
  local parts = {}
  for i = 1, events_per_batch do
    counter = counter + 1
    parts[i] = string.format(
      '{"id":"%s%012x","ts":%d,"url":"https://shop.example/p/%d",%s}',
      prefix, counter, now + i, counter % 50, kinds[(i - 1) % #kinds + 1])
  end
  local body = string.format('{"site":"%s","visitor":null,"events":[%s]}',
    site, table.concat(parts, ","))
  return wrk.format(nil, "/v1/collect", nil, body)
end
""".replace('"UA"', '"' + DESKTOP_UA + '"')


def collector_env(tmp: Path, synchronous: str) -> tuple[dict[str, str], str]:
    """Create a database with one site; return the collector's environment and the site key."""
    from cxlisten import sites
    from cxlisten.storage import open_database

    path = str(tmp / f"bench-{synchronous.lower()}.db")
    site = sites.create_site(open_database(path), "Bench", [])
    env = {"CXLISTEN_DB": path, "CXLISTEN_SECRET": "bench", "CXLISTEN_SYNCHRONOUS": synchronous}
    return env, site.key


def measure(server: Gunicorn, name: str, args, site_key: str, pause_ms: int = 0) -> Result:
    """Warm the workers up, then measure."""
    options = dict(
        connections=args.connections,
        items=EVENTS_PER_BATCH,
        script_args=[site_key or "bare", str(EVENTS_PER_BATCH)],
    )
    drive(server.url, REQUEST_LUA, name="warm-up", duration=1, **options)
    return measure_server(
        server,
        lambda: drive(
            server.url, REQUEST_LUA, name=name, duration=args.duration, pause_ms=pause_ms, **options
        ),
    )


def profile(requests: int, synchronous: str) -> None:
    """Run REQUESTS batches through the collector in this process under cProfile; print where
    the time goes (cumulative, the collector's and cxlisten's functions and SQLite calls)."""
    import cProfile
    import json
    import pstats
    import time
    import uuid

    from collector import create_app

    kinds = [
        {
            "kind": "pageview",
            "title": "Product",
            "referrer": None,
            "viewport": {"w": 1280, "h": 720},
        },
        {"kind": "dwell", "visible_ms": 1500, "total_ms": 2000, "scroll": 40},
        {"kind": "click", "target": "button#add", "text": "Add to cart"},
        {"kind": "click", "target": "a.next", "text": "Next", "href": "https://shop.example/p/2"},
        {"kind": "custom", "name": "add_to_cart", "props": {"sku": "sku-1", "qty": 1}},
    ]

    def body() -> str:
        now = int(time.time() * 1000)
        events = [
            {"id": str(uuid.uuid4()), "ts": now + i, "url": f"https://shop.example/p/{i}", **k}
            for i, k in enumerate(kinds * 2)
        ]
        return json.dumps({"site": key, "visitor": None, "events": events})

    with tempfile.TemporaryDirectory(prefix="cxlisten-profile-") as tmp:
        env, key = collector_env(Path(tmp), synchronous)
        app = create_app({"db": env["CXLISTEN_DB"], "secret": "bench", "synchronous": synchronous})
        client = app.test_client()
        headers = {"Content-Type": "text/plain", "User-Agent": DESKTOP_UA}
        bodies = [body() for _ in range(requests + 50)]
        for b in bodies[:50]:  # warm caches (user-agent parsing, statements)
            client.post("/v1/collect", data=b, headers=headers)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for b in bodies[50:]:
            client.post("/v1/collect", data=b, headers=headers)
        profiler.disable()
        elapsed = time.perf_counter() - start
    print(
        f"synchronous={synchronous}: {elapsed / requests * 1000:.2f} ms per request under cProfile"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(
        r"cxlisten/|collector/|sqlite3|marshmallow/schema", 30
    )


def _median(results: list[Result]) -> Result:
    return sorted(results, key=lambda r: r.rps)[len(results) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5, help="seconds per measured run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each server")
    parser.add_argument(
        "--profile", action="store_true", help="profile requests in-process instead of loading"
    )
    parser.add_argument("--synchronous", default="FULL", help="with --profile: FULL or NORMAL")
    args = parser.parse_args(argv)
    if args.profile:
        profile(500, args.synchronous)
        return 0
    settings = dict(workers=args.workers, worker_class=args.worker_class, threads=args.threads)

    runs: dict[str, list[Result]] = {"bare": [], "collector FULL": [], "collector NORMAL": []}
    paced: Result | None = None
    with tempfile.TemporaryDirectory(prefix="cxlisten-bench-") as tmp, ExitStack() as stack:
        servers, keys = {}, {}
        servers["bare"], keys["bare"] = stack.enter_context(Gunicorn(BARE_APP, **settings)), ""
        for synchronous in ("FULL", "NORMAL"):
            env, key = collector_env(Path(tmp), synchronous)
            name = f"collector {synchronous}"
            servers[name] = stack.enter_context(Gunicorn(COLLECTOR_APP, env=env, **settings))
            keys[name] = key
        # Rounds alternate the three servers, so a neighbour's load on this shared machine falls
        # on all of them alike; the summary takes each one's median round.
        for _ in range(args.rounds):
            for name, server in servers.items():
                runs[name].append(measure(server, name, args, keys[name]))
        bare, full = _median(runs["bare"]), _median(runs["collector FULL"])
        target = bare.rps * GOAL_SHARE
        if full.rps >= target:
            # Pace each connection so the offered load is about the goal's share of the bare
            # ceiling: per-connection cycle = connections / target rate.
            pause = max(0, round(1000 * args.connections / target - full.p50_ms))
            name = f"collector FULL paced ~{target:.0f}/s"
            paced = measure(servers["collector FULL"], name, args, keys["collector FULL"], pause)

    results = [_median(rs) for rs in runs.values()] + ([paced] if paced else [])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\ngunicorn -w {args.workers} -k {args.worker_class} --threads {args.threads}; "
        f"wrk -t1 -c{args.connections} -d{round(args.duration)}s from 127.0.0.1; "
        f"batches of {EVENTS_PER_BATCH} events, fresh UUIDs; load average {load}\n"
    )
    if args.rounds > 1:
        print(f"each round ({args.rounds}):")
        print_results([r for rs in zip(*runs.values(), strict=True) for r in rs], baseline=bare)
        print("\nmedian round of each:")
    print_results(results, baseline=bare)
    share = full.rps / bare.rps if bare.rps else 0
    print(f"\ncollector FULL / bare request rate: {share:.0%} (goal >= {GOAL_SHARE:.0%})")
    if paced is None:
        print(
            f"p99 at the goal's load (~{target:.0f} req/s): not measured, the collector's "
            f"ceiling ({full.rps:.0f} req/s) is below it"
        )
    else:
        print(f"p99 at ~{paced.rps:.0f} req/s: {paced.p99_ms:.1f} ms (goal < {GOAL_P99_MS:.0f} ms)")
    met = share >= GOAL_SHARE and paced is not None and paced.p99_ms < GOAL_P99_MS
    print("goal met" if met else "goal NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
