"""The demo: a fresh database with the example configuration, the shop and the collector.

``start_demo`` creates the database (site ``cx_demo``, the example surveys, intervention, journeys
and rules, optionally N simulated visitors), then serves the static shop in ``examples/shop`` and
the collector on two ports of 127.0.0.1, so the browser makes real cross-origin requests, exactly
as on a customer's site. ``cxlisten demo`` is a thin wrapper around it.
"""

from __future__ import annotations

import mimetypes
import os
import re
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.serving import make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from cxlisten import sites
from cxlisten.errors import InvalidInput
from cxlisten.files import EXAMPLES_DIR
from cxlisten.identity import create_admin_key
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database, open_database

__all__ = [
    "DEMO_PHASES",
    "DEMO_SETTINGS",
    "DEMO_SITE_KEY",
    "EXAMPLES_DIR",
    "SHOP_DIR",
    "Demo",
    "DemoSummary",
    "ShopApp",
    "create_demo_database",
    "demo_settings",
    "start_demo",
]

DEMO_SITE_KEY = "cx_demo"
SHOP_ACCENT = "#0f766e"  # the shop's brand colour (examples/shop/assets/shop.css), for the widget
SHOP_DIR = EXAMPLES_DIR / "shop"

# The shop's pages carry the tag exactly as docs/snippet.md gives it for a collector on port 8000;
# the demo server points it at wherever the collector really listens.
_SNIPPET_TAG = re.compile(
    r'<script async src="http://127\.0\.0\.1:8000/sdk\.js" data-site="cx_demo">'
)


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
) -> DemoSummary:
    """Create a fresh demo database at DB_PATH for a shop served from SHOP_ORIGINS.

    An earlier demo database at DB_PATH is replaced; any other existing file is left alone and
    refused, so pointing ``--db`` at real data never destroys it.
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
        site = sites.update(db, site.key, **demo_settings())
        summary = DemoSummary(
            db_path=db_path,
            site_key=site.key,
            admin_key=create_admin_key(db, name="demo"),
        )
        _load_examples(db, site, examples, summary)
        if simulate:
            _simulate(db, site, simulate, seed, summary)
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


def _simulate(db: Database, site, visitors: int, seed: int, summary: DemoSummary) -> None:
    """Fill the database with VISITORS synthetic visitors of this shop (cxlisten.simulate).

    Surveys the simulation adds for its history keep their responses in the reports but are
    paused, so the live shop asks only what the examples (and the README) say it asks.
    """
    from cxlisten import surveys
    from cxlisten.simulate import simulate

    counts = simulate(db, site, visitors=visitors, seed=seed)
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


class ShopApp:
    """A static file server for the shop with pretty URLs (``/cart`` serves ``cart.html``).

    HTML pages are served with the snippet tag pointed at COLLECTOR_URL, plus any
    SNIPPET_ATTRIBUTES (the browser tests add ``data-webdriver="allow"``).
    """

    def __init__(
        self,
        root: Path = SHOP_DIR,
        collector_url: str = "http://127.0.0.1:8000",
        snippet_attributes: str = "",
    ):
        self.root = str(root)
        self.collector_url = collector_url
        self.snippet_attributes = snippet_attributes

    def resolve(self, url_path: str) -> str | None:
        """Return the file that URL_PATH names, or None (never anything outside the root)."""
        relative = url_path.strip("/")
        candidates = (
            [relative, relative + ".html", relative + "/index.html"] if relative else ["index.html"]
        )
        for candidate in candidates:
            path = safe_join(self.root, candidate)
            if path and os.path.isfile(path):
                return path
        return None

    def page(self, path: str) -> str:
        """Return the HTML file at PATH with its snippet tag pointed at this demo's collector."""
        with open(path, encoding="utf-8") as f:
            html = f.read()
        extra = f" {self.snippet_attributes}" if self.snippet_attributes else ""
        tag = (
            f'<script async src="{self.collector_url.rstrip("/")}/sdk.js" '
            f'data-site="{DEMO_SITE_KEY}"{extra}>'
        )
        return _SNIPPET_TAG.sub(lambda _: tag, html)

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method not in {"GET", "HEAD"}:
            response = Response("Method not allowed\n", status=405, headers={"Allow": "GET, HEAD"})
            return response(environ, start_response)
        path = self.resolve(request.path)
        if path is None:
            missing = self.resolve("/404") if request.path != "/404" else None
            body = self.page(missing) if missing else "Not found\n"
            response = Response(body, status=404, mimetype="text/html" if missing else "text/plain")
        elif path.endswith(".html"):
            response = Response(self.page(path), mimetype="text/html")
        else:
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            response = send_file(path, environ, mimetype=mimetype, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response(environ, start_response)


class Demo:
    """The running demo: both servers in background threads; ``stop()`` shuts both down."""

    def __init__(self, summary: DemoSummary, shop_server, collector_server):
        self.summary = summary
        self._servers = [collector_server, shop_server]
        host, shop_port = shop_server.server_address[:2]
        self.shop_url = f"http://{host}:{shop_port}"
        self.collector_url = f"http://{host}:{collector_server.server_address[1]}"
        self._threads = [
            threading.Thread(target=s.serve_forever, name=f"cxlisten-demo-{i}", daemon=True)
            for i, s in enumerate(self._servers)
        ]
        self._stopped = threading.Event()

    def start(self) -> Demo:
        for thread in self._threads:
            thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until ``stop()`` (or TIMEOUT seconds); return whether it stopped."""
        return self._stopped.wait(timeout)

    def stop(self) -> None:
        """Stop serving and release both ports."""
        if self._stopped.is_set():
            return
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self._stopped.set()

    def __enter__(self) -> Demo:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class _Deferred:
    """A WSGI app that is set after its server is bound."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _server(host: str, port: int, app, option: str):
    """Return a threaded server bound to HOST:PORT, or raise InvalidInput if the port is busy."""
    busy = InvalidInput(
        f"port {port} on {host} is in use: stop what uses it, or choose another with {option}",
        {option.lstrip("-"): ["in use"]},
    )
    if port:  # werkzeug would print its own message and exit; say it our way first
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise busy from None
    try:
        return make_server(host, port, app, threaded=True)
    except SystemExit:  # taken between the probe and the server
        raise busy from None


def start_demo(
    db_path: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    shop_port: int = 8001,
    simulate: int = 0,
    seed: int = 7,
    snippet_attributes: str = "",
    secret: str | None = None,
) -> Demo:
    """Create the demo database and serve the shop and the collector (port 0: any free port)."""
    from collector import create_app

    # Both ports are taken first, so a busy port fails before any database is replaced; the
    # collector's app exists only once its database does.
    shop_app = ShopApp(SHOP_DIR, snippet_attributes=snippet_attributes)
    collector_app = _Deferred()
    servers = []
    try:
        servers.append(_server(host, shop_port, shop_app, "--shop-port"))
        servers.append(_server(host, port, collector_app, "--port"))
        shop_server, collector_server = servers
        actual_shop_port = shop_server.server_address[1]
        origins = [f"http://{host}:{actual_shop_port}"]
        if host == "127.0.0.1":
            origins.append(f"http://localhost:{actual_shop_port}")
        summary = create_demo_database(db_path, origins, simulate=simulate, seed=seed)
        config = {"db": db_path}
        if secret:
            config["secret"] = secret
        collector_app.app = create_app(config)
    except BaseException:
        for server in servers:
            server.server_close()
        raise
    demo = Demo(summary, shop_server, collector_server)
    shop_app.collector_url = demo.collector_url
    return demo.start()
