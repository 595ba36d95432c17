"""Hostile bytes never give a 500: lone surrogates, deep nesting, huge numbers, NaN, oversize.

Every browser answer, errors included, carries the CORS headers its origin is entitled to and
``nosniff``; every refused payload leaves its trace in the quarantine. Bodies are built as text
(``json.dumps`` escapes a lone surrogate as ``\\ud83d``, exactly what a browser sends).
"""

from __future__ import annotations

import json
import uuid

import pytest

from cxlisten import surveys
from cxlisten.storage import rejected
from tests.conftest import BROWSER_UA, ORIGIN, batch, event
from tests.surveys.conftest import PULSE

LONE = "\ud83d"  # the first half of 😀, as title.slice(0, 512) leaves it
HEADERS = {"Origin": ORIGIN, "User-Agent": BROWSER_UA}


def strict_json(text: str) -> object:
    """Parse TEXT as RFC 8259 JSON: NaN and Infinity are errors."""

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def post(client, path, body, headers=HEADERS):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=text, content_type="text/plain", headers=headers)


def assert_browser_answer(r):
    """A JSON answer the page can read: CORS for its origin, Retry-After exposed, nosniff."""
    assert r.status_code < 500, r.get_data(as_text=True)
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.is_json


def stored(db, sql):
    return [row[0] for row in db.execute(sql)]


def response_body(site, **changes):
    body = {
        "site": site.key,
        "visitor": None,
        "survey": "pulse",
        "version": 1,
        "response": str(uuid.uuid4()),
        "answers": [{"question": "found", "value": "no"}, {"question": "what", "value": "hats"}],
        "complete": True,
        "url": f"{ORIGIN}/cart",
        "locale": "en",
    }
    return {**body, **changes}


@pytest.fixture
def pulse(db, site):
    return surveys.create_survey(db, site, PULSE)


# -- lone surrogates: stored with U+FFFD, never a 500 ------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "A" * 511 + LONE},
        {"id": f"id-{LONE}"},
        {"url": f"{ORIGIN}/caf{LONE}"},
        {"kind": "custom", "name": "signup", "props": {f"k{LONE}": f"v{LONE}"}},
    ],
    ids=["title", "event-id", "url", "prop-key-and-value"],
)
def test_a_lone_surrogate_is_stored_replaced(client, db, site, changes):
    changes = dict(changes)
    kind = changes.pop("kind", "pageview")
    r = post(client, "/v1/collect", batch(site, event(kind, **changes)))
    assert_browser_answer(r)
    assert r.status_code == 200 and r.get_json()["accepted"] == 1
    row = db.execute("SELECT id, url, data FROM events").fetchone()
    text = json.dumps(row, ensure_ascii=False)
    assert "\ufffd" in text and LONE not in text
    if "title" in changes:
        assert strict_json(row[2])["title"] == "A" * 511 + "\ufffd"


def test_a_lone_surrogate_in_the_site_key_is_an_unknown_site(client, site):
    r = post(client, "/v1/collect", batch(site, event()) | {"site": f"x{LONE}"})
    assert_browser_answer(r)
    assert r.status_code == 404


def test_a_lone_surrogate_in_answers_and_other_texts(client, db, site, pulse):
    body = response_body(
        site,
        answers=[{"question": "found", "value": "no"}, {"question": "what", "value": f"h{LONE}"}],
    )
    r = post(client, "/v1/responses", body)
    assert_browser_answer(r)
    assert r.status_code == 200
    assert stored(db, "SELECT value FROM answers WHERE question = 'what'") == ["h\ufffd"]


def test_a_lone_surrogate_in_an_admin_body(client, admin_headers, site):
    survey = json.loads(json.dumps(PULSE)) | {"id": "pulse2"}
    survey["questions"][1]["text"] = {"en": f"What{LONE}?"}
    r = client.post(
        f"/api/surveys?site={site.key}",
        data=json.dumps(survey),
        content_type="application/json",
        headers=admin_headers,
    )
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    assert "\ufffd" in json.dumps(r.get_json(), ensure_ascii=False)


# -- depth, huge integers, NaN: a located 400 ---------------------------------------------------


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [33, 1000, 100_000])
@pytest.mark.parametrize("path", ["/v1/collect", "/v1/responses"])
def test_deep_nesting_is_refused(client, db, site, pulse, path, levels):
    body = json.dumps(batch(site, event()))[:-1] + ', "x": ' + deep(levels) + "}"
    r = post(client, path, body)
    assert_browser_answer(r)
    assert r.status_code in (400, 413)
    assert "nested deeper" in json.dumps(r.get_json()) or r.status_code == 413


@pytest.mark.parametrize("levels", [40, 1000])
def test_deep_nesting_in_an_admin_body_is_refused(client, admin_headers, site, levels):
    body = '{"id": "deep", "questions": ' + deep(levels) + "}"
    r = client.post(
        f"/api/surveys?site={site.key}",
        data=body,
        content_type="application/json",
        headers=admin_headers,
    )
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_input"


def test_a_version_past_64_bits_is_a_located_error(client, db, site, pulse):
    body = json.dumps(response_body(site)).replace('"version": 1', f'"version": {2**70}')
    r = post(client, "/v1/responses", body)
    assert_browser_answer(r)
    assert r.status_code == 400
    assert "version" in r.get_json()["error"]["fields"]


def test_an_integer_past_64_bits_in_props_is_kept_as_a_double(client, db, site):
    body = json.dumps(batch(site, event("custom", props={"n": 1}))).replace(
        '"n": 1', f'"n": {2**70}'
    )
    r = post(client, "/v1/collect", body)
    assert r.status_code == 200 and r.get_json()["accepted"] == 1
    assert strict_json(stored(db, "SELECT data FROM events")[0])["props"]["n"] == float(2**70)


@pytest.mark.parametrize("field", ["ts", "visible_ms"])
def test_an_integer_field_past_64_bits_is_refused_in_place(client, db, site, field):
    good = event("dwell")
    bad = event("dwell", **{field: 7})
    body = json.dumps(batch(site, good, bad)).replace(f'"{field}": 7', f'"{field}": {2**70}')
    r = post(client, "/v1/collect", body)
    assert_browser_answer(r)
    assert r.status_code == 400
    assert r.get_json()["accepted"] == 1
    assert f"events.1.{field}" in r.get_json()["error"]["fields"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e4000", "-1e4000"])
@pytest.mark.parametrize("path", ["/v1/collect", "/v1/responses"])
def test_non_standard_numbers_are_refused(client, db, site, pulse, path, number):
    body = json.dumps(
        batch(site, event("custom", props={"n": 1}))
        if path == "/v1/collect"
        else response_body(site, answers=[{"question": "found", "value": 1}])
    )
    body = body.replace('"n": 1', f'"n": {number}').replace('"value": 1', f'"value": {number}')
    r = post(client, path, body)
    assert_browser_answer(r)
    assert r.status_code == 400
    assert stored(db, "SELECT COUNT(*) FROM events") == [0]
    for (data,) in db.execute("SELECT data FROM events UNION ALL SELECT errors FROM rejected"):
        strict_json(data)


# -- every refusal leaves a trace, CORS on every answer -----------------------------------------


def test_a_response_refused_as_a_whole_is_quarantined(client, db, site, pulse):
    r = post(client, "/v1/responses", response_body(site, version="one"))
    assert r.status_code == 400
    [kept] = rejected.recent(db)
    assert kept["endpoint"] == "responses" and "version" in kept["errors"]
    assert kept["site_id"] is None and '"version": "one"' in kept["payload"]


def test_a_response_to_an_unknown_survey_is_quarantined(client, db, site):
    r = post(client, "/v1/responses", response_body(site, survey="nope"))
    assert r.status_code == 404
    [kept] = rejected.recent(db)
    assert kept["site_id"] == site.id and "survey" in kept["errors"]


@pytest.mark.parametrize(
    ("path", "body"),
    [("/v1/collect", lambda site: batch(site, event())), ("/v1/responses", response_body)],
)
def test_a_payload_from_a_foreign_origin_is_refused_and_kept(client, db, site, pulse, path, body):
    r = post(client, path, body(site), {"Origin": "https://evil.example", "User-Agent": BROWSER_UA})
    assert r.status_code == 403
    [kept] = rejected.recent(db)
    assert kept["errors"] == {"origin": ["https://evil.example"]}
    assert kept["endpoint"] == path.rsplit("/", 1)[1]


@pytest.mark.parametrize("path", ["/v1/collect", "/v1/responses"])
def test_an_oversize_body_keeps_its_first_bytes(client, db, site, path):
    body = json.dumps(batch(site, event())) + " " * 70_000
    r = post(client, path, body)
    assert_browser_answer(r)
    assert r.status_code == 413
    [kept] = rejected.recent(db)
    assert kept["payload"].startswith('{"site": ') and len(kept["payload"]) == 4096
    assert kept["errors"] == {"_body": ["at most 65536 bytes"]}


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/v1/collect"),
        ("POST", "/v1/responses"),
        ("GET", "/v1/config?url=x"),
        ("GET", "/v1/me"),
        ("GET", "/v1/nowhere"),
    ],
)
def test_errors_carry_cors_and_nosniff(client, site, method, path):
    r = client.open(path, method=method, data="{not json", headers=HEADERS)
    assert 400 <= r.status_code < 500
    assert_browser_answer(r)


def test_an_unexpected_error_still_carries_cors(client, app, site, monkeypatch):
    from cxlisten import ingest

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(ingest, "collect", broken)
    r = post(client, "/v1/collect", batch(site, event()))
    assert r.status_code == 500
    assert_browser_answer_5xx = r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert assert_browser_answer_5xx and r.get_json()["error"]["code"] == "internal_error"


def test_a_foreign_origin_gets_no_cors_even_on_errors(client, site):
    r = post(client, "/v1/collect", "{not json", {"Origin": "https://evil.example"})
    assert r.status_code == 400
    assert "Access-Control-Allow-Origin" not in r.headers
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_every_json_answer_is_nosniff(client, admin_headers):
    for path in ["/healthz", "/openapi.json", "/api/rejected", "/api/nowhere"]:
        r = client.get(path, headers=admin_headers)
        assert r.is_json and r.headers["X-Content-Type-Options"] == "nosniff", path
