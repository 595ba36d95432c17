"""Validate and normalise survey and intervention definitions (JSON files or API bodies).

``normalise(raw)`` returns the definition with every default filled in, or raises ``InvalidInput``
whose ``fields`` hold *every* problem at once, each located the way a person reads the file::

    questions[2].options: at least 2 options required
    questions[0].branch[1].goto: "later" is not a question after this one

Field shapes are checked by the marshmallow schemas in ``cxlisten.schemas.surveys``; relations
between fields are checked here, on the raw input, so both kinds of error arrive together.
"""

from __future__ import annotations

import copy
import re
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

from marshmallow import ValidationError

from cxlisten.errors import InvalidInput
from cxlisten.schemas.surveys import INTERVENTION, SURVEY, Moment

__all__ = ["NUMERIC_RANGES", "client_view", "normalise", "numeric_range", "locate"]

# Answer range of each numeric question type; rating's top comes from its scale.
NUMERIC_RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
CHOICE_TYPES = ("single", "multi")
PHASE_QUESTIONS = {"track": (1, 2), "deepdive": (2, 5)}
OTHER = "other"  # the value of the "Other: ___" choice
DEFAULT_TEXT_LENGTH = 500


def numeric_range(question: dict) -> tuple[int, int] | None:
    """Return (low, high) of a numeric question's answers, or None for other types."""
    qtype = question.get("type")
    if qtype == "rating":
        scale = question.get("scale") if isinstance(question.get("scale"), dict) else {}
        top = scale.get("max", 5)
        return (1, top if isinstance(top, int) and not isinstance(top, bool) else 5)
    return NUMERIC_RANGES.get(qtype) if isinstance(qtype, str) else None


def locate(messages: Any, prefix: str = "", *, texts: bool = False) -> dict[str, list[str]]:
    """Turn marshmallow's nested errors into {"questions[2].options": ["..."]}.

    With TEXTS, a per-locale text's error is located at the locale (``questions[0].text.zh``),
    not at marshmallow's ``.key``/``.value`` of the dict entry.
    """
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema" or (texts and key in ("key", "value") and prefix):
                path = prefix or "_schema"
            elif isinstance(key, int):
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for p, msgs in locate(value, path, texts=texts).items():
                out.setdefault(p, []).extend(msgs)
    elif isinstance(messages, list | tuple):
        for m in messages:
            if isinstance(m, str):
                out.setdefault(prefix or "_schema", []).append(_plain(m))
            else:
                for p, msgs in locate(m, prefix, texts=texts).items():
                    out.setdefault(p, []).extend(msgs)
    else:
        out.setdefault(prefix or "_schema", []).append(_plain(str(messages)))
    return out


def _plain(message: str) -> str:
    """Marshmallow's stock messages, in the lower-case style of ours."""
    return {
        "Missing data for required field.": "required",
        "Unknown field.": "unknown field",
        "Not a valid string.": "must be a string",
        "Not a valid integer.": "must be a whole number",
        "Not a valid number.": "must be a number",
        "Not a valid boolean.": "must be true or false",
        "Not a valid list.": "must be a list",
        "Not a valid mapping type.": "must be an object",
        "Field may not be null.": "may not be null",
        "Invalid input type.": "must be an object",
    }.get(message, (message[:1].lower() + message[1:]).rstrip("."))


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, [])
        if message not in self[path]:
            self[path].append(message)


def normalise(
    raw: Any, kind: str | None = None, *, link_origins: list[str] | tuple[str, ...] | None = None
) -> dict:
    """Return the normalised definition in RAW, or raise InvalidInput listing every error.

    KIND ("survey" or "intervention") is what the caller expects; without it the definition's
    own ``kind`` decides (default "survey"). LINK_ORIGINS, when given (a site's origins and the
    ``link_origins`` setting), are the only origins an absolute link may point to.
    """
    if not isinstance(raw, dict):
        raise InvalidInput("invalid definition", {"_schema": ["must be a JSON object"]})
    declared = raw.get("kind", "survey")
    errors = _Errors()
    if kind and "kind" in raw and declared != kind:
        errors.add("kind", f"this endpoint takes {kind} definitions, not {declared!r}")
    kind = kind or (declared if declared in ("survey", "intervention") else "survey")
    schema = INTERVENTION if kind == "intervention" else SURVEY
    data: dict | None = None
    try:
        data = schema.load({**raw, "kind": kind})
    except ValidationError as exc:
        for path, msgs in locate(exc.messages, texts=True).items():
            for m in msgs:
                errors.add(path, m)
    _check_relations(raw, kind, errors)
    if link_origins is not None:
        _check_links(raw, link_origins, errors)
    if errors:
        ordered = {path: errors[path] for path in sorted(errors, key=_path_order)}
        raise InvalidInput(f"invalid {kind} definition", ordered)
    assert data is not None
    return _fill_defaults(data)


def _path_order(path: str) -> list:
    """Sort key putting questions[2] before questions[10], and a field before its parts."""
    # isdecimal, not isdigit: "¹" is a digit that int() refuses (a key a visitor can send).
    return [
        (0, int(p), "") if p.isdecimal() else (1, 0, p) for p in re.split(r"[\[\].]+", path) if p
    ]


# --- relations between fields --------------------------------------------------------------------


def _check_relations(raw: dict, kind: str, errors: _Errors) -> None:
    default_locale = raw.get("default_locale", "en")
    if not isinstance(default_locale, str):
        default_locale = "en"
    locales = raw.get("locales") if isinstance(raw.get("locales"), list) else None
    if locales is not None and default_locale not in locales:
        errors.add("locales", f"must include the default locale {default_locale!r}")
    _check_trigger(raw.get("trigger"), errors)
    _check_audience(raw.get("audience"), errors)
    _check_repetition(raw.get("repetition"), errors)
    for path, text in _texts(raw, kind):
        if not isinstance(text, dict) or not text:
            continue
        if default_locale not in text:
            errors.add(path, f"missing the default locale {default_locale!r}")
        if locales is not None:
            for loc in text:
                if loc not in locales:
                    errors.add(path, f"locale {loc!r} is not listed in locales")
    if kind == "survey":
        _check_questions(raw, errors)
    else:
        content = raw.get("content")
        if isinstance(content, dict) and ("label" in content) != ("url" in content):
            errors.add("content", "a link needs both label and url")


def _check_links(raw: dict, allowed: list[str] | tuple[str, ...], errors: _Errors) -> None:
    """Refuse absolute links to an origin that is neither the site's nor explicitly allowed."""
    content = raw.get("content")
    problem = link_origin_problem(
        content.get("url") if isinstance(content, dict) else None, allowed
    )
    if problem:
        errors.add("content.url", problem)


def link_origin_problem(url: object, allowed: list[str] | tuple[str, ...]) -> str | None:
    """Return why URL may not be linked to (an origin neither the site's nor ALLOWED), or None.

    Paths are the site's own (their shape is checked by the schemas' ``validate_link``).
    """
    if not isinstance(url, str) or url.startswith("/"):
        return None
    parts = urlsplit(url)
    try:
        origin = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return None  # not a URL: the schema says so
    origin = origin.lower()
    if any(
        a == "*" or a.rstrip("/").lower() == origin or ("*" in a and fnmatchcase(origin, a))
        for a in allowed
    ):
        return None
    return (
        f"{origin} is not one of the site's origins nor in link_origins: link to a path of "
        "the site, or allow that origin"
    )


def _texts(raw: dict, kind: str):
    """Yield (path, text-per-locale) for every translatable text of a definition."""
    if kind == "survey":
        texts = raw.get("texts")
        if isinstance(texts, dict):
            for key, text in texts.items():
                yield f"texts.{key}", text
        questions = raw.get("questions")
        for i, q in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(q, dict):
                continue
            yield f"questions[{i}].text", q.get("text")
            options = q.get("options")
            for j, option in enumerate(options if isinstance(options, list) else []):
                if isinstance(option, dict):
                    yield f"questions[{i}].options[{j}].label", option.get("label")
            labels = q.get("labels")
            if isinstance(labels, dict):
                for end in ("min", "max"):
                    yield f"questions[{i}].labels.{end}", labels.get(end)
    else:
        content = raw.get("content")
        if isinstance(content, dict):
            for key in ("title", "body", "label"):
                yield f"content.{key}", content.get(key)


_TRIGGER_NEEDS = {
    "dwell": ("seconds",),
    "event": ("event",),
    "journey": ("steps",),
    "visit": ("visit",),
    "frustration": ("signal",),
    "slow_page": ("metric", "over"),
    "scroll": ("percent",),
}
_TRIGGER_MAY = {"after": "dwell", "days": "visit"}  # optional fields of one trigger type


def _check_trigger(trigger: Any, errors: _Errors) -> None:
    if not isinstance(trigger, dict):
        return
    kind = trigger.get("type")
    for t, needs in _TRIGGER_NEEDS.items():
        for needed in needs:
            if kind == t and needed not in trigger:
                errors.add(f"trigger.{needed}", f"required for {t} triggers")
            elif kind != t and needed in trigger and isinstance(kind, str):
                errors.add(f"trigger.{needed}", f"only for {t} triggers")
    for name, t in _TRIGGER_MAY.items():
        if kind != t and name in trigger and isinstance(kind, str):
            errors.add(f"trigger.{name}", f"only for {t} triggers")


def _check_audience(audience: Any, errors: _Errors) -> None:
    if not isinstance(audience, dict):
        return
    try:
        start, end = (
            Moment(allow_none=True).deserialize(audience.get(end)) for end in ("start", "end")
        )
    except ValidationError:
        return  # the schema reports the bad date
    if start and end and start >= end:  # normalised ISO text in UTC sorts by time
        errors.add("audience.end", "must be after start")


def _check_repetition(repetition: Any, errors: _Errors) -> None:
    if not isinstance(repetition, dict):
        return
    mode = repetition.get("mode", "once")
    if mode == "times" and "times" not in repetition:
        errors.add("repetition.times", "required when mode is times")
    if mode != "times" and "times" in repetition:
        errors.add("repetition.times", "only when mode is times")


def _check_questions(raw: dict, errors: _Errors) -> None:
    questions = raw.get("questions")
    if not isinstance(questions, list):
        return
    phase = raw.get("phase")
    if isinstance(phase, str) and phase in PHASE_QUESTIONS:
        low, high = PHASE_QUESTIONS[phase]
        if not low <= len(questions) <= high:
            label = "a track-phase pulse" if phase == "track" else "a deep-dive"
            errors.add("questions", f"{label} has {low}–{high} questions, not {len(questions)}")
    ids = [q.get("id") if isinstance(q, dict) else None for q in questions]
    seen: set = set()
    for i, qid in enumerate(ids):
        if not isinstance(qid, str):
            continue  # the schema reports it
        if qid in seen:
            errors.add(f"questions[{i}].id", f"duplicate question id {qid!r}")
        seen.add(qid)
        if qid == "end":
            errors.add(f"questions[{i}].id", "'end' is reserved for branching")
    for i, q in enumerate(questions):
        if isinstance(q, dict):
            _check_question(q, f"questions[{i}]", ids[i + 1 :], errors)


def _check_question(q: dict, at: str, later: list, errors: _Errors) -> None:
    qtype = q.get("type")
    choice = qtype in CHOICE_TYPES
    options = q.get("options")
    codes: list = []
    if choice:
        if not isinstance(options, list) or len(options) < 2:
            errors.add(f"{at}.options", "at least 2 options required")
        elif len(options) > 20:
            errors.add(f"{at}.options", "at most 20 options")
        if isinstance(options, list):
            for j, option in enumerate(options):
                code = option.get("code") if isinstance(option, dict) else None
                if not isinstance(code, str):
                    continue  # the schema reports it
                if code in codes:
                    errors.add(f"{at}.options[{j}].code", f"duplicate option code {code!r}")
                codes.append(code)
                if code == OTHER and q.get("other"):
                    errors.add(f"{at}.options[{j}].code", "'other' is the Other choice's code")
    elif isinstance(qtype, str):
        for name in ("options", "other"):
            if name in q:
                errors.add(f"{at}.{name}", "only for single and multi questions")
    if "max_length" in q and qtype != "text":
        errors.add(f"{at}.max_length", "only for text questions")
    if "scale" in q and qtype != "rating":
        errors.add(f"{at}.scale", "only for rating questions")
    if "labels" in q and numeric_range(q) is None and isinstance(qtype, str):
        errors.add(f"{at}.labels", "only for nps, csat, ces and rating questions")
    branches = q.get("branch")
    if not isinstance(branches, list):
        return
    allowed_codes = [*codes, OTHER] if q.get("other") else codes
    for k, branch in enumerate(branches):
        if not isinstance(branch, dict):
            continue
        where = f"{at}.branch[{k}]"
        goto = branch.get("goto")
        if isinstance(goto, str) and goto != "end" and goto not in later:
            errors.add(f"{where}.goto", f"{goto!r} is not a question after this one (or 'end')")
        when = branch.get("when")
        if isinstance(when, dict) and isinstance(qtype, str):
            _check_condition(when, qtype, numeric_range(q), allowed_codes, f"{where}.when", errors)


def _check_condition(when, qtype, bounds, codes, at, errors: _Errors) -> None:
    tests = [t for t in ("equals", "in") if t in when] + (
        ["range"] if "min" in when or "max" in when else []
    )
    if len(tests) != 1:
        errors.add(at, "give exactly one of equals, in, or min/max")
        return
    if qtype == "text":
        errors.add(at, "text answers cannot branch")
        return
    values = [when["equals"]] if "equals" in when else when.get("in")
    if tests[0] == "range":
        if bounds is None:
            errors.add(at, "min/max only for nps, csat, ces and rating questions")
            return
        low, high = when.get("min", bounds[0]), when.get("max", bounds[1])
        for end, value in (("min", low), ("max", high)):
            if not isinstance(value, int | float) or not bounds[0] <= value <= bounds[1]:
                errors.add(f"{at}.{end}", f"must be within {bounds[0]}–{bounds[1]}")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            errors.add(at, "min is greater than max")
        return
    if not isinstance(values, list):
        return
    for value in values:
        if qtype in CHOICE_TYPES:
            if value not in codes:
                errors.add(at, f"{value!r} is not an option code of this question")
        elif bounds is not None:
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not bounds[0] <= value <= bounds[1]
            ):
                errors.add(at, f"{value!r} is not an answer within {bounds[0]}–{bounds[1]}")


# --- defaults ------------------------------------------------------------------------------------


def _fill_defaults(data: dict) -> dict:
    out = copy.deepcopy(data)
    out.pop("status", None)
    out.setdefault("name", out["id"])
    out["journey"] = out.get("journey") or None
    repetition = out["repetition"]
    repetition.setdefault("times", 1 if repetition["mode"] == "once" else None)
    if repetition["mode"] == "until_answered":
        repetition["times"] = None
    if "locales" not in out:
        seen = [out["default_locale"]]
        for _, text in _texts(out, out["kind"]):
            for loc in text or {}:
                if loc not in seen:
                    seen.append(loc)
        out["locales"] = seen
    if out["kind"] == "survey":
        for q in out["questions"]:
            if q["type"] in CHOICE_TYPES:
                q.setdefault("other", False)
            else:
                q.pop("other", None)
            if q["type"] == "text":
                q.setdefault("max_length", DEFAULT_TEXT_LENGTH)
            if q["type"] == "rating":
                q.setdefault("scale", {"max": 5})
            for branch in q["branch"]:
                when = branch["when"]
                if "in_" in when:
                    when["in"] = when.pop("in_")
    return out


def client_view(definition: dict, version: int) -> dict:
    """Return what the snippet needs to show a survey or intervention (no targeting rules)."""
    common = {"id": definition["id"]}
    trigger = definition["trigger"]
    if trigger["type"] == "frustration" and trigger.get("signal") == "abandoned":
        # The collector decided (targeting: the session abandoned a field): show it at once.
        trigger = {"type": "pageview", "urls": trigger.get("urls") or []}
    if definition["kind"] == "intervention":
        return {
            **common,
            "priority": definition["priority"],
            "trigger": trigger,
            "default_locale": definition["default_locale"],
            "locales": definition["locales"],
            "content": definition["content"],
            "placement": definition["placement"],
        }
    questions = []
    for q in definition["questions"]:
        shown = {k: v for k, v in q.items() if k != "saves_as"}
        questions.append(shown)
    return {
        **common,
        "version": version,
        "phase": definition["phase"],
        "priority": definition["priority"],
        "trigger": trigger,
        "default_locale": definition["default_locale"],
        "locales": definition["locales"],
        "texts": definition["texts"],
        "questions": questions,
    }
