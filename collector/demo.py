"""Serving the demo: the static shop and a collector on two ports of 127.0.0.1.

``start_demo`` creates the demo database (``cxlisten.demo``), then serves the shop in
``examples/shop`` and the collector on ports of their own, so the browser makes real cross-origin
requests, exactly as on a customer's site. ``cxlisten demo`` is a thin wrapper around it.

The shop has a backend of its own for two things a static site cannot do: accounts (``/account``:
sign in as a demo customer; every page then carries ``cxlisten.identify(id, signature)`` with the
HMAC the shop computes with the site identity secret, and the page after sign-out
``cxlisten.reset()``), and the delivery note's QR code (``/delivery-qr.svg``), which opens the
``delivery`` survey's hosted page.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import re
import secrets
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.security import safe_join
from werkzeug.serving import make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from collector import create_app
from collector.warm import warm_up
from cxlisten import customers
from cxlisten.demo import (
    DELIVERY_SURVEY,
    DEMO_CUSTOMERS,
    DEMO_SITE_KEY,
    SHOP_DIR,
    DemoSummary,
    create_demo_database,
)
from cxlisten.errors import InvalidInput
from cxlisten.simulate import Progress
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import open_database
from cxlisten.survey_links import hosted_link, qr_code

__all__ = ["AUTOMATION_ATTRIBUTE", "Demo", "ShopApp", "ShopBackend", "start_demo"]

# The snippet stays quiet in a browser under automation unless its tag says this (docs/snippet.md).
AUTOMATION_ATTRIBUTE = 'data-webdriver="allow"'

# The shop's pages carry the tag exactly as docs/snippet.md gives it for a collector on port 8000;
# the demo server points it at wherever the collector really listens.
_SNIPPET_TAG = re.compile(
    r'<script async src="http://127\.0\.0\.1:8000/sdk\.js" data-site="cx_demo">'
)
# The queue stub of docs/snippet.md: the shop's identify/reset call may run before sdk.js loads.
_STUB = (
    "!function(w,c){c=w.cxlisten=w.cxlisten||function(){(c.q=c.q||[]).push([].slice.call("
    'arguments))};["track","consent","show","debug","identify","reset"].forEach(function(m){'
    "c[m]=c[m]||function(){c.apply(0,[m].concat([].slice.call(arguments)))}})}(window);"
)
SESSION_COOKIE = "hg_session"  # the shop's own sign-in (signed), never sent to the collector
SIGNED_OUT_COOKIE = "hg_signed_out"  # set by sign-out: the next page calls cxlisten.reset()


@dataclass
class ShopBackend:
    """What the shop's server knows: the site identity secret (to sign customer ids for
    identify), its own session secret, and the delivery survey's link (its QR code's)."""

    identity_secret: str
    session_secret: str
    delivery_link: str | None = None

    def sessions(self) -> URLSafeSerializer:
        return URLSafeSerializer(self.session_secret, salt="harbour-goods.session")


def _script_json(value: str) -> str:
    """VALUE as a JS string literal that cannot end the <script> it is in."""
    return json.dumps(value).replace("<", "\\u003c")


class ShopApp:
    """A static file server for the shop with pretty URLs (``/cart`` serves ``cart.html``).

    HTML pages are served with the snippet tag pointed at COLLECTOR_URL, plus any
    SNIPPET_ATTRIBUTES (the browser tests add ``data-webdriver="allow"``). With a BACKEND the
    shop also has accounts and the delivery note's QR code (the module's docstring).
    """

    def __init__(
        self,
        root: Path = SHOP_DIR,
        collector_url: str = "http://127.0.0.1:8000",
        snippet_attributes: str = "",
        backend: ShopBackend | None = None,
    ):
        self.root = str(root)
        self.collector_url = collector_url
        self.snippet_attributes = snippet_attributes
        self.backend = backend

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

    def page(self, path: str, customer: str | None = None, signed_out: bool = False) -> str:
        """Return the HTML file at PATH with its snippet tag pointed at this demo's collector,
        identifying CUSTOMER (signed in) or resetting (just SIGNED_OUT) before it."""
        with open(path, encoding="utf-8") as f:
            html_text = f.read()
        extra = f" {self.snippet_attributes}" if self.snippet_attributes else ""
        tag = (
            f'<script async src="{self.collector_url.rstrip("/")}/sdk.js" '
            f'data-site="{DEMO_SITE_KEY}"{extra}>'
        )
        call = ""
        if customer and self.backend:
            signature = customers.sign(self.backend.identity_secret, customer)
            call = f"cxlisten.identify({_script_json(customer)}, {_script_json(signature)});"
        elif signed_out:
            call = "cxlisten.reset();"
        if call:
            tag = f"<script>{_STUB}{call}</script>\n  {tag}"
        html_text = _SNIPPET_TAG.sub(lambda _: tag, html_text)
        html_text = html_text.replace("<!--ACCOUNT-->", self._account(customer, signed_out))
        return html_text.replace("<!--DELIVERY-->", self._delivery())

    def _account(self, customer: str | None, signed_out: bool) -> str:
        if not self.backend:
            return "<p>Accounts work when the shop runs under <code>cxlisten demo</code>.</p>"
        if customer:
            name = html.escape(DEMO_CUSTOMERS.get(customer, customer))
            return (
                f'<p id="signed-in">Signed in as <strong>{name}</strong> '
                f"(customer <code>{html.escape(customer)}</code>).</p>\n"
                '    <form method="post" action="/account/sign-out">'
                '<button type="submit" class="secondary">Sign out</button></form>'
            )
        done = '<p id="signed-out">You are signed out.</p>\n    ' if signed_out else ""
        buttons = "".join(
            f'<button type="submit" name="customer" value="{html.escape(cid)}">'
            f"Sign in as {html.escape(name)}</button> "
            for cid, name in DEMO_CUSTOMERS.items()
        )
        return f'{done}<form method="post" action="/account/sign-in">{buttons}</form>'

    def _delivery(self) -> str:
        link = self.backend.delivery_link if self.backend else None
        if not link:
            return "<p>The QR code appears when the shop runs under <code>cxlisten demo</code>.</p>"
        safe = html.escape(link)
        return (
            f'<figure class="delivery-qr"><img src="/delivery-qr.svg" width="240" height="240" '
            f'alt="QR code of {safe}"><figcaption><a href="{safe}">{safe}</a></figcaption>'
            "</figure>"
        )

    def _customer(self, request: Request) -> str | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or not self.backend:
            return None
        try:
            customer = self.backend.sessions().loads(raw)
        except BadSignature:
            return None
        return customer if customer in DEMO_CUSTOMERS else None

    def _account_post(self, request: Request) -> Response:
        """Sign in as a demo customer, or out; then back to the account page."""
        origin = request.headers.get("Origin")
        if origin and origin != request.host_url.rstrip("/"):  # a form posted from elsewhere
            return Response("Forbidden: not from this shop\n", status=403)
        response = Response(status=303, headers={"Location": "/account"})
        if request.path == "/account/sign-in":
            customer = request.form.get("customer", "")
            if customer not in DEMO_CUSTOMERS:
                return Response("No such demo customer\n", status=400)
            token = self.backend.sessions().dumps(customer)
            response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax")
        else:
            response.delete_cookie(SESSION_COOKIE)
            response.set_cookie(SIGNED_OUT_COOKIE, "1", httponly=True, samesite="Lax")
        return response

    def __call__(self, environ, start_response):
        request = Request(environ)
        posts = ("/account/sign-in", "/account/sign-out")
        if request.method == "POST" and request.path in posts and self.backend:
            return self._account_post(request)(environ, start_response)
        if request.method not in {"GET", "HEAD"}:
            response = Response("Method not allowed\n", status=405, headers={"Allow": "GET, HEAD"})
            return response(environ, start_response)
        customer = self._customer(request)
        signed_out = not customer and SIGNED_OUT_COOKIE in request.cookies
        path = self.resolve(request.path)
        if request.path == "/delivery-qr.svg" and self.backend and self.backend.delivery_link:
            response = Response(
                qr_code(self.backend.delivery_link, "svg"), mimetype="image/svg+xml"
            )
        elif path is None:
            missing = self.resolve("/404") if request.path != "/404" else None
            body = self.page(missing, customer) if missing else "Not found\n"
            response = Response(body, status=404, mimetype="text/html" if missing else "text/plain")
        elif path.endswith(".html"):
            response = Response(self.page(path, customer, signed_out), mimetype="text/html")
            if signed_out:  # reset once, on the page after sign-out
                response.delete_cookie(SIGNED_OUT_COOKIE)
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
        self.delivery_link: str | None = None  # the delivery note's QR code opens it

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
    progress: Progress | None = None,
    allow_automation: bool = False,
) -> Demo:
    """Create the demo database and serve the shop and the collector (port 0: any free port)."""

    # Both ports are taken first, so a busy port fails before any database is replaced; the
    # collector's app exists only once its database does.
    if allow_automation:  # the snippet's own switch, and the site's rule for the User-Agent
        snippet_attributes = " ".join(filter(None, [snippet_attributes, AUTOMATION_ATTRIBUTE]))
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
        summary = create_demo_database(
            db_path,
            origins,
            simulate=simulate,
            seed=seed,
            progress=progress,
            allow_automation=allow_automation,
        )
        config = {"db": db_path}
        if secret:
            config["secret"] = secret
        collector_app.app = create_app(config)
        warm_up(collector_app.app)
    except BaseException:
        for server in servers:
            server.server_close()
        raise
    demo = Demo(summary, shop_server, collector_server)
    shop_app.collector_url = demo.collector_url
    shop_app.backend = _shop_backend(db_path, demo.collector_url, collector_app.app)
    demo.delivery_link = shop_app.backend.delivery_link
    return demo.start()


def _shop_backend(db_path: str, collector_url: str, app) -> ShopBackend:
    """What the shop's server holds: the site identity secret (as a real shop would keep it in
    its configuration) and the delivery survey's QR link."""
    db = open_database(db_path)
    try:
        site = site_store.site_by_key(db, DEMO_SITE_KEY)
        secret = app.extensions["cxlisten"].secret
        link = hosted_link(db, site, DELIVERY_SURVEY, collector_url, secret=secret, source="qr")
        return ShopBackend(customers.identity_secret(db, site), secrets.token_urlsafe(32), link)
    finally:
        db.conn.close()
