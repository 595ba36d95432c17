"""The builder's form: a survey definition as form fields named by their path, and back.

Each field is named by the path the engine's ``normalise`` uses to locate an error
(``questions[2].options[0].label.zh-CN``), so every error it reports lands next to its field
with no mapping table. ``fields_of(raw)`` reads a (possibly invalid) definition into what the
form shows; ``definition_of(form)`` turns a posted form back into the definition the engine
checks (``builder_ops.apply`` adds, removes and moves its parts). Keys the form has no field
for travel in a hidden ``rest`` JSON field, so nothing in a survey file is lost by editing it
here; the description and a scale's end labels have fields of their own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cxlisten.schemas import safejson
from cxlisten.schemas.surveys import TEXT_KEYS
from cxlisten.surveys.definitions import CHOICE_TYPES, NUMERIC_RANGES

__all__ = ["FieldErrors", "definition_of", "field_id", "fields_of"]

# Always shown side by side, whatever the survey lists (a missing one is flagged).
SIDE_BY_SIDE = ("en", "zh-CN", "zh-TW")
TOP_KEYS = {
    "id", "name", "description", "phase", "status", "priority", "journey", "default_locale",
    "locales", "trigger", "audience", "repetition", "texts", "questions",
}  # fmt: skip
QUESTION_KEYS = {
    "id", "type", "required", "text", "options", "other", "max_length", "scale", "labels",
    "branch", "saves_as",
}  # fmt: skip
SCALE_ENDS = ("min", "max")  # a numeric question's end labels ("Not likely", "Very likely")
NUMERIC = (*NUMERIC_RANGES, "rating")
# The fields of each trigger type (cxlisten.schemas.surveys.Trigger), and how each is typed in:
# a number, a text, or one path pattern per line.
TRIGGER_FIELDS = {
    "dwell": {"seconds": "number", "after": "lines"},
    "event": {"event": "text"},
    "journey": {"steps": "lines"},
    "visit": {"visit": "number", "days": "number"},
    "frustration": {"signal": "text"},
    "slow_page": {"metric": "text", "over": "number"},
    "scroll": {"percent": "number"},
}
_PATH = re.compile(r"\.?([^.\[\]]+)|\[(\d{1,3})\]")


def field_id(path: str) -> str:
    """The HTML id of the field named PATH: questions[0].text.zh-CN is f-questions-0-text-zh-CN."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")


# --- reading a definition into the form ----------------------------------------------------------


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lines(value: Any) -> str:
    return "\n".join(_str(v) for v in _list(value))


def _words(value: Any) -> str:
    return ", ".join(_str(v) for v in _list(value))


def _moment(value: Any) -> str:
    """A stored moment (``2026-11-01T09:00:00Z``) as a datetime-local value, in UTC."""
    text = _str(value)
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return text + "T00:00"
    return text[:16] if re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text) else text


def _texts(value: Any) -> dict[str, str]:
    return {str(k): _str(v) for k, v in _dict(value).items()}


def _rest(source: dict, covered: set[str]) -> str:
    extra = {k: v for k, v in source.items() if k not in covered}
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def _branch(branch: Any) -> dict:
    when = _dict(_dict(branch).get("when"))
    if "in" in when:
        test, value = "in", _words(when.get("in"))
    elif "min" in when or "max" in when:
        test, value = "range", ""
    else:
        test, value = "equals", _str(when.get("equals"))
    return {
        "test": test,
        "value": value,
        "min": _str(when.get("min")),
        "max": _str(when.get("max")),
        "goto": _str(_dict(branch).get("goto")),
    }


def _question_fields(q: dict, later: list[str]) -> dict:
    """Return what the form shows for question Q; LATER: the ids a branch of it may jump to."""
    return {
        "id": _str(q.get("id")),
        "type": _str(q.get("type")) or "single",
        "required": q.get("required", True) is not False,
        "other": q.get("other") is True,
        "text": _texts(q.get("text")),
        # A question of another type gets two blank options, shown if its type
        # becomes single or multi (the form sends options only for those types).
        "options": [
            {"code": _str(_dict(o).get("code")), "label": _texts(_dict(o).get("label"))}
            for o in _list(q.get("options"))
        ]
        or [{"code": "a", "label": {}}, {"code": "b", "label": {}}],
        "branches": [_branch(b) for b in _list(q.get("branch"))],
        "saves_as": _str(q.get("saves_as")),
        "max_length": _str(q.get("max_length")),
        "scale_max": _str(_dict(q.get("scale")).get("max")),
        "labels": {end: _texts(_dict(q.get("labels")).get(end)) for end in SCALE_ENDS},
        "rest": _rest(q, QUESTION_KEYS),
        "later": [(x, x) for x in later if x],
    }


def fields_of(raw: Any) -> dict:
    """Return what the form shows for RAW (any JSON value; a broken survey still shows)."""
    raw = _dict(raw)
    trigger, audience = _dict(raw.get("trigger")), _dict(raw.get("audience"))
    attributes, repetition = _dict(audience.get("attributes")), _dict(raw.get("repetition"))
    locales = [str(v) for v in _list(raw.get("locales"))] or ["en"]
    items = _list(raw.get("questions"))
    ids = [_str(_dict(q).get("id")) for q in items]
    # A branch may jump to a later question only.
    questions = [_question_fields(_dict(q), ids[i + 1 :]) for i, q in enumerate(items)]
    return {
        "id": _str(raw.get("id")),
        "name": _str(raw.get("name")),
        "description": _str(raw.get("description")),
        "phase": _str(raw.get("phase")) or "track",
        "status": _str(raw.get("status")),  # empty: as it is (a new survey: active)
        "priority": _str(raw.get("priority")),
        "journey": _str(raw.get("journey")),
        "default_locale": _str(raw.get("default_locale")) or "en",
        "locales": ", ".join(locales),
        "columns": [*SIDE_BY_SIDE, *(loc for loc in locales if loc not in SIDE_BY_SIDE)],
        "listed": locales,
        "texts": {key: _texts(_dict(raw.get("texts")).get(key)) for key in TEXT_KEYS},
        "trigger": {
            "type": _str(trigger.get("type")) or "pageview",
            "urls": _lines(trigger.get("urls")),
            **{
                name: (_lines if shape == "lines" else _str)(trigger.get(name))
                for fields in TRIGGER_FIELDS.values()
                for name, shape in fields.items()
            },
        },
        "audience": {
            "sample": _str(audience.get("sample", 100)),
            "devices": [_str(d) for d in _list(audience.get("devices"))],
            "visitors": _str(audience.get("visitors")) or "all",
            "has": _words(attributes.get("has")),
            "lacks": _words(attributes.get("lacks")),
            "equals": "\n".join(
                f"{k}={_str(v)}" for k, v in _dict(attributes.get("equals")).items()
            ),
            "start": _moment(audience.get("start")),
            "end": _moment(audience.get("end")),
            "quota": _str(audience.get("quota")),
        },
        "repetition": {
            "mode": _str(repetition.get("mode")) or "once",
            "times": _str(repetition.get("times")),
            "recontact_days": _str(repetition.get("recontact_days")),
        },
        "questions": questions,
        "rest": _rest(raw, TOP_KEYS),
    }


# --- reading a posted form back into a definition ------------------------------------------------


def _tree(form: Mapping[str, Any]) -> dict:
    """Nest the posted fields by their paths; list indices become int keys."""
    root: dict = {}
    for name, value in form.items():
        parts = [int(i) if i else k for k, i in _PATH.findall(name)]
        if not parts or "".join(str(p) for p in parts) == "":
            continue
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return root


def _items(node: Any) -> list:
    """The int-keyed entries of NODE, in index order."""
    node = _dict(node)
    return [node[k] for k in sorted(k for k in node if isinstance(k, int))]


def _number(text: Any) -> Any:
    """A whole or decimal number if TEXT is one, else TEXT (the schema then says what is wrong)."""
    text = _str(text).strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"-?\d{1,15}\.\d{1,15}", text):
        return float(text)
    return text


def _split(text: Any, sep: str) -> list[str]:
    return [p.strip() for p in re.split(sep, _str(text)) if p.strip()]


def _per_locale(node: Any) -> dict:
    return {str(k): _str(v) for k, v in _dict(node).items() if _str(v).strip()}


def _answer(text: str, qtype: str) -> Any:
    return _number(text) if qtype in NUMERIC else text


def _branch_of(node: dict, qtype: str) -> dict:
    test = _str(node.get("test"))
    when: dict[str, Any] = {}
    if test == "in":
        when["in"] = [_answer(v, qtype) for v in _split(node.get("value"), r",")]
    elif test == "range":
        for end in ("min", "max"):
            if _str(node.get(end)).strip():
                when[end] = _number(node.get(end))
    else:
        when["equals"] = _answer(_str(node.get("value")).strip(), qtype)
    return {"when": when, "goto": _str(node.get("goto"))}


def _rest_of(node: dict, errors: dict[str, list[str]], at: str) -> dict:
    text = _str(node.get("rest")).strip()
    if not text:
        return {}
    try:
        value = safejson.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        errors.setdefault(at, []).append("the hidden rest of the survey is not a JSON object")
        return {}
    return value


def _question_of(node: dict, errors: dict[str, list[str]], at: str) -> dict:
    qtype = _str(node.get("type"))
    q: dict[str, Any] = _rest_of(node, errors, at)
    q.update({"id": _str(node.get("id")).strip(), "type": qtype})
    q["required"] = "required" in node
    q["text"] = _per_locale(node.get("text"))
    if qtype in CHOICE_TYPES:
        q["options"] = [
            {"code": _str(o.get("code")).strip(), "label": _per_locale(o.get("label"))}
            for o in map(_dict, _items(node.get("options")))
        ]
        if "other" in node:
            q["other"] = True
    if qtype == "rating" and _str(_dict(node.get("scale")).get("max")).strip():
        q["scale"] = {"max": _number(_dict(node.get("scale")).get("max"))}
    if qtype == "text" and _str(node.get("max_length")).strip():
        q["max_length"] = _number(node.get("max_length"))
    if qtype in NUMERIC:
        labels = {end: _per_locale(_dict(node.get("labels")).get(end)) for end in SCALE_ENDS}
        if any(labels.values()):
            q["labels"] = {end: text for end, text in labels.items() if text}
    branches = [_branch_of(_dict(b), qtype) for b in _items(node.get("branch"))]
    if branches:
        q["branch"] = branches
    if _str(node.get("saves_as")).strip():
        q["saves_as"] = _str(node.get("saves_as")).strip()
    return q


def _trigger_of(t: dict) -> dict:
    """Return the trigger the form's trigger fields T describe (the fields of its type only:
    those of another type stay in the page, hidden, and are not sent to the engine)."""
    kind = _str(t.get("type"))
    trigger: dict[str, Any] = {"type": kind, "urls": _split(t.get("urls"), r"[\r\n]+")}
    for name, shape in TRIGGER_FIELDS.get(kind, {}).items():
        text = _str(t.get(name)).strip()
        if shape == "lines":
            if _split(text, r"[\r\n]+"):
                trigger[name] = _split(text, r"[\r\n]+")
        elif text:
            trigger[name] = _number(text) if shape == "number" else text
    return trigger


def _audience_of(a: dict) -> dict:
    """Return the audience the form's audience fields A describe."""
    attrs = _dict(a.get("attributes"))
    audience: dict[str, Any] = {
        "devices": [d for d in _split(a.get("devices"), r",") if d],
        "visitors": _str(a.get("visitors")) or "all",
        "attributes": {
            "has": _split(attrs.get("has"), r"[,\s]+"),
            "lacks": _split(attrs.get("lacks"), r"[,\s]+"),
            "equals": dict(
                (line.split("=", 1)[0].strip(), line.split("=", 1)[1].strip())
                if "=" in line
                else (line, "")
                for line in _split(attrs.get("equals"), r"[\r\n]+")
            ),
        },
    }
    for key in ("sample", "quota"):
        if _str(a.get(key)).strip():
            audience[key] = _number(a.get(key))
    for key in ("start", "end"):
        if _str(a.get(key)).strip():
            audience[key] = _str(a.get(key)).strip()
    return audience


def _repetition_of(r: dict) -> dict:
    """Return the repetition the form's repetition fields R describe."""
    repetition: dict[str, Any] = {"mode": _str(r.get("mode")) or "once"}
    if repetition["mode"] == "times" and _str(r.get("times")).strip():
        repetition["times"] = _number(r.get("times"))
    if _str(r.get("recontact_days")).strip():
        repetition["recontact_days"] = _number(r.get("recontact_days"))
    return repetition


def definition_of(form: Mapping[str, Any]) -> tuple[dict, dict[str, list[str]]]:
    """Return the definition a posted builder form describes, and errors of the form itself
    (a tampered hidden field); the engine's own checks come after, from ``normalise``."""
    if hasattr(form, "lists"):  # a request's form: ticked boxes of one name come as a list
        form = {k: ",".join(v) for k, v in form.lists()}
    tree = _tree(form)
    errors: dict[str, list[str]] = {}
    raw: dict[str, Any] = _rest_of(tree, errors, "_json")
    for key in ("id", "name", "phase", "status", "journey", "default_locale"):
        if _str(tree.get(key)).strip():
            raw[key] = _str(tree.get(key)).strip()
    if _str(tree.get("description")).strip():  # as written (a browser sends its breaks as CRLF)
        raw["description"] = _str(tree.get("description")).replace("\r\n", "\n")
    if _str(tree.get("priority")).strip():
        raw["priority"] = _number(tree.get("priority"))
    raw["locales"] = _split(tree.get("locales"), r"[,\s]+")
    texts = {k: _per_locale(v) for k, v in _dict(tree.get("texts")).items()}
    raw["texts"] = {k: v for k, v in texts.items() if v}
    raw["trigger"] = _trigger_of(_dict(tree.get("trigger")))
    raw["audience"] = _audience_of(_dict(tree.get("audience")))
    raw["repetition"] = _repetition_of(_dict(tree.get("repetition")))
    raw["questions"] = [
        _question_of(_dict(q), errors, f"questions[{i}]")
        for i, q in enumerate(_items(tree.get("questions")))
    ]
    return raw, errors


# --- errors next to their fields -----------------------------------------------------------------


class FieldErrors:
    """The engine's errors by path, handed out to the fields that show them.

    ``at(path)`` returns the messages for PATH (with ``below=True`` also those of its parts,
    for a field such as the URL list whose items have no field of their own) and remembers
    that they were shown there, so the summary can link each error to its field and list the
    rest (errors with no field) on their own.
    """

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = dict(errors)
        self.shown: dict[str, str] = {}  # error path -> the id of the field showing it

    def at(self, path: str, below: bool = False) -> list[str]:
        found = []
        for key, messages in self.errors.items():
            if key in self.shown:
                continue
            if key == path or (below and key.startswith((path + ".", path + "["))):
                self.shown[key] = field_id(path)
                prefix = "" if key == path else key[len(path) :].lstrip(".") + ": "
                found.extend(prefix + m for m in messages)
        return found

    def shown_at(self, fid: str) -> bool:
        """Whether some error is shown at the field with id FID."""
        return fid in self.shown.values()

    def has_below(self, path: str) -> bool:
        """Whether some error lies at PATH or in its parts (to open a folded section)."""
        return any(k == path or k.startswith((path + ".", path + "[")) for k in self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)
