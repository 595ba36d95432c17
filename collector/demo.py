"""Serving the demo: the static shop and a collector on two ports of 127.0.0.1.

``start_demo`` creates the demo database (``cxlisten.demo``), then serves the shop in
``examples/shop`` and the collector on ports of their own, so the browser makes real cross-origin
requests, exactly as on a customer's site. ``cxlisten demo`` is a thin wrapper around it.
"""

from __future__ import annotations

import mimetypes
import os
import re
import socket
import threading
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.serving import make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from collector import create_app
from cxlisten.demo import DEMO_SITE_KEY, SHOP_DIR, DemoSummary, create_demo_database
from cxlisten.errors import InvalidInput
from cxlisten.simulate import Progress

__all__ = ["AUTOMATION_ATTRIBUTE", "Demo", "ShopApp", "start_demo"]

# The snippet stays quiet in a browser under automation unless its tag says this (docs/snippet.md).
AUTOMATION_ATTRIBUTE = 'data-webdriver="allow"'

# The shop's pages carry the tag exactly as docs/snippet.md gives it for a collector on port 8000;
# the demo server points it at wherever the collector really listens.
_SNIPPET_TAG = re.compile(
    r'<script async src="http://127\.0\.0\.1:8000/sdk\.js" data-site="cx_demo">'
)


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
    except BaseException:
        for server in servers:
            server.server_close()
        raise
    demo = Demo(summary, shop_server, collector_server)
    shop_app.collector_url = demo.collector_url
    return demo.start()
