"""Share links: one export with its filters, no key needed, refused once altered or expired."""

from __future__ import annotations

import csv
import io
import time
import types

import itsdangerous.timed
import pytest

from cxlisten.export.csvsafe import iso_time
from cxlisten.export.links import LinkExpired, ShareLinks
from cxlisten.identity import VisitorTokens
from tests.exports.conftest import DAY, T0


def make_link(client, admin_headers, export="sessions", **body):
    response = client.post(f"/api/export/{export}/link", json=body, headers=admin_headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def shift_clock(monkeypatch, seconds):
    """Make itsdangerous read a clock SECONDS ahead."""
    monkeypatch.setattr(
        itsdangerous.timed, "time", types.SimpleNamespace(time=lambda: time.time() + seconds)
    )


def test_a_link_downloads_its_export_with_its_filters_without_the_key(client, admin_headers, shop):
    link = make_link(client, admin_headers, since=T0 + 1, format="csv")
    assert link["url"] == f"http://localhost/x/{link['token']}"
    assert link["filters"] == {"site": shop.key, "since": iso_time(T0 + 1)}
    assert link["export"] == "sessions" and link["format"] == "csv"
    assert link["expires"].endswith("Z")
    response = client.get(f"/x/{link['token']}")  # no Authorization header
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode(), newline="")))
    assert len(rows) == 2  # since T0 + 1 leaves out the first session
    assert response.headers["Content-Disposition"].startswith('attachment; filename="sessions-')


@pytest.mark.parametrize(
    ("fmt", "content_type", "starts"),
    [
        ("csv", "text/csv", b"session,"),
        ("excel", "text/csv", b"\xef\xbb\xbfsession,"),
        ("jsonl", "application/jsonl", b'{"session":'),
    ],
)
def test_a_link_keeps_its_format(client, admin_headers, shop, fmt, content_type, starts):
    link = make_link(client, admin_headers, format=fmt)
    response = client.get(f"/x/{link['token']}")
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.get_data().startswith(starts)


def test_a_link_expires_after_share_link_hours(client, admin_headers, shop, monkeypatch):
    link = make_link(client, admin_headers)
    shift_clock(monkeypatch, 23 * 3600)
    assert client.get(f"/x/{link['token']}").status_code == 200
    shift_clock(monkeypatch, 24 * 3600 + 5)
    response = client.get(f"/x/{link['token']}")
    assert response.status_code == 410
    error = response.get_json()["error"]
    assert error["code"] == "gone"
    assert error["message"].startswith("this share link expired on ")
    assert error["message"].endswith(": ask for a new one")


def tamper(token: str) -> str:
    # Not the last character: its low bits are base64 padding that decoding ignores.
    i = len(token) - 5
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


def test_a_link_cannot_be_widened(client, admin_headers, shop):
    """Changing the export or the filters inside the token breaks the signature."""
    import base64
    import json

    link = make_link(client, admin_headers, export="sessions", since=T0 + DAY)
    payload, stamp, signature = link["token"][3:].rsplit(".", 2)
    data = {"e": "events", "f": "csv", "q": {"site": shop.key}}
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    for token in (f"x1.{forged}.{stamp}.{signature}", tamper(link["token"])):
        response = client.get(f"/x/{token}")
        assert response.status_code == 401
        assert "not valid" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "token", ["x1.", "garbage", "x1.abc.def.ghi", "v1.abc", "x1." + "a" * 5000]
)
def test_garbage_links_are_refused(client, shop, token):
    response = client.get(f"/x/{token}")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_links_are_bound_to_the_deployment_secret_and_purpose():
    links = ShareLinks("secret-a", 24)
    link = links.issue("events", "csv", {"site": "cx_1"})
    assert links.read(link.token).filters == {"site": "cx_1"}
    with pytest.raises(Exception, match="another deployment"):
        ShareLinks("secret-b", 24).read(link.token)
    # A visitor token signed with the same secret is not a link (distinct salt and prefix).
    visitor = VisitorTokens("secret-a").issue(1, "abc")
    with pytest.raises(Exception, match="not"):
        links.read("x1." + visitor[3:])


def test_expired_is_its_own_error():
    links = ShareLinks("s", 0)
    link = links.issue("events", "csv", {})
    time.sleep(1.1)
    with pytest.raises(LinkExpired):
        links.read(link.token)


@pytest.mark.parametrize(
    ("export", "body", "status", "field"),
    [
        ("orders", {}, 404, "export"),
        ("events", {"format": "xlsx"}, 400, "format"),
        ("events", {"since": "soon"}, 400, "since"),
        ("events", {"survey": "x"}, 400, "survey"),
        ("events", {"until": "2026-01-01", "since": "2026-02-01"}, 400, "until"),
        ("events", {"colour": "red"}, 400, "colour"),
    ],
)
def test_bad_link_requests(client, admin_headers, shop, export, body, status, field):
    response = client.post(f"/api/export/{export}/link", json=body, headers=admin_headers)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


def test_making_a_link_needs_the_key(client, shop):
    assert client.post("/api/export/events/link", json={}).status_code == 401
