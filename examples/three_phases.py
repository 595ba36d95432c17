"""Run the three phases of digital listening on demo data, with nothing but the library.

    python examples/three_phases.py [DATABASE] [--events N]

Without DATABASE a fresh temporary one is filled with simulated traffic of the demo shop
"Harbour Goods" (cxlisten.simulate, 100,000 events, with planted problems). With one made by
``cxlisten demo`` it reads that data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from cxlisten import activate, deepdive, journeys, sites
from cxlisten.diagnose import diagnose
from cxlisten.simulate import simulate
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import open_database

HERE = Path(__file__).resolve().parent


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", nargs="?")
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)

    if args.database:
        db = open_database(args.database)
        site = site_store.list_sites(db)[0]
    else:
        path = os.path.join(tempfile.mkdtemp(), "demo.db")
        db = open_database(path)
        site = sites.create_site(db, "Demo shop", ["https://shop.example"])
        print(f"Simulating {args.events:,} events into {path} ...")
        simulate(db, site, events=args.events)
    if not journeys.list_journeys(db, site.id):
        journeys.load_journeys_file(db, site, str(HERE / "journeys.json"))

    # -- Phase 1: track & diagnose --------------------------------------------------------------
    diagnosis = diagnose(db, site)
    print(f"\n1. TRACK & DIAGNOSE — {diagnosis.sessions:,} sessions")
    for common in diagnosis.common[:3]:
        print(f"   common: {' → '.join(common.steps)}  ({common.share:.0%})")
    for journey in diagnosis.problems:
        problem = journey.problem
        print(
            f"   problem {problem.score:.0f}/100: {journey.name} fails at "
            f"{problem.failing_step} ({problem.failure_kind})"
        )
        for line in problem.evidence[:2]:
            print(f"      - {line}")
    if not diagnosis.problems:
        print("   no journey scores as a problem yet")
        return
    worst = diagnosis.problems[0].name

    # -- Phase 2: journey-based deep-dive ----------------------------------------------------------
    journeys.set_phase(db, site.id, worst, "deepdive")
    proposal = deepdive.plan(db, site, worst)
    out = tempfile.mkdtemp(prefix="deepdive-")
    files = deepdive.write_plan(proposal, out)
    print(f"\n2. DEEP-DIVE — {worst} is now in the deepdive phase; proposed survey files:")
    for f in files:
        print(f"   {f}")
    for q in proposal["survey"]["questions"]:
        print(f"   [{q['type']}] {q['text']['en']} / {q['text']['zh-CN']}")
    for survey in ("cart-abandon",):
        try:
            report = deepdive.report(db, site, survey)
        except Exception as exc:  # noqa: BLE001 - a database without the demo survey
            print(f"   (no report for {survey}: {exc})")
            continue
        print(f"   report of {survey}: {report['counts']['answered']} answers; top reasons:")
        for line in report["top_reasons"][:4]:
            print(f"   - {line}")

    # -- Phase 3: activate & transform -----------------------------------------------------------
    names = activate.load_rules_file(db, site, str(HERE / "rules.json"))
    journeys.set_phase(db, site.id, "checkout", "activate")
    print(f"\n3. ACTIVATE — rules loaded: {', '.join(names)}; checkout is in the activate phase")
    # The simulator ran checkout-assist's two candidates at /checkout/payment with its holdout.
    result = activate.lift(db, site, "checkout-assist")
    print(f"   checkout-assist, holdout: {_rate(result['holdout'])} reached {result['goal']}")
    for action in result["actions"]:
        lift = action["lift"]
        if lift["value"] is None:
            continue
        print(
            f"   {action['action']}: {_rate(action)} reached {result['goal']} when shown — lift "
            f"{lift['value'] * 100:+.1f} pp (95% CI {lift['low'] * 100:+.1f} … "
            f"{lift['high'] * 100:+.1f}): {action['verdict']}"
        )
    visitor = db.execute(
        "SELECT visitor_id FROM sessions WHERE steps LIKE '%/checkout/payment%'"
        " AND is_bot = 0 LIMIT 1"
    ).fetchone()
    if visitor:
        page = site.origins[0].rstrip("/") + "/checkout/payment"
        action = activate.next_best_action(db, site, visitor[0], page)
        print(
            f"   next best action for a visitor at /checkout/payment: "
            f"{action['title']['en'] if action else None}"
        )


def _rate(measured: dict) -> str:
    return "-" if measured["value"] is None else f"{measured['value']:.0%} of {measured['n']:,}"


if __name__ == "__main__":
    sys.exit(main())
