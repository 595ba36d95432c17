"""The demo's data: a fresh database with the example configuration and, optionally, history.

``create_demo_database`` makes site ``cx_demo`` with the example surveys, intervention, journeys
and rules, the shop's demo customers with their orders, and optionally N simulated visitors.
Serving it (the shop and the collector on two ports of 127.0.0.1) is the HTTP side's:
``collector.demo.start_demo``, behind ``cxlisten demo``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cxlisten import sites
from cxlisten.errors import InvalidInput
from cxlisten.files import EXAMPLES_DIR
from cxlisten.identity import create_admin_key
from cxlisten.simulate import Progress
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database, open_database

__all__ = [
    "DEMO_CUSTOMERS",
    "DEMO_PHASES",
    "DELIVERY_SURVEY",
    "DEMO_SETTINGS",
    "DEMO_SITE_KEY",
    "EXAMPLES_DIR",
    "SHOP_DIR",
    "DemoSummary",
    "create_demo_database",
    "demo_settings",
]

DEMO_SITE_KEY = "cx_demo"
SHOP_ACCENT = "#0f766e"  # the shop's brand colour (examples/shop/assets/shop.css), for the widget
SHOP_DIR = EXAMPLES_DIR / "shop"
# The shop's accounts (customer id: name), for signing in on two devices; the shop's backend signs
# the id for cxlisten.identify. Each has orders, so the console's customer page has some.
DEMO_CUSTOMERS = {"cust-ana": "Ana Lima", "cust-ben": "Ben Okafor"}
_DEMO_ORDERS = [
    {"id": "HG-1001", "customer_id": "cust-ana", "time": "2026-10-02", "amount": 84.0},
    {"id": "HG-1002", "customer_id": "cust-ana", "time": "2026-11-12", "amount": 236.5},
    {"id": "HG-1003", "customer_id": "cust-ben", "time": "2026-11-20", "amount": 32.0},
]
# The survey a parcel's delivery note links to with its QR code (examples/surveys/delivery.json).
DELIVERY_SURVEY = "delivery"


@dataclass
class DemoSummary:
    """What ``create_demo_database`` put into the database."""

    db_path: str
    site_key: str
    admin_key: str
    surveys: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)
    journeys: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    simulated: dict | None = None
    paused: list[str] = field(default_factory=list)
    customers: dict[str, str] = field(default_factory=dict)


def _is_demo_database(path: str) -> bool:
    """Return whether PATH is a database made by an earlier demo (safe to replace)."""
    db = None
    try:
        db = open_database(path, migrate=False, readonly=True)
        return site_store.site_by_key(db, DEMO_SITE_KEY) is not None
    except Exception:  # not SQLite, not ours, unreadable: never ours to delete
        return False
    finally:
        if db is not None:
            db.conn.close()


def _remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def create_demo_database(
    db_path: str,
    shop_origins: list[str],
    *,
    simulate: int = 0,
    seed: int = 7,
    examples: Path = EXAMPLES_DIR,
    progress: Progress | None = None,
    allow_automation: bool = False,
) -> DemoSummary:
    """Create a fresh demo database at DB_PATH for a shop served from SHOP_ORIGINS.

    An earlier demo database at DB_PATH is replaced; any other existing file is left alone and
    refused, so pointing ``--db`` at real data never destroys it. ALLOW_AUTOMATION makes the demo
    site count browsers driven by test tools as people (``cxlisten demo --allow-automation``).
    """
    for needed in (examples / "surveys", examples / "journeys.json", examples / "rules.json"):
        if not needed.exists():
            raise InvalidInput(
                f"the demo needs {needed}: the installed package is incomplete",
                {"examples": [f"{needed} is missing"]},
            )
    if os.path.exists(db_path):
        if not _is_demo_database(db_path):
            raise InvalidInput(
                f"{db_path} exists and is not a demo database; choose another --db",
                {"db": ["exists and is not a demo database"]},
            )
        _remove_database(db_path)
    db = open_database(db_path)
    try:
        site = sites.create_site(
            db, "Harbour Goods (demo)", shop_origins, key=DEMO_SITE_KEY, accent=SHOP_ACCENT
        )
        # Stored with the site, so every reader of this file (a second terminal's `surveys why`,
        # the running collector) applies the same budget.
        site = sites.update(
            db, site.key, allow_automation=allow_automation or None, **demo_settings()
        )
        summary = DemoSummary(
            db_path=db_path,
            site_key=site.key,
            admin_key=create_admin_key(db, name="demo"),
        )
        _load_examples(db, site, examples, summary)
        _load_customers(db, site, summary)
        if simulate:
            _simulate(db, site, simulate, seed, summary, progress)
        return summary
    finally:
        db.conn.close()


# Where each named journey of the demo stands in the method: checkout, sign-up and support were
# found problematic (phase 1), so they get their targeted surveys and "Need more help?" (phase 2);
# search is still only tracked with the pulse.
DEMO_PHASES = {"checkout": "deepdive", "signup": "deepdive", "support": "deepdive"}


def _load_examples(db: Database, site, examples: Path, summary: DemoSummary) -> None:
    """Load the example surveys, intervention, journeys (with phases) and rules into SITE."""
    from cxlisten import activate, journeys, surveys

    for survey, _ in surveys.load_directory(db, site, examples / "surveys"):
        (summary.interventions if survey.kind == "intervention" else summary.surveys).append(
            survey.slug
        )
    summary.journeys = journeys.load_journeys_file(db, site, str(examples / "journeys.json"))
    for name, phase in DEMO_PHASES.items():
        if name in summary.journeys:
            journeys.set_phase(db, site.id, name, phase)
    summary.phases = {j.name: j.phase for j in journeys.list_journeys(db, site.id)}
    summary.rules = activate.load_rules_file(db, site, str(examples / "rules.json"))


def _load_customers(db: Database, site, summary: DemoSummary) -> None:
    """Load the demo customers' orders (operational records, as `cxlisten import` would)."""
    from cxlisten import operational

    operational.import_json(db, site, "orders", {"rows": _DEMO_ORDERS})
    summary.customers = dict(DEMO_CUSTOMERS)


def _simulate(
    db: Database,
    site,
    visitors: int,
    seed: int,
    summary: DemoSummary,
    progress: Progress | None = None,
) -> None:
    """Fill the database with VISITORS synthetic visitors of this shop (cxlisten.simulate).

    Besides the shop's traffic it plants what the later commands of the README read: a
    ``chat-offer`` intervention with a 20% holdout that helps (``activate lift --intervention``;
    the examples' ``need-help`` keeps no holdout, so everyone who needs it sees it) and four weeks
    of checkout and support process scores with a drop (``process scores``). Surveys and
    interventions the simulation adds for its history keep their figures in the reports but are
    paused, so the live shop asks only what the examples (and the README) say it asks.
    """
    from cxlisten import surveys
    from cxlisten.simulate import simulate
    from cxlisten.simulate_interventions import plant_intervention
    from cxlisten.simulate_process import plant_process_scores

    counts = simulate(db, site, visitors=visitors, seed=seed, progress=progress)
    plant_intervention(db, site, visitors=max(300, visitors // 2), seed=seed)
    plant_process_scores(db, site, seed=seed)
    summary.simulated = {k: v for k, v in counts.items() if k != "seconds"}
    examples = set(summary.surveys) | set(summary.interventions)
    for survey in surveys.list_surveys(db, site):
        if survey.slug not in examples and survey.status == "active":
            surveys.pause(db, site, survey.slug)
            summary.paused.append(survey.slug)


# One person walking through the demo should meet each survey in one sitting, so the demo site
# relaxes its contact budget (production: one survey per session, then 14 days without). A budget
# given in the environment still wins: the site then keeps the deployment's.
DEMO_SETTINGS = {"contact_sessions": 5, "contact_days": 0}


def demo_settings(environ: Mapping[str, str] | None = None) -> dict:
    """Return the demo site's budget settings that the environment does not set itself."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in DEMO_SETTINGS.items() if f"CXLISTEN_{k.upper()}" not in environ}
