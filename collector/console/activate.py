"""Activate & transform: the rules in words, creating and editing them (validated as the API
validates), "which rule would this visitor get and why", and each rule's lift as a chart."""

from __future__ import annotations

import json

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten import activate, rule_why
from cxlisten import intervention_lift as holdouts
from cxlisten.console_cache import fresh
from cxlisten.errors import InvalidInput
from cxlisten.lift import more_visitors_needed
from cxlisten.results import to_json
from cxlisten.rule_words import action_words, condition_words, when_words
from cxlisten.schemas import safejson
from cxlisten.surveys.admin import resolve_visitor

MAX_RULE = 100_000
BLANK = {
    "name": "",
    "description": "",
    "level": "reactive",
    "priority": 0,
    "journey": None,
    "when": [],
    "then": {"show": {"kind": "content", "title": {"en": ""}, "url": None}},
}


def _words(rule) -> dict:
    return {
        "when": when_words(rule.when, g.locale),
        "then": action_words(rule.then, g.locale),
    }


@bp.app_template_filter("condition_words")
def _condition_words(cond: dict) -> str:
    return condition_words(cond, g.locale)


@bp.app_template_filter("rate")
def _rate(arm: dict) -> str:
    """A goal rate with its 95% interval, e.g. "34.5% (95% CI 30.1–38.9%)"."""
    if arm.get("value") is None:
        return "–"
    return t(
        "lift.rate",
        value=f"{arm['value'] * 100:.1f}",
        low=f"{arm['low'] * 100:.1f}",
        high=f"{arm['high'] * 100:.1f}",
    )


@bp.app_template_filter("points")
def _points(diff: dict) -> str:
    """A difference of rates in percentage points with its 95% interval."""
    if diff.get("value") is None:
        return "–"
    return t(
        "lift.points",
        value=f"{diff['value'] * 100:+.1f}",
        low=f"{diff['low'] * 100:+.1f}",
        high=f"{diff['high'] * 100:+.1f}",
    )


@bp.get("/activate")
def activate_page():
    """Every rule in the order it is tried: level, condition and action in words."""
    db, site = deployment().db, current_site()
    rules = sorted(
        activate.list_rules(db, site),
        key=lambda r: (-r.priority, activate.LEVELS.index(r.level), r.name),
    )
    return render(
        "activate.html",
        rules=rules,
        words={r.name: _words(r) for r in rules},
        interventions=_intervention_lifts(db, site),
        done=request.args.get("done"),
    )


def _intervention_lifts(db, site) -> list[dict]:
    """Each intervention's holdout lift (``cxlisten.intervention_lift``), computed at most once
    a minute per intervention."""
    return [
        fresh(db, ("intervention lift", site.id, i), lambda i=i: holdouts.lift(db, site, i)).value
        for i in holdouts.with_holdout(db, site)
    ]


def _editor(text: str, name: str | None, status: int = 200, errors: dict | None = None):
    return render("rule_edit.html", status, text=text, name=name, errors=errors or {})


@bp.get("/activate/new")
def rule_new():
    return _editor(json.dumps(BLANK, ensure_ascii=False, indent=2), None)


@bp.get("/activate/<name>/edit")
def rule_edit(name: str):
    rule = activate.get_rule(deployment().db, current_site(), name)
    data = to_json(rule)
    data.pop("updated_at", None)
    return _editor(json.dumps(data, ensure_ascii=False, indent=2), name)


@bp.post("/activate/save")
def rule_save():
    """Store the posted rule with ``activate.save_rule``: every error listed with its field."""
    text = request.form.get("text", "")
    of = request.form.get("of") or None
    if len(text) > MAX_RULE:
        return _editor(text[:MAX_RULE], of, 400, {"text": [f"at most {MAX_RULE} characters"]})
    try:
        data = safejson.loads(text)
    except ValueError as exc:
        return _editor(text, of, 400, {"text": [f"not JSON: {exc}"]})
    try:
        if of and isinstance(data, dict) and data.get("name") != of:
            raise InvalidInput("name differs", {"name": [f"expected {of!r} (the rule edited)"]})
        rule = activate.save_rule(deployment().db, current_site(), data)
    except InvalidInput as exc:
        return _editor(text, of, 400, exc.fields)
    return redirect(url_for("console.rule_page", name=rule.name, done=t("rule.saved")), 303)


@bp.post("/activate/<name>/delete")
def rule_delete(name: str):
    if request.form.get("confirm") != "yes":
        raise InvalidInput("not confirmed", {"confirm": [t("confirm.needed")]})
    activate.delete_rule(deployment().db, current_site(), name)
    return redirect(url_for("console.activate_page", done=t("rule.deleted", name=name)), 303)


@bp.get("/activate/<name>")
def rule_page(name: str):
    """One rule in words, with its lift: exposed against holdout, per action, with verdicts."""
    db, site = deployment().db, current_site()
    rule = activate.get_rule(db, site, name)
    cached = fresh(
        db, ("lift", site.id, name, rule.updated_at), lambda: activate.lift(db, site, name)
    )
    lift = cached.value
    return render(
        "rule.html",
        rule=rule,
        words=_words(rule),
        lift=lift,
        computed_at=cached.computed_at,
        needed=more_visitors_needed(
            lift["verdict"], lift["lift"], lift["shown"]["n"], lift["holdout"]["n"]
        ),
        done=request.args.get("done"),
    )


@bp.app_template_filter("needed")
def _needed_words(row: dict, holdout: dict) -> str:
    """The "how many more visitors" sentence of a rule's or an action's verdict, or ""."""
    diff = row["lift"]
    n = more_visitors_needed(row["verdict"], diff, row["n"], holdout["n"])
    return "" if n is None else t("verdict.needed", n=n)


@bp.get("/activate/why")
def rule_why_page():
    """Which rule a visitor (id or token) would get on a page, and every rule's reason."""
    dep, site = deployment(), current_site()
    visitor, url = request.args.get("visitor", "").strip(), request.args.get("url", "").strip()
    found, errors = None, {}
    if visitor or url:
        try:
            if not visitor:
                raise InvalidInput("visitor missing", {"visitor": ["an id or a token"]})
            if not url.startswith(("/", "http://", "https://")):
                raise InvalidInput("not a page", {"url": ["a path such as /checkout"]})
            found = rule_why.explain(
                dep.db, site, resolve_visitor(dep.tokens, site, visitor), url[:2048]
            )
        except InvalidInput as exc:
            errors = exc.fields
    return render(
        "rule_why.html",
        400 if errors else 200,
        found=found,
        errors=errors,
        visitor=visitor,
        url=url,
    )
