"""Import 100,000 order rows from CSV; then the operational-segment reports over them beside
1,000,000 events. Each figure is printed against a baseline measured in the same run.

    python bench/import.py                       # 100,000 orders, 1,000,000 events
    python bench/import.py --orders 20000 --events 200000   # quicker

- import: ``cxlisten.operational.import_csv`` (every row validated by marshmallow, upserted by its
  record key) against a bare loop: ``csv.reader`` + one ``executemany`` into the same table, no
  validation. Goal: under 10 s for 100,000 rows.
- re-import of the same file (idempotent: nothing changes).
- reports: NPS by order-value band, CSAT by open ticket, journeys against revenue, on a database
  that also holds 1,000,000 events, 40,000 sessions and 20,000 scored answers of linked
  customers; against a bare ``GROUP BY customer_id`` over the records. Goal: under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cxlisten import journeys, segments, sites  # noqa: E402
from cxlisten.operational import import_csv  # noqa: E402
from cxlisten.storage import customers as link_store  # noqa: E402
from cxlisten.storage.db import open_database, transaction  # noqa: E402

T0 = 1793577600000  # 2026-11-01 UTC


def write_orders(path: str, n: int, customers: int) -> None:
    rnd = random.Random(1)
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,customer_id,time,amount,status,channel\n")
        for i in range(n):
            f.write(
                f"O-{i},cust-{rnd.randrange(customers)},"
                f"{T0 + rnd.randrange(30 * 86_400_000)},{rnd.randrange(500, 90000) / 100},"
                f"{rnd.choice(['delivered', 'shipped', 'cancelled'])},"
                f"{rnd.choice(['web', 'app', 'store'])}\n"
            )


def baseline_import(path: str, db_path: str) -> float:
    """csv.reader + executemany into a table of the same shape: the floor of any import."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bare (kind TEXT, record_key TEXT, customer_id TEXT, ts INT, "
        "amount REAL, status TEXT, attributes TEXT, PRIMARY KEY (kind, record_key))"
    )
    start = time.perf_counter()
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR REPLACE INTO bare VALUES ('order', ?, ?, ?, ?, ?, ?)",
            (
                (r[0], r[1], int(r[2]), float(r[3]), r[4], json.dumps({"channel": r[5]}))
                for r in reader
            ),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _scored_surveys(db, site) -> tuple:
    """Create the two one-question surveys the customers answer: an NPS and a CSAT."""
    from cxlisten import surveys

    nps = surveys.create_survey(
        db,
        site,
        {
            "id": "nps",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "q", "type": "nps", "text": {"en": "Recommend?"}}],
        },
    )
    csat = surveys.create_survey(
        db,
        site,
        {
            "id": "csat",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "q", "type": "csat", "text": {"en": "Happy?"}}],
        },
    )
    return nps, csat


def _scored_answers(db, site, visitors: list[str], nps, csat, rnd) -> None:
    """Store one complete response per visitor: NPS for odd ones, CSAT for even ones."""
    for i, v in enumerate(visitors):
        survey, qtype, top = (nps, "nps", 10) if i % 2 else (csat, "csat", 5)
        cur = db.execute(
            "INSERT INTO responses (site_id, survey_id, survey, version, client_id, "
            "visitor_id, status, answered, url, path, started_at, updated_at, channel) "
            "VALUES (?, ?, ?, 1, ?, ?, 'complete', 1, 'u', '/', ?, ?, 'web')",
            [site.id, survey.id, survey.slug, f"r{i}", v, T0, T0],
        )
        score = rnd.randint(0 if qtype == "nps" else 1, top)
        db.execute(
            "INSERT INTO answers (response_id, site_id, survey, version, visitor_id, "
            "question, position, type, value, number, answered_at) "
            "VALUES (?, ?, ?, 1, ?, 'q', 0, ?, ?, ?, ?)",
            [cur.lastrowid, site.id, survey.slug, v, qtype, str(score), score, T0],
        )


def fill_experience(db, site, n_events: int, customers: int) -> None:
    """Link one or two visitors per customer; give them sessions, events and scored answers."""
    rnd = random.Random(2)
    journeys.save_journey(
        db, site.id, {"name": "checkout", "steps": ["/cart", "/checkout", "/checkout/done"]}
    )
    nps, csat = _scored_surveys(db, site)
    visitors = [f"vis-{c}-{d}" for c in range(customers) for d in range(2)]
    for v in visitors:
        link_store.link(db, site.id, v, "cust-" + v.split("-")[1], via="identify")
    paths = ["/", "/cart", "/checkout", "/checkout/done", "/help"]
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts, steps) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    f"s-{v}",
                    site.id,
                    v,
                    T0,
                    T0,
                    json.dumps(rnd.sample(paths, 3) if rnd.random() < 0.5 else paths[:4]),
                )
                for v in visitors
            ),
        )
        db.conn.executemany(
            "INSERT INTO events (site_id, id, visitor_id, session_id, kind, ts, received_at, "
            "url, path) VALUES (?, ?, ?, ?, 'pageview', ?, ?, ?, ?)",
            (
                (
                    site.id,
                    f"e{i}",
                    visitors[i % len(visitors)],
                    f"s-{visitors[i % len(visitors)]}",
                    T0 + i,
                    T0 + i,
                    "https://shop.example/cart",
                    "/cart",
                )
                for i in range(n_events)
            ),
        )
        _scored_answers(db, site, visitors[:customers], nps, csat, rnd)
        db.conn.executemany(
            "INSERT INTO operational_records (site_id, kind, record_key, customer_id, ts, status, "
            "imported_at) VALUES (?, 'ticket', ?, ?, ?, ?, ?)",
            (
                (site.id, f"T-{c}", f"cust-{c}", T0, rnd.choice(["open", "solved"]), T0)
                for c in range(0, customers, 3)
            ),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "orders.csv")
        write_orders(csv_path, args.orders, args.customers)
        bare = baseline_import(csv_path, os.path.join(tmp, "bare.db"))
        db = open_database(os.path.join(tmp, "cx.db"))
        site = sites.create_site(db, "Bench", ["https://shop.example"])
        start = time.perf_counter()
        result = import_csv(db, site, "orders", csv_path)
        took = time.perf_counter() - start
        assert result.inserted == args.orders and not result.errors, result.as_dict()
        start = time.perf_counter()
        again = import_csv(db, site, "orders", csv_path)
        re_took = time.perf_counter() - start
        assert again.unchanged == args.orders
        print(
            f"import {args.orders:,} order rows: {took:.2f} s ({args.orders / took:,.0f} rows/s)"
            f" = {took / bare:.1f}x the bare csv+executemany loop ({bare:.2f} s); goal < 10 s"
        )
        print(f"re-import, nothing changes: {re_took:.2f} s = {re_took / bare:.1f}x bare")

        fill_experience(db, site, args.events, args.customers)
        conn = sqlite3.connect(os.path.join(tmp, "cx.db"))
        start = time.perf_counter()
        conn.execute(
            "SELECT customer_id, SUM(amount) FROM operational_records GROUP BY customer_id"
        ).fetchall()
        floor = time.perf_counter() - start
        start = time.perf_counter()
        bands = segments.nps_by_order_value(db, site)
        tickets = segments.csat_by_open_ticket(db, site)
        revenue = segments.journey_revenue(db, site)
        report = time.perf_counter() - start
        n = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        print(
            f"segment reports over {args.orders:,} orders, {n:,} events: {report:.2f} s "
            f"= {report / floor:.1f}x a bare GROUP BY of the records ({floor:.3f} s); goal < 2 s"
        )
        print("  NPS by band:", ", ".join(f"{b['band']} {b['nps']['value']}" for b in bands))
        print(
            "  CSAT open/no:",
            [t["satisfied"]["value"] for t in tickets],
            " journeys:",
            [(r["outcome"], r["customers"]) for r in revenue],
        )


if __name__ == "__main__":
    main()
