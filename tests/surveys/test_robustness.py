"""Junk anywhere in a definition or a response gives located 4xx errors, never a crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxlisten import surveys
from cxlisten.errors import InvalidInput
from tests.surveys.conftest import DEEPDIVE, HELP, PULSE

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Yield the path of every node of a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(value, path, junk):
    if not path:
        return junk
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    return copy


BASES = [PULSE, DEEPDIVE, HELP]
SPOTS = [(base, path) for base in BASES for path in paths(base)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spot=st.sampled_from(SPOTS), junk=JUNK)
def test_junk_anywhere_in_a_definition_is_a_located_error_or_fine(spot, junk):
    base, path = spot
    try:
        surveys.normalise(replaced(base, path, junk))
    except InvalidInput as exc:
        assert exc.fields and all(isinstance(k, str) for k in exc.fields)


def test_non_finite_numbers_are_refused(add, visitor):
    add(DEEPDIVE)
    payload = {
        "site": visitor.site.key,
        "visitor": None,
        "survey": "cart",
        "version": 1,
        "response": "abcdefgh-1",
        "answers": [{"question": "score", "value": "INF"}],
        "url": "https://shop.example/cart",
    }
    # Python's json would read Infinity; it is not JSON (RFC 8259), so the body is refused.
    body = json.dumps(payload).replace('"INF"', "Infinity")
    r = visitor.client.post(
        "/v1/responses", data=body, content_type="text/plain", headers=visitor.headers
    )
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"_body": ["Infinity is not a JSON number"]}


QUESTIONS = [q["id"] for q in DEEPDIVE["questions"]] + ["nope"]


@settings(max_examples=150, deadline=None)
@given(
    answers=st.lists(
        st.fixed_dictionaries(
            {"question": st.sampled_from(QUESTIONS), "value": JUNK},
            optional={"other": st.none() | st.text(max_size=5)},
        ),
        max_size=5,
    )
)
def test_any_answers_are_checked_without_crashing(answers):
    from cxlisten.surveys.responses import check_answers, required_unanswered

    definition = surveys.normalise(DEEPDIVE)
    good, errors = check_answers(definition, answers)
    assert set(good) <= set(QUESTIONS) and all(k.startswith("answers") for k in errors)
    required_unanswered(definition, {q: a["value"] for q, a in good.items()})
