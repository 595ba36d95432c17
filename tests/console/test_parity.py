"""What the console does to a survey, the admin API and the CLI do too, with the same library
functions: duplicate, drafts (saved apart from what visitors see, then published) and share
links of the results."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cxlisten import surveys
from cxlisten.cli import cli
from cxlisten.surveys import shares
from tests.console.conftest import bearer
from tests.surveys.conftest import PULSE, Browser, definition


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def answered(client, site, survey_a):
    """shop-pulse with one complete response (publishing a change makes version 2)."""
    visitor = Browser(client, site)
    visitor.visit("/cart")
    reply = visitor.respond("shop-pulse", [{"question": "found", "value": "yes"}], complete=True)
    assert reply.status_code == 200, reply.get_json()
    return survey_a


def test_duplicate_over_the_api_and_the_cli(client, keys, db, db_path, site, survey_a):
    reply = client.post("/api/surveys/shop-pulse/duplicate", headers=bearer(keys["a"]))
    assert reply.status_code == 201, reply.get_json()
    copy = reply.get_json()
    assert (copy["id"], copy["status"], copy["version"]) == ("shop-pulse-copy", "paused", 1)
    assert (
        copy["definition"]["questions"]
        == surveys.get_survey(db, site, "shop-pulse").definition["questions"]
    )
    ran = run("surveys", "duplicate", "shop-pulse", "--db", db_path, "--site", site.key)
    assert ran.exit_code == 0, ran.output
    assert "'shop-pulse-copy-2' created from 'shop-pulse' (paused, version 1)" in ran.output
    # Another site's key cannot copy it; an unknown survey is a 404, not a 500.
    assert client.post(
        f"/api/surveys/shop-pulse/duplicate?site={site.key}", headers=bearer(keys["b"])
    ).status_code in (403, 404)
    assert client.post("/api/surveys/nope/duplicate", headers=bearer(keys["a"])).status_code == 404
    assert run("surveys", "duplicate", "nope", "--db", db_path).exit_code == 1


def test_a_draft_over_the_api_leaves_visitors_alone_until_published(
    client, keys, db, site, answered, console
):
    h = bearer(keys["a"])
    changed = definition(PULSE, id="shop-pulse", name="Pulse, reworded")
    changed["questions"][0]["text"]["en"] = "Did you find what you came for?"
    saved = client.put("/api/surveys/shop-pulse/draft", json=changed, headers=h)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["valid"] and saved.get_json()["published_version"] == 1
    live = client.get("/api/surveys/shop-pulse", headers=h).get_json()
    assert live["name"] == "shop-pulse" and live["version"] == 1  # what visitors see
    # The console opens the same draft.
    console.sign_in(keys["a"])
    page = console.get("/console/surveys/shop-pulse/edit").get_data(as_text=True)
    assert 'value="Did you find what you came for?"' in page
    shown = client.get("/api/surveys/shop-pulse/draft", headers=h).get_json()
    assert json.loads(shown["text"])["name"] == "Pulse, reworded"
    published = client.post("/api/surveys/shop-pulse/draft/publish", headers=h)
    assert published.status_code == 200, published.get_json()
    body = published.get_json()
    assert (body["result"], body["version"], body["name"]) == ("updated", 2, "Pulse, reworded")
    assert client.get("/api/surveys/shop-pulse/draft", headers=h).status_code == 404


def test_an_invalid_draft_is_kept_but_not_published(client, keys, db, site, survey_a):
    h = bearer(keys["a"])
    broken = definition(PULSE, id="shop-pulse")
    broken["questions"][0]["branch"][0]["goto"] = "nowhere"
    saved = client.put("/api/surveys/shop-pulse/draft", json=broken, headers=h).get_json()
    assert not saved["valid"] and "questions[0].branch[0].goto" in saved["errors"]
    refused = client.post("/api/surveys/shop-pulse/draft/publish", headers=h)
    assert refused.status_code == 400
    assert "questions[0].branch[0].goto" in refused.get_json()["error"]["fields"]
    other = client.put(
        "/api/surveys/shop-pulse/draft", json=definition(PULSE, id="other"), headers=h
    )
    assert other.status_code == 400 and "id" in other.get_json()["error"]["fields"]
    not_object = client.put("/api/surveys/shop-pulse/draft", data="[1]", headers=h)
    assert not_object.status_code == 400
    assert client.delete("/api/surveys/shop-pulse/draft", headers=h).status_code == 200
    assert client.delete("/api/surveys/shop-pulse/draft", headers=h).status_code == 404
    assert surveys.get_survey(db, site, "shop-pulse").version == 1


def test_drafts_from_the_cli(tmp_path, db, db_path, site, answered):
    path = tmp_path / "pulse.json"
    changed = definition(PULSE, id="shop-pulse", name="From git")
    path.write_text(json.dumps(changed), encoding="utf-8")
    common = ("--db", db_path, "--site", site.key)
    ran = run("surveys", "draft", "save", "shop-pulse", path, *common)
    assert ran.exit_code == 0 and "saved (valid)" in ran.output, ran.output
    assert surveys.get_survey(db, site, "shop-pulse").name == "shop-pulse"
    ran = run("surveys", "draft", "show", "shop-pulse", "--json", *common)
    assert json.loads(ran.output)["valid"] is True
    ran = run("surveys", "draft", "publish", "shop-pulse", *common)
    assert ran.exit_code == 0 and "'shop-pulse' updated: version 2" in ran.output, ran.output
    assert surveys.get_survey(db, site, "shop-pulse").name == "From git"
    ran = run("surveys", "draft", "discard", "shop-pulse", *common)
    assert ran.exit_code == 1 and "no draft" in ran.output
    broken = definition(PULSE, id="shop-pulse", phase="later")
    path.write_text(json.dumps(broken), encoding="utf-8")
    assert "1 problems" in run("surveys", "draft", "save", "shop-pulse", path, *common).output
    ran = run("surveys", "draft", "publish", "shop-pulse", *common)
    assert ran.exit_code == 1 and "phase:" in ran.output


def test_share_links_over_the_api(client, keys, db, site, answered):
    h = bearer(keys["a"])
    made = client.post(
        "/api/surveys/shop-pulse/shares",
        json={"questions": ["found"], "hours": 2, "filters": {"device": "desktop"}},
        headers=h,
    )
    assert made.status_code == 201, made.get_json()
    link = made.get_json()
    assert link["questions"] == ["found"] and link["filters"] == {"device": "desktop"}
    anonymous = client.application.test_client()
    page = anonymous.get(link["url"].removeprefix("http://localhost"))
    assert page.status_code == 200 and "Did you find it?" in page.get_data(as_text=True)
    listed = client.get("/api/surveys/shop-pulse/shares", headers=h).get_json()["shares"]
    assert [s["id"] for s in listed] == [link["id"]] and "token" not in listed[0]
    revoked = client.post(f"/api/surveys/shop-pulse/shares/{link['id']}/revoke", headers=h)
    assert revoked.status_code == 200
    assert anonymous.get(link["url"].removeprefix("http://localhost")).status_code == 410
    again = client.post(f"/api/surveys/shop-pulse/shares/{link['id']}/revoke", headers=h)
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"questions": ["nope"]}, "questions"),
        ({"questions": []}, "questions"),
        ({"questions": ["found"], "hours": 0}, "hours"),
        ({"questions": ["found"], "hours": "24"}, "hours"),
        ({"questions": ["found"], "filters": {"device": "phone"}}, "filters.device"),
        ({"questions": ["found"], "filters": {"colour": "red"}}, "filters.colour"),
        ({"questions": ["found"], "extra": 1}, "extra"),
        ({}, "questions"),
    ],
)
def test_bad_share_requests_are_refused_by_field(client, keys, survey_a, body, field):
    reply = client.post("/api/surveys/shop-pulse/shares", json=body, headers=bearer(keys["a"]))
    assert reply.status_code == 400
    assert field in reply.get_json()["error"]["fields"]


def test_a_site_b_key_reaches_no_share_of_site_a(client, keys, db, site, survey_a):
    _, share = shares.create_share(db, site, "shop-pulse", ["found"], {}, 24)
    h = bearer(keys["b"])
    assert client.get("/api/surveys/shop-pulse/shares", headers=h).status_code == 404
    assert (
        client.post(f"/api/surveys/shop-pulse/shares/{share.id}/revoke", headers=h).status_code
        == 404
    )
    assert shares.list_shares(db, site, "shop-pulse")[0].revoked_at is None


def test_share_links_from_the_cli(client, db, db_path, site, answered):
    common = ("--db", db_path, "--site", site.key)
    ran = run(
        "surveys", "share", "create", "shop-pulse", "--question", "found",
        "--filter", "answer=found:yes", "--url", "https://cx.example", *common,
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    url = ran.output.splitlines()[0]
    assert url.startswith("https://cx.example/console/shared/r1.")
    token = url.rsplit("/", 1)[1]
    assert shares.read_share(db, token).filters == {"answer": "found:yes"}
    ran = run("surveys", "share", "list", "shop-pulse", "--json", *common)
    share_id = json.loads(ran.output)[0]["id"]
    ran = run("surveys", "share", "revoke", "shop-pulse", share_id, *common)
    assert ran.exit_code == 0 and "revoked" in ran.output
    assert client.get(f"/console/shared/{token}").status_code == 410
    bad = run("surveys", "share", "create", "shop-pulse", "--question", "found",
              "--filter", "device=phone", "--url", "https://cx.example", *common)  # fmt: skip
    assert bad.exit_code == 1 and "filters.device" in bad.output
