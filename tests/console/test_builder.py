"""The builder over the test client: the API's validation, drafts, publishing and versions,
JSON upload and download, and the starting points."""

from __future__ import annotations

import io
import json

import pytest

from cxlisten import surveys
from cxlisten.surveys import drafts
from tests.surveys.conftest import PULSE, Browser, definition


def text(reply) -> str:
    return reply.get_data(as_text=True)


def publish(console, body: str, **extra):
    return console.post("/console/builder", {"text": body, "action": "publish", **extra})


def test_errors_are_the_apis_every_one_by_its_field(console, keys, client, site):
    console.sign_in(keys["a"])
    broken = definition(PULSE, id="pulse-2", phase="nowhere")
    broken["questions"][0]["branch"][0]["goto"] = "missing"
    page = text(console.post("/console/builder/check", {"text": json.dumps(broken)}))
    api = client.post(
        f"/api/surveys?site={site.key}", json=broken, headers={"X-Admin-Key": keys["a"]}
    ).get_json()
    assert len(api["error"]["fields"]) == 2
    for field in api["error"]["fields"]:
        assert f'data-field="{field}"' in page
    assert f"{len(api['error']['fields'])} errors" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [("{", "line 1, column 2"), ("[1]", "must be a JSON object"), ('"x"', "must be a JSON object")],
)
def test_text_that_is_not_a_survey_says_why(console, keys, body, message):
    console.sign_in(keys["a"])
    page = text(console.post("/console/builder/check", {"text": body}))
    assert 'data-field="_json"' in page and message in page


def test_a_draft_is_kept_without_publishing(console, keys, db, site, survey_a):
    console.sign_in(keys["a"])
    changed = definition(PULSE, id="shop-pulse", name="Changed")
    reply = console.post("/console/builder", {"text": json.dumps(changed), "action": "save"})
    assert reply.status_code == 200 and "Draft saved" in text(reply)
    assert surveys.get_survey(db, site, "shop-pulse").name == "shop-pulse"  # visitors unchanged
    page = text(console.get("/console/surveys/shop-pulse/edit?view=json"))
    assert "&#34;name&#34;: &#34;Changed&#34;" in page and "Editing the draft saved" in page
    # Even a half-finished draft is kept, with its errors listed.
    half = '{"id": "shop-pulse", "questions": ['
    reply = console.post(
        "/console/builder", {"text": half, "action": "save", "draft_of": "shop-pulse"}
    )
    assert reply.status_code == 200 and 'data-field="_json"' in text(reply)
    assert drafts.open_draft(db, site, "shop-pulse").text == half
    # The form has no fields for text that is not an object yet: the page keeps it as text.
    page = text(console.get("/console/surveys/shop-pulse/edit"))
    assert 'id="builder-form"' not in page and "{&#34;id&#34;: &#34;shop-pulse&#34;" in page
    # A draft without an id cannot be kept: it names no survey.
    reply = console.post("/console/builder", {"text": "{}", "action": "save"})
    assert reply.status_code == 400 and 'data-field="id"' in text(reply)


def test_publishing_over_answers_makes_a_new_version_and_says_so_first(
    console, keys, db, site, client, survey_a
):
    visitor = Browser(client, site)
    visitor.visit("/cart")
    assert visitor.respond("shop-pulse", [{"question": "found", "value": "no"}]).status_code == 200
    console.sign_in(keys["a"])
    page = text(console.get("/console/surveys/shop-pulse/edit"))
    assert "has answers on version 1: publishing a change makes version 2" in page
    changed = definition(PULSE, id="shop-pulse", name="Changed")
    reply = publish(console, json.dumps(changed))
    assert reply.status_code == 302
    assert "now version 2" in text(console.get(reply.location))
    survey = surveys.get_survey(db, site, "shop-pulse")
    assert (survey.version, survey.name) == (2, "Changed")
    assert surveys.response_counts(db, survey)["versions"][0]["version"] == 1


def test_publishing_without_answers_keeps_the_version(console, keys, db, site, survey_a):
    console.sign_in(keys["a"])
    assert "no answers on version 1 yet" in text(console.get("/console/surveys/shop-pulse/edit"))
    reply = publish(console, json.dumps(definition(PULSE, id="shop-pulse", name="Renamed")))
    assert reply.status_code == 302
    assert surveys.get_survey(db, site, "shop-pulse").version == 1


def test_publishing_refuses_an_invalid_survey(console, keys, db, site):
    console.sign_in(keys["a"])
    reply = publish(console, json.dumps(definition(PULSE, id="new-one", questions=[])))
    assert reply.status_code == 400 and 'data-field="questions"' in text(reply)
    assert surveys.list_surveys(db, site) == []


def test_upload_a_file_and_download_it_back(console, keys, db, site):
    console.sign_in(keys["a"])
    raw = json.dumps(definition(PULSE, id="uploaded"), ensure_ascii=False).encode()
    reply = console.post(
        "/console/builder",
        {"action": "publish", "file": (io.BytesIO(b"\xef\xbb\xbf" + raw), "uploaded.json")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302
    survey = surveys.get_survey(db, site, "uploaded")
    download = console.get("/console/surveys/uploaded.json")
    assert surveys.normalise(json.loads(download.data)) == survey.definition
    bad = console.post(
        "/console/builder",
        {"action": "save", "file": (io.BytesIO(b"\xff\xfe{"), "x.json")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "UTF-8" in text(bad)


@pytest.mark.parametrize("start", ["blank", *[f"template:{k}" for k in drafts.FAILURE_KINDS]])
def test_every_starting_point_is_a_valid_survey(console, keys, start):
    console.sign_in(keys["a"])
    page = text(console.get(f"/console/builder?start={start}"))
    assert "No errors: ready to publish." in page


def test_start_from_deepdive_plan_for_a_journey(db, site):
    from cxlisten import journeys

    journeys.save_journey(
        db, site.id, {"name": "checkout", "steps": ["/cart", "/checkout", "/checkout/done"]}
    )
    body = drafts.from_plan(db, site, "checkout")
    _, definition_, errors = drafts.check(body)
    assert errors == {} and definition_["journey"] == "checkout"


def test_an_unknown_template_is_a_readable_error(console, keys):
    console.sign_in(keys["a"])
    reply = console.get("/console/builder?start=template:nope")
    assert reply.status_code == 400 and "template" in text(reply)
