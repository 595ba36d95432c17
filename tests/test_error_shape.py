"""Every JSON error of every endpoint has one shape."""

from __future__ import annotations

import pytest

CASES = [
    ("get", "/no/such/page", None, 404),
    ("put", "/v1/collect", None, 405),
    ("post", "/v1/collect", b"{", 400),
    ("post", "/v1/collect", b'{"site": "cx_none", "events": []}', 404),
]


def assert_error_shape(body: dict, status: int) -> None:
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for path, messages in error["fields"].items():
        assert isinstance(path, str) and messages and all(isinstance(m, str) for m in messages)


@pytest.mark.parametrize("method, path, body, status", CASES)
def test_errors_share_one_shape(client, method, path, body, status):
    r = getattr(client, method)(path, data=body, content_type="text/plain")
    assert r.status_code == status
    assert_error_shape(r.get_json(), status)


def test_unexpected_errors_are_500_in_the_same_shape_without_details(app, monkeypatch):
    from cxlisten import ingest

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ingest, "collect", boom)
    r = app.test_client().post("/v1/collect", data=b"{}")
    assert r.status_code == 500
    assert_error_shape(r.get_json(), 500)
    assert "secret internals" not in r.get_data(as_text=True)
