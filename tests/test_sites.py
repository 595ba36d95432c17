"""Finding a site: by its public key, or the database's only one — one lookup for every caller."""

from __future__ import annotations

import pytest

from cxlisten import sites
from cxlisten.errors import InvalidInput, NotFound


def test_a_key_finds_its_site(db, site):
    assert sites.site_for_key(db, site.key).id == site.id
    assert sites.pick_site(db, site.key).id == site.id


def test_an_unknown_key_is_not_found_and_named(db, site):
    with pytest.raises(NotFound) as found:
        sites.site_for_key(db, "cx_nope")
    assert found.value.fields == {"site": ["no site has the key 'cx_nope'"]}


def test_without_a_key_the_only_site_is_picked(db, site):
    assert sites.pick_site(db).id == site.id
    sites.create_site(db, "Other", ["https://other.example"])
    with pytest.raises(InvalidInput) as two:
        sites.pick_site(db)
    assert two.value.fields == {"site": ["this database has 2 sites: give its key"]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/track?site=cx_nope",
        "/api/export/events.csv?site=cx_nope",
        "/api/rejected?site=cx_nope",
    ],
)
def test_every_admin_endpoint_answers_an_unknown_key_alike(client, admin_headers, path):
    response = client.get(path, headers=admin_headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["fields"] == {"site": ["no site has the key 'cx_nope'"]}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/collect", {"site": "cx_nope", "visitor": None, "events": []}),
        ("GET", "/v1/config?site=cx_nope&url=https://shop.example/", None),
    ],
)
def test_the_browser_endpoints_answer_an_unknown_key_alike(client, site, method, path, body):
    response = client.open(
        path, method=method, json=body, headers={"Origin": "https://shop.example"}
    )
    assert response.status_code == 404
    assert response.get_json()["error"]["fields"] == {"site": ["no site has the key 'cx_nope'"]}


def test_the_cli_names_an_unknown_key_in_one_line(db_path, db, site):
    from click.testing import CliRunner

    from cxlisten.cli import cli

    for args in (["sites", "update", "cx_nope"], ["keys", "create", "--site", "cx_nope"]):
        result = CliRunner().invoke(cli, [*args, "--db", db_path])
        assert (result.exit_code, result.output) == (1, "Error: no site with key cx_nope\n")
