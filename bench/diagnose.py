"""Benchmark: ``diagnose`` over a million events, against the same diagnosis in DuckDB.

    pip install -e '.[bench]'
    python -m bench.diagnose [--events 1000000] [--db /tmp/cx-bench.db] [--repeat 3]
    python -m bench.diagnose --database postgresql://USER:PASSWORD@HOST/NAME

``--database`` (or a ``postgresql://`` ``--db``) runs the same on PostgreSQL: the database is
emptied and filled by the simulator unless it already holds the bench site with enough events.

1. ``cxlisten.simulate`` writes EVENTS events of shop traffic (timed: that is the bulk load).
2. ``cxlisten.diagnose.diagnose`` runs REPEAT times over the session summaries.
3. The same events are copied into DuckDB (not timed) and the same diagnosis — the funnel of
   every named journey (sessions entering, reaching each step, completing, seeking help), the
   site's median page dwell, each step's median and long-dwell share, and the top step
   sequences — runs REPEAT times as SQL over the raw page-view and dwell events, the way an
   analyst would write it without cxlisten's summaries.

Both sides run in this process on the same machine in the same run; the best time of each is
compared. The goal: diagnose within 3× of DuckDB and under 10 s. The two results are printed
side by side so the comparison is of the same answer.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time

from cxlisten import journeys, sites
from cxlisten.diagnose import diagnose, long_dwell_ms
from cxlisten.simulate import simulate
from cxlisten.storage import migrations
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import is_postgres, open_database, redact


def prepare(path: str, events: int) -> tuple[object, object, dict | None]:
    """Return (db, site, simulate figures or None when the database was reused)."""
    if is_postgres(path):
        db = open_database(path)
        site = site_store.site_by_key(db, "cx_bench")
        have = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        if site is not None and have >= events:
            return db, site, None
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
        migrations.apply(db)
    elif os.path.exists(path):
        db = open_database(path)
        site = site_store.site_by_key(db, "cx_bench")
        have = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        if site is not None and have >= events:
            return db, site, None
        db.conn.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    if not is_postgres(path):
        db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Bench shop", ["https://shop.example"], key="cx_bench")
    figures = simulate(db, site, events=events, seed=42)
    return db, site, figures


def time_it(fn, repeat: int) -> tuple[list[float], list[float], object]:
    """Return (wall seconds, CPU seconds of this process's threads, result) of REPEAT runs."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times, cpu, result


def load_duckdb(db, site, con) -> float:
    """Copy the site's human page-view and dwell events into DuckDB; return seconds taken."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "events.csv")
        with open(csv_path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["seq", "session_id", "kind", "ts", "path", "value"])
            sql = (
                "SELECT e.seq, e.session_id, e.kind, e.ts, e.path, e.value FROM events e "
                "JOIN sessions s ON s.id = e.session_id WHERE e.site_id = ? AND s.is_bot = 0 "
                "AND e.kind IN ('pageview', 'dwell')"
            )
            if getattr(db, "engine", "sqlite") == "postgresql":  # a server-side cursor
                for rows in db.stream(sql, [site.id], 50_000):
                    writer.writerows(rows)
            else:
                cur = db.execute(sql, [site.id])
                while rows := cur.fetchmany(50_000):
                    writer.writerows(rows)
        con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv_auto('{csv_path}')")
    return time.perf_counter() - started


def duck_regex(pattern: str) -> str:
    """Return a RE2 regular expression for a cxlisten path pattern."""
    return journeys.compile_pattern(pattern).pattern.removesuffix(r"\Z")


def duck_normalise(rules) -> str:
    """Return a SQL expression normalising ``path`` as RULES do (for the rules used here)."""
    expr = "path"
    cases = []
    for rule in rules.rules:
        if "regex" in rule:
            continue
        pattern = rule.get("match") or rule["pattern"]
        target = rule.get("as") or rule["pattern"]
        cases.append(f"WHEN regexp_full_match(path, '{duck_regex(pattern)}') THEN '{target}'")
    folded = f"regexp_replace({expr}, '/[0-9]+(/|$)', '/:id\\1', 'g')"
    return f"CASE {' '.join(cases)} ELSE {folded} END" if cases else folded


def _duck_firsts(steps: list[str]) -> str:
    """SQL: the first position at or after the entry of each step's page, as p0, p1, ..."""
    return ", ".join(
        f"min(CASE WHEN o.pos >= e.e0 AND regexp_full_match(o.path, '{s}') THEN o.pos END) AS p{k}"
        for k, s in enumerate(steps)
    )


def _duck_funnel(con, steps: list[str], goal: str, help_re: str) -> tuple:
    """Return (entered, completed, went to help, reached step 0, 1, ...) of one journey."""
    any_step = " OR ".join(f"regexp_full_match(o.path, '{s}')" for s in steps)
    flags = ", ".join(
        f"max(CASE WHEN o.pos > e.e0 AND regexp_full_match(o.path, '{s}') THEN 1 ELSE 0 END)"
        f" AS f{k}"
        for k, s in enumerate(steps)
        if k > 0
    )
    firsts = _duck_firsts(steps)
    reached = (
        "greatest(0, " + ", ".join(f"f{k} * {k}" for k in range(1, len(steps))) + ")"
        if len(steps) > 1
        else "0"
    )
    last = len(steps) - 1
    return con.execute(f"""
        WITH e AS (
            SELECT session_id, min(pos) AS e0 FROM ordered o
            WHERE regexp_full_match(o.path, '{steps[0]}') GROUP BY 1),
        f AS (
            SELECT e.session_id, {flags + "," if flags else ""} {firsts},
                max(CASE WHEN o.pos > e.e0 AND regexp_full_match(o.path,
                    '{goal}') THEN 1 ELSE 0 END) AS g,
                max(CASE WHEN o.pos > e.e0 AND regexp_full_match(o.path, '{help_re}')
                    AND NOT ({any_step}) THEN 1 ELSE 0 END) AS h
            FROM e JOIN ordered o USING (session_id) GROUP BY 1),
        r AS (SELECT *, CASE WHEN g = 1 THEN {last} ELSE {reached} END AS reached FROM f)
        SELECT count(*), sum(g), sum(h),
            {
        ", ".join(f"sum(CASE WHEN reached >= {k} THEN 1 ELSE 0 END)" for k in range(len(steps)))
    }
        FROM r""").fetchone()


def _duck_step_dwell(con, steps: list[str], long_ms: float) -> list:
    """Return [(step, median dwell, share of long dwells)] of one journey's steps."""
    firsts = _duck_firsts(steps)
    return con.execute(f"""
        WITH e AS (
            SELECT session_id, min(pos) AS e0 FROM ordered o
            WHERE regexp_full_match(o.path, '{steps[0]}') GROUP BY 1),
        f AS (SELECT e.session_id, {firsts} FROM e JOIN ordered o USING (session_id)
              GROUP BY 1)
        {
        " UNION ALL ".join(
            f"SELECT {k} AS k, median(d.ms) AS med, avg(CASE WHEN d.ms > {long_ms} "
            f"THEN 1 ELSE 0 END) AS long FROM f JOIN dwell d ON d.session_id = f.session_id "
            f"AND d.pos = f.p{k}"
            for k in range(len(steps))
        )
    }
        ORDER BY k""").fetchall()


def _duck_journey(con, j, help_re: str, long_ms: float) -> dict:
    """Return the figures of named journey J, comparable to diagnose()'s."""
    steps = [duck_regex(s) for s in j.steps]
    row = _duck_funnel(con, steps, duck_regex(j.goal), help_re)
    step_dwell = _duck_step_dwell(con, steps, long_ms)
    return {
        "entered": row[0],
        "completed": row[1],
        "help": row[2],
        "reached": list(row[3:]),
        "median_dwell": [r[1] for r in step_dwell],
        "long_share": [r[2] for r in step_dwell],
    }


def duck_diagnose(con, rules, named: list) -> dict:
    """Run the diagnosis as SQL over raw events; return figures comparable to diagnose()."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ordered AS
        SELECT session_id, {duck_normalise(rules)} AS path,
               row_number() OVER (PARTITION BY session_id ORDER BY ts, seq) AS pos, seq
        FROM events WHERE kind = 'pageview'""")
    # Visible dwell per page view: a dwell event belongs to the latest earlier view of its page
    # (an ASOF join, DuckDB's fast way to say so).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dwell AS
        WITH v AS (SELECT o.session_id, p.path AS raw, p.ts, o.pos
                   FROM ordered o JOIN events p ON p.seq = o.seq)
        SELECT d.session_id, v.pos, sum(d.value) AS ms
        FROM events d ASOF JOIN v ON d.session_id = v.session_id AND d.path = v.raw
            AND d.ts >= v.ts
        WHERE d.kind = 'dwell' GROUP BY 1, 2""")
    norm = con.execute("SELECT median(ms) FROM dwell WHERE ms > 0").fetchone()[0] or 0
    long_ms = long_dwell_ms(norm)
    help_re = "|".join(f"({duck_regex(h)})" for h in rules.help)
    out = {
        "sessions": con.execute("SELECT count(DISTINCT session_id) FROM ordered").fetchone()[0],
        "median_dwell_ms": norm,
        "journeys": {},
    }
    for j in named:
        out["journeys"][j.name] = _duck_journey(con, j, help_re, long_ms)
    out["common"] = con.execute("""
        WITH d AS (SELECT session_id, path, pos,
                          lag(path) OVER (PARTITION BY session_id ORDER BY pos) AS prev
                   FROM ordered),
        c AS (SELECT session_id, path, row_number() OVER (PARTITION BY session_id ORDER BY pos) AS k
              FROM d WHERE prev IS NULL OR prev <> path),
        s AS (SELECT session_id, string_agg(path, ' → ' ORDER BY k) AS steps FROM c WHERE k <= 4
              GROUP BY 1)
        SELECT steps, count(*) AS n FROM s GROUP BY 1 ORDER BY n DESC, steps LIMIT 10""").fetchall()
    return out


def _print_comparison(result, duck: dict) -> None:
    """Print diagnose()'s figures next to DuckDB's, journey by journey."""
    print(f"\n{'journey':10} {'entered (cx / duck)':>22} {'completed':>20} {'help':>16}")
    for j in result.journeys:
        d = duck["journeys"][j.name]
        print(
            f"{j.name:10} {j.sessions:>10,} / {d['entered']:<9,} "
            f"{j.completed:>9,} / {d['completed']:<9,} "
            f"{j.problem.counts.help:>7,} / {d['help']:<7,}"
        )
    ours_norm, duck_norm = result.norms.median_dwell_ms, duck["median_dwell_ms"]
    print(
        f"sessions: {result.sessions:,} / {duck['sessions']:,}; median page dwell "
        f"{ours_norm / 1000:.1f} s / {duck_norm / 1000:.1f} s"
    )
    top = result.common[0]
    print(
        f"top sequence: {' → '.join(top.steps)} {top.sessions:,} / "
        f"{duck['common'][0][0]} {duck['common'][0][1]:,}"
    )


def _print_times(ours, ours_cpu, theirs, theirs_cpu, loaded: float) -> None:
    """Print both runs' times, the ratio and whether the goals are met."""
    best_ours, best_duck = min(ours), min(theirs)
    print(
        f"\ndiagnose (cxlisten, session summaries): best {best_ours:.2f} s, "
        f"median {statistics.median(ours):.2f} s, CPU {min(ours_cpu):.2f} s (one thread)"
    )
    print(
        f"same diagnosis in DuckDB over raw events: best {best_duck:.2f} s, "
        f"median {statistics.median(theirs):.2f} s, CPU {min(theirs_cpu):.2f} s (all threads)"
        f"  (copying events in: {loaded:.1f} s)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ratio = best_ours / best_duck
    print(
        f"ratio {ratio:.2f}× DuckDB — goal ≤ 3×: {'met' if ratio <= 3 else 'NOT met'}; "
        f"goal < 10 s: {'met' if best_ours < 10 else 'NOT met'}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "cx-bench.db"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", help="a postgresql:// URL to run on instead of --db")
    args = parser.parse_args(argv)
    args.db = args.database or args.db
    try:
        import duckdb
    except ImportError:
        print("duckdb is needed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    db, site, figures = prepare(args.db, args.events)
    events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    print(f"database {redact(args.db)}: {events:,} events")
    if figures:
        print(
            f"simulate: {figures['events']:,} events, {figures['sessions']:,} sessions in "
            f"{figures['seconds']:.1f} s ({figures['events'] / figures['seconds']:,.0f} "
            "events/s)"
        )
    ours, ours_cpu, result = time_it(lambda: diagnose(db, site), args.repeat)

    con = duckdb.connect()
    loaded = load_duckdb(db, site, con)
    rules = journeys.path_rules(db, site.id)
    named = journeys.list_journeys(db, site.id)
    theirs, theirs_cpu, duck = time_it(lambda: duck_diagnose(con, rules, named), args.repeat)

    _print_comparison(result, duck)
    _print_times(ours, ours_cpu, theirs, theirs_cpu, loaded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
