"""The results page's export buttons carry every filter of the page (device, locale, version,
completion, answer, channel, dates): the file holds exactly the responses the page counts."""

from __future__ import annotations

import re

import pytest

from tests.exports.test_response_filters import CASES, ids_of, read_csv


def export_form(html: str) -> dict:
    form = re.search(r'<form[^>]*action="/console/surveys/fit/export".*?</form>', html, re.S)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)))


@pytest.mark.parametrize(("filters", "expected"), CASES)
@pytest.mark.parametrize("table", ["responses", "answers"])
def test_the_export_buttons_download_what_the_page_counts(
    console,
    keys,
    fit,
    client,
    filters,
    expected,
    table,
):
    console.sign_in(keys["a"])
    page = console.get("/console/surveys/fit/results", query_string=filters)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"· {len(expected)} under these" in html
    hidden = export_form(html)
    assert {k: v for k, v in hidden.items() if k != "csrf_token"} == {
        k: str(v) for k, v in filters.items()
    }
    reply = console.post("/console/surveys/fit/export", {**hidden, "table": table, "format": "csv"})
    assert reply.status_code == 303
    download = client.get(reply.headers["Location"])
    assert download.status_code == 200
    assert ids_of(read_csv(download.get_data(as_text=True))) == expected


def test_the_channel_filter_is_on_the_page_and_checked(console, keys, fit):
    console.sign_in(keys["a"])
    html = console.get("/console/surveys/fit/results?channel=qr").get_data(as_text=True)
    assert '<option value="qr" selected>QR code</option>' in html
    bad = console.get("/console/surveys/fit/results?channel=Q%20R")
    assert bad.status_code == 400
    assert 'id="f-channel-error"' in bad.get_data(as_text=True)
