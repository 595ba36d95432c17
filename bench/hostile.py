"""Issue 14's figures against a real gunicorn with the packaged config, on 127.0.0.1.

    python -m bench.hostile flood             # a new-visitor flood from one address, 5 s
    python -m bench.hostile diskfull DIR      # writes until the disk reserve, then recovery

``flood``: one client on one keep-alive socket sends batches without a visitor token as fast as it
can, with the default limits; then a known visitor from that address and a new one from another.

``diskfull``: DIR must be a small filesystem of its own (say a 160 MB tmpfs:
``mount -t tmpfs -o size=160m tmpfs DIR``); a ballast file leaves 115 MB free above the 100 MB
reserve, batches of large events are sent until the first refusal, reads are tried, the ballast
is removed and one more batch is sent. Everything in DIR is deleted first. Both stop by themselves.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
import uuid

import requests

from bench.common import Gunicorn
from cxlisten import sites
from cxlisten.storage import open_database

ORIGIN = "https://shop.example"
HEADERS = {
    "Origin": ORIGIN,
    "Content-Type": "text/plain",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
}
CONFIG = ["-c", "python:collector.gunicorn_conf"]


def _site(db_path: str):
    db = open_database(db_path)
    site = sites.create_site(db, "Shop", [ORIGIN])
    db.conn.close()
    return site


def _batch(site, visitor=None, *, events=1, text=0) -> str:
    now = int(time.time() * 1000)
    return json.dumps(
        {
            "site": site.key,
            "visitor": visitor,
            "events": [
                {"id": str(uuid.uuid4()), "kind": "custom", "name": "b", "ts": now, "url": ORIGIN}
                | ({"props": {"t": "x" * text}} if text else {})
                for _ in range(events)
            ],
        }
    )


def _env(db_path: str, **extra: str) -> dict:
    return {"CXLISTEN_DB": db_path, "CXLISTEN_SECRET": "bench", "CXLISTEN_PROXY_HOPS": "1", **extra}


def flood(seconds: float = 5.0) -> None:
    """Print how a new-visitor flood from one address is met."""
    db_path = os.path.join(tempfile.mkdtemp(), "flood.db")
    site = _site(db_path)
    env = _env(db_path)
    with Gunicorn("collector:create_app()", workers=1, worker_class="gthread", threads=8,
                  env=env, args=CONFIG) as server:  # fmt: skip
        http = requests.Session()
        post = lambda body, address: http.post(  # noqa: E731
            server.url + "/v1/collect",
            data=body,
            headers={**HEADERS, "X-Forwarded-For": address},
            timeout=10,
        )
        known = post(_batch(site), "198.51.100.9").json()["visitor"]
        codes: dict[int, int] = {}
        retry, first_refused, sent, start = set(), None, 0, time.monotonic()
        while time.monotonic() - start < seconds:
            reply = post(_batch(site), "203.0.113.7")
            sent += 1
            codes[reply.status_code] = codes.get(reply.status_code, 0) + 1
            if reply.status_code == 429:
                retry.add(reply.headers.get("Retry-After"))
                assert reply.headers.get("Access-Control-Allow-Origin") == ORIGIN
                first_refused = first_refused or sent
        elapsed = time.monotonic() - start
        same = post(_batch(site, known), "203.0.113.7").status_code
        other = post(_batch(site), "198.51.100.1").status_code
    db = open_database(db_path)
    stored = db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] - 2  # known, other
    print(
        f"new-visitor flood: {sent} batches without a token from one address in {elapsed:.1f} s "
        f"({sent / elapsed:.0f}/s): {dict(sorted(codes.items()))}; first 429 at batch "
        f"{first_refused}; Retry-After {sorted(retry)}; CORS on every 429\n"
        f"visitors stored from the flood: {stored} ({stored / elapsed:.1f}/s); then a known "
        f"visitor from the flooding address: {same}, a new one from another address: {other}"
    )


def diskfull(directory: str) -> None:
    """Print the last 2xx, the first 503, the reads meanwhile and the recovery."""
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    db_path = os.path.join(directory, "cx.db")
    site = _site(db_path)

    def free() -> float:
        return shutil.disk_usage(directory).free / 2**20

    ballast = os.path.join(directory, "ballast")
    with open(ballast, "wb") as f:
        f.write(b"\0" * int(max(free() - 115, 0) * 2**20))
    env = _env(
        db_path,
        CXLISTEN_RATE_CLIENT_PER_MINUTE="0",
        CXLISTEN_NEW_VISITORS_PER_CLIENT_PER_MINUTE="0",
        CXLISTEN_MAX_SESSION_EVENTS="1000000",
    )
    with Gunicorn("collector:create_app()", workers=1, worker_class="gthread", threads=4,
                  env=env, args=CONFIG) as server:  # fmt: skip
        http = requests.Session()
        url = server.url + "/v1/collect"
        visitor, last_ok, refused = None, None, None
        for i in range(2000):
            before = free()
            reply = http.post(url, data=_batch(site, visitor, events=100, text=350),
                              headers=HEADERS, timeout=30)  # fmt: skip
            if reply.status_code == 200:
                visitor, last_ok = reply.json()["visitor"], (i, before)
                continue
            refused = (i, before, reply)
            break
        if refused is None:
            raise SystemExit("the disk never reached its reserve: use a smaller filesystem")
        reads = {
            path: http.get(server.url + path, headers=HEADERS, timeout=10).status_code
            for path in (
                "/healthz",
                f"/v1/config?site={site.key}&url={ORIGIN}/&visitor={visitor}",
                f"/v1/me?site={site.key}&visitor={visitor}",
            )
        }
        health = http.get(server.url + "/healthz", timeout=10).json()
        os.remove(ballast)
        again = http.post(url, data=_batch(site, visitor, events=100, text=350), headers=HEADERS)
    i, before, reply = refused
    cors = reply.headers.get("Access-Control-Allow-Origin")
    print(
        f"disk full: last 2xx batch {last_ok[0]} at {last_ok[1]:.1f} MB free; first refusal batch "
        f"{i} at {before:.1f} MB free: {reply.status_code}, Retry-After "
        f"{reply.headers.get('Retry-After')}, CORS {cors}"
        f", {reply.json()['error']['fields']}\nreads meanwhile: {sorted(reads.values())}; "
        f"/healthz: {health}\nballast removed ({free():.0f} MB free): next batch "
        f"{again.status_code}, accepted {again.json().get('accepted')}, no restart"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("flood")
    disk = sub.add_parser("diskfull")
    disk.add_argument("directory")
    args = parser.parse_args()
    if args.what == "flood":
        flood()
    else:
        diskfull(args.directory)


if __name__ == "__main__":
    main()
