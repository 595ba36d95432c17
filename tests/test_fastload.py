"""The compiled fast path agrees with marshmallow, or stays out of the way.

The promise of ``cxlisten.schemas.fastload``: whatever the fast loader returns, ``schema.load``
returns too; whatever marshmallow refuses, the fast loader refuses (returns None); and what it
cannot compile it never guesses at. These tests check that promise on generated input, check that
the collect schemas really are compiled (so the fast path is not trivially empty), and check that
``load_event`` and ``load_envelope`` answer exactly as the marshmallow-only path does.
"""

from __future__ import annotations

import copy

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from marshmallow import (
    EXCLUDE,
    INCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from cxlisten.schemas import collect
from cxlisten.schemas.collect import ENVELOPE, KINDS, SCHEMAS, load_envelope, load_event
from cxlisten.schemas.fastload import compile_loader

PROPERTY = settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

UUID = "0b6f7c1e-5a43-4d5e-9a57-8d7f2b1e0c11"
BASE = {"id": UUID, "ts": 1760000000000, "url": "https://shop.example/cart?x=1"}
# One valid value for every field of every kind, optional ones included.
VALID = {
    "pageview": {
        "path": "/cart",
        "referrer": "https://search.example/?q=cart",
        "title": "Cart",
        "viewport": {"w": 1280, "h": 720},
    },
    "dwell": {
        "visible_ms": 5000,
        "total_ms": 6000,
        "scroll": 40,
        "pv": UUID,
        "input": 1,
        "vitals": {"ttfb": 300, "fcp": 900, "lcp": 1800, "cls": 0.05, "inp": 120, "conn": "4g"},
    },
    "click": {
        "role": "link",
        "target": "a#buy",
        "text": "Buy",
        "href": "https://shop.example/pay",
        "signal": "dead",
    },
    "custom": {"name": "cart_abandoned", "props": {"items": 2, "plan": "pro", "ok": True}},
    "survey": {"survey": "cart-abandon", "action": "answered", "version": 3, "question": "q1"},
    "intervention": {"intervention": "need-help", "action": "clicked"},
}


def valid_event(kind: str, **changes) -> dict:
    return {**BASE, "kind": kind, **VALID[kind], **changes}


# Typical events as the browser snippet sends them: some optional fields present, some not.
TYPICAL = [
    valid_event("pageview"),
    valid_event("pageview", referrer=None, title=None, viewport=None),
    {**BASE, "kind": "pageview"},
    valid_event("dwell"),
    {**BASE, "kind": "dwell", "visible_ms": 0, "total_ms": 86400000},  # scroll defaults to 0
    valid_event("click"),
    {**BASE, "kind": "click", "text": None, "href": None},
    valid_event("custom"),
    {**BASE, "kind": "custom", "name": "a b.c:d-e_f"},  # props defaults to {}
    valid_event("custom", props={"k": None, "f": 1.5, "s": "x" * 500}),
    valid_event("survey"),
    valid_event("survey", version=None, question=None, action="dismissed"),
    valid_event("intervention"),
    valid_event("intervention", action="shown", junk={"ignored": True}, extra=1),
]

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)
# Values near the edges of what the event schemas accept, of the right type and of the wrong one.
ODD = st.one_of(
    JSON,
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            -1,
            1.0,
            100,
            101,
            24 * 3600 * 1000,
            24 * 3600 * 1000 + 1,
            2**63,
            "",
            "x",
            "a" * 64,
            "a" * 65,
            "a" * 101,
            "a" * 201,
            "a" * 513,
            "a" * 1025,
            "http://a",
            "https://" + "a" * 2041,
            "https://" + "a" * 2040,
            "ftp://files.example/x",
            "javascript:alert(1)",
            "bad name!",
            "naïve-ünïcode",
            b"bytes",
            [],
            [1, "x"],
            (1, 2),
            {},
            {"w": 1, "h": 2},
            {"w": True, "h": 2},
            {"w": 1},
            {"w": 1, "h": 2, "d": 3},
            {"w": -1, "h": 5},
            {"w": 100001, "h": 5},
            {"items": 2},
            {"": 1},
            {"k": "a" * 501},
            {"k": [1]},
            {"k": {"n": 1}},
            {1: 2},
            {f"k{i}": i for i in range(21)},
            *KINDS,
            *collect.SURVEY_ACTIONS,
            *collect.INTERVENTION_ACTIONS,
        ]
    ),
)
JUNK_KEYS = st.dictionaries(st.text(max_size=8), JSON, max_size=3)


@st.composite
def raw_inputs(draw, names: list[str], valid: dict):
    """A dict of the schema's field names, a few of them odd or left out, plus junk keys."""
    raw = draw(JUNK_KEYS)
    # Few odd fields at a time, so that the fast path also meets many valid inputs.
    odd = draw(st.sets(st.sampled_from(names), max_size=len(names)))
    for name in names:
        if name not in odd:
            raw[name] = copy.deepcopy(valid[name])
        elif draw(st.booleans()):
            raw[name] = draw(ODD)
        else:
            raw.pop(name, None)
    return raw


def events_of(kind: str):
    return raw_inputs(list(SCHEMAS[kind].load_fields), valid_event(kind))


def assert_agrees(schema: Schema, raw: object) -> None:
    """The fast loader returns marshmallow's result or None, and None whenever marshmallow fails."""
    before = copy.deepcopy(raw)
    fast = compile_loader(schema)(raw)
    assert raw == before  # the input is only read
    try:
        expected = schema.load(raw)
    except ValidationError:
        assert fast is None
        return
    if fast is not None:
        assert fast == expected
        assert list(fast) == list(expected)


def outcome(load, raw: object):
    """What LOAD makes of RAW: its result, or the messages of the ValidationError it raises."""
    try:
        return ("loaded", load(raw))
    except ValidationError as exc:
        return ("refused", exc.messages)


def marshmallow_only(load, raw: object):
    """LOAD's outcome with every fast loader refusing, i.e. the marshmallow-only code path."""
    # Not the monkeypatch fixture: hypothesis tests run many examples in one function scope.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collect, "FAST_LOADERS", {})
        patch.setattr(collect, "FAST_ENVELOPE", lambda raw: None)
        return outcome(load, raw)


# -- 1. fast loader vs Schema.load on generated input ------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_fast_loader_of_each_kind_never_disagrees_with_marshmallow(kind):
    @PROPERTY
    @given(raw=events_of(kind))
    def check(raw):
        assert_agrees(SCHEMAS[kind], raw)

    check()


ENVELOPES = raw_inputs(
    ["site", "visitor", "events"],
    {"site": "cx_site", "visitor": "v1.token", "events": [valid_event("click"), None, 3]},
)


@PROPERTY
@given(raw=ENVELOPES)
def test_the_envelope_fast_loader_never_disagrees_with_marshmallow(raw):
    assert_agrees(ENVELOPE, raw)


@pytest.mark.parametrize("raw", [None, "x", 1, [valid_event("click")], (("site", "s"),)])
def test_anything_but_a_dict_is_left_to_marshmallow(raw):
    for schema in [*SCHEMAS.values(), ENVELOPE]:
        assert compile_loader(schema)(raw) is None
        with pytest.raises(ValidationError):
            schema.load(raw)


@pytest.mark.parametrize("raw", TYPICAL, ids=lambda raw: raw["kind"])
def test_typical_events_take_the_fast_path_with_marshmallows_result(raw):
    schema = SCHEMAS[raw["kind"]]
    assert compile_loader(schema)(raw) == schema.load(raw)
    assert collect.FAST_LOADERS[raw["kind"]](raw) == schema.load(raw)


def test_a_typical_envelope_takes_the_fast_path():
    raw = {"site": "cx_site", "visitor": None, "events": [*TYPICAL, None, "x"], "extra": 1}
    loaded = collect.FAST_ENVELOPE(raw)
    assert loaded == ENVELOPE.load(raw)
    # Like marshmallow: a new list, its items passed through as they are.
    assert loaded["events"] is not raw["events"]
    assert loaded["events"][0] is raw["events"][0]
    assert collect.FAST_ENVELOPE({"site": "cx_site", "events": []}) == {
        "site": "cx_site",
        "visitor": None,
        "events": [],
        "ua": None,
    }


def test_every_collect_schema_is_compiled():
    # A schema edit the compiler does not handle stays correct (marshmallow answers) but slow:
    # this is where it shows.
    for kind, loader in collect.FAST_LOADERS.items():
        assert loader.refused is None, (kind, loader.refused)
    assert collect.FAST_ENVELOPE.refused is None


def test_dict_results_are_copies_and_defaults_are_fresh():
    raw = valid_event("custom")
    loaded = load_event(raw)
    assert loaded["props"] == raw["props"] and loaded["props"] is not raw["props"]
    first, second = (
        load_event({**BASE, "kind": "custom", "name": "n"}),
        load_event({**BASE, "kind": "custom", "name": "n"}),
    )
    assert first["props"] == {} and first["props"] is not second["props"]


# -- 2. load_event / load_envelope vs the marshmallow-only path ---------------------------------

EVENT_TABLE = [
    *TYPICAL,
    None,
    "pageview",
    [valid_event("click")],
    {},
    {"kind": "pageview"},
    {**BASE, "kind": "unknown"},
    {**BASE, "kind": ["pageview"]},
    {**BASE, "kind": {"pageview": 1}},
    {**BASE, "kind": None},
    valid_event("pageview", id=""),
    valid_event("pageview", id="x" * 65),
    valid_event("pageview", ts=True),
    valid_event("pageview", ts=1.0),
    valid_event("pageview", ts="1760000000000"),
    valid_event("pageview", url="ftp://x.example/"),
    valid_event("pageview", url="https://" + "a" * 2041),
    valid_event("pageview", url=None),
    valid_event("pageview", path=None),
    valid_event("pageview", title="t" * 513),
    valid_event("pageview", viewport={"w": 1, "h": True}),
    valid_event("pageview", viewport=[1, 2]),
    valid_event("dwell", scroll=101),
    valid_event("dwell", scroll=None),
    valid_event("dwell", visible_ms=-1, total_ms=False),
    valid_event("click", text="t" * 201, href=3),
    valid_event("click", role="r" * 33),
    valid_event("click", role=None),
    valid_event("custom", name="bad name!"),
    valid_event("custom", name=""),
    valid_event("custom", props=None),
    valid_event("custom", props=[]),
    valid_event("custom", props={f"k{i}": i for i in range(21)}),
    valid_event("custom", props={"k": {"nested": 1}}),
    valid_event("survey", action="clicked", version=True),
    valid_event("intervention", action="answered"),
    {k: v for k, v in valid_event("intervention").items() if k != "intervention"},
]


@pytest.mark.parametrize("raw", EVENT_TABLE)
def test_load_event_answers_as_marshmallow_alone_does(raw):
    assert outcome(load_event, raw) == marshmallow_only(load_event, raw)


@PROPERTY
@given(raw=st.one_of(*(events_of(kind) for kind in KINDS)))
def test_load_event_answers_as_marshmallow_alone_does_on_generated_events(raw):
    assert outcome(load_event, raw) == marshmallow_only(load_event, raw)


ENVELOPE_TABLE = [
    {"site": "cx_site", "events": []},
    {"site": "cx_site", "visitor": "token", "events": TYPICAL, "junk": [1]},
    {"site": "cx_site", "visitor": {"odd": 1}, "events": [None, 1, "x"]},
    {"site": "", "events": []},
    {"site": "s" * 65, "events": []},
    {"site": None, "events": []},
    {"site": 1, "events": []},
    {"events": []},
    {"site": "cx_site"},
    {"site": "cx_site", "events": None},
    {"site": "cx_site", "events": {"0": {}}},
    {"site": "cx_site", "events": "abc"},
    {"site": "cx_site", "events": (1, 2)},
    {},
    None,
    [1, 2],
    "text",
    {"_": "text"},
]


@pytest.mark.parametrize("raw", ENVELOPE_TABLE)
def test_load_envelope_answers_as_envelope_load_does(raw):
    assert outcome(load_envelope, raw) == outcome(ENVELOPE.load, raw)
    assert outcome(load_envelope, raw) == marshmallow_only(load_envelope, raw)


# -- 3. what the compiler does not know, it leaves to marshmallow --------------------------------


class _Plain(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True)


class _WithPreLoad(_Plain):
    @pre_load
    def strip(self, data, **kwargs):
        return data


class _WithPostLoad(_Plain):
    @post_load
    def wrap(self, data, **kwargs):
        return {"wrapped": data}


class _WithValidates(_Plain):
    @validates("name")
    def check(self, value, **kwargs):
        if value == "x":
            raise ValidationError("no x")


class _WithValidatesSchema(_Plain):
    @validates_schema
    def check(self, data, **kwargs):
        raise ValidationError("never")


class _WithFloat(_Plain):
    amount = fields.Float()


class _WithUrl(_Plain):
    link = fields.Url()


class _WithTypedDict(_Plain):
    props = fields.Dict(keys=fields.String(), values=fields.Integer())


class _WithFloatList(_Plain):
    amounts = fields.List(fields.Float())


class _WithFieldPreLoad(_Plain):
    tag = fields.String(pre_load=[str.strip])


class _WithDottedAttribute(_Plain):
    tag = fields.String(attribute="meta.tag")


class _OverridesDeserialize(_Plain):
    def _deserialize(self, data, **kwargs):
        return super()._deserialize(data, **kwargs)


class _Include(_Plain):
    class Meta:
        unknown = INCLUDE


class _Raise(_Plain):
    class Meta:
        unknown = RAISE


REFUSED = [
    _WithPreLoad(),
    _WithPostLoad(),
    _WithValidates(),
    _WithValidatesSchema(),
    _WithFloat(),
    _WithUrl(),
    _WithTypedDict(),
    _WithFloatList(),
    _WithFieldPreLoad(),
    _WithDottedAttribute(),
    _OverridesDeserialize(),
    _Include(),
    _Raise(),
    _Plain(many=True),
    _Plain(partial=True),
]


@pytest.mark.parametrize("schema", REFUSED, ids=lambda schema: repr(schema))
def test_what_the_compiler_does_not_handle_compiles_to_a_loader_that_always_defers(schema):
    loader = compile_loader(schema)
    assert isinstance(loader.refused, str) and loader.refused
    for raw in ({"name": "a"}, {"name": "a", "amount": 1.5, "tag": " t "}, [{"name": "a"}]):
        assert loader(raw) is None


def test_a_plain_schema_compiles():
    loader = compile_loader(_Plain())
    assert loader.refused is None
    assert loader({"name": "a", "other": 1}) == {"name": "a"}


def test_data_key_and_attribute_are_respected():
    class Renamed(_Plain):
        tag = fields.String(data_key="Tag", attribute="label")

    schema = Renamed()
    raw = {"name": "a", "Tag": "t", "tag": "ignored"}
    assert compile_loader(schema)(raw) == schema.load(raw) == {"name": "a", "label": "t"}


@pytest.mark.parametrize(
    "tags", [[], ["a", "abc"], ["a", None], ["abcd"], ["a", 1], [True], ("a",), "abc", None, [[]]]
)
def test_list_items_are_checked_by_the_inner_field(tags):
    class Tagged(_Plain):
        tags = fields.List(fields.String(validate=validate.Length(max=3)))

    schema, raw = Tagged(), {"name": "a", "tags": tags}
    assert_agrees(schema, raw)
    if type(tags) is list and all(type(tag) is str and len(tag) <= 3 for tag in tags):
        assert compile_loader(schema)(raw) == {"name": "a", "tags": tags}


def test_load_default_none_allows_none_and_callables_are_called():
    class Defaults(Schema):
        class Meta:
            unknown = EXCLUDE

        maybe = fields.String(load_default=None)
        counter = fields.Integer(load_default=lambda: 7)
        absent = fields.Integer()

    schema, loader = Defaults(), compile_loader(Defaults())
    for raw in ({}, {"maybe": None}, {"maybe": "m", "counter": 1}):
        assert loader(raw) == schema.load(raw)
    assert loader({}) == {"maybe": None, "counter": 7}


def test_bools_are_not_integers_and_bytes_are_left_to_marshmallow():
    class Numbers(_Plain):
        n = fields.Integer(strict=True)
        loose = fields.Integer()

    loader = compile_loader(Numbers())
    assert loader({"name": "a", "n": 1, "loose": 2}) == {"name": "a", "n": 1, "loose": 2}
    assert loader({"name": "a", "n": True}) is None
    assert loader({"name": "a", "loose": False}) is None
    # Marshmallow decodes bytes for a String; the fast path only vouches for str.
    assert loader({"name": b"a"}) is None
    assert Numbers().load({"name": b"a"}) == {"name": "a"}


def test_a_validator_raising_anything_makes_the_fast_loader_defer_never_raise():
    def explode(value):
        raise RuntimeError("validator bug")

    class Exploding(_Plain):
        tag = fields.String(validate=explode)

    schema = Exploding()
    assert compile_loader(schema)({"name": "a", "tag": "t"}) is None
    with pytest.raises(RuntimeError):
        schema.load({"name": "a", "tag": "t"})


def test_a_validator_returning_false_makes_the_fast_loader_defer():
    # Marshmallow 3 counted False as a failure, marshmallow 4 ignores it: either way, ask it.
    class Falsy(_Plain):
        tag = fields.String(validate=validate.And(validate.Length(max=5), lambda value: False))

    assert compile_loader(Falsy())({"name": "a", "tag": "t"}) is None
