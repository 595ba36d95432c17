"""Read-only share links of a results page: only the chosen questions, expiring, revocable."""

from __future__ import annotations

import re

import pytest

from cxlisten.errors import InvalidInput, Unauthorized
from cxlisten.export.links import LinkExpired
from cxlisten.surveys import shares
from tests.surveys.conftest import Browser

SECRET_TEXT = "my order number is 12345"


@pytest.fixture
def answered(client, site, survey_a):
    visitor = Browser(client, site)
    visitor.visit("/cart")
    visitor.saw("shop-pulse")
    reply = visitor.respond(
        "shop-pulse",
        [{"question": "found", "value": "no"}, {"question": "what", "value": SECRET_TEXT}],
        complete=True,
    )
    assert reply.status_code == 200, reply.get_json()


def make_link(console, questions, hours="24", **filters) -> str:
    reply = console.post(
        "/console/surveys/shop-pulse/shares",
        {"questions": questions, "hours": hours, **filters},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return re.search(r'id="share-url"[^>]*>([^<]+)<', reply.get_data(as_text=True)).group(1)


def test_a_link_shows_only_the_chosen_questions_without_signing_in(console, keys, answered, app):
    console.sign_in(keys["a"])
    url = make_link(console, ["found"])
    path = url.split("localhost", 1)[1]
    anonymous = app.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-question="found"' in text and 'data-table="found"' in text
    assert SECRET_TEXT not in text and 'data-question="what"' not in text
    assert "Sign out" not in text  # nothing of the console beyond the view


def test_a_revoked_or_expired_link_answers_410_and_a_forged_one_401(
    console, keys, answered, app, db, site
):
    console.sign_in(keys["a"])
    path = make_link(console, ["found", "what"]).split("localhost", 1)[1]
    anonymous = app.test_client()
    assert SECRET_TEXT in anonymous.get(path).get_data(as_text=True)
    share = shares.list_shares(db, site, "shop-pulse")[0]
    assert console.post(f"/console/surveys/shop-pulse/shares/{share.id}/revoke").status_code == 302
    gone = anonymous.get(path)
    assert gone.status_code == 410 and "revoked" in gone.get_data(as_text=True)
    assert anonymous.get("/console/shared/r1.forged").status_code == 401
    token = path.rsplit("/", 1)[1]
    with pytest.raises(LinkExpired):
        shares.read_share(db, token)
    _, live = shares.create_share(db, site, "shop-pulse", ["found"], {}, 1, now=0)
    with pytest.raises(Unauthorized):
        shares.read_share(db, "nope")
    assert not live.live(now=3_600_000)


def test_expiry_follows_the_clock(db, site, survey_a):
    token, share = shares.create_share(db, site, "shop-pulse", ["found"], {}, 2, now=1_000)
    assert shares.read_share(db, token, now=1_000 + 2 * 3_600_000 - 1).id == share.id
    with pytest.raises(LinkExpired):
        shares.read_share(db, token, now=1_000 + 2 * 3_600_000)


@pytest.mark.parametrize(
    ("questions", "hours", "field"),
    [
        ([], 24, "questions"),
        (["nope"], 24, "questions"),
        (["found"], 0, "hours"),
        (["found"], 10_000, "hours"),
    ],
)
def test_bad_share_requests_are_refused_by_field(db, site, survey_a, questions, hours, field):
    with pytest.raises(InvalidInput) as caught:
        shares.create_share(db, site, "shop-pulse", questions, {}, hours)
    assert field in caught.value.fields


def test_a_site_b_key_cannot_share_or_revoke_site_a_results(console, keys, db, site, survey_a):
    _, share = shares.create_share(db, site, "shop-pulse", ["found"], {}, 24)
    console.sign_in(keys["b"])
    reply = console.post(
        "/console/surveys/shop-pulse/shares", {"questions": ["found"], "hours": "24"}
    )
    assert reply.status_code == 404
    assert console.post(f"/console/surveys/shop-pulse/shares/{share.id}/revoke").status_code == 404
    assert shares.list_shares(db, site, "shop-pulse")[0].revoked_at is None


def test_a_share_keeps_the_filters_it_was_made_under(console, keys, answered, app):
    console.sign_in(keys["a"])
    path = make_link(console, ["found"], device="mobile").split("localhost", 1)[1]
    text = app.test_client().get(path).get_data(as_text=True)
    assert "0 responses" in text
