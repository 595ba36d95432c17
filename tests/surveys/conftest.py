"""Survey fixtures: definitions built field by field, and helpers that talk to the collector."""

from __future__ import annotations

import copy
import time
import uuid

import pytest

from cxlisten import surveys
from cxlisten.settings import load_settings
from cxlisten.useragent import Device
from tests.conftest import BROWSER_UA, ORIGIN, batch, event

HEADERS = {"User-Agent": BROWSER_UA, "Origin": ORIGIN}
DESKTOP = Device("desktop", "Chrome", "Linux", False)
DAY = 86400 * 1000

PULSE = {
    "id": "pulse",
    "phase": "track",
    "trigger": {"type": "pageview"},
    "questions": [
        {
            "id": "found",
            "type": "single",
            "text": {"en": "Did you find it?", "zh-CN": "找到了吗？"},
            "options": [
                {"code": "yes", "label": {"en": "Yes"}},
                {"code": "no", "label": {"en": "No"}},
            ],
            "branch": [{"when": {"equals": "yes"}, "goto": "end"}],
        },
        {"id": "what", "type": "text", "required": False, "text": {"en": "What were you after?"}},
    ],
}

DEEPDIVE = {
    "id": "cart",
    "phase": "deepdive",
    "priority": 10,
    "trigger": {"type": "exit_intent", "urls": ["/cart*", "/checkout*"]},
    "repetition": {"mode": "until_answered"},
    "questions": [
        {
            "id": "reason",
            "type": "single",
            "text": {"en": "What stopped you?"},
            "other": True,
            "saves_as": "checkout_blocker",
            "options": [
                {"code": "shipping", "label": {"en": "Shipping"}},
                {"code": "price", "label": {"en": "Price"}},
            ],
            "branch": [{"when": {"in": ["price"]}, "goto": "end"}],
        },
        {"id": "score", "type": "nps", "text": {"en": "How likely to recommend?"}},
        {
            "id": "channels",
            "type": "multi",
            "required": False,
            "text": {"en": "Where?"},
            "options": [
                {"code": "web", "label": {"en": "Web"}},
                {"code": "app", "label": {"en": "App"}},
                {"code": "shop", "label": {"en": "Shop"}},
            ],
        },
        {
            "id": "more",
            "type": "text",
            "required": False,
            "max_length": 20,
            "text": {"en": "Anything else?"},
        },
    ],
}

HELP = {
    "kind": "intervention",
    "id": "need-help",
    "priority": 5,
    "trigger": {"type": "dwell", "seconds": 45, "urls": ["/help*"]},
    "repetition": {"mode": "times", "times": 2},
    "content": {
        "title": {"en": "Need more help?"},
        "label": {"en": "Chat"},
        "url": "/help/contact",
    },
}


def definition(base: dict, **changes) -> dict:
    """Return a deep copy of BASE with top-level CHANGES (None deletes a field)."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@pytest.fixture
def settings(db_path):
    return load_settings({"db": db_path, "secret": "test-secret"})


@pytest.fixture
def add(db, site):
    """Create a survey or intervention from BASE with CHANGES."""

    def make(base=PULSE, **changes):
        return surveys.create_survey(db, site, definition(base, **changes))

    return make


@pytest.fixture
def tokens(app):
    return app.extensions["cxlisten"].tokens


class Browser:
    """A visitor's browser talking to the collector: config, collect, responses, me."""

    def __init__(self, client, site, headers=None):
        self.client, self.site, self.visitor = client, site, None
        self.headers = dict(HEADERS if headers is None else headers)

    def config(self, path="/cart", **extra):
        r = self.client.get(
            "/v1/config",
            query_string={
                "site": self.site.key,
                "visitor": self.visitor,
                "url": f"{ORIGIN}{path}",
                **extra,
            },
            headers=self.headers,
        )
        if r.status_code == 200 and r.get_json()["visitor"]:
            self.visitor = r.get_json()["visitor"]
        return r

    def shown(self, config_reply, kind="surveys"):
        return [s["id"] for s in config_reply.get_json()[kind]]

    def send(self, *events):
        r = self.client.post(
            "/v1/collect",
            json=batch(self.site, *events, visitor=self.visitor),
            headers=self.headers,
        )
        assert r.status_code == 200, r.get_json()
        self.visitor = r.get_json()["visitor"]
        return r

    def visit(self, path, ts=None):
        return self.send(event("pageview", ts=ts, url=f"{ORIGIN}{path}"))

    def saw(self, survey, action="shown", path="/cart", ts=None, kind="survey"):
        key = "survey" if kind == "survey" else "intervention"
        return self.send(
            event(kind, ts=ts, url=f"{ORIGIN}{path}", **{key: survey, "action": action})
        )

    def respond(
        self,
        survey="cart",
        answers=(),
        complete=False,
        version=1,
        response=None,
        path="/cart",
        **extra,
    ):
        body = {
            "site": self.site.key,
            "visitor": self.visitor,
            "survey": survey,
            "version": version,
            "response": response or str(uuid.uuid4()),
            "answers": list(answers) if isinstance(answers, list | tuple) else answers,
            "complete": complete,
            "url": f"{ORIGIN}{path}",
            "locale": "en",
            **extra,
        }
        r = self.client.post("/v1/responses", json=body, headers=self.headers)
        if r.get_json().get("visitor"):
            self.visitor = r.get_json()["visitor"]
        return r

    def me(self, method="GET"):
        return self.client.open(
            "/v1/me",
            method=method,
            headers=self.headers,
            query_string={"site": self.site.key, "visitor": self.visitor},
        )


@pytest.fixture
def visitor(client, site):
    return Browser(client, site)


@pytest.fixture
def new_visitor(client, site):
    return lambda **kw: Browser(client, site, **kw)


def now_ms() -> int:
    return int(time.time() * 1000)
