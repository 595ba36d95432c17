"""The collector serves the next best action with the config and in the reply to a response."""

from __future__ import annotations

import uuid

from cxlisten import activate, journeys
from cxlisten.surveys import catalogue
from tests.conftest import BROWSER_UA, ORIGIN, batch, event

HEADERS = {"User-Agent": BROWSER_UA, "Origin": ORIGIN}
CHAT = {
    "kind": "channel",
    "title": {"en": "Chat with us"},
    "label": {"en": "Chat"},
    "url": "/help/contact",
}


def visit(client, site, *paths):
    """Send page views of PATHS for a new visitor; return their token."""
    events = [event("pageview", url=f"{ORIGIN}{p}", path=p) for p in paths]
    reply = client.post("/v1/collect", json=batch(site, *events), headers=HEADERS)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()["visitor"]


def config(client, site, token, path):
    return client.get(
        "/v1/config",
        query_string={"site": site.key, "visitor": token, "url": f"{ORIGIN}{path}"},
        headers=HEADERS,
    )


def test_config_carries_the_action_of_the_winning_rule(client, db, site):
    journeys.save_journey(
        db,
        site.id,
        {
            "name": "checkout",
            "phase": "activate",
            "steps": ["/cart", "/checkout", "/checkout/done"],
        },
    )
    activate.save_rule(
        db,
        site,
        {
            "name": "chat",
            "level": "reactive",
            "journey": "checkout",
            "when": [{"journey": "checkout", "state": "in_progress"}],
            "then": {"show": CHAT},
        },
    )
    token = visit(client, site, "/", "/cart", "/checkout")
    action = config(client, site, token, "/checkout").get_json()["action"]
    assert action["id"] == "chat" and action["kind"] == "channel" and action["rule"] == "chat"
    other = visit(client, site, "/", "/about")
    assert config(client, site, other, "/about").get_json()["action"] is None


def test_a_low_score_answer_gets_the_reactive_action_in_the_reply(client, db, site):
    catalogue.create_survey(
        db,
        site,
        {
            "id": "pulse",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "csat", "type": "csat", "text": {"en": "Happy?"}}],
        },
    )
    activate.save_rule(
        db,
        site,
        {
            "name": "care",
            "level": "reactive",
            "when": [{"score": "csat", "max": 2}],
            "then": {"show": CHAT},
        },
    )
    token = visit(client, site, "/", "/help")

    def answer(value):
        return client.post(
            "/v1/responses",
            json={
                "site": site.key,
                "visitor": token,
                "survey": "pulse",
                "version": 1,
                "response": str(uuid.uuid4()),
                "answers": [{"question": "csat", "value": value}],
                "complete": True,
                "url": f"{ORIGIN}/help",
                "locale": "en",
            },
            headers=HEADERS,
        )

    happy = answer(5)
    assert happy.status_code == 200 and happy.get_json()["action"] is None
    unhappy = answer(1)
    assert unhappy.get_json()["action"]["rule"] == "care"
