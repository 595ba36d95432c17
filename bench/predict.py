"""Benchmark: ``cxlisten predict`` and ``drivers`` at 100,000, against reading the data once.

    pip install -e '.[bench,predict]'
    python -m bench.predict [--visitors 100000] [--respondents 100000] [--repeat 3]

1. ``cxlisten.simulate_predict.plant_nps`` writes VISITORS visitors, one session each, about 30%
   of them with a planted NPS answer that behaviour predicts (not timed).
2. The baseline: every session summary read once and its steps and dwell decoded — what any
   report over the sessions costs at least (``cxlisten.storage.reports.iter_sessions``).
3. ``cxlisten.predict.predict`` runs REPEAT times (features, fit, held-out scores, estimate).

4. ``cxlisten.simulate_predict.plant_drivers`` writes RESPONDENTS answers of four questions;
   ``drivers --by device`` runs REPEAT times, against reading those answers once.
5. ``cxlisten.simulate_drivers.plant_behaviour_drivers`` writes RESPONDENTS respondents with
   sessions, customers and orders; ``drivers --by orders --behaviour`` runs REPEAT times, against
   reading their answers and sessions once.

Both run in this process in the same run; the best time of each is compared, and the estimate
is printed against the planted truth. The goal: each under 10 s at 100,000.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

from cxlisten import sites
from cxlisten.drivers import drivers
from cxlisten.predict import predict
from cxlisten.simulate_drivers import plant_behaviour_drivers
from cxlisten.simulate_predict import plant_drivers, plant_nps
from cxlisten.storage import reports
from cxlisten.storage import signals as signal_store
from cxlisten.storage.db import open_database


def read_sessions(db, site) -> int:
    """The baseline: read every session summary once, decoding its steps and dwell."""
    n = 0
    for row in reports.iter_sessions(db, site.id, columns=("id", "steps", "dwell", "device")):
        json.loads(row[1])
        json.loads(row[2])
        n += 1
    return n


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=100_000)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(os.path.join(tmp, "predict.db"), synchronous="NORMAL")
        site = sites.create_site(db, "Bench", ["https://shop.example"], key="cx_bench")
        started = time.perf_counter()
        truth = plant_nps(db, site, visitors=args.visitors, seed=42)
        print(f"planted {args.visitors:,} sessions in {time.perf_counter() - started:.1f} s")
        base, n = best(lambda: read_sessions(db, site), args.repeat)
        took, result = best(lambda: predict(db, site, "nps"), args.repeat)
        total = sum(truth.non_respondents.values())
        print(f"read {n:,} sessions once (baseline): {base:.2f} s")
        print(f"predict: {took:.2f} s = {took / base:.1f}x the baseline (goal: under 10 s)")
        print(f"held-out AUC {result.auc}, accuracy {result.accuracy}")
        for answer, count in sorted(truth.non_respondents.items()):
            estimate = (result.estimated or {}).get(answer, 0.0)
            print(f"  {answer:10} estimated {estimate:6.1%}  planted {count / total:6.1%}")
        plant_drivers(db, site, respondents=args.respondents, seed=42)
        base, rows = best(
            lambda: len(signal_store.numeric_answers(db, site.id, "experience")), args.repeat
        )
        took, result = best(
            lambda: drivers(db, site, "experience", "nps", by="device"), args.repeat
        )
        print(f"read {rows:,} answers once (baseline): {base:.2f} s")
        print(f"drivers --by device: {took:.2f} s = {took / base:.1f}x the baseline (goal: 10 s)")
        for segment in result.segments:
            print("  " + segment.sentence)
        started = time.perf_counter()
        plant_behaviour_drivers(db, site, respondents=args.respondents, seed=42)
        print(
            f"planted {args.respondents:,} behaviour respondents in "
            f"{time.perf_counter() - started:.1f} s"
        )
        base, rows = best(
            lambda: (
                len(signal_store.numeric_answers(db, site.id, "visit"))
                + len(signal_store.respondent_sessions(db, site.id, "visit"))
            ),
            args.repeat,
        )
        took, result = best(
            lambda: drivers(db, site, "visit", "nps", by="orders", behaviour=True), args.repeat
        )
        print(f"read {rows:,} answers and sessions once (baseline): {base:.2f} s")
        print(
            f"drivers --by orders --behaviour: {took:.2f} s = {took / base:.1f}x the baseline "
            "(goal: 10 s)"
        )
        for segment in result.segments:
            print("  " + segment.sentence)
        db.conn.close()


if __name__ == "__main__":
    main()
