"""Validate activation rules: the ``when → then`` format that ``cxlisten.activate`` evaluates.

``validate_rule(data)`` returns the rule with defaults filled in (``holdout``: 10 percent for
proactive rules, 0 otherwise; an ``id`` for every action), or raises ``InvalidInput`` with every
problem located (``when.0.max: a number``). The format is described in ``cxlisten.activate`` and
docs/phases.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from cxlisten.errors import InvalidInput, flatten_fields
from cxlisten.schemas.surveys import GOAL, PLACEMENT, PLACEMENTS, validate_link
from cxlisten.surveys.definitions import link_origin_problem

__all__ = ["LEVELS", "KINDS", "PLACEMENTS", "STATES", "Rule", "validate_rule"]


@dataclass(frozen=True)
class Rule:
    """A stored activation rule: when → then, with its level, priority, journey and holdout.

    ``when`` (conditions) and ``then`` (the action and effects) keep the validated JSON format of
    docs/phases.md; ``cxlisten.results.to_json`` gives the rule back in that format.
    """

    name: str
    level: str
    priority: int
    journey: str | None
    enabled: bool
    updated_at: int | None
    description: str | None
    when: tuple[dict, ...]
    then: dict
    holdout: float

    @classmethod
    def from_stored(cls, item: dict) -> Rule:
        """Return the rule of a stored row (``cxlisten.storage.rules``)."""
        return cls(
            name=item["name"],
            level=item["level"],
            priority=item["priority"],
            journey=item.get("journey"),
            enabled=item["enabled"],
            updated_at=item.get("updated_at"),
            description=item.get("description"),
            when=tuple(item.get("when") or ()),
            then=item["then"],
            holdout=item["holdout"],
        )


LEVELS = ("reactive", "choice", "proactive")
KINDS = ("content", "channel")
STATES = ("entered", "in_progress", "completed", "not_entered")
NAME = r"^[a-z0-9][a-z0-9_.-]{0,63}$"

_LOCALE = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"


def _texts(max_length: int, **kw):
    return fields.Dict(
        keys=fields.String(validate=validate.Regexp(_LOCALE)),
        values=fields.String(validate=validate.Length(1, max_length)),
        validate=validate.Length(min=1),
        **kw,
    )


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class _Show(_Strict):
    id = fields.String(validate=validate.Regexp(NAME))
    kind = fields.String(load_default="content", validate=validate.OneOf(KINDS))
    channel = fields.String(validate=validate.Length(1, 40))
    title = _texts(200, required=True)
    body = _texts(2000, load_default=dict)
    label = _texts(100, load_default=dict)
    url = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.And(validate.Length(max=2048), validate_link),
    )
    placement = fields.String(load_default="bottom-right", validate=PLACEMENT)


class _FromAnswer(_Strict):
    survey = fields.String(required=True, validate=validate.Length(1, 64))
    question = fields.String(required=True, validate=validate.Length(1, 64))
    map = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 64)),
        values=fields.Nested(_Show),
        required=True,
        validate=validate.Length(min=1),
    )


class _Then(_Strict):
    show = fields.Nested(_Show)
    from_answer = fields.Nested(_FromAnswer)
    choose = fields.List(fields.Nested(_Show), validate=validate.Length(2, 10))
    set = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")),
        values=fields.String(validate=validate.Length(max=500)),
    )
    webhook = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{1,100}$"))

    @validates_schema
    def _something(self, data, **kwargs):
        shows = [k for k in ("show", "from_answer", "choose") if k in data]
        if len(shows) > 1:
            raise ValidationError(
                f"give only one of show, from_answer, choose (got {', '.join(shows)})"
            )
        if not data:
            raise ValidationError("give show, from_answer, choose, set or webhook")


class _Rule(_Strict):
    name = fields.String(required=True, validate=validate.Regexp(NAME))
    description = fields.String(validate=validate.Length(max=2000))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    priority = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 1000))
    journey = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(NAME))
    # What lift counts as success when it is not the journey's goal: a custom event or a page.
    goal = fields.String(
        load_default=None,
        allow_none=True,
        validate=GOAL,
    )
    when = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=20))
    then = fields.Nested(_Then, required=True)
    holdout = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, 90))
    enabled = fields.Boolean(load_default=True)


_RULE = _Rule()
_COND_KEYS = {"attribute", "answer", "score", "journey", "segment", "page", "risk"}
_MATCHERS = {"equals", "in", "min", "max", "exists"}


def _check_condition(cond, at: str, errors: dict) -> None:
    if not isinstance(cond, dict):
        errors[at] = ["a condition object"]
        return
    kinds = _COND_KEYS & set(cond)
    if len(kinds) != 1:
        errors[at] = [f"exactly one of {', '.join(sorted(_COND_KEYS))}"]
        return
    kind = kinds.pop()
    allowed = {kind} | {
        "attribute": _MATCHERS,
        "answer": _MATCHERS,
        "score": {"min", "max"},
        "journey": {"state", "step"},
        "segment": set(),
        "page": set(),
        "risk": set(),
    }[kind]
    for key in set(cond) - allowed:
        errors[f"{at}.{key}"] = ["unknown field"]
    value = cond[kind]
    if kind == "answer" and not (
        isinstance(value, dict)
        and set(value) == {"survey", "question"}
        and all(isinstance(v, str) for v in value.values())
    ):
        errors[f"{at}.answer"] = ['{"survey": ..., "question": ...}']
    if kind == "score" and value not in ("nps", "csat", "ces", "rating"):
        errors[f"{at}.score"] = ["one of nps, csat, ces, rating"]
    if kind == "journey":
        if not isinstance(value, str):
            errors[f"{at}.journey"] = ["a journey name"]
        if cond.get("state", "entered") not in STATES:
            errors[f"{at}.state"] = [f"one of {', '.join(STATES)}"]
    if kind == "segment":
        if not isinstance(value, dict) or set(value) - {"device", "visitor"}:
            errors[f"{at}.segment"] = ['{"device": [...], "visitor": "new"|"returning"}']
        elif value.get("visitor") not in (None, "new", "returning"):
            errors[f"{at}.segment.visitor"] = ["new or returning"]
    if kind == "page" and not (
        isinstance(value, list)
        and value
        and all(isinstance(p, str) and p.startswith("/") for p in value)
    ):
        errors[f"{at}.page"] = ["a list of path patterns"]
    if kind == "risk" and value not in ("low", "medium", "high"):  # cxlisten.risk.LEVELS
        errors[f"{at}.risk"] = ["one of low, medium, high"]
    if kind == "attribute" and not isinstance(value, str):
        errors[f"{at}.attribute"] = ["an attribute name"]
    for bound in ("min", "max"):
        if bound in cond and (
            isinstance(cond[bound], bool) or not isinstance(cond[bound], int | float)
        ):
            errors[f"{at}.{bound}"] = ["a number"]
    if "in" in cond and not isinstance(cond["in"], list):
        errors[f"{at}.in"] = ["a list"]


def validate_rule(data, link_origins: list[str] | None = None) -> dict:
    """Return a rule checked and completed, or raise InvalidInput with every located error.

    With LINK_ORIGINS (the site's origins and the ``link_origins`` setting), an absolute link
    the rule would show must point to one of them, as an intervention's must.
    """
    errors: dict = {}
    rule = None
    try:
        rule = _RULE.load(data if isinstance(data, dict) else {"_": data})
    except ValidationError as exc:
        errors.update(flatten_fields(exc.messages))
    for i, cond in enumerate(
        data.get("when", [])
        if isinstance(data, dict) and isinstance(data.get("when"), list)
        else []
    ):
        _check_condition(cond, f"when.{i}", errors)
    if rule is not None and link_origins is not None:
        for at, shown in _shows(rule["then"]):
            problem = link_origin_problem(shown.get("url"), link_origins)
            if problem:
                errors[f"{at}.url"] = [problem]
    if errors:
        raise InvalidInput("invalid rule", errors)
    if rule["holdout"] is None:
        rule["holdout"] = 10.0 if rule["level"] == "proactive" else 0.0
    then = rule["then"]
    for i, show in enumerate(then.get("choose", [])):
        show.setdefault("id", f"{rule['name']}-{i + 1}")
    for code, show in then.get("from_answer", {}).get("map", {}).items():
        show.setdefault("id", f"{rule['name']}-{code}")
    if "show" in then:
        then["show"].setdefault("id", rule["name"])
    return rule


def _shows(then: dict):
    """Yield (field path, show) of everything a rule's ``then`` may show."""
    if "show" in then:
        yield "then.show", then["show"]
    for i, shown in enumerate(then.get("choose", [])):
        yield f"then.choose.{i}", shown
    for code, shown in then.get("from_answer", {}).get("map", {}).items():
        yield f"then.from_answer.map.{code}", shown
