"""``GET /api/export/<name>.csv|.jsonl``: admin key, filters, streaming, errors."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.conftest import BROWSER_UA, batch, event
from tests.exports.conftest import DAY, T0


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    "path", ["/api/export", "/api/export/events.csv", "/api/export/events.jsonl"]
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer cxadmin_wrong"}])
def test_exports_need_the_admin_key(client, shop, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_csv_download_headers(client, admin_headers, shop):
    response = client.get(
        "/api/export/sessions.csv?since=2026-01-01&until=2099-01-01", headers=admin_headers
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sessions-2026-01-01--2099-01-01.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Length" not in response.headers  # streamed


@pytest.mark.parametrize(
    ("query", "status", "field", "message"),
    [
        ("since=2026-13-01", 400, "since", "not a date like 2026-11-01"),
        ("since=yesterday", 400, "since", "not a date like 2026-11-01"),
        ("since=99999999999999999999", 400, "since", "must be between 1970 and 9999"),
        ("until=1969-12-31", 400, "until", "must be between 1970 and 9999"),
        ("since=" + "9" * 41, 400, "since", "not a date like 2026-11-01"),
        ("until=2026-11-01&since=2026-12-01", 400, "until", "must be later than since"),
        ("since=2026-11-01&until=2026-11-01", 400, "until", "must be later than since"),
        ("site=cx_nope", 404, "site", "no site has the key 'cx_nope'"),
        ("survey=cart-abandon", 400, "survey", "the events export takes"),
        ("journey=/cart%20>%20", 400, "journey", "empty step"),
        ("journey=cart", 404, "journey", "unknown journey"),
        ("journey=Cart%20page", 400, "journey", "a journey name, or path patterns"),
        ("sinse=2026-11-01", 400, "sinse", "Unknown field."),
        ("bots=perhaps", 400, "bots", "Not a valid boolean."),
    ],
)
def test_bad_filters_get_a_clear_4xx(client, admin_headers, shop, query, status, field, message):
    response = client.get(f"/api/export/events.csv?{query}", headers=admin_headers)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert message in " ".join(error["fields"][field])


def test_unknown_export_lists_the_known_ones(client, admin_headers, shop):
    response = client.get("/api/export/orders.csv", headers=admin_headers)
    assert response.status_code == 404
    assert "events" in response.get_json()["error"]["fields"]["export"][0]


def test_two_sites_need_the_site_named(client, admin_headers, shop, db):
    from cxlisten import sites

    other = sites.create_site(db, "Other", ["https://other.example"])
    response = client.get("/api/export/events.csv", headers=admin_headers)
    assert response.status_code == 400
    assert "give its key" in response.get_json()["error"]["fields"]["site"][0]
    assert (
        rows_of(client.get(f"/api/export/events.csv?site={other.key}", headers=admin_headers)) == []
    )
    assert (
        len(rows_of(client.get(f"/api/export/events.csv?site={shop.key}", headers=admin_headers)))
        > 0
    )


@pytest.mark.parametrize(
    ("export", "query", "expected"),
    [
        ("sessions", "", 3),
        ("sessions", "bots=true", 4),
        ("sessions", "since=T0+1", 2),
        ("sessions", "until=T0+DAY", 2),
        ("sessions", "journey=/cart > /checkout", 1),
        ("sessions", "journey=/help*", 1),
        ("sessions", "journey=/checkout > /cart", 0),
        ("sessions", "journey=* → /help/contact", 1),
        ("events", "journey=/help", 2),
        ("events", "since=T0+1000&until=T0+9001", 2),
        ("events", "", 6 + 12 + 2),
        ("events", "bots=1", 6 + 12 + 2 + 1),
        ("visitors", "", 2),
        ("visitors", "bots=true", 3),
        ("visitors", "since=T0+DAY", 1),
        ("visitors", "until=T0+1", 1),
    ],
)
def test_filters_select_rows(client, admin_headers, shop, export, query, expected):
    # Times are written from T0 in the test's name, which every xdist worker must collect alike.
    query = re.sub(r"T0\+(\d+|DAY)", lambda m: str(T0 + int(m[1].replace("DAY", str(DAY)))), query)
    response = client.get(f"/api/export/{export}.csv?{query}", headers=admin_headers)
    assert response.status_code == 200, response.get_json()
    assert len(rows_of(response)) == expected


def test_the_export_starts_at_once_and_other_requests_are_answered(
    client, admin_headers, shop, site, monkeypatch
):
    from cxlisten.storage import exports as store

    monkeypatch.setattr(store, "BATCH", 2)
    response = client.get("/api/export/events.csv", headers=admin_headers, buffered=False)
    chunks = iter(response.response)
    assert next(chunks).decode().startswith("time,received,kind,")  # header, before any query
    first = next(chunks)
    assert first.count(b"\r\n") == 2
    # Mid-export: the collector still stores events and answers.
    stored = client.post(
        "/v1/collect", json=batch(site, event(ts=T0 + 2 * DAY)), headers={"User-Agent": BROWSER_UA}
    )
    assert stored.status_code == 200
    assert client.get("/healthz").status_code == 200
    rest = b"".join(chunks)
    response.close()
    assert rest.count(b"\r\n") == 6 + 12 + 2 - 2  # the export reads the snapshot it started on


def test_catalogue_lists_exports_with_columns(client, admin_headers, shop):
    listing = client.get("/api/export", headers=admin_headers).get_json()["exports"]
    by_name = {e["name"]: e for e in listing}
    assert [c["name"] for c in by_name["sessions"]["columns"]][:3] == [
        "session",
        "visitor",
        "started",
    ]
    assert by_name["events"]["filters"] == ["site", "since", "until", "journey", "bots"]


def test_jsonl_content_type_and_lines(client, admin_headers, shop):
    response = client.get("/api/export/visitors.jsonl", headers=admin_headers)
    assert response.headers["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="visitors.jsonl"'
    lines = response.get_data().decode().splitlines()
    assert [sorted(json.loads(line)) for line in lines] == [
        sorted(
            ["visitor", "first_seen", "last_seen", "sessions", "device", "browser", "os"]
            + ["customer", "customer_orders", "customer_revenue", "customer_open_tickets"]
        )
    ] * 2


def test_a_real_server_streams_in_chunks(live_server, admin_headers, shop):
    import requests

    with requests.get(
        f"{live_server.url}/api/export/events.csv", headers=admin_headers, stream=True, timeout=10
    ) as response:
        assert response.status_code == 200
        assert response.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in response.headers
        lines = list(response.iter_lines())
    assert lines[0].startswith(b"time,received,kind") and len(lines) > 20
