"""Every route, walked from ``app.url_map``, meets the hostile bodies of issue 14 without a 500.

Lone surrogates, nesting 1,000 deep, integers past 64 bits, ``NaN``/``Infinity``/``1e4000`` go to
every write of the browser API (``/v1/``), the admin API (``/api/``, with an operator's key, past
its 401) and the console's JSON editors. Browser answers carry CORS for the site's origin and
``nosniff``; a refused browser payload is quarantined; every browser write meets the client rate
limit with ``429`` + ``Retry-After``; and whatever was stored is standard JSON.
"""

from __future__ import annotations

import json

import pytest

from collector import create_app
from cxlisten.identity import create_admin_key
from cxlisten.storage import rejected
from tests.conftest import BROWSER_UA, ORIGIN
from tests.console.conftest import Console, bearer
from tests.support.routes import fill, routes
from tests.test_hostile_input import strict_json
from tests.test_hostile_scope import site_a as site_a  # the fixture: site A's data
from tests.test_hostile_scope import site_a_ids

LONE = "\ud83d"
HEADERS = {"Origin": ORIGIN, "User-Agent": BROWSER_UA}
WRITES = {"POST", "PUT", "DELETE"}
JSON = "application/json"


def hostile_bodies(site_key: str) -> dict[str, str]:
    """Bodies as a browser or a script would send them (lone surrogates as \\u escapes)."""
    base = json.dumps({"site": site_key, "visitor": None})[:-1]
    return {
        "lone-surrogate": json.dumps(
            {
                "site": site_key,
                "customer": f"c{LONE}",
                "signature": f"ab{LONE}",
                "visitor": f"v{LONE}",
                "steps": [f"/a{LONE}"],
                "phase": f"track{LONE}",
                "questions": [f"found{LONE}"],
                "rows": [{"customer": f"c{LONE}", "id": f"o{LONE}", f"k{LONE}": f"v{LONE}"}],
                f"k{LONE}": f"v{LONE}",
            }
        ),
        "deep-1000": base + ', "x": ' + "[" * 1000 + "]" * 1000 + "}",
        "int-past-64-bits": base + f', "version": {2**70}, "hours": {2**70}, "n": {2**70}}}',
        "nan": base + ', "x": NaN}',
        "infinity": base + ', "x": -Infinity}',
        "1e4000": base + ', "x": 1e4000}',
    }


def near_valid_bodies(site_key: str) -> dict[str, dict]:
    """Bodies the new endpoints accept but for one hostile value: they reach the storing code."""
    return {
        "/v1/identify": {
            "site": site_key,
            "visitor": None,
            "customer": f"c{LONE}",
            "signature": "0",
        },
        "/v1/reset": {"site": site_key, "visitor": f"v{LONE}"},
        "/api/operational/<kind>": {
            "rows": [{"customer": f"c{LONE}", "id": f"o{LONE}", "total": 2**70}],
            "key": "customer",
        },
        "/api/surveys/<slug>/shares": {"questions": ["found"], "hours": 2**70},
        "/api/journeys/<name>": {"steps": [f"/cart{LONE}", "/checkout"], "title": f"t{LONE}"},
    }


def assert_no_5xx(reply, what):
    assert reply.status_code < 500, (what, reply.get_data(as_text=True)[:300])
    assert reply.headers["X-Content-Type-Options"] == "nosniff", what
    if reply.status_code >= 400 and reply.is_json:
        assert set(reply.get_json()["error"]) == {"status", "code", "message", "fields"}, what


def assert_stored_json_is_standard(db) -> int:
    """Every stored text that is JSON is RFC 8259 JSON (no NaN, no Infinity); return how many.

    The quarantine's ``payload`` is left out: it is the refused text itself, kept as text.
    """
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    checked = 0
    for table in tables:
        cursor = db.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from sqlite_master)
        columns = [c[0] for c in cursor.description]
        for row in cursor:
            for column, value in zip(columns, row, strict=True):
                if (table, column) == ("rejected", "payload"):
                    continue
                if isinstance(value, str) and value[:1] in ("{", "["):
                    strict_json(value)
                    checked += 1
    return checked


@pytest.fixture
def operator(db):
    return bearer(create_admin_key(db, "ops"))


def test_hostile_bodies_on_every_browser_write_never_give_a_500(client, db, site, site_a):
    for method, rule in routes(client.application, "/v1/", WRITES):
        path = fill(rule, site_a_ids(site_a, db))
        for name, body in hostile_bodies(site.key).items():
            reply = client.open(path, method=method, data=body, headers=HEADERS)
            assert_no_5xx(reply, (rule, name))
            assert reply.headers["Access-Control-Allow-Origin"] == ORIGIN, (rule, name)
        near = near_valid_bodies(site.key).get(rule)
        if near:
            reply = client.open(path, method=method, data=json.dumps(near), headers=HEADERS)
            assert_no_5xx(reply, (rule, "near-valid"))
    assert assert_stored_json_is_standard(db) > 5


def test_hostile_bodies_on_every_admin_write_never_give_a_500(client, db, site, site_a, operator):
    for method, rule in routes(client.application, "/api/", WRITES):
        path = f"{fill(rule, site_a_ids(site_a, db))}?site={site.key}"
        for name, body in hostile_bodies(site.key).items():
            reply = client.open(path, method=method, data=body, content_type=JSON, headers=operator)
            assert_no_5xx(reply, (rule, name))
        near = near_valid_bodies(site.key).get(rule)
        if near:
            reply = client.open(
                path, method=method, data=json.dumps(near), content_type=JSON, headers=operator
            )
            assert_no_5xx(reply, (rule, "near-valid"))
    assert assert_stored_json_is_standard(db) > 5


@pytest.mark.parametrize(
    "path", ["/console/builder/check", "/console/builder", "/console/activate/save"]
)
def test_hostile_json_in_a_console_editor_is_a_readable_refusal(client, db, site, path):
    console = Console(client)
    console.sign_in(create_admin_key(db, "ops"))
    survey = json.dumps({"id": "pulse", "phase": "track", "trigger": {"type": "pageview"}})
    texts = {
        "lone-surrogate": survey.replace('"pulse"', '"pulse\\ud83d"'),
        "deep-1000": survey[:-1] + ', "x": ' + "[" * 1000 + "]" * 1000 + "}",
        "deep-100000": "[" * 100_000 + "]" * 100_000,
        "nan": survey[:-1] + ', "sample": NaN}',
        "1e4000": survey[:-1] + ', "sample": 1e4000}',
    }
    for name, text in texts.items():
        reply = console.post(path, {"text": text, "action": "save"})
        assert reply.status_code < 500, (name, reply.get_data(as_text=True)[:300])
        assert "Traceback" not in reply.get_data(as_text=True)
    assert_stored_json_is_standard(db)


def test_every_refused_browser_payload_is_quarantined(client, db, site):
    oversize = json.dumps({"site": site.key, "x": "y" * 70_000})  # past max_body_bytes
    for method, rule in routes(client.application, "/v1/", {"POST"}):
        for body in ("{not json", json.dumps({"site": site.key, "visitor": 5}), oversize):
            before = len(rejected.recent(db, limit=10_000))
            reply = client.open(rule, method=method, data=body, headers=HEADERS)
            assert 400 <= reply.status_code < 500, (rule, body)
            kept = rejected.recent(db, limit=1)
            assert len(rejected.recent(db, limit=10_000)) == before + 1, (rule, body)
            assert kept[0]["endpoint"] == rule.rsplit("/", 1)[1], (rule, kept[0])
            assert kept[0]["errors"], (rule, kept[0])


def test_every_browser_write_meets_the_client_rate_limit(db_path, db, site):
    settings = {
        "db": db_path,
        "secret": "test-secret",
        "rate_client_per_minute": 8,
        "proxy_hops": 1,
    }
    app = create_app(settings)
    client = app.test_client()
    for i, (method, rule) in enumerate(routes(app, "/v1/", WRITES)):
        headers = {**HEADERS, "X-Forwarded-For": f"203.0.113.{i}"}  # a bucket of its own
        answers = [client.open(rule, method=method, data="{}", headers=headers) for _ in range(3)]
        assert answers[0].status_code != 429, rule
        refused = answers[-1]
        assert refused.status_code == 429, (rule, [a.status_code for a in answers])
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert refused.get_json()["error"]["code"] == "too_many_requests"


def test_an_identify_whose_signature_does_not_verify_is_quarantined(client, db, site):
    body = {"site": site.key, "visitor": None, "customer": "cust-1", "signature": "00" * 32}
    reply = client.post("/v1/identify", data=json.dumps(body), headers=HEADERS)
    assert reply.status_code == 403 and reply.headers["Access-Control-Allow-Origin"] == ORIGIN
    kept = rejected.recent(db, limit=1)[0]
    assert kept["endpoint"] == "identify" and kept["site_id"] == site.id
    assert "signature" in kept["errors"]


def test_every_browser_answer_carries_cors_for_the_sites_origin(client, db, site, site_a):
    for method, rule in routes(client.application, "/v1/"):
        path = fill(rule, site_a_ids(site_a, db))
        for query in ("", f"?site={site.key}", f"?site={site.key}&visitor=forged&url=x"):
            reply = client.open(path + query, method=method, data="{not json", headers=HEADERS)
            assert_no_5xx(reply, (rule, query))
            assert reply.headers["Access-Control-Allow-Origin"] == ORIGIN, (rule, query)
            assert reply.headers["Access-Control-Expose-Headers"] == "Retry-After", rule
        foreign = client.open(
            path, method=method, data="{}", headers={**HEADERS, "Origin": "https://evil.example"}
        )
        assert "Access-Control-Allow-Origin" not in foreign.headers, rule


def test_every_json_answer_of_every_route_is_nosniff(client, db, site, site_a, operator):
    seen = 0
    for method, rule in routes(client.application, "/", every=True):
        path = fill(
            rule, {**site_a_ids(site_a, db), "filename": "x", "token": "x", "survey": "shop-pulse"}
        )
        for headers in (operator, HEADERS):
            reply = client.open(path, method=method, data="{}", headers=headers)
            assert reply.status_code < 500, (method, rule)
            assert reply.headers.get("X-Content-Type-Options") == "nosniff", (method, rule)
            seen += reply.is_json
    assert seen > 100


def test_hostile_values_in_every_console_form_are_a_readable_refusal(client, db, site, site_a):
    console = Console(client)
    console.sign_in(create_admin_key(db, "ops"))
    values = [str(2**70), "NaN", "-Infinity", "1e4000", "%ED%A0%BD", "\ufffd" * 3, "[" * 1000]
    names = ["hours", "questions", "phase", "text", "of", "draft_of", "scope", "name", "confirm"]
    names += ["origins", "budget", "site", "locale", "next", "op", "action", "format", "table"]
    ids = site_a_ids(site_a, db)
    for _, rule in routes(client.application, "/console/", {"POST"}):
        if rule in ("/console/sign-out", "/console/sign-in"):
            continue
        for value in values:
            reply = console.post(fill(rule, ids), {name: value for name in names})
            assert reply.status_code < 500, (rule, value, reply.get_data(as_text=True)[:300])
            assert "Traceback" not in reply.get_data(as_text=True)
