"""Getting events to the collector: batching, offline, retries, beacons, never a duplicate."""

from __future__ import annotations

import json

import pytest

from tests.browser.snippet_fixtures import sdk_ready, snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser

QUEUED = "JSON.parse(localStorage.getItem('cxl_q') || '[]').length"


def test_events_are_batched_and_sent_as_text_plain_json(page, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    page.evaluate("for (let i = 0; i < 5; i++) cxlisten.track('step', {i})")
    snippet.wait_count("custom", 5)
    requests = snippet.recorder.collects()
    assert len(requests) == 2  # the page view at once, then the five in one batch
    batch = requests[1]
    assert batch.headers["content-type"].startswith("text/plain")  # no CORS preflight
    assert not [r for r in snippet.recorder.mine() if r.method == "OPTIONS"]
    assert "cookie" not in batch.headers
    body = json.loads(batch.body)
    assert body["site"] == snippet.site.key
    assert body["visitor"]  # the token from the first reply
    assert [e["props"]["i"] for e in body["events"]] == [0, 1, 2, 3, 4]
    assert page.evaluate(QUEUED) == 0


def test_offline_then_online_loses_nothing_and_duplicates_nothing(page, context, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    context.set_offline(True)
    page.evaluate("['a', 'b', 'c'].forEach(n => cxlisten.track(n))")
    page.wait_for_timeout(1500)
    assert snippet.events("custom") == []
    assert page.evaluate(QUEUED) == 3  # kept in localStorage meanwhile
    context.set_offline(False)  # the "online" event sends at once
    customs = snippet.wait_count("custom", 3)
    assert sorted(c["name"] for c in customs) == ["a", "b", "c"]
    page.wait_for_function(f"{QUEUED} === 0")
    page.reload()  # nothing left to resend
    snippet.wait_count("pageview", 2)
    page.wait_for_timeout(300)
    assert len(snippet.events("custom")) == 3


def test_events_queued_when_the_page_closed_are_sent_by_the_next_page(page, context, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    context.set_offline(True)
    page.evaluate("cxlisten.track('while_offline')")
    page.wait_for_timeout(200)
    page.close()  # pagehide while offline: no beacon, the queue stays in localStorage
    context.set_offline(False)
    again = context.new_page()
    again.goto(snippet.url())
    [custom] = snippet.wait_count("custom", 1)
    assert custom["name"] == "while_offline"


@pytest.mark.parametrize(
    ("failures", "stored", "attempts"),
    [
        ([500], True, 2),  # a server error is retried after 1-2 s (backoff with jitter)
        ([503, 502], True, 3),  # ... then after 2-4 s
        ([400], False, 1),  # a refusal is final: never retried, dropped from the queue
        ([413], False, 1),
    ],
)
def test_server_errors_are_retried_and_refusals_are_not(page, snippet, failures, stored, attempts):
    page.clock.install()
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    snippet.recorder.fail_collect.extend(failures)
    page.evaluate("cxlisten.track('flaky')")
    for _ in range(len(failures)):
        page.clock.run_for(1100)  # the batch timer
        page.wait_for_timeout(150)  # the reply
        page.clock.run_for(4100)  # the longest backoff so far
    page.wait_for_timeout(300)
    assert len(snippet.events("custom")) == (1 if stored else 0)
    assert len(snippet.recorder.collects()) == 1 + attempts
    assert page.evaluate(QUEUED) == 0
    assert page.evaluate(QUEUED) == 0


def test_the_last_events_leave_with_send_beacon_on_pagehide(page, context, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    page.wait_for_timeout(300)
    page.evaluate("cxlisten.track('bye')")
    page.close(run_before_unload=True)  # pagehide, before the 1 s batch timer
    snippet.wait(lambda ev: {"custom", "dwell"} <= {e["kind"] for e in ev})
    last = snippet.recorder.collects()[-1]
    assert last.headers.get("sec-fetch-mode") == "no-cors"  # a beacon, not a fetch
    assert {e["kind"] for e in json.loads(last.body)["events"]} == {"custom", "dwell"}


def test_the_queue_is_bounded_and_drops_the_oldest(page, context, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    context.set_offline(True)
    page.evaluate("for (let i = 0; i < 520; i++) cxlisten.track('e' + i)")
    queued = page.evaluate("JSON.parse(localStorage.getItem('cxl_q')).map(e => e.name)")
    assert len(queued) == 500
    assert (queued[0], queued[-1]) == ("e20", "e519")


def test_large_batches_are_split_under_the_keepalive_quota(page, context, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    context.set_offline(True)
    # 12 events of ~10 kB each (20 properties of 500 characters, the most the collector takes).
    page.evaluate("""() => {
      const props = {};
      for (let i = 0; i < 20; i++) props["p" + i] = "汉".repeat(500);  // 3 bytes each in UTF-8
      for (let n = 0; n < 12; n++) cxlisten.track("big" + n, props);
    }""")
    context.set_offline(False)
    snippet.wait_count("custom", 12, timeout=15)
    bodies = [r.body for r in snippet.recorder.collects()[1:]]
    assert len(bodies) > 1
    assert max(len(b) for b in bodies) < 60_000
    assert len(snippet.events("custom")) == 12
