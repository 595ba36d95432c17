"""Getting events to the collector: batching, offline, retries, beacons, never a duplicate."""

from __future__ import annotations

import json

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    Debug,
    pause_clock,
    sdk_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

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
    page.wait_for_function(f"{QUEUED} === 0")  # the queue empties once the reply is read


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


# Counts, synchronously, the snippet's POSTs to /v1/collect (window.collects): under an installed
# clock a test can then tell exactly when the snippet resent, without waiting on the network.
COUNT_COLLECTS = """
window.collects = 0;
const send = window.fetch;
window.fetch = function (url) {
  if (String(url).endsWith("/v1/collect")) collects++;
  return send.apply(this, arguments);
};
"""
EXPOSED = {"Access-Control-Expose-Headers": "Retry-After"}


def start(page, snippet) -> Debug:
    """Open the basic page with debug on, once its page view is stored; then stop the page's clock.

    From then on the page's time moves only by ``page.clock.run_for``, however slow the machine.
    """
    debug = Debug(page)
    page.add_init_script(COUNT_COLLECTS)
    page.clock.install()
    page.goto(snippet.url(debug=""))
    snippet.wait_count("pageview", 1)
    debug.wait("sent")
    # "sent" is said before the reply's body is read; the visitor token it carries is stored in
    # the same turn as the send is marked done. Stopping the clock before that would leave the
    # next batch's timer to a clock that no longer moves.
    page.wait_for_function(f"localStorage.getItem('cxl_v') && {QUEUED} === 0")
    pause_clock(page)
    return debug


def sent_ids(snippet) -> list[list[str]]:
    """The event ids of each batch posted so far (including those the collector refused)."""
    return [[e["id"] for e in json.loads(r.body)["events"]] for r in snippet.recorder.collects()]


def queued_ids(page) -> list[str]:
    return page.evaluate("JSON.parse(localStorage.getItem('cxl_q') || '[]').map(e => e.id)")


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
    debug = start(page, snippet)
    snippet.recorder.fail_collect.extend(failures)
    page.evaluate("cxlisten.track('flaky')")
    page.clock.run_for(1100)  # the batch timer
    for n in range(1, attempts):
        wait = debug.retry_ms(n)
        assert 1000 * 2**n / 2 <= wait <= 1000 * 2**n  # backoff with jitter: 1-2 s, 2-4 s
        page.clock.run_for(wait - 50)
        assert page.evaluate("collects") == 1 + n  # not resent before its time
        page.clock.run_for(100)
        assert page.evaluate("collects") == 2 + n
    if stored:
        snippet.wait_count("custom", 1)
    else:
        debug.wait(f"dropped: {failures[0]}")
    page.wait_for_function(f"{QUEUED} === 0")
    assert len(snippet.recorder.collects()) == 1 + attempts
    assert len(snippet.events("custom")) == (1 if stored else 0)


@pytest.mark.parametrize("status", [400, 404, 413])
def test_a_refused_batch_is_dropped_logged_and_holds_back_nothing(page, snippet, status):
    debug = start(page, snippet)
    snippet.recorder.fail_collect.append(status)
    page.evaluate("cxlisten.track('a'); cxlisten.track('b')")
    page.clock.run_for(1100)
    [line] = debug.wait(f"dropped: {status}")  # under data-debug, the drop is said
    [_, refused] = sent_ids(snippet)
    assert len(refused) == 2 and queued_ids(page) == []
    page.evaluate("cxlisten.track('c')")
    # "dropped" is said before the refusal's body is read, and the send is marked done only then:
    # a batch timer firing in between finds a send still in flight; 'c' leaves when it ends.
    page.clock.run_for(1100)
    page.wait_for_function("collects === 3")
    [c] = snippet.wait_count("custom", 1)
    assert c["name"] == "c"
    assert sent_ids(snippet)[2] == [c["id"]]  # a and b were never resent
    assert page.evaluate("collects") == 3


def test_events_queued_during_a_slow_send_leave_as_soon_as_it_is_answered(page, snippet):
    """The reply to a batch comes 0.6 s late: the next batch's timer finds that send in flight,
    and its answer sends the rest at once, on no timer (a hidden tab's may wait a minute)."""
    start(page, snippet)
    snippet.recorder.late_collect = 0.6
    page.evaluate("cxlisten.track('a')")
    page.clock.run_for(1100)
    snippet.wait_count("custom", 1)  # stored; its reply is still on the way
    page.evaluate("cxlisten.track('b')")
    page.clock.run_for(1100)  # b's timer fires while a's send is in flight
    page.wait_for_function("collects === 3")  # the paused clock fires no timer from here
    [_, b] = snippet.wait_count("custom", 2)
    assert sent_ids(snippet)[2] == [b["id"]]
    page.wait_for_function(f"{QUEUED} === 0")


@pytest.mark.parametrize(("status", "after"), [(429, 30), (503, 20)])
def test_too_many_requests_and_unavailable_wait_for_retry_after(page, snippet, status, after):
    debug = start(page, snippet)
    snippet.recorder.fail_collect.append((status, {"Retry-After": str(after), **EXPOSED}))
    page.evaluate("cxlisten.track('later')")
    page.clock.run_for(1100)
    assert debug.retry_ms(1) == after * 1000  # the collector's word, not the backoff
    assert queued_ids(page) == sent_ids(snippet)[1]  # kept while waiting
    page.clock.run_for(after * 1000 - 100)
    assert page.evaluate("collects") == 2
    page.clock.run_for(200)
    assert page.evaluate("collects") == 3
    [later] = snippet.wait_count("custom", 1)
    assert later["name"] == "later"
    assert sent_ids(snippet)[2] == sent_ids(snippet)[1] == [later["id"]]  # the same batch again
    page.wait_for_function(f"{QUEUED} === 0")


def test_an_unreadable_retry_after_falls_back_to_the_backoff(page, snippet):
    """Without Access-Control-Expose-Headers the browser hides Retry-After from the snippet."""
    debug = start(page, snippet)
    snippet.recorder.fail_collect.append((429, {"Retry-After": "600"}))
    page.evaluate("cxlisten.track('later')")
    page.clock.run_for(1100)
    wait = debug.retry_ms(1)
    assert 1000 <= wait <= 2000
    page.clock.run_for(wait + 50)
    snippet.wait_count("custom", 1)


def test_events_the_collector_rejects_are_dropped_and_the_others_stored(page, snippet):
    debug = start(page, snippet)
    page.evaluate("cxlisten.track('good'); cxlisten.track('bad name!'); cxlisten.track('fine')")
    page.clock.run_for(1100)
    stored = snippet.wait_count("custom", 2)
    assert sorted(e["name"] for e in stored) == ["fine", "good"]
    [batch] = sent_ids(snippet)[1:]
    [line] = debug.wait(f"dropped: {batch[1]}")  # the rejected one, by its id, with the reason
    assert "Object" in line or "name" in line
    assert queued_ids(page) == []
    page.evaluate("cxlisten.track('next')")
    page.clock.run_for(1100)
    snippet.wait_count("custom", 3)
    assert len(sent_ids(snippet)[2]) == 1  # the rejected event was not resent with it


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
