"""What the snippet adds to the User-Agent: the page's userAgentData, and whether input was seen.

``ua`` in a batch is the page's ``navigator.userAgentData``: it decides the device class where
the Client Hints headers are missing, and is read field by field as hostile input. ``input`` in
a dwell event says whether the tab's visit saw a pointer, key or touch: a long visit over
several pages with none is a crawler that runs pages (cxlisten.bots.no_input), left out of
reports and never surveyed.
"""

from __future__ import annotations

import json

import pytest

from cxlisten import bots, surveys
from cxlisten.useragent import describe, page_hints
from tests.conftest import BROWSER_UA, batch, event, now_ms

# Chrome's frozen Android string without "Mobile": alone, a tablet.
FROZEN = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def post(client, body, ua=BROWSER_UA, headers=None):
    return client.post(
        "/v1/collect",
        data=json.dumps(body),
        headers={"User-Agent": ua, **(headers or {})},
        content_type="text/plain",
    )


def sessions(db, site):
    sql = "SELECT device, is_bot FROM sessions WHERE site_id = ? ORDER BY started"
    return db.execute(sql, [site.id]).fetchall()


@pytest.mark.parametrize(
    "value, hints",
    [
        ({"mobile": True, "platform": "Android", "brands": []}, ("?1", "Android")),
        ({"mobile": False, "platform": "Windows"}, ("?0", "Windows")),
        ({"mobile": True}, ("?1", "")),
        ({"mobile": "true", "platform": "Android"}, ("", "Android")),  # a string is no boolean
        ({"mobile": 1, "platform": "Android"}, ("", "Android")),
        ({"mobile": True, "platform": "Android" * 2000}, ("?1", "")),
        ({"mobile": True, "platform": "<script>"}, ("?1", "")),
        ({"mobile": True, "platform": ["Android"]}, ("?1", "")),
        ({"mobile": None, "platform": None, "brands": "x" * 10_000}, ("", "")),
        (["mobile", True], ("", "")),
        ("?1", ("", "")),
        (None, ("", "")),
        (12, ("", "")),
    ],
)
def test_page_hints_are_read_field_by_field(value, hints):
    assert page_hints(value) == hints


def test_the_pages_hints_decide_the_device_when_the_headers_are_missing(client, site, db):
    assert describe(FROZEN).kind == "tablet"
    body = {**batch(site, event()), "ua": {"mobile": True, "platform": "Android", "brands": []}}
    assert post(client, body, ua=FROZEN).status_code == 200
    assert sessions(db, site) == [("mobile", 0)]


def test_the_headers_win_over_the_pages_copy(client, site, db):
    body = {**batch(site, event()), "ua": {"mobile": True, "platform": "Android"}}
    headers = {"Sec-CH-UA-Mobile": "?0", "Sec-CH-UA-Platform": '"Android"'}
    assert post(client, body, ua=FROZEN, headers=headers).status_code == 200
    assert sessions(db, site) == [("tablet", 0)]


@pytest.mark.parametrize(
    "hostile",
    [
        {"mobile": "?1", "platform": "Android"},
        {"mobile": "true", "platform": "Android "},
        {"mobile": {"$ne": 1}},
        {"mobile": 0, "platform": "A" * 50_000},
        [1, 2, 3],
        "mobile",
        {"brands": [{"brand": None}] * 500},
    ],
)
def test_hostile_hints_never_refuse_the_batch_nor_change_the_device(client, site, db, hostile):
    r = post(client, {**batch(site, event()), "ua": hostile}, ua=FROZEN)
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    assert sessions(db, site) == [("tablet", 0)]


def visit(site, visitor, input_seen, pages=2, each_ms=20_000):
    """A visit of PAGES page views of EACH_MS visible time, as the snippet reports it."""
    start = now_ms() - pages * each_ms - 1000
    out = []
    for i in range(pages):
        ts = start + i * each_ms
        out.append(event("pageview", ts=ts, url=f"https://shop.example/p{i}", path=f"/p{i}"))
        fields = {"visible_ms": each_ms, "total_ms": each_ms}
        if input_seen is not None:
            fields["input"] = input_seen
        url = f"https://shop.example/p{i}"
        out.append(event("dwell", ts=ts + each_ms - 1, url=url, **fields))
    return batch(site, *out, visitor=visitor)


@pytest.mark.parametrize(
    "input_seen, pages, each_ms, flagged",
    [
        (0, 2, 20_000, True),  # 40 s over two pages, no input: a crawler
        (1, 2, 20_000, False),  # the same visit with input: a person
        (None, 2, 20_000, False),  # signals.js could not tell (not loaded, storage refused)
        (0, 1, 60_000, False),  # one page read for a minute: a reader, maybe
        (0, 3, 5_000, False),  # short: too little to tell
    ],
)
def test_a_long_visit_with_no_input_is_flagged_as_a_bot(
    client, site, db, input_seen, pages, each_ms, flagged
):
    r = post(client, visit(site, None, input_seen, pages, each_ms))
    assert r.status_code == 200 and r.json["accepted"] == 2 * pages, r.json
    assert sessions(db, site) == [("desktop", int(flagged))]
    long = pages * each_ms >= bots.NO_INPUT_MS and pages >= bots.NO_INPUT_PAGES
    assert flagged == (long and input_seen == 0)  # the table stays in line with the thresholds


def test_a_visit_with_no_input_is_never_surveyed_and_left_out_of_reports(client, site, db):
    from cxlisten.diagnose import diagnose

    surveys.create_survey(
        db,
        site,
        {
            "id": "pulse",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}}],
        },
    )

    def config(visitor):
        query = {"site": site.key, "visitor": visitor, "url": "https://shop.example/p2"}
        r = client.get("/v1/config", query_string=query, headers={"User-Agent": BROWSER_UA})
        return [s["id"] for s in r.json["surveys"]]

    person = post(client, visit(site, None, 1)).json["visitor"]
    crawler = post(client, visit(site, None, 0)).json["visitor"]
    assert config(person) == ["pulse"]
    assert config(crawler) == []
    report = diagnose(db, site)
    assert (report.sessions, report.bot_sessions_excluded) == (1, 1)
