"""A survey answer met by 429 or 503 is sent again after Retry-After, never dropped; a refusal is.

The collector's first answer to ``/v1/responses`` is replaced (``page.route``) by a 429 or 503
with ``Retry-After`` exposed as the collector exposes it; the page's clock is the test's.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    Debug,
    pause_clock,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"
QUESTION = {"id": "t", "type": "text", "text": {"en": "What were you looking for?"}}


def answer_once_with(page, status: int, retry_after: str | None) -> list[str]:
    """Answer the first POST /v1/responses with STATUS; let the next ones through."""
    refused: list[str] = []

    def handle(route):
        refused.append(route.request.post_data)
        headers = {
            "Content-Type": "application/json",
            "Access-Control-Allow-Origin": route.request.headers["origin"],
            "Access-Control-Expose-Headers": "Retry-After",
        }
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        body = json.dumps({"error": {"status": status, "code": "x", "message": "x", "fields": {}}})
        route.fulfill(status=status, headers=headers, body=body)

    # Only the first: the resend goes straight through, whenever it comes (a handler would run
    # only while the test calls into Playwright, not while it polls the database).
    page.route("**/v1/responses", handle, times=1)
    return refused


def answer_the_survey(page, snippet) -> Debug:
    snippet.survey("ask", questions=[QUESTION], trigger={"type": "event", "event": "never"})
    debug = Debug(page)
    page.clock.install()
    page.goto(snippet.url(debug=""))
    snippet.wait_config(page)
    page.evaluate("cxlisten.show('ask')")
    dialog = page.locator(DIALOG)
    dialog.wait_for()
    pause_clock(page)
    dialog.get_by_role("textbox").fill("hats")
    dialog.get_by_role("button", name="Submit").click()
    return debug


@pytest.mark.parametrize(("status", "after"), [(429, "7"), (503, "30")])
def test_an_answer_met_by_429_or_503_is_sent_after_retry_after(page, snippet, status, after):
    refused = answer_once_with(page, status, after)
    debug = answer_the_survey(page, snippet)
    [line] = debug.wait("response retry in ms")
    assert line.split()[5] == str(int(after) * 1000)  # the collector's word, not the backoff
    assert len(refused) == 1 and snippet.responses() == []
    page.clock.run_for(int(after) * 1000 + 100)
    [stored] = snippet.wait_response(lambda r: r and r[0]["status"] == "complete")
    assert [a["value"] for a in stored["answers"]] == ["hats"]
    assert stored["response"] in refused[0]  # the same response, sent again


def test_an_answer_refused_with_a_4xx_is_not_sent_again(page, snippet):
    refused = answer_once_with(page, 400, None)
    debug = answer_the_survey(page, snippet)
    debug.wait("response refused (not retried)")
    page.clock.run_for(10_000)
    assert len(refused) == 1 and debug.found("response retry") == []
