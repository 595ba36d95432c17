"""Export 1,000,000 events to CSV; compare with a bare sqlite3 + csv.writer loop over the table.

    python -m bench.export                   # 1,000,000 events
    python -m bench.export --events 200000   # quicker

Both run in child processes of this script (``bench/export_child.py``), alternately (--repeat
times each, best kept), on the same database file (made once, kept in --dir); each child times its
own loop and reports its peak resident memory (``VmHWM``) and CPU time (on a busy machine, rows per
CPU second is the steadier figure). Goal: the export at least 80% of the baseline's rows/s, peak
memory under 100 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PAGES = [
    "/",
    "/products",
    "/products/42",
    "/cart",
    "/checkout",
    "/checkout/done",
    "/help",
    "/help/contact",
    "/account",
    "/搜索?q=运费",
]


# What each kind of event carries (the ``data`` column), as the collector stores it.
_DATA = {
    "pageview": '{"referrer":null,"title":"Product, \\"best\\" 商品","viewport":'
    '{"w":1280,"h":720}}',
    "dwell": '{"visible_ms":4000,"total_ms":5000,"scroll":40,"pv":"p1"}',
    "click": '{"target":"button#buy","text":"Buy now"}',
    "custom": '{"props":{"items":2}}',
}


def _session_events(rng, site_id, visitor, session, start, seq, per_session):
    """Return the event rows of one session (numbered after SEQ) and its page views' paths."""
    steps, rows = [], []
    for i in range(per_session):
        ts = start + i * 1500
        page = rng.choice(PAGES)
        kind = rng.choice(("pageview", "pageview", "dwell", "click", "custom"))
        if kind == "pageview":
            steps.append(page)
        rows.append(
            (
                seq + i + 1,
                site_id,
                str(uuid.UUID(int=rng.getrandbits(128))),
                visitor,
                session,
                kind,
                ts,
                ts + 200,
                f"https://shop.example{page}",
                page,
                "cart_abandoned" if kind == "custom" else None,
                None,
                4000 if kind == "dwell" else None,
                _DATA[kind],
            )
        )
    return rows, steps


def make_database(path: str, events: int) -> None:
    """Fill a fresh database with EVENTS events in sessions of 20, as the collector stores them."""
    from cxlisten import sites
    from cxlisten.storage.db import open_database

    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Bench", ["https://shop.example"])
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    rng = random.Random(7)
    t0 = int(time.time() * 1000) - 20 * 86400 * 1000
    per_session = 20
    seq = 0
    for s in range(events // per_session):
        visitor = uuid.UUID(int=rng.getrandbits(128) % (events // 50 + 1)).hex
        session = uuid.UUID(int=rng.getrandbits(128)).hex
        start = t0 + s * 30_000
        rows, steps = _session_events(rng, site.id, visitor, session, start, seq, per_session)
        seq += per_session
        conn.executemany(
            "INSERT INTO events (seq, site_id, id, visitor_id, session_id, kind, ts, received_at, "
            "url, path, name, action, value, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        conn.execute(
            "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts, pageviews, events, "
            "steps, dwell, entry, exit, device, browser, os) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                session,
                site.id,
                visitor,
                start,
                start + 1500 * (per_session - 1),
                len(steps),
                per_session,
                json.dumps(steps),
                json.dumps([0] * len(steps)),
                steps[0] if steps else None,
                steps[-1] if steps else None,
                "desktop",
                "Chrome",
                "Linux",
            ),
        )
        conn.execute(
            "INSERT INTO visitors (id, site_id, first_seen, last_seen, sessions) "
            "VALUES (?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen,"
            " sessions = visitors.sessions + 1",
            (visitor, site.id, start, start),
        )
    conn.execute("COMMIT")
    conn.close()


def run_child(name: str, db: str, out: str) -> dict:
    """Run ``bench.export_child NAME`` in a fresh interpreter; return its rows, seconds, peak MB."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.export_child", name, db, out],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
        cwd=REPO,
    )
    stdout, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"child failed with status {proc.returncode}")
    rows, seconds, peak_kb, ready_kb, cpu = stdout.split()
    return {
        "rows": int(rows),
        "seconds": float(seconds),
        "cpu": float(cpu),
        "peak_mb": int(peak_kb) / 1024,
        "ready_mb": int(ready_kb) / 1024,
        "bytes": os.path.getsize(out),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "cxlisten-bench"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    db = os.path.join(args.dir, f"export-{args.events}.db")
    if not os.path.exists(db):
        started = time.perf_counter()
        make_database(db + ".tmp", args.events)
        os.replace(db + ".tmp", db)
        print(f"made {db} in {time.perf_counter() - started:.1f} s")
    from cxlisten.storage.db import open_database

    open_database(db).conn.close()  # a database kept from an older run gets the current schema
    runs: dict[str, list] = {"baseline": [], "export": []}
    for _ in range(args.repeat):  # alternated, so a busy moment of the machine hits both
        for name in ("baseline", "export"):
            runs[name].append(run_child(name, db, os.path.join(args.dir, f"{name}.csv")))
    results = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    for name, r in results.items():
        print(
            f"{name:9} {r['rows']:>9,} rows  {r['seconds']:6.2f} s  "
            f"{r['rows'] / r['seconds']:>10,.0f} rows/s  "
            f"({r['rows'] / r['cpu']:>9,.0f} rows/CPU-s)  peak {r['peak_mb']:6.1f} MB "
            f"(after imports {r['ready_mb']:5.1f} MB)  "
            f"file {r['bytes'] / 1e6:6.1f} MB"
        )
    ratio = (results["export"]["rows"] / results["export"]["seconds"]) / (
        results["baseline"]["rows"] / results["baseline"]["seconds"]
    )
    cpu_ratio = (results["export"]["rows"] / results["export"]["cpu"]) / (
        results["baseline"]["rows"] / results["baseline"]["cpu"]
    )
    ok = ratio >= 0.8 and results["export"]["peak_mb"] < 100
    print(
        f"export rate = {ratio:.0%} of baseline (goal >= 80%; per CPU second "
        f"{cpu_ratio:.0%}); "
        f"peak {results['export']['peak_mb']:.1f} MB (goal < 100 MB): "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
