"""``GET /v1/config`` and ``POST /v1/responses`` under load, against the bare Flask ceiling.

    python -m bench.config_responses                       # 5 s per run, 8 connections
    python -m bench.config_responses --duration 10 --visitors 5000

A real gunicorn (2 sync workers) serves a database holding the example surveys and VISITORS
visitors with some history (page views and survey events), so targeting reads real rows. wrk
(``bench/common.py``) drives each endpoint with a different visitor token per request:

- config: ``GET /v1/config`` for a cart, help or product page, with a desktop User-Agent and the
  site's Origin; compared with the bare app's ``GET /healthz`` (Flask answering a small JSON).
- responses: ``POST /v1/responses``, a complete two-answer response with a fresh id each time;
  compared with the bare app's ``POST /v1/collect`` (Flask parsing a JSON body, 204).

The ratio column is each run's requests/s as a share of its bare baseline's; "cpu ms/req" is the
CPU the server's processes used per request, which a busy machine disturbs less than rates.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid

from bench.common import (
    BARE_APP,
    NO_LIMITS,
    drive,
    measure_server,
    print_results,
)
from tests.support.gunicorn import DESKTOP_UA, REPO, Gunicorn

ORIGIN = "https://shop.example"
SECRET = "bench-secret"

# init(args): args[1] is a file of "token" lines; request() cycles through them.
_TOKENS_LUA = """
local tokens = {}
local n = 0
function init(args)
  for line in io.lines(args[1]) do
    n = n + 1
    tokens[n] = line
  end
  math.randomseed(os.time() + (args[2] and tonumber(args[2]) or 0))
end
"""

CONFIG_LUA = (
    _TOKENS_LUA
    + """
local pages = {"%2Fcart", "%2Fhelp%2Fdelivery", "%2Fproduct%2Flamp", "%2Fcheckout", "%2F"}
local i = 0
function request()
  i = i + 1
  local token = tokens[(i % n) + 1]
  local page = pages[(i % #pages) + 1]
  local path = "/v1/config?site=SITE&visitor=" .. token .. "&url=https%3A%2F%2Fshop.example" .. page
  return wrk.format("GET", path, {["User-Agent"] = "UA", ["Origin"] = "ORIGIN"})
end
"""
)

RESPONSES_LUA = (
    _TOKENS_LUA
    + """
local i = 0
local run = math.random(1, 1000000000)
function request()
  i = i + 1
  local token = tokens[(i % n) + 1]
  local body = '{"site": "SITE", "visitor": "' .. token .. '", "survey": "cart-abandon", ' ..
    '"version": 1, "response": "bench-' .. run .. '-' .. i .. '", "answers": [' ..
    '{"question": "reason", "value": "other", "other": "too slow"}, ' ..
    '{"question": "ease", "value": 5}], "complete": true, ' ..
    '"url": "https://shop.example/cart", "locale": "en"}'
  return wrk.format("POST", "/v1/responses",
    {["Content-Type"] = "text/plain", ["User-Agent"] = "UA", ["Origin"] = "ORIGIN"}, body)
end
"""
)

BARE_GET_LUA = """
function request()
  return wrk.format("GET", "/healthz", {["User-Agent"] = "UA"})
end
"""

BARE_POST_LUA = """
function request()
  local body = '{"site": "SITE", "visitor": null, "survey": "cart-abandon", "version": 1, ' ..
    '"response": "bench", "answers": [{"question": "reason", "value": "other"}], ' ..
    '"complete": true, "url": "https://shop.example/cart", "locale": "en"}'
  return wrk.format("POST", "/v1/collect", {["Content-Type"] = "text/plain"}, body)
end
"""


def _lua(template: str, site_key: str) -> str:
    return template.replace("SITE", site_key).replace("UA", DESKTOP_UA).replace("ORIGIN", ORIGIN)


def prepare(path: str, visitors: int) -> tuple[str, str]:
    """Make the database: site, example surveys, visitors with history.

    Return the site key and the path of a file of visitor tokens, one a line.
    """
    from cxlisten import sites, surveys
    from cxlisten.browser_request import BrowserRequest
    from cxlisten.identity import VisitorTokens, new_visitor_id
    from cxlisten.ingest import collect
    from cxlisten.settings import load_settings
    from cxlisten.storage.db import open_database

    settings = load_settings({"db": path, "secret": SECRET, "synchronous": "NORMAL"})
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Bench shop", [ORIGIN])
    surveys.load_directory(db, site, str(REPO / "examples" / "surveys"))
    tokens = VisitorTokens(SECRET)
    now = int(time.time() * 1000)
    issued = []
    for n in range(visitors):
        token = tokens.issue(site.id, new_visitor_id())
        if n % 2 == 0:  # half the visitors have a history: a few pages and survey events
            events = [
                {
                    "id": str(uuid.uuid4()),
                    "kind": "pageview",
                    "ts": now - 60_000 + k,
                    "url": f"{ORIGIN}{page}",
                }
                for k, page in enumerate(["/", "/product/lamp", "/cart"])
            ]
            if n % 4 == 0:
                events.append(
                    {
                        "id": str(uuid.uuid4()),
                        "kind": "survey",
                        "ts": now - 30_000,
                        "url": f"{ORIGIN}/cart",
                        "survey": "found-it",
                        "action": "shown",
                    }
                )
            body = json.dumps({"site": site.key, "visitor": token, "events": events}).encode()
            collect(db, settings, tokens, BrowserRequest(body=body, user_agent=DESKTOP_UA))
        issued.append(token)
    fd, tokens_path = tempfile.mkstemp(prefix="cx-tokens-", suffix=".txt")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(issued) + "\n")
    return site.key, tokens_path


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--synchronous",
        default="FULL",
        choices=("FULL", "NORMAL"),
        help="the collector's SQLite synchronous setting (FULL: every answer survives power loss)",
    )
    parser.add_argument("--dir", default=None, help="where the database goes (default: a temp dir)")
    return parser.parse_args()


def _fresh_database(folder: str | None) -> str:
    """Return the path of the benchmark's database in FOLDER (a new temp dir by default),
    removing what an earlier run left there."""
    workdir = folder or tempfile.mkdtemp(prefix="cx-bench-config-")
    path = os.path.join(workdir, "bench.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


def main() -> None:
    args = _arguments()
    path = _fresh_database(args.dir)
    site_key, tokens_path = prepare(path, args.visitors)
    common = {"duration": args.duration, "connections": args.connections}
    env = {"CXLISTEN_DB": path, "CXLISTEN_SECRET": SECRET, "CXLISTEN_SYNCHRONOUS": args.synchronous}
    env.update(NO_LIMITS)
    with Gunicorn(BARE_APP, workers=args.workers) as bare:
        bare_get = measure_server(
            bare,
            lambda: drive(
                bare.url, _lua(BARE_GET_LUA, site_key), name="bare Flask GET /healthz", **common
            ),
        )
        bare_post = measure_server(
            bare,
            lambda: drive(
                bare.url,
                _lua(BARE_POST_LUA, site_key),
                name="bare Flask POST (parse JSON)",
                **common,
            ),
        )
    with Gunicorn("collector:create_app()", workers=args.workers, env=env) as server:
        config = measure_server(
            server,
            lambda: drive(
                server.url,
                _lua(CONFIG_LUA, site_key),
                name="GET /v1/config",
                script_args=[tokens_path],
                **common,
            ),
        )
        responses = measure_server(
            server,
            lambda: drive(
                server.url,
                _lua(RESPONSES_LUA, site_key),
                name="POST /v1/responses",
                script_args=[tokens_path, "7"],
                **common,
            ),
        )
    print(
        f"{args.visitors} visitors, {args.workers} gunicorn workers, {args.duration} s per run, "
        f"synchronous={args.synchronous}"
    )
    print_results([bare_get, config], baseline=bare_get)
    print()
    print_results([bare_post, responses], baseline=bare_post)
    os.unlink(tokens_path)


if __name__ == "__main__":
    main()
