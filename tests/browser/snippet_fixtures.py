"""Fixtures for the snippet's browser tests: the real collector and a host site on another origin.

Test modules import ``snippet_fixture`` and ``snippet_servers_fixture``; the fixtures are named
``snippet`` and ``snippet_servers``.

The collector (``collector.create_app``) and the host pages (``tests/browser/pages/*.html``) are two
servers on 127.0.0.1 with different ports, so every request from the snippet is cross-origin and
CORS is real. ``{{SDK}}`` in a page becomes the install tag, with extra ``data-*`` attributes from
the page URL's query (``snippet.url("basic.html", debug="")``).
"""

from __future__ import annotations

import html
import io
import json
import random
import re
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask, Response, abort, request
from werkzeug.wrappers import Request

from collector import create_app
from cxlisten import sites, surveys
from cxlisten.storage import responses as response_store
from cxlisten.storage.db import open_database
from tests.conftest import BROWSER_UA, LiveServer

PAGES = Path(__file__).parent / "pages"
# Every request a page makes to anything but 127.0.0.1 is aborted: tests reach nothing else.
NOT_LOOPBACK = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")


def loopback_only(context) -> None:
    """Abort every request of CONTEXT's pages to a host other than 127.0.0.1."""
    context.route(NOT_LOOPBACK, lambda route: route.abort())


class FastServer(LiveServer):
    """tests.conftest.LiveServer that shuts down in milliseconds (tests start two per test)."""

    def __init__(self, app):
        super().__init__(app)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )


def pages_app(state: dict) -> Flask:
    """A static host site whose pages embed the snippet pointing at STATE's collector."""
    app = Flask("host-site")

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.get("/slow.png")
    def slow_image():
        # An image sent ?ms= milliseconds late: what a page's largest contentful paint waits for.
        time.sleep(int(request.args.get("ms", "0")) / 1000)
        return Response(NOISE_PNG, mimetype="image/png")

    @app.get("/<path:path>")
    def page(path: str):
        # Any other path serves state["route_page"] (an SPA's deep links, journeys' pages).
        name = path if path.endswith(".html") else state.get("route_page")
        file = PAGES / Path(name or "missing").name
        if not file.is_file():
            abort(404)
        attrs = {"data-site": state["site"], "data-webdriver": "allow", **request.args.to_dict()}
        attrs = {k if k.startswith("data-") else f"data-{k}": v for k, v in attrs.items()}
        tag = '<script async src="{}/sdk.js" {}></script>'.format(
            state["collector"], " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
        )
        body = file.read_text(encoding="utf-8").replace("{{SDK}}", tag)
        body = body.replace("{{COLLECTOR}}", state["collector"])
        return Response(body, mimetype="text/html")

    return app


def _noise_png(width: int = 400, height: int = 180) -> bytes:
    """A PNG of noise: Chromium leaves low-entropy images (a flat colour) out of LCP."""
    from PIL import Image

    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


NOISE_PNG = _noise_png()


class Recorder:
    """WSGI middleware: records every /v1/ request; can answer collects late or with errors."""

    def __init__(self, app):
        self.app = app
        self.requests: list[SimpleNamespace] = []
        # Answers for the next POST /v1/collect requests: a status, or (status, extra headers).
        self.fail_collect: list[int | tuple[int, dict[str, str]]] = []
        # Seconds every POST /v1/collect reply waits after the collector answered (a slow network).
        self.late_collect = 0.0
        self.site_key = ""

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/v1/"):
            return self.app(environ, start_response)
        body = Request(environ).get_data()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        method = environ["REQUEST_METHOD"]
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        self.requests.append(
            SimpleNamespace(
                method=method,
                path=path,
                query=environ.get("QUERY_STRING", ""),
                headers=headers,
                body=body,
            )
        )
        if path == "/v1/collect" and method == "POST" and self.fail_collect:
            status, extra = _answer(self.fail_collect.pop(0))
            start_response(
                f"{status} Injected",
                [
                    ("Content-Type", "application/json"),
                    ("Access-Control-Allow-Origin", headers.get("origin", "*")),
                    *extra.items(),
                ],
            )
            return [b'{"error": {"status": %d}}' % status]
        out = self.app(environ, start_response)
        if path == "/v1/collect" and method == "POST":
            time.sleep(self.late_collect)  # stored and committed; the reply leaves late
        return out

    def mine(self) -> list[SimpleNamespace]:
        """This test's requests: those naming its site (earlier tests' pages may still send)."""
        return [
            r for r in self.requests if self.site_key in r.query or self.site_key.encode() in r.body
        ]

    def collects(self) -> list[SimpleNamespace]:
        return [r for r in self.mine() if r.path == "/v1/collect" and r.method == "POST"]


def _answer(answer: int | tuple[int, dict[str, str]]) -> tuple[int, dict[str, str]]:
    return answer if isinstance(answer, tuple) else (answer, {})


class Snippet:
    """The collector, the host site, the site record, and readers of what was stored."""

    def __init__(self, db, site, collector_url, pages_url, state, recorder):
        self.db, self.site, self.collector, self.origin, self.state = (
            db,
            site,
            collector_url,
            pages_url,
            state,
        )
        self.recorder = recorder

    def url(self, page: str = "basic.html", **attrs) -> str:
        """Return the URL of host PAGE, with extra data-ATTRS on the script tag."""
        from urllib.parse import urlencode

        query = urlencode({k.replace("_", "-"): v for k, v in attrs.items()})
        return f"{self.origin}/{page}" + (f"?{query}" if query else "")

    def events(self, kind: str | None = None) -> list[dict]:
        """Return the stored events of this site (oldest first) as flat dicts."""
        sql = "SELECT id, kind, ts, url, path, name, action, data, visitor_id FROM events WHERE site_id = ?"
        args: list = [self.site.id]
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        out = []
        for row in self.db.execute(sql + " ORDER BY ts, rowid", args).fetchall():
            event = dict(
                zip(("id", "kind", "ts", "url", "path", "name", "action"), row[:7], strict=True)
            )
            event.update(json.loads(row[7] or "{}"))
            event["visitor_id"] = row[8]
            out.append(event)
        return out

    def wait(self, predicate, timeout: float = 6.0, kind: str | None = None) -> list[dict]:
        """Poll the stored events until PREDICATE(events) is true; return them."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events(kind)
            if predicate(events):
                return events
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; stored events: {events}")
            time.sleep(0.05)

    def wait_count(self, kind: str, n: int, timeout: float = 6.0) -> list[dict]:
        return self.wait(lambda ev: len(ev) >= n, timeout, kind)

    def wait_config(self, page, n: int = 1, timeout: float = 6.0) -> None:
        """Wait until the snippet has fetched /v1/config N times and had time to act on it."""
        deadline = time.monotonic() + timeout
        while sum(r.path == "/v1/config" for r in self.recorder.mine()) < n:
            if time.monotonic() > deadline:
                raise AssertionError("no /v1/config request")
            page.wait_for_timeout(30)  # not time.sleep: lets Playwright run route handlers
        page.wait_for_timeout(150)

    def survey(self, id: str = "probe", questions=None, trigger=None, **fields):
        """Create an active survey (a one-question NPS shown on page view unless told)."""
        questions = questions or [
            {"id": "nps", "type": "nps", "text": {"en": "How likely are you to recommend us?"}}
        ]
        definition = {
            "id": id,
            "phase": "track" if len(questions) <= 2 else "deepdive",  # pulses have 1-2 questions
            "trigger": trigger or {"type": "pageview"},
            "questions": questions,
            **fields,
        }
        return surveys.create_survey(self.db, self.site, definition)

    def intervention(self, id: str = "need-help", trigger=None, **fields):
        """Create an active intervention panel (shown on page view unless told)."""
        definition = {
            "kind": "intervention",
            "id": id,
            "trigger": trigger or {"type": "pageview"},
            "content": {
                "title": {"en": "Need more help?"},
                "body": {"en": "Our team answers within minutes."},
                "label": {"en": "Chat with us"},
                "url": "/help/contact",
            },
            **fields,
        }
        return surveys.create_survey(self.db, self.site, definition)

    def responses(self) -> list[dict]:
        """Return this site's stored responses, oldest first, each with its answers."""
        rows = self.db.execute(
            "SELECT id, survey, status, locale, client_id FROM responses WHERE site_id = ? ORDER BY id",
            [self.site.id],
        ).fetchall()
        answers = response_store.answers_of(self.db, [r[0] for r in rows])
        return [
            {
                "survey": r[1],
                "status": r[2],
                "locale": r[3],
                "response": r[4],
                "answers": answers[r[0]],
            }
            for r in rows
        ]

    def wait_response(self, predicate, timeout: float = 6.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while not predicate(found := self.responses()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; stored responses: {found}")
            time.sleep(0.05)
        return found


@pytest.fixture(scope="session", name="snippet_servers")
def snippet_servers_fixture(tmp_path_factory):
    """One collector (on its own database) and one host site for the whole session."""
    db_path = str(tmp_path_factory.mktemp("snippet") / "cxlisten.db")
    db = open_database(db_path)
    state: dict = {}
    with FastServer(pages_app(state)) as host:
        recorder = Recorder(create_app({"db": db_path, "secret": "test-secret"}))
        with FastServer(recorder) as collector:
            yield SimpleNamespace(
                db=db, state=state, host=host, collector=collector, recorder=recorder
            )


@pytest.fixture(name="snippet")
def snippet_fixture(snippet_servers, context):
    """The collector and the host site on two 127.0.0.1 ports, and a fresh site for this test.

    Every test gets its own site (so its own events and surveys) and a fresh browser context (so
    a new visitor); the servers are shared, which keeps the suite fast.
    """
    context.set_default_timeout(8000)
    loopback_only(context)
    servers = snippet_servers
    site = sites.create_site(servers.db, "Host", [servers.host.url])
    servers.state.clear()
    servers.state.update(site=site.key, collector=servers.collector.url)
    servers.recorder.requests.clear()
    servers.recorder.fail_collect.clear()
    servers.recorder.late_collect = 0.0
    servers.recorder.site_key = site.key
    yield Snippet(
        servers.db, site, servers.collector.url, servers.host.url, servers.state, servers.recorder
    )


def new_context(browser, **options):
    """A fresh browser context like the `context` fixture's (a person's UA, not a bot's)."""
    ctx = browser.new_context(**{"user_agent": BROWSER_UA, **options})
    ctx.set_default_timeout(8000)
    loopback_only(ctx)
    return ctx


class Debug:
    """The snippet's debug lines in PAGE ([cxlisten] ...), and waits on them."""

    def __init__(self, page):
        self.page = page
        self.lines: list[str] = []
        page.on("console", lambda m: self.lines.append(m.text))

    def found(self, prefix: str) -> list[str]:
        return [line for line in self.lines if line.startswith("[cxlisten] " + prefix)]

    def wait(self, prefix: str, n: int = 1) -> list[str]:
        """Wait until N lines start with PREFIX (after "[cxlisten] "); return them."""
        deadline = time.monotonic() + 8
        while len(self.found(prefix)) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {prefix!r} line in {self.lines}")
            self.page.wait_for_timeout(20)  # lets Playwright deliver console events
        return self.found(prefix)

    def retry_ms(self, n: int) -> float:
        """The wait the snippet chose after its Nth failed send ("retry in ms 1712.5 ...")."""
        return float(self.wait("retry in ms", n)[n - 1].split()[4])


def pause_clock(page) -> None:
    """Stop the page's installed clock a moment ahead: its time then moves only by run_for."""
    from playwright.sync_api import Error

    while True:
        try:
            return page.clock.pause_at((page.evaluate("Date.now()") + 100) / 1000)  # seconds
        except Error as e:  # that moment passed before the call reached the page
            if "past" not in str(e):
                raise


def sdk_ready(page) -> None:
    """Wait until sdk.js has loaded and replaced the stub."""
    page.wait_for_function("window.cxlisten && window.cxlisten.v === 1")


def signals_ready(page) -> None:
    """Wait until signals.js (clicks, dead clicks, abandoned fields) listens on the page."""
    page.wait_for_function("window.cxlisten && cxlisten._s && cxlisten._s.on === 1")
