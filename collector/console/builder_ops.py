"""The builder's buttons: add, remove or move a question, an option or a branching rule in a
(possibly invalid) survey definition, and say which control gets the focus afterwards (the
moved item's own button, the new item's first field), as the page then renders it."""

from __future__ import annotations

from dataclasses import dataclass, field

from collector.console.builder_form import field_id

__all__ = ["Applied", "apply"]

MAX_QUESTIONS, MAX_OPTIONS, MAX_BRANCHES = 10, 20, 20


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


@dataclass
class Applied:
    raw: dict
    focus: str | None = None  # the id of the control that gets the focus after the change
    errors: dict[str, list[str]] = field(default_factory=dict)


def _blank_question(raw: dict) -> dict:
    taken = {_dict(q).get("id") for q in _list(raw.get("questions"))}
    n = len(taken) + 1
    while f"q{n}" in taken:
        n += 1
    return {
        "id": f"q{n}",
        "type": "single",
        "text": {},
        "options": [{"code": "a", "label": {}}, {"code": "b", "label": {}}],
    }


def _move(items: list, i: int, by: int) -> int | None:
    j = i + by
    if not (0 <= i < len(items) and 0 <= j < len(items)):
        return None
    items[i], items[j] = items[j], items[i]
    return j


def _move_focus(kind: str, path: str, at: int, length: int, wanted: str) -> str:
    """Focus the same move button on the moved item, or its other one at an end of the list."""
    if wanted == "up" and at == 0:
        wanted = "down"
    if wanted == "down" and at == length - 1:
        wanted = "up" if length > 1 else "remove"
    return field_id(f"{path}[{at}].{wanted}-{kind}")


def apply(raw: dict, op: str) -> Applied:
    """Apply OP (``add-question``, ``up-question:2``, ``remove-option:0:1``, ``add-branch:1`` …)."""
    name, _, where = op.partition(":")
    verb, _, kind = name.partition("-")
    try:
        at = [int(p) for p in where.split(":")] if where else []
    except ValueError:
        at = None
    questions = raw.setdefault("questions", [])
    if (
        not isinstance(questions, list)
        or at is None
        or kind not in ("question", "option", "branch")
    ):
        return Applied(raw, errors={"op": [f"not a builder action: {op[:40]!r}"]})
    if kind == "question":
        items, path, limit, depth = questions, "questions", MAX_QUESTIONS, 0
    else:
        if not at or not 0 <= at[0] < len(questions) or not isinstance(questions[at[0]], dict):
            return Applied(raw, errors={"op": [f"no question {at[:1]}"]})
        q = questions[at[0]]
        key = "options" if kind == "option" else "branch"
        items = q.setdefault(key, [])
        if not isinstance(items, list):
            items = q[key] = []
        path, limit, depth = (
            f"questions[{at[0]}].{key}",
            MAX_OPTIONS if kind == "option" else MAX_BRANCHES,
            1,
        )
    index = at[depth] if len(at) > depth else None
    if verb == "add":
        if len(items) >= limit:
            return Applied(raw, field_id(f"{path}.add-{kind}"), {path: [f"at most {limit}"]})
        if kind == "question":
            items.append(_blank_question(raw))
            return Applied(raw, field_id(f"{path}[{len(items) - 1}].id"))
        if kind == "option":
            items.append({"code": f"o{len(items) + 1}", "label": {}})
            return Applied(raw, field_id(f"{path}[{len(items) - 1}].code"))
        items.append({"when": {"equals": ""}, "goto": "end"})
        return Applied(raw, field_id(f"{path}[{len(items) - 1}].test"))
    if index is None or not 0 <= index < len(items):
        return Applied(raw, errors={"op": [f"no such {kind}: {op[:40]!r}"]})
    if verb == "remove":
        del items[index]
        if items:
            return Applied(raw, field_id(f"{path}[{min(index, len(items) - 1)}].remove-{kind}"))
        return Applied(raw, field_id(f"{path}.add-{kind}"))
    if verb in ("up", "down"):
        moved = _move(items, index, -1 if verb == "up" else 1)
        if moved is None:
            moved = index
        return Applied(raw, _move_focus(kind, path, moved, len(items), verb))
    return Applied(raw, errors={"op": [f"not a builder action: {op[:40]!r}"]})
