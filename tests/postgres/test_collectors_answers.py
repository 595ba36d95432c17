"""Two gunicorn collectors on one PostgreSQL racing on what a visitor says and who they are.

- one visitor's posts of one response (partial, then complete, and resends of each) reach both
  collectors at the same moment: one response row, one row per answer, the count and the
  completion of the last write that saw them all, the profile saved from it, and no further
  survey offered by either collector;
- two devices of one customer identify at the same moment through both collectors: both are
  linked to the customer, whose survey answered on one device is not asked on the other;
- one browser claimed by two customers at the same moment (a shared computer): one of them
  keeps its visitor, the other gets a visitor of its own; no visitor speaks for two customers.

Each race is the post that reads the visitor's stored state and writes it back: on PostgreSQL
two collectors do that at once, and only the visitor's lock (``storage.events.lock_visitor``)
makes the second wait for the first. Without it these tests fail.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from functools import partial

import requests

from cxlisten import customers, surveys
from cxlisten.identity import VisitorTokens
from cxlisten.storage import open_database
from tests.postgres.conftest import SECRET
from tests.postgres.test_collectors import _offered
from tests.support.gunicorn import DESKTOP_UA
from tests.test_durability import make_batch, post

ORIGIN = "https://shop.example"
HEADERS = {"User-Agent": DESKTOP_UA, "Origin": ORIGIN}
ROUNDS = 8
SURVEY = {
    "id": "moving",
    "phase": "deepdive",
    "trigger": {"type": "pageview"},
    "questions": [
        {
            "id": "reason",
            "type": "single",
            "text": {"en": "What stopped you?"},
            "saves_as": "checkout_blocker",
            "options": [
                {"code": "shipping", "label": {"en": "Shipping"}},
                {"code": "price", "label": {"en": "Price"}},
            ],
        },
        {"id": "score", "type": "nps", "text": {"en": "How likely to recommend?"}},
        {
            "id": "plan",
            "type": "single",
            "text": {"en": "What are you planning?"},
            "saves_as": "plan",
            "options": [
                {"code": "house", "label": {"en": "Buying a house"}},
                {"code": "car", "label": {"en": "Buying a car"}},
            ],
        },
    ],
}
ANSWERS = [
    {"question": "reason", "value": "shipping"},
    {"question": "score", "value": 7},
    {"question": "plan", "value": "house"},
]


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run CALLS in threads released together; return their results in order."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def send(url: str, path: str, body: dict) -> tuple[int, dict]:
    """POST BODY to the collector at URL as the snippet does, on a connection of its own."""
    with requests.Session() as http:
        reply = http.post(url + path, json=body, headers=HEADERS, timeout=30)
    return reply.status_code, reply.json()


def new_visitor(url: str, site_key: str) -> str:
    with requests.Session() as http:
        status, reply = post(http, url, make_batch(site_key, None, 0))
    assert status == 200, reply
    return reply["visitor"]


def response(site_key: str, token: str, response_id: str, answers: list, complete: bool) -> dict:
    return {
        "site": site_key,
        "visitor": token,
        "survey": SURVEY["id"],
        "version": 1,
        "response": response_id,
        "answers": answers,
        "complete": complete,
        "url": ORIGIN + "/cart",
        "locale": "en",
    }


def test_posts_of_one_response_racing_to_two_collectors_make_one_complete_response(two, pg_url):
    a, b, site = two
    pg = open_database(pg_url)
    surveys.save_survey(pg, site, SURVEY)
    token = new_visitor(a.url, site.key)
    ids = [str(uuid.uuid4()) for _ in range(ROUNDS)]
    for response_id in ids:
        # As the widget sends them, cumulative: after the first answer, after the second, and
        # complete with all three; each of them also resent to the other collector.
        posts = [
            response(site.key, token, response_id, ANSWERS[:1], False),
            response(site.key, token, response_id, ANSWERS[:2], False),
            response(site.key, token, response_id, ANSWERS, True),
        ]
        replies = at_once(
            [partial(send, url, "/v1/responses", body) for body in posts for url in (a.url, b.url)]
        )
        assert [status for status, _ in replies] == [200] * 6, replies

    placeholders = ",".join("?" * len(ids))
    rows = pg.execute(
        "SELECT client_id, status, answered, completed_at IS NOT NULL FROM responses "
        f"WHERE client_id IN ({placeholders}) ORDER BY started_at",
        ids,
    ).fetchall()
    # One row per response, complete with its three answers: no post's update was lost.
    assert sorted(rows) == sorted((i, "complete", 3, True) for i in ids)
    answers = pg.execute(
        "SELECT r.client_id, a.question, a.value FROM answers AS a "
        "JOIN responses AS r ON r.id = a.response_id ORDER BY r.client_id, a.position"
    ).fetchall()
    assert answers == [
        (i, q, v)
        for i in sorted(ids)
        for q, v in (("reason", "shipping"), ("score", "7"), ("plan", "house"))
    ]
    visitor = VisitorTokens(SECRET).read(token, site.id)
    profile = pg.execute(
        "SELECT name, value FROM attributes WHERE visitor_id = ? ORDER BY name", [visitor]
    ).fetchall()
    assert profile == [("checkout_blocker", "shipping"), ("plan", "house")]
    assert pg.execute(
        "SELECT COUNT(*) FROM responses WHERE survey = ? AND visitor_id = ?",
        [SURVEY["id"], visitor],
    ).fetchone() == (ROUNDS,)
    with requests.Session() as http:  # answered: neither collector asks again
        assert _offered(http, a.url, site.key, token) == []
        assert _offered(http, b.url, site.key, token) == []


def identify(url: str, site_key: str, token: str, customer: str, signature: str):
    body = {"site": site_key, "visitor": token, "customer": customer, "signature": signature}
    return send(url, "/v1/identify", body)


def test_identify_racing_on_two_collectors_links_each_customer_right(two, pg_url):
    a, b, site = two
    pg = open_database(pg_url)
    surveys.save_survey(pg, site, SURVEY)
    secret = customers.identity_secret(pg, site)
    tokens = VisitorTokens(SECRET)

    def linked_to(token: str) -> list[str]:
        visitor = tokens.read(token, site.id)
        return [
            r[0]
            for r in pg.execute(
                "SELECT customer_id FROM customer_visitors "
                "WHERE site_id = ? AND visitor_id = ? AND unlinked_at IS NULL",
                [site.id, visitor],
            )
        ]

    for n in range(ROUNDS):
        # Two devices of one customer sign in at the same moment, one through each collector.
        customer = f"cust-{n}"
        phone, laptop = new_visitor(a.url, site.key), new_visitor(b.url, site.key)
        signature = customers.sign(secret, customer)
        replies = at_once(
            [
                partial(identify, url, site.key, token, customer, signature)
                for url, token in ((a.url, phone), (b.url, laptop))
            ]
        )
        assert [(s, r["linked"], r["customer"]) for s, r in replies] == [(200, True, customer)] * 2
        assert [r["visitor"] for _, r in replies] == [phone, laptop]
        assert linked_to(phone) == [customer] and linked_to(laptop) == [customer]
        assert len(customers.customer_of(pg, site, tokens.read(phone, site.id)).visitors) == 2

        # One browser, two customers at the same moment: one keeps the visitor, one gets its own.
        shared = new_visitor(a.url, site.key)
        first, second = f"x-{n}", f"y-{n}"
        replies = at_once(
            [
                partial(identify, url, site.key, shared, who, customers.sign(secret, who))
                for url, who in ((a.url, first), (b.url, second))
            ]
        )
        assert [s for s, _ in replies] == [200, 200], replies
        given = {r["customer"]: r["visitor"] for _, r in replies}
        assert sorted(given) == [first, second]
        assert shared in given.values() and given[first] != given[second]
        for who, token in given.items():  # each browser's visitor speaks for its customer only
            assert linked_to(token) == [who], (who, linked_to(token))

    # The budget across a customer's devices holds across collectors: answered on the phone
    # through one, not asked on the laptop through the other.
    with requests.Session() as http:
        assert _offered(http, b.url, site.key, laptop) == [SURVEY["id"]]
    status, _ = send(
        a.url, "/v1/responses", response(site.key, phone, str(uuid.uuid4()), ANSWERS, True)
    )
    assert status == 200
    with requests.Session() as http:
        assert _offered(http, b.url, site.key, laptop) == []
