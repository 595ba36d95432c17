"""``GET /`` names what the collector serves instead of a bare 404."""

from __future__ import annotations


def test_a_person_gets_a_page_naming_the_snippet_the_api_and_the_docs(client):
    reply = client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status_code == 200 and reply.mimetype == "text/html"
    page = reply.get_data(as_text=True)
    for path in ("/sdk.js", "/openapi.json", "/healthz"):
        assert f'href="{path}"' in page
    assert "&lt;script async" in page  # the snippet example is text, not markup
    assert "docs/" in page


def test_a_script_gets_the_same_links_as_json(client):
    reply = client.get("/", headers={"Accept": "application/json"})
    assert reply.status_code == 200
    data = reply.get_json()
    assert data["service"] == "cxlisten collector"
    assert set(data["links"]) == {"/sdk.js", "/openapi.json", "/healthz"}
    for path in data["links"]:
        assert client.get(path).status_code == 200
