"""POST /v1/collect: storage, deduplication, bad input, CORS, identity, sessions, privacy."""

from __future__ import annotations

import json
import time

import pytest

from cxlisten import sites
from cxlisten.storage import events as event_store
from tests.conftest import BROWSER_UA, ORIGIN, batch, event
from tests.support import postgres
from tests.support.db import count_events

UA = {"User-Agent": BROWSER_UA}


def post(client, body, headers=None, raw=False, content_type="application/json"):
    data = body if raw else json.dumps(body)
    return client.post(
        "/v1/collect", data=data, headers={**UA, **(headers or {})}, content_type=content_type
    )


def rows(db, sql, *args):
    return db.execute(sql, args).fetchall()


# --- storing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "text/plain;charset=UTF-8"]
)
def test_batch_is_accepted_as_json_or_text_plain(client, site, db, content_type):
    r = post(client, batch(site, event(), event("dwell")), content_type=content_type)
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == 2 and r.json["duplicates"] == 0 and r.json["rejected"] == []
    assert count_events(db, site.id) == 2


@pytest.mark.parametrize(
    "kind, column_checks, data_checks",
    [
        ("pageview", {"path": "/cart"}, {"title": "Cart", "viewport": {"w": 1280, "h": 720}}),
        ("dwell", {"value": 5000}, {"total_ms": 6000, "scroll": 40}),
        ("click", {}, {"target": "button#buy", "text": "Buy"}),
        ("custom", {"name": "cart_abandoned"}, {"props": {"items": 2}}),
        ("survey", {"name": "cart-abandon", "action": "shown"}, {}),
        ("intervention", {"name": "need-help", "action": "clicked"}, {}),
    ],
)
def test_each_kind_keeps_its_fields(client, site, db, kind, column_checks, data_checks):
    sent = event(kind)
    before = int(time.time() * 1000)
    assert post(client, batch(site, sent)).status_code == 200
    row = db.execute(
        "SELECT kind, ts, received_at, path, name, action, value, data FROM events WHERE id = ?",
        [sent["id"]],
    ).fetchone()
    stored = dict(
        zip(
            ["kind", "ts", "received_at", "path", "name", "action", "value", "data"],
            row,
            strict=True,
        )
    )
    assert stored["kind"] == kind and stored["ts"] == sent["ts"]
    assert stored["received_at"] >= before  # the server's own receive time
    for key, value in column_checks.items():
        assert stored[key] == value
    data = json.loads(stored["data"])
    for key, value in data_checks.items():
        assert data[key] == value


def test_resending_a_batch_whole_or_in_part_stores_nothing_twice(client, site, db):
    events = [event() for _ in range(5)]
    first = post(client, batch(site, *events))
    assert first.json["accepted"] == 5
    again = post(client, batch(site, *events, visitor=first.json["visitor"]))
    assert (again.json["accepted"], again.json["duplicates"]) == (0, 5)
    part = post(client, batch(site, events[1], events[3], event(), visitor=first.json["visitor"]))
    assert (part.json["accepted"], part.json["duplicates"]) == (1, 2)
    assert count_events(db, site.id) == 6
    session = event_store.get_session(db, first.json["session"])
    assert session["pageviews"] == 6  # summaries count each event once


def test_the_same_event_twice_in_one_batch_is_one_event(client, site, db):
    e = event()
    r = post(client, batch(site, e, dict(e)))
    assert r.json["accepted"] == 1
    assert count_events(db, site.id) == 1


# --- bad input -----------------------------------------------------------------------------

NOW = int(time.time() * 1000)
BAD_BATCHES = [
    # (case, body, status, field named in the error)
    ("malformed json", b'{"site": "x", "events": [', 400, "_body"),
    ("not utf-8", b"\xff\xfe\x00", 400, "_body"),
    ("array body", b"[1, 2]", 400, "site"),
    ("missing site", {"events": []}, 400, "site"),
    ("site wrong type", {"site": 5, "events": []}, 400, "site"),
    ("events not a list", {"site": "SITE", "events": {"a": 1}}, 400, "events"),
    ("too many events", {"site": "SITE", "events": [{}] * 101}, 413, "events"),
    ("unknown site", {"site": "cx_nope", "events": []}, 404, "site"),
]


@pytest.mark.parametrize("case, body, status, field", BAD_BATCHES, ids=[c[0] for c in BAD_BATCHES])
def test_bad_batches_get_a_located_4xx_and_are_quarantined(
    client, site, db, case, body, status, field
):
    if isinstance(body, dict):
        body = json.dumps({**body, "site": site.key} if body.get("site") == "SITE" else body)
    r = post(client, body, raw=True)
    assert r.status_code == status, r.json
    assert field in r.json["error"]["fields"], r.json
    quarantined = rows(db, "SELECT endpoint, errors, payload FROM rejected")
    assert len(quarantined) == 1
    assert field in json.loads(quarantined[0][1])


BAD_EVENTS = [
    ("unknown kind", {"kind": "mousemove"}, "kind"),
    ("id missing", {"id": None}, "id"),
    ("ts as string", {"ts": "yesterday"}, "ts"),
    ("ts as float", {"ts": 1.5}, "ts"),
    ("ts far in the future", {"ts": NOW + 7 * 86400 * 1000}, "ts"),
    ("ts years ago", {"ts": 1000}, "ts"),
    ("url not http", {"url": "javascript:alert(1)"}, "url"),
    ("url too long", {"url": "https://shop.example/" + "a" * 3000}, "url"),
    ("title too long", {"title": "t" * 600}, "title"),
    ("viewport wrong type", {"viewport": {"w": "wide", "h": 1}}, "viewport"),
    ("viewport extra keys", {"viewport": {"w": 1, "h": 1, "x": 2}}, "viewport"),
    ("dwell negative", {"kind": "dwell", "visible_ms": -1, "total_ms": 1}, "visible_ms"),
    ("scroll over 100", {"kind": "dwell", "visible_ms": 1, "total_ms": 1, "scroll": 101}, "scroll"),
    ("custom name missing", {"kind": "custom", "name": None, "props": {}}, "name"),
    ("custom props nested", {"kind": "custom", "name": "x", "props": {"a": {"b": 1}}}, "props"),
    ("survey action unknown", {"kind": "survey", "survey": "s", "action": "liked"}, "action"),
    (
        "intervention id too long",
        {"kind": "intervention", "intervention": "i" * 65, "action": "shown"},
        "intervention",
    ),
    ("event not an object", "just a string", "_schema"),
    ("event is null", None, "_schema"),
]


@pytest.mark.parametrize("case, change, field", BAD_EVENTS, ids=[c[0] for c in BAD_EVENTS])
def test_invalid_events_are_reported_by_index_and_the_rest_stored(
    client, site, db, case, change, field
):
    good = event()
    if change is None:
        bad = None
    elif isinstance(change, dict):
        bad = event(change.get("kind", "pageview"))
        bad.update(change)
        bad = {k: v for k, v in bad.items() if v is not None}
    else:
        bad = change
    r = post(client, batch(site, good, bad))
    assert r.status_code == 400, r.json
    assert r.json["accepted"] == 1  # the valid neighbour is stored
    assert r.json["rejected"][0]["index"] == 1
    assert field in r.json["rejected"][0]["errors"], r.json
    assert f"events.1.{field}" in r.json["error"]["fields"]
    assert count_events(db, site.id) == 1
    ((index, errors, payload),) = rows(db, "SELECT event_index, errors, payload FROM rejected")
    assert index == 1 and field in json.loads(errors) and payload


def test_body_over_the_limit_gets_413(client, site, db):
    huge = batch(site, event(title="x" * 500))
    huge["padding"] = "p" * 70000
    r = post(client, huge)
    assert r.status_code == 413
    assert r.json["error"]["code"] == "payload_too_large"
    assert count_events(db, site.id) == 0


def test_body_limit_is_configurable(db_path, site):
    from collector import create_app

    small = create_app({"db": db_path, "max_body_bytes": 300}).test_client()
    r = post(small, batch(site, event(), event()))
    assert r.status_code == 413


def test_quarantine_is_bounded(db_path, site, db):
    from collector import create_app

    client = create_app({"db": db_path, "rejected_keep": 3}).test_client()
    for _ in range(6):
        post(client, b"not json", raw=True)
    assert rows(db, "SELECT COUNT(*) FROM rejected")[0][0] == 3


def test_rejected_payloads_are_cut_to_the_configured_size(db_path, site, db):
    from collector import create_app

    client = create_app({"db": db_path, "rejected_payload_bytes": 50}).test_client()
    post(client, b"{" + b"x" * 500, raw=True)
    assert len(rows(db, "SELECT payload FROM rejected")[0][0]) == 50


# --- CORS ----------------------------------------------------------------------------------


def test_allowed_origin_gets_cors_headers(client, site):
    r = post(client, batch(site, event()), headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_foreign_origin_is_refused_and_nothing_stored(client, site, db):
    r = post(client, batch(site, event()), headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert "Access-Control-Allow-Origin" not in r.headers
    assert count_events(db, site.id) == 0


def test_wildcard_subdomain_origins(db):
    site = sites.create_site(db, "Multi", ["https://*.shop.example"])
    assert sites.origin_allowed(site, "https://eu.shop.example")
    assert not sites.origin_allowed(site, "https://shop.example.evil.com")
    assert not sites.origin_allowed(site, "http://eu.shop.example")


def test_preflight_answers_allowed_origins_only(client, site):
    ok = client.options(
        "/v1/collect", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    no = client.options("/v1/collect", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in no.headers


# --- identity ------------------------------------------------------------------------------


def test_the_token_keeps_the_visitor(client, site, db):
    first = post(client, batch(site, event()))
    second = post(client, batch(site, event(), visitor=first.json["visitor"]))
    assert second.json["visitor"] == first.json["visitor"]
    assert rows(db, "SELECT COUNT(*) FROM visitors")[0][0] == 1


def _tampered(token: str) -> str:
    return token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda good, other: _tampered(good),
        lambda good, other: other,  # a genuine token of another site
        lambda good, other: "v1.garbage",
        lambda good, other: "not-a-token",
        lambda good, other: "",
        lambda good, other: "v1." + "x" * 600,
        lambda good, other: 12,
        lambda good, other: {"id": good},
    ],
    ids=["tampered", "other site", "garbage", "no prefix", "empty", "too long", "number", "object"],
)
def test_bad_tokens_get_a_fresh_visitor_never_an_error(client, site, db, make_token):
    other_site = sites.create_site(db, "Other", ["https://other.example"])
    mine = post(client, batch(site, event())).json["visitor"]
    theirs = post(client, batch(other_site, event(url="https://other.example/"))).json["visitor"]
    r = post(client, batch(site, event(), visitor=make_token(mine, theirs)))
    assert r.status_code == 200
    assert r.json["visitor"] not in (mine, theirs)
    assert rows(db, "SELECT COUNT(*) FROM visitors WHERE site_id = ?", site.id)[0][0] == 2


def test_tokens_are_signed_with_the_deployment_secret(db_path, site):
    from collector import create_app

    a = create_app({"db": db_path, "secret": "one"}).test_client()
    b = create_app({"db": db_path, "secret": "two"}).test_client()
    token = post(a, batch(site, event())).json["visitor"]
    assert post(b, batch(site, event(), visitor=token)).json["visitor"] != token


def test_without_a_configured_secret_one_is_kept_in_the_database(db_path, site):
    from collector import create_app

    token = post(create_app({"db": db_path}).test_client(), batch(site, event())).json["visitor"]
    again = post(create_app({"db": db_path}).test_client(), batch(site, event(), visitor=token))
    assert again.json["visitor"] == token


# --- sessions and device -------------------------------------------------------------------


def test_a_new_session_starts_after_30_idle_minutes(client, site, db):
    t0 = int(time.time() * 1000) - 3 * 3600 * 1000
    first = post(client, batch(site, event(ts=t0), event(ts=t0 + 29 * 60_000)))
    token = first.json["visitor"]
    later = post(client, batch(site, event(ts=t0 + 29 * 60_000 + 31 * 60_000), visitor=token))
    assert later.json["session"] != first.json["session"]
    old = event_store.get_session(db, first.json["session"])
    new = event_store.get_session(db, later.json["session"])
    assert old["pageviews"] == 2 and new["pageviews"] == 1
    assert (old["is_returning"], new["is_returning"]) == (0, 1)


def test_session_summary_holds_journey_and_dwell(client, site, db):
    t0 = int(time.time() * 1000) - 60_000
    r = post(
        client,
        batch(
            site,
            event(ts=t0, url="https://shop.example/cart"),
            event("dwell", ts=t0 + 1000, url="https://shop.example/cart", visible_ms=4000),
            event(ts=t0 + 5000, url="https://shop.example/checkout?step=1"),
            event(
                "dwell", ts=t0 + 9000, url="https://shop.example/checkout?step=1", visible_ms=2500
            ),
            event(
                "custom", ts=t0 + 9500, url="https://shop.example/checkout", name="coupon_failed"
            ),
            event("intervention", ts=t0 + 9600, url="https://shop.example/checkout"),
        ),
    )
    s = event_store.get_session(db, r.json["session"])
    assert s["steps"] == ["/cart", "/checkout"]
    assert s["dwell"] == [4000, 2500]
    assert s["custom"] == ["coupon_failed"]
    assert s["interventions_clicked"] == 1
    assert (s["entry"], s["exit"]) == ("/cart", "/checkout")


UAS = [
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
        "mobile",
        0,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
        "tablet",
        0,
    ),
    (BROWSER_UA, "desktop", 0),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", None, 1),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36",
        None,
        1,
    ),
]


@pytest.mark.parametrize(
    "ua, device, is_bot", UAS, ids=["iphone", "ipad", "desktop", "googlebot", "headless"]
)
def test_device_class_and_bots_come_from_the_user_agent(client, site, db, ua, device, is_bot):
    r = post(client, batch(site, event()), headers={"User-Agent": ua})
    s = event_store.get_session(db, r.json["session"])
    assert s["is_bot"] == is_bot
    if device:
        assert s["device"] == device
    assert s["browser"] and s["os"]


# --- privacy -------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_do_not_track_and_gpc_store_nothing(client, site, db, header):
    r = post(client, batch(site, event()), headers=header)
    assert r.status_code == 200
    assert r.json["ignored"] == "do-not-track" and r.json["visitor"] is None
    assert count_events(db, site.id) == 0


def test_a_site_may_choose_not_to_honour_dnt(client, db):
    from cxlisten.storage import sites as site_store

    site = sites.create_site(db, "Opt", [ORIGIN], respect_dnt=False)
    assert site_store.get_site(db, site.id).respect_dnt is False
    r = post(client, batch(site, event()), headers={"DNT": "1"})
    assert r.json["accepted"] == 1


def test_no_ip_address_is_stored(client, site, db, db_path, engine):
    client.post(
        "/v1/collect",
        data=json.dumps(batch(site, event())),
        headers={**UA, "X-Forwarded-For": "203.0.113.77"},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    if engine == "postgresql":  # every row of every table, as text
        raw = "".join(
            row[0]
            for table in db.table_names()
            for row in db.execute(f"SELECT CAST(t AS TEXT) FROM {table} t")
        ).encode()
    else:
        db.execute("PRAGMA wal_checkpoint(FULL)")
        from pathlib import Path

        files = (db_path, db_path + "-wal")
        raw = b"".join(Path(p).read_bytes() for p in files if Path(p).exists())
    assert b"198.51.100" not in raw and b"203.0.113" not in raw


# --- acknowledged means committed ----------------------------------------------------------


def test_an_acknowledged_batch_is_visible_to_a_new_connection(client, site, db_path, engine):
    from cxlisten.storage.db import open_database

    e = event()
    assert post(client, batch(site, e)).status_code == 200
    fresh = open_database(db_path)
    assert fresh.execute("SELECT COUNT(*) FROM events WHERE id = ?", [e["id"]]).fetchone()[0] == 1
    if engine == "postgresql":  # a commit returns once its WAL is flushed
        assert fresh.execute("SHOW synchronous_commit").fetchone()[0] == "on"
        assert fresh.execute("SHOW fsync").fetchone()[0] == "on"
    else:
        assert fresh.execute("PRAGMA synchronous").fetchone()[0] in (2, 1)


# --- diagnosis -----------------------------------------------------------------------------


def test_admins_read_the_quarantine_over_http(client, site, admin_headers):
    post(client, b"{broken", raw=True)
    assert client.get("/api/rejected").status_code == 401
    r = client.get("/api/rejected?limit=5", headers=admin_headers)
    assert r.status_code == 200
    (row,) = r.json["rejected"]
    assert row["endpoint"] == "collect" and "_body" in row["errors"]
    bad = client.get("/api/rejected?limit=0", headers=admin_headers)
    assert bad.status_code == 400 and "limit" in bad.json["error"]["fields"]


def test_cli_shows_the_quarantine(client, site, db_path):
    from click.testing import CliRunner

    from cxlisten.cli import cli

    post(client, batch(site, event(ts="soon")))
    r = CliRunner().invoke(cli, ["rejected", "--db", db_path])
    assert r.exit_code == 0
    assert "event 0" in r.output and "ts:" in r.output
    missing = CliRunner().invoke(cli, ["rejected", "--db", postgres.missing(db_path)])
    assert missing.exit_code == 1 and "no database" in missing.output
