"""The results page's filters (device, locale, version, completion, answer, channel) on the
responses and answers exports: the same names in the library, the admin API and the CLI, and
the same responses as the results page counts under them."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from cxlisten import export, surveys
from cxlisten.cli import cli
from cxlisten.export import restore
from cxlisten.surveys.results import load_filters, results
from tests.conftest import BROWSER_UA

MOBILE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
SURVEY = {
    "id": "fit",
    "phase": "deepdive",
    "trigger": {"type": "pageview", "urls": ["/*"]},
    "locales": ["en", "zh-CN"],
    "questions": [
        {
            "id": "found",
            "type": "single",
            "text": {"en": "Found your size?", "zh-CN": "找到尺码了吗？"},
            "options": [
                {"code": "yes", "label": {"en": "Yes"}},
                {"code": "no", "label": {"en": "No"}},
            ],
        },
        {"id": "score", "type": "csat", "required": False, "text": {"en": "Satisfied?"}},
    ],
}
# response id: (user agent, locale, page, complete, found, score, version)
RESPONSES = {
    "resp-desk-en": (BROWSER_UA, "en", "/cart", True, "yes", 5, 1),
    "resp-phone-zh": (MOBILE_UA, "zh-CN", "/cart", False, "no", None, 1),
    "resp-qr-zh": (BROWSER_UA, "zh-CN", "/s/fit?src=qr", True, "no", 2, 1),
    "resp-link-v2": (BROWSER_UA, "en", "/s/fit", True, "yes", 4, 2),
}
CASES = [
    ({}, {"resp-desk-en", "resp-phone-zh", "resp-qr-zh", "resp-link-v2"}),
    ({"device": "mobile"}, {"resp-phone-zh"}),
    ({"device": "desktop", "locale": "zh-CN"}, {"resp-qr-zh"}),
    ({"locale": "en"}, {"resp-desk-en", "resp-link-v2"}),
    ({"version": 2}, {"resp-link-v2"}),
    ({"completion": "partial"}, {"resp-phone-zh"}),
    ({"completion": "complete", "answer": "found:no"}, {"resp-qr-zh"}),
    ({"answer": "found:yes"}, {"resp-desk-en", "resp-link-v2"}),
    ({"answer": "score:2"}, {"resp-qr-zh"}),
    ({"channel": "qr"}, {"resp-qr-zh"}),
    ({"channel": "link"}, {"resp-link-v2"}),
    ({"channel": "web", "answer": "found:no"}, {"resp-phone-zh"}),
    ({"device": "tablet"}, set()),
]


@pytest.fixture
def fit(client, db, site):
    """Four responses to survey "fit", one per device, locale, channel and version."""
    surveys.create_survey(db, site, SURVEY)
    for rid, (ua, locale, page, complete, found, score, version) in RESPONSES.items():
        if version == 2 and surveys.get_survey(db, site, "fit").version == 1:
            changed = {**SURVEY, "name": "Fit, second version"}
            changed["questions"] = [{**SURVEY["questions"][0], "required": False}] + SURVEY[
                "questions"
            ][1:]
            surveys.update_survey(db, site, "fit", changed)
            assert surveys.get_survey(db, site, "fit").version == 2
        answers = [{"question": "found", "value": found}]
        if score is not None:
            answers.append({"question": "score", "value": score})
        reply = client.post(
            "/v1/responses",
            json={
                "site": site.key,
                "visitor": None,
                "survey": "fit",
                "version": version,
                "response": rid,
                "answers": answers,
                "complete": complete,
                "url": f"https://shop.example{page}",
                "locale": locale,
            },
            headers={"User-Agent": ua, "Origin": "https://shop.example"},
        )
        assert reply.status_code == 200, reply.get_json()
    return site


def ids_of(rows) -> set[str]:
    return {row["response"] for row in rows}


def read_csv(text: str) -> list[dict]:
    return [{k: restore(v) for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]


def library_rows(db, name: str, filters: dict) -> list[dict]:
    table = export.open_export(db, name, {"survey": "fit", **filters})
    try:
        return read_csv("".join(export.chunks(table, "csv")))
    finally:
        table.close()


@pytest.mark.parametrize(("filters", "expected"), CASES)
def test_the_exports_keep_the_responses_the_results_page_keeps(db, fit, filters, expected):
    responses = library_rows(db, "responses", filters)
    assert ids_of(responses) == expected
    answers = library_rows(db, "answers", filters)
    assert ids_of(answers) == expected
    # Every answer of a kept response is there, not only the one the filter looked at.
    wanted = sum(1 + (RESPONSES[r][5] is not None) for r in expected)
    assert len(answers) == wanted
    # The results page, under the same filters, counts the same responses.
    page = results(db, fit, "fit", load_filters({k: str(v) for k, v in filters.items()}))
    assert page.filtered == len(expected)


@pytest.mark.parametrize(("filters", "expected"), CASES[1:8])
def test_the_admin_api_and_the_cli_take_the_same_filters(
    client, admin_headers, db_path, fit, filters, expected
):
    query = {"survey": "fit", **filters}
    reply = client.get("/api/export/responses.csv", query_string=query, headers=admin_headers)
    assert reply.status_code == 200, reply.get_json()
    assert ids_of(read_csv(reply.get_data(as_text=True))) == expected
    options = [f"--{k}={v}" for k, v in filters.items()]
    ran = CliRunner().invoke(
        cli, ["export", "answers", "--out", "-", "--db", db_path, "--survey", "fit", *options]
    )
    assert ran.exit_code == 0, ran.output
    assert ids_of(read_csv(ran.stdout)) == expected


def test_a_share_link_carries_the_response_filters(client, admin_headers, fit):
    made = client.post(
        "/api/export/responses/link",
        json={"survey": "fit", "device": "desktop", "answer": "found:no", "channel": "qr"},
        headers=admin_headers,
    )
    assert made.status_code == 201, made.get_json()
    link = made.get_json()
    assert link["filters"] | {"site": None} == {
        "site": None,
        "survey": "fit",
        "device": "desktop",
        "answer": "found:no",
        "channel": "qr",
    }
    download = client.get("/x/" + link["token"])
    assert ids_of(read_csv(download.get_data(as_text=True))) == {"resp-qr-zh"}


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"device": "phone"}, "device", "Must be one of"),
        ({"completion": "done"}, "completion", "Must be one of"),
        ({"answer": "found"}, "answer", "question:value"),
        ({"version": "0"}, "version", "greater than or equal to 1"),
        ({"locale": "english!"}, "locale", "not a locale"),
        ({"channel": "Q R"}, "channel", "a channel name"),
    ],
)
def test_bad_response_filters_are_refused_by_field(
    client, admin_headers, db_path, fit, filters, field, message
):
    reply = client.get(
        "/api/export/answers.csv", query_string={"survey": "fit", **filters}, headers=admin_headers
    )
    assert reply.status_code == 400
    assert message in " ".join(reply.get_json()["error"]["fields"][field])
    ((name, value),) = filters.items()
    ran = CliRunner().invoke(
        cli, ["export", "answers", "--out", "-", "--db", db_path, f"--{name}={value}"]
    )
    assert ran.exit_code != 0 and "Traceback" not in ran.output
    assert field in ran.output


def test_an_export_that_takes_no_response_filters_says_so(db, fit):
    from cxlisten.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        export.open_export(db, "events", {"device": "mobile"})
    assert "device" in caught.value.fields
