"""No input gives a 5xx: every operation in ``/openapi.json``, fuzzed, as a visitor and as an admin.

Schemathesis reads the collector's own ``/openapi.json`` at run time, so every endpoint a blueprint
adds to the description is fuzzed here without touching this file. Requests carry a current admin
key, so admin endpoints are exercised past their 401. The database holds the example surveys,
interventions, journeys and rules (loaded with the CLI, as a user would), and about half of the
generated site keys and resource names in paths are swapped for ones that exist, so requests get
past their 404 into the code that does the work.

Two passes: random payloads (fuzzing) for every operation, and schemathesis' deterministic boundary
and type-confusion cases (coverage: each field at its limits, null, of the wrong type ...).

A hypothesis test adds what a schema cannot say about ``/v1/collect``: batches of nearly valid
events (right kinds, wrong or missing fields, odd values, repeated ids), checked against what the
collector promises: a 200 or a 400 naming each bad event, exactly the new events stored, and a
resend storing nothing.
"""

from __future__ import annotations

import json
import time
import uuid
import warnings
from pathlib import Path

import hypothesis.strategies as st
import pytest
import schemathesis
from click.testing import CliRunner
from hypothesis import HealthCheck, given, note, settings
from schemathesis.checks import not_a_server_error

from collector import create_app
from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.identity import create_admin_key
from cxlisten.schemas.collect import KINDS
from cxlisten.storage import open_database
from tests.conftest import BROWSER_UA, ORIGIN, event
from tests.support.db import count_events, event_ids

# When a hypothesis test fails, its pytest plugin imports libcst to suggest a patch, and libcst
# trips a DeprecationWarning of mypy_extensions outside any test, which warnings-as-errors turns
# into a pytest INTERNALERROR that hides the real failure. Import it here, quietly, once.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SITE_KEY = "cx_fuzzsite"
SEED = 20261123
# Random cases for the whole description, shared out among its operations (5 to 25 each), so
# the run stays near ten seconds however many endpoints the blueprints add.
FUZZ_BUDGET = 300
COLLECT_EXAMPLES = 60
ONLY_FUZZING = {"coverage": {"enabled": False}}
ONLY_COVERAGE = {"examples": {"enabled": False}, "fuzzing": {"enabled": False}}
BOUNDED = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _examples() -> dict[str, list[str]]:
    """Name the example resources, by the path prefix that addresses them."""
    definitions = [json.loads(f.read_text()) for f in sorted((EXAMPLES / "surveys").glob("*.json"))]
    journeys = json.loads((EXAMPLES / "journeys.json").read_text())["journeys"]
    rules = json.loads((EXAMPLES / "rules.json").read_text())["rules"]
    return {
        "/api/surveys/": [d["id"] for d in definitions if d.get("kind", "survey") == "survey"],
        "/api/interventions/": [d["id"] for d in definitions if d.get("kind") == "intervention"],
        "/api/journeys/": [j["name"] for j in journeys],
        "/api/rules/": [r["name"] for r in rules],
        "/api/export/": ["events", "sessions", "responses"],
    }


KNOWN = _examples()
SEED_COMMANDS = [
    ["surveys", "add", str(EXAMPLES / "surveys")],
    ["journeys", "load", str(EXAMPLES / "journeys.json")],
    ["activate", "load", str(EXAMPLES / "rules.json")],
]


@pytest.fixture
def fuzz_site(tmp_path):
    """A database with one site under a known key, the example definitions, an admin key."""
    path = str(tmp_path / "fuzz.db")
    db = open_database(path)
    site = sites.create_site(db, "Fuzz", [ORIGIN], key=SITE_KEY)
    for command in SEED_COMMANDS:
        result = CliRunner().invoke(cli, [*command[:2], "--db", path, *command[2:]])
        assert result.exit_code == 0, (command, result.output)
    return path, db, site, create_admin_key(db)


@pytest.fixture
def fuzz_app(fuzz_site):
    return create_app({"db": fuzz_site[0], "secret": "fuzz-secret"})


def _real_site(value):
    """Swap a generated site key for the real one about half the time, deterministically."""
    return SITE_KEY if isinstance(value, str) and len(value) % 2 == 0 else value


def map_path_parameters(context, path_parameters):
    """Swap about half the generated resource names for example ones the database holds."""
    path = context.operation.path
    known = next((names for prefix, names in KNOWN.items() if path.startswith(prefix)), None)
    if not known or not path_parameters:
        return path_parameters
    out = dict(path_parameters)
    for key, value in out.items():
        if isinstance(value, str) and len(value) % 2 == 0:
            out[key] = known[len(value) // 2 % len(known)]
    return out


def map_body(context, body):
    if isinstance(body, dict) and "site" in body:
        body = {**body, "site": _real_site(body["site"])}
    return body


def map_query(context, query):
    if isinstance(query, dict) and "site" in query:
        query = {**query, "site": _real_site(query["site"])}
    return query


def _load(app, phases: dict):
    """Load the live description with our seed, phases and budget, and the site-key hooks."""
    paths = app.test_client().get("/openapi.json").get_json()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    examples = max(5, min(25, FUZZ_BUDGET // max(operations, 1)))
    config = schemathesis.Config.from_dict(
        {"seed": SEED, "phases": phases, "generation": {"max-examples": examples}}
    )
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
    schema.hook(map_body)
    schema.hook(map_query)
    schema.hook(map_path_parameters)
    return schema


@pytest.fixture
def fuzzed_api(fuzz_app):
    return _load(fuzz_app, ONLY_FUZZING)


@pytest.fixture
def boundary_api(fuzz_app):
    return _load(fuzz_app, ONLY_COVERAGE)


def _call(case, admin_key: str):
    headers = {"Authorization": f"Bearer {admin_key}", "User-Agent": BROWSER_UA}
    case.validate_response(case.call(headers=headers), checks=[not_a_server_error])


# Generating bodies for the larger admin schemas (surveys) takes seconds per operation: ~20 s.
@pytest.mark.slow
@schemathesis.pytest.from_fixture("fuzzed_api").parametrize()
@BOUNDED
def test_random_input_never_gives_5xx(case, fuzz_site):
    _call(case, fuzz_site[-1])


# The coverage phase's case count follows the schemas, not max_examples: tens of seconds.
@pytest.mark.slow
@schemathesis.pytest.from_fixture("boundary_api").parametrize()
@BOUNDED
def test_boundary_and_wrong_type_input_never_gives_5xx(case, fuzz_site):
    _call(case, fuzz_site[-1])


# --- /v1/collect with nearly valid batches ---------------------------------------------------

NOW = int(time.time() * 1000)
# Only what JSON can hold: NaN and Infinity are refused as a whole body (test_hostile_input.py).
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
ids = st.uuids().map(str) | st.sampled_from(["", "x" * 65, "same-id"]) | json_values
kinds = st.sampled_from(KINDS) | st.sampled_from(["bogus", "", "PAGEVIEW"]) | json_values
timestamps = (
    st.integers(NOW - 86_400_000, NOW + 60_000)
    | st.sampled_from([0, -1, NOW + 10 * 86_400_000, 2**63, float(NOW), str(NOW)])
    | json_values
)
urls = (
    st.sampled_from(
        ["https://shop.example/cart", "http://x/", "javascript:alert(1)", "https://x/" + "a" * 3000]
    )
    | json_values
)
# Fields the kinds carry, each with plausible and implausible values.
kind_fields = {
    "path": st.sampled_from(["/cart", "", "/" + "p" * 2000]) | json_values,
    "referrer": st.none() | urls,
    "title": st.text(max_size=20) | st.just("t" * 600) | json_values,
    "viewport": st.fixed_dictionaries({"w": st.integers(-5, 200_000), "h": json_values})
    | json_values,
    "visible_ms": st.integers(-10, 10**9) | json_values,
    "total_ms": st.integers(-10, 10**9) | json_values,
    "scroll": st.integers(-5, 150) | json_values,
    "pv": ids,
    "target": st.text(max_size=20) | json_values,
    "text": st.none() | st.text(max_size=300),
    "href": st.none() | urls,
    "signal": st.sampled_from(["dead", "abandoned", "rage", ""]) | json_values,
    "vitals": st.fixed_dictionaries(
        {},
        optional={
            "lcp": st.integers(-5, 4_000_000) | json_values,
            "cls": st.floats(allow_nan=True) | json_values,
            "conn": st.sampled_from(["4g", "6g"]) | json_values,
        },
    )
    | json_values,
    "name": st.sampled_from(["cart_abandoned", "", "bad/name", "n" * 101]) | json_values,
    "props": st.dictionaries(st.text(max_size=70), json_values, max_size=22) | json_values,
    "survey": ids,
    "intervention": ids,
    "action": st.sampled_from(["shown", "answered", "dismissed", "clicked", "nope"]) | json_values,
    "version": st.none() | st.integers() | json_values,
    "question": st.none() | ids,
}
events = st.fixed_dictionaries(
    {"id": ids, "kind": kinds, "ts": timestamps, "url": urls}, optional=kind_fields
) | json_values.filter(lambda v: v is not None)  # null: test_malformed_part_of_a_batch_...
batches = st.fixed_dictionaries(
    {"site": st.just(SITE_KEY), "events": st.lists(events, max_size=12)},
    optional={"visitor": st.none() | st.text(max_size=40)},
)


def _post(client, body: dict, content_type: str):
    return client.post(
        "/v1/collect",
        data=json.dumps(body),
        headers={"Content-Type": content_type, "User-Agent": BROWSER_UA, "Origin": ORIGIN},
    )


@given(batch=batches, content_type=st.sampled_from(["text/plain", "application/json"]))
@settings(
    max_examples=COLLECT_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_nearly_valid_batches_are_stored_or_refused_per_event_and_never_twice(
    fuzz_app, fuzz_site, batch, content_type
):
    _, db, site, _ = fuzz_site
    client = fuzz_app.test_client()
    # Give every well-formed id a fresh value, so earlier examples do not make these duplicates.
    salt = uuid.uuid4().hex[:8]
    for item in batch["events"]:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            item["id"] = (salt + item["id"])[:64]
    before = count_events(db, site.id)

    first = _post(client, batch, content_type)
    assert first.status_code in (200, 400), first.get_data(as_text=True)
    reply = first.get_json()
    note(f"batch={batch!r}\nreply={reply!r}")
    n = len(batch["events"])
    rejected = [r["index"] for r in reply["rejected"]]
    assert rejected == sorted(set(rejected)) and all(0 <= i < n for i in rejected)
    assert reply["accepted"] + reply["duplicates"] + len(rejected) <= n
    assert reply["duplicates"] == 0  # fresh ids; repeats inside one batch count once
    assert count_events(db, site.id) == before + reply["accepted"]
    if rejected:
        assert first.status_code == 400
        fields = reply["error"]["fields"]
        assert {int(key.split(".")[1]) for key in fields} == set(rejected)
    else:
        assert first.status_code == 200

    second = _post(client, batch, content_type).get_json()
    assert second["accepted"] == 0
    assert second["duplicates"] == reply["accepted"]
    assert [r["index"] for r in second["rejected"]] == rejected
    assert count_events(db, site.id) == before + reply["accepted"]


# --- Found by fuzzing: a malformed part of the envelope must not cost the batch ---------------


@pytest.mark.parametrize(
    "envelope, why",
    [
        ({"events": ["EVENT", None]}, "a null among the events is one invalid event"),
        ({"events": ["EVENT", 5]}, "a number among the events is one invalid event"),
        ({"visitor": 12, "events": ["EVENT"]}, "a malformed visitor token means a fresh visitor"),
        (
            {"visitor": {"id": "x"}, "events": ["EVENT"]},
            "a malformed visitor token means a fresh visitor",
        ),
        (
            {"visitor": "v" * 600, "events": ["EVENT"]},
            "a malformed visitor token means a fresh visitor",
        ),
    ],
)
def test_malformed_part_of_a_batch_keeps_its_valid_events(fuzz_app, fuzz_site, envelope, why):
    _, db, site, _ = fuzz_site
    good = event()
    body = {"site": SITE_KEY, **envelope}
    body["events"] = [good if e == "EVENT" else e for e in body["events"]]
    reply = _post(fuzz_app.test_client(), body, "text/plain").get_json()
    assert reply.get("accepted") == 1, why
    assert reply["visitor"].startswith("v1."), why
    assert good["id"] in event_ids(db, site.id), why
