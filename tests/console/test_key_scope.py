"""Admin keys are scoped: a site's key reaches that site only; an operator's key every site."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cxlisten.cli import cli
from cxlisten.identity import admin_key_of, create_admin_key, revoke_admin_key
from cxlisten.storage.db import open_database
from tests.console.conftest import bearer


@pytest.fixture
def two(keys, survey_a, survey_b):
    return keys


@pytest.mark.parametrize(
    "path",
    [
        "/api/surveys/shop-pulse",
        "/api/surveys/shop-pulse/responses",
        "/api/surveys",
        "/api/export/responses.csv",
        "/api/export/answers.jsonl",
        "/api/journeys",
        "/api/rejected",
        "/api/visitors/some-visitor",
    ],
)
def test_a_site_b_key_is_refused_on_site_a(client, two, site, path):
    reply = client.get(f"{path}?site={site.key}", headers=bearer(two["b"]))
    assert reply.status_code == 403, reply.get_json()
    assert reply.get_json()["error"]["fields"] == {"site": ["not the site of this key"]}


def test_a_site_key_naming_no_site_sees_only_its_own(client, two):
    listed = client.get("/api/surveys", headers=bearer(two["b"])).get_json()
    assert [s["id"] for s in listed["surveys"]] == ["blog-pulse"]
    # Site A's survey does not exist as far as site B's key can tell.
    assert client.get("/api/surveys/shop-pulse", headers=bearer(two["b"])).status_code == 404
    reply = client.post("/api/surveys/shop-pulse/pause", headers=bearer(two["b"]))
    assert reply.status_code == 404
    export = client.get("/api/export/responses.csv?survey=shop-pulse", headers=bearer(two["b"]))
    assert export.status_code == 404


def test_a_site_key_cannot_change_another_sites_survey(client, two, site, db, survey_a):
    reply = client.post(
        f"/api/surveys/shop-pulse/archive?site={site.key}", headers=bearer(two["b"])
    )
    assert reply.status_code == 403
    from cxlisten import surveys

    assert surveys.get_survey(db, site, "shop-pulse").status == "active"


def test_a_site_key_cannot_make_an_export_link_for_another_site(client, two, site):
    reply = client.post(
        "/api/export/responses/link", json={"site": site.key}, headers=bearer(two["b"])
    )
    assert reply.status_code == 403


def test_the_operator_key_reaches_every_site(client, two, site, other_site):
    for key, slug in ((site.key, "shop-pulse"), (other_site.key, "blog-pulse")):
        reply = client.get(f"/api/surveys/{slug}?site={key}", headers=bearer(two["operator"]))
        assert reply.status_code == 200
    # Its own site key works for a site's key, too.
    assert (
        client.get(f"/api/surveys/shop-pulse?site={site.key}", headers=bearer(two["a"])).status_code
        == 200
    )


def test_a_revoked_key_is_refused(client, db, two):
    key = admin_key_of(db, two["b"])
    revoke_admin_key(db, key.id)
    assert client.get("/api/surveys", headers=bearer(two["b"])).status_code == 401


def test_keys_made_before_scopes_are_operator_keys(db, site):
    key = admin_key_of(db, create_admin_key(db))
    assert key.operator and key.site_id is None


def test_cli_creates_keys_saying_their_scope(db_path, db, site):
    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "create", "--db", db_path, "--site", site.key])
    assert made.exit_code == 0, made.output
    assert f"Scope:     site {site.key} (Shop) only" in made.output
    key = made.output.split()[2]
    assert admin_key_of(open_database(db_path), key).site_id == site.id
    ops = runner.invoke(cli, ["keys", "create", "--db", db_path, "--operator", "--name", "ops"])
    assert "Scope:     operator: every site" in ops.output
    listing = runner.invoke(cli, ["keys", "list", "--db", db_path]).output
    assert f"site {site.key}" in listing and "operator" in listing
    assert key not in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --site KEY or --operator"),
        (["--site", "cx_nope", "--operator"], "give exactly one of --site KEY or --operator"),
        (["--site", "cx_nope"], "no site with key cx_nope"),
    ],
)
def test_cli_create_refuses_bad_scopes_in_one_line(db_path, db, site, args, message):
    result = CliRunner().invoke(cli, ["keys", "create", "--db", db_path, *args])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"


def test_cli_revokes(db_path, db, site):
    key = admin_key_of(db, create_admin_key(db, "x", site_id=site.id))
    runner = CliRunner()
    assert runner.invoke(cli, ["keys", "revoke", "--db", db_path, str(key.id)]).exit_code == 0
    assert admin_key_of(db, "x") is None
    again = runner.invoke(cli, ["keys", "revoke", "--db", db_path, str(key.id)])
    assert (
        again.output.strip() == f"Error: no current admin key with id {key.id} (key: no such key)"
    )
