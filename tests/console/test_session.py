"""Signing in: a signed HttpOnly SameSite=Lax cookie, idle expiry, sign-out, CSRF on every change."""

from __future__ import annotations

import pytest

from collector.console.session import COOKIE
from cxlisten import surveys
from cxlisten.identity import admin_key_of, revoke_admin_key


def cookie_header(reply) -> str:
    return next(h for h in reply.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))


def test_pages_ask_to_sign_in_first(client):
    reply = client.get("/console/surveys")
    assert reply.status_code == 302
    assert reply.location == "/console/sign-in?next=/console/surveys"


def test_a_current_key_signs_in_and_the_cookie_is_locked_down(console, keys):
    reply = console.sign_in(keys["a"])
    assert reply.location == "/console/surveys"
    header = cookie_header(reply)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/console/" in header
    assert "Secure" not in header  # plain http here
    assert keys["a"] not in header  # the key itself never goes into the cookie
    assert console.get("/console/surveys").status_code == 200


def test_the_cookie_is_secure_behind_https(console, keys):
    console.get("/console/sign-in")
    reply = console.post(
        "/console/sign-in", {"key": keys["a"]}, headers={"X-Forwarded-Proto": "https"}
    )
    assert "Secure" in cookie_header(reply)


@pytest.mark.parametrize("key", ["", "cxadmin_wrong", "x" * 500])
def test_a_wrong_key_is_refused_with_a_readable_page(console, keys, key):
    console.get("/console/sign-in")
    reply = console.post("/console/sign-in", {"key": key})
    assert reply.status_code == 401
    assert "This is not a current admin key." in reply.get_data(as_text=True)


def test_a_forged_cookie_is_not_a_session(client, keys):
    client.set_cookie(COOKIE, "eyJrZXlfaWQiOjF9.forged", path="/console/")
    assert client.get("/console/surveys").status_code == 302


def test_every_change_without_the_csrf_token_is_refused(console, keys, db, site, survey_a):
    console.sign_in(keys["a"])
    for path, data in [
        ("/console/surveys/shop-pulse/pause", {}),
        ("/console/sign-out", {}),
        ("/console/builder", {"text": "{}", "action": "save"}),
        ("/console/locale", {"locale": "zh-CN"}),
    ]:
        reply = console.post(path, data, csrf=False)
        assert reply.status_code == 403, path
        assert "no valid CSRF token" in reply.get_data(as_text=True)
        wrong = console.post(path, {**data, "csrf_token": "not-the-token"}, csrf=False)
        assert wrong.status_code == 403
    assert surveys.get_survey(db, site, "shop-pulse").status == "active"
    # With the token, the same change goes through.
    assert console.post("/console/surveys/shop-pulse/pause").status_code == 302
    assert surveys.get_survey(db, site, "shop-pulse").status == "paused"


def test_sign_in_itself_needs_the_token(client, keys):
    reply = client.post("/console/sign-in", data={"key": keys["a"]})
    assert reply.status_code == 403


def test_the_session_ends_after_the_idle_time(console, keys, clock, app):
    idle = app.config["CXLISTEN"].console_idle_minutes * 60
    console.sign_in(keys["a"])
    clock.now += idle - 1
    assert console.get("/console/surveys").status_code == 200  # activity slides the window
    clock.now += idle - 1
    assert console.get("/console/surveys").status_code == 200
    clock.now += idle + 1
    reply = console.get("/console/surveys")
    assert reply.status_code == 302
    assert "expired=1" in reply.location
    page = console.get(reply.location).get_data(as_text=True)
    assert "minutes without activity" in page
    # A change sent with the expired session is refused, not carried out.
    clock.now += 1
    assert console.get("/console/surveys").status_code == 302


def test_an_expired_session_cannot_change_anything(console, keys, clock, db, site, survey_a):
    console.sign_in(keys["a"])
    clock.now += 31 * 60
    reply = console.post("/console/surveys/shop-pulse/archive")
    assert reply.status_code == 302 and "expired=1" in reply.location
    assert surveys.get_survey(db, site, "shop-pulse").status == "active"


def test_sign_out_ends_the_session(console, keys):
    console.sign_in(keys["a"])
    reply = console.post("/console/sign-out")
    assert reply.location == "/console/sign-in?signed_out=1"
    assert console.get("/console/surveys").status_code == 302


def test_revoking_the_key_ends_its_sessions(console, keys, db):
    console.sign_in(keys["a"])
    revoke_admin_key(db, admin_key_of(db, keys["a"]).id)
    assert console.get("/console/surveys").status_code == 302


def test_after_sign_in_the_person_lands_where_they_were_going(console, keys):
    console.get("/console/sign-in?next=/console/builder")
    reply = console.post("/console/sign-in", {"key": keys["a"], "next": "/console/builder"})
    assert reply.location == "/console/builder"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/api/surveys"])
def test_sign_in_never_redirects_off_the_console(console, keys, target):
    console.get("/console/sign-in")
    reply = console.post("/console/sign-in", {"key": keys["a"], "next": target})
    assert reply.location == "/console/surveys"


def test_pages_are_not_framed_or_cached(console, keys):
    console.sign_in(keys["a"])
    reply = console.get("/console/surveys")
    assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["Cache-Control"] == "no-store"
