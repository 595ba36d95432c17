"""Phase 2, journey-based deep-dive: plan targeted micro-surveys, then report on their answers.

``plan(db, site, journey)`` diagnoses the journey, picks a template by the kind of failure found
(abandonment, sign-up friction, search failure, long dwell) and returns a micro-survey of 3
questions triggered at the failing step plus a dwell-based "Need more help?" intervention, both
as survey definitions (English and Chinese texts) checked by the surveys validator, ready to be
written as files, reviewed and published (``cxlisten surveys load``).

``report(db, site, survey)`` counts displays and answers, scores NPS/CSAT/CES with 95% intervals,
gives every question's distribution, cross-tabs the first question by device, journey step and
new/returning visitors, groups open text into themes, and words the top reasons for the
journey's failure.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from cxlisten import journeys as journey_lib
from cxlisten import stats, themes
from cxlisten.deepdive_templates import FAILURE_KINDS, TEMPLATES, en_zh
from cxlisten.diagnose import diagnose
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.results import Message, Texts
from cxlisten.storage import reports
from cxlisten.storage.db import Database

__all__ = ["plan", "write_plan", "report", "TEMPLATES", "FAILURE_KINDS"]


def _trigger_urls(pattern: str) -> list[str]:
    """Return survey trigger patterns (``*`` wildcards only) for a journey step pattern."""
    return [re.sub(r":[A-Za-z_][A-Za-z0-9_]*", "*", pattern)]


def _fill(value, title: dict):
    if isinstance(value, dict):
        return {k: _fill(v, title) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, title) for v in value]
    if isinstance(value, str):
        return value.replace("{title}", title["en"])
    return value


def plan(
    db: Database,
    site,
    journey: str,
    *,
    since: int | None = None,
    until: int | None = None,
    kind: str | None = None,
    help_url: str | None = None,
) -> dict:
    """Propose a deep-dive for JOURNEY: a micro-survey and a "Need more help?" intervention.

    KIND overrides the failure kind found by diagnosis; HELP_URL is where the intervention's
    button goes (default: the site's first help page, ``/help``). Long on purpose: the two
    definitions are written out as literals, as the proposed files will read.
    """
    from cxlisten.surveys import definitions

    site_id = getattr(site, "id", site)
    found = journey_lib.get_journey(db, site_id, journey)
    diagnosis = diagnose(db, site, since, until)
    result = diagnosis.journey(found.name)
    problem = result.problem
    if kind is not None and kind not in FAILURE_KINDS:
        raise InvalidInput("invalid failure kind", {"kind": [f"one of {', '.join(FAILURE_KINDS)}"]})
    failure = (
        kind
        or problem.failure_kind
        or {"signup": "signup_friction", "search": "search_failure"}.get(found.kind, "abandonment")
    )
    step_index = problem.failing_step_index if result.sessions else 0
    step = found.steps[step_index]
    long_ms = diagnosis.norms.long_dwell_ms or 45_000
    seconds = max(15, min(300, round(long_ms / 1000)))
    title = {"en": (found.title or found.name).lower()}
    template = TEMPLATES[failure]
    trigger: dict = {"type": template["trigger"], "urls": _trigger_urls(step)}
    if template["trigger"] == "dwell":
        trigger["seconds"] = seconds
    survey = {
        "id": f"{found.name}-{failure.replace('_', '-')}",
        "kind": "survey",
        "name": f"{found.title or found.name}: {failure.replace('_', ' ')} at {step}",
        "description": "Proposed by `cxlisten deepdive plan`. " + " ".join(problem.evidence),
        "phase": "deepdive",
        "journey": found.name,
        "priority": 10,
        "trigger": trigger,
        "audience": {"sample": 100},
        "repetition": {"mode": "once"},
        "default_locale": "en",
        "locales": ["en", "zh-CN"],
        "texts": {
            "title": template["title"],
            "thanks": en_zh("Thank you! This helps us fix it.", "谢谢！这能帮助我们改进。"),
        },
        "questions": _fill(template["questions"], title),
    }
    rules = journey_lib.path_rules(db, site_id)
    target = help_url or next((h.rstrip("*") for h in rules.help if h.rstrip("*")), "/help")
    intervention = {
        "id": f"{found.name}-need-help",
        "kind": "intervention",
        "name": f"Need more help? on {step}",
        "phase": "deepdive",
        "journey": found.name,
        "priority": 5,
        "trigger": {"type": "dwell", "seconds": seconds, "urls": _trigger_urls(step)},
        "default_locale": "en",
        "locales": ["en", "zh-CN"],
        "content": {
            "title": en_zh("Need more help?", "需要更多帮助吗？"),
            "body": en_zh(
                "Stuck on this step? We can help you finish.",
                "在这一步遇到困难？我们可以帮您完成。",
            ),
            "label": en_zh("Get help", "获取帮助"),
            "url": target,
        },
        "placement": "bottom-right",
    }
    definitions.normalise(survey)  # the files must be publishable as written
    definitions.normalise(intervention)
    return {
        "journey": found.name,
        "failure_kind": failure,
        "failing_step": step,
        "problem_score": problem.score,
        "evidence": list(problem.evidence),
        "survey": survey,
        "intervention": intervention,
    }


def write_plan(proposal: dict, directory: str, *, overwrite: bool = False) -> list[str]:
    """Write a plan's survey and intervention as JSON files in DIRECTORY; return their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for key in ("survey", "intervention"):
        definition = proposal[key]
        path = os.path.join(directory, f"{definition['id']}.json")
        if os.path.exists(path) and not overwrite:
            raise InvalidInput(f"{path} exists", {"out": ["file exists: use --force to replace"]})
        paths.append(path)
    for key, path in zip(("survey", "intervention"), paths, strict=True):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(proposal[key], fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    return paths


# ---------------------------------------------------------------------------- report

SCORE_TYPES = ("nps", "csat", "ces")


def _score(qtype: str, numbers: list[float], top: int = 5) -> dict | None:
    if not numbers:
        return None
    if qtype == "nps":
        return {"metric": "NPS", **stats.nps(numbers)}
    if qtype == "csat":
        return {
            "metric": "CSAT (share 4–5)",
            **stats.wilson(_at_least(4, numbers), len(numbers)),
            "mean": stats.mean_ci(numbers),
        }
    if qtype == "ces":
        return {
            "metric": "CES (mean 1–7)",
            **stats.mean_ci(numbers),
            "easy_share": stats.wilson(_at_least(5, numbers), len(numbers)),
        }
    return {"metric": f"rating (mean 1–{top})", **stats.mean_ci(numbers)}


def _at_least(low: float, numbers: list[float]) -> int:
    """How many of NUMBERS are LOW or more (counted over their few distinct values)."""
    return sum(k for v, k in Counter(numbers).items() if v >= low)


def _choices(answer: dict) -> tuple[str, ...]:
    return _codes(answer.get("value") or "")


@lru_cache(maxsize=4096)
def _codes(value: str) -> tuple[str, ...]:
    # Remembered per value: a question's answers hold a few distinct choices, read thousands
    # of times per report.
    if value.startswith("["):
        try:
            return tuple(str(v) for v in json.loads(value))
        except ValueError:
            pass
    return tuple(v for v in value.split(",") if v)


# Public for the console's results (cxlisten.surveys.results): a day's score in the trend and
# an answer filter read answers exactly as this report does.
score = _score
choices = _choices


def _label(question: dict, code: str, locale: str = "en") -> str:
    for option in question.get("options", []):
        if option["code"] == code:
            return option["label"].get(locale) or next(iter(option["label"].values()))
    return "Other" if code == "other" else code


def _labels(question: dict, code: str) -> Texts | str:
    """Return the label of option CODE in each of its locales (the code if it has none)."""
    for option in question.get("options", []):
        if option["code"] == code:
            return Texts(option["label"])
    return _label(question, code)


def _distribution(question: dict, answers: list[dict]) -> dict:
    qtype = question["type"]
    n = len(answers)
    out: dict = {
        "question": question["id"],
        "type": qtype,
        "answers": n,
        "text": question["text"].get("en") or next(iter(question["text"].values())),
    }
    if qtype in ("nps", "csat", "ces", "rating"):
        numbers = [a["number"] for a in answers if a["number"] is not None]
        counts: Counter = Counter()
        for v, k in Counter(numbers).items():
            counts[int(v)] += k
        out["distribution"] = [
            {"value": v, "count": c, "share": round(c / n, 4)} for v, c in sorted(counts.items())
        ]
        out["score"] = _score(qtype, numbers, question.get("scale", {}).get("max", 5))
    elif qtype in ("single", "multi"):
        counts = {}
        for a in answers:
            for code in _choices(a):
                counts[code] = counts.get(code, 0) + 1
        order = [o["code"] for o in question.get("options", [])] + ["other"]
        codes = sorted(counts, key=lambda c: (-counts[c], order.index(c) if c in order else 99))
        out["distribution"] = [
            {
                "code": c,
                "label": _label(question, c),
                "count": counts[c],
                "share": (w := stats.wilson(counts[c], n))["value"],
                "low": w["low"],
                "high": w["high"],
            }
            for c in codes
        ]
        others = [a["other"] for a in answers if a.get("other")]
        if others:
            out["other_themes"] = themes.themes(others)
    else:
        out["themes"] = themes.themes([a["value"] for a in answers if a.get("value")])
    return out


def _crosstab(question: dict, rows: list[tuple[str, dict]]) -> list[dict]:
    """Return the first question's result per group: distribution share or score."""
    groups: dict[str, list[dict]] = {}
    for group, answer in rows:
        groups.setdefault(group or "unknown", []).append(answer)
    out = []
    for group, answers in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        item = {"group": group, "answers": len(answers)}
        if question["type"] in ("single", "multi"):
            counts: dict = {}
            for a in answers:
                for code in _choices(a):
                    counts[code] = counts.get(code, 0) + 1
            item["shares"] = {
                c: round(k / len(answers), 4)
                for c, k in sorted(counts.items(), key=lambda kv: -kv[1])
            }
        else:
            numbers = [a["number"] for a in answers if a["number"] is not None]
            item["score"] = _score(question["type"], numbers)
        out.append(item)
    return out


def report(
    db: Database,
    site,
    survey: str,
    *,
    since: int | None = None,
    until: int | None = None,
    version: int | None = None,
    keep: Callable[[dict, dict], bool] | None = None,
) -> dict:
    """Return the deep-dive report of SURVEY (bots left out) for [SINCE, UNTIL).

    It reads responses, answers and events once; ``summarise`` builds each section from them.
    KEEP(response, its answers by question) picks the responses the report reads (the console's
    filters); every figure of the report is then of those responses alone.
    """
    from cxlisten.storage import surveys as survey_store

    site_id = getattr(site, "id", site)
    found = survey_store.get_survey(db, site_id, survey)
    if found is None or found.kind != "survey":
        raise NotFound(f"no survey named {survey!r}", {"survey": ["unknown survey"]})
    definition = found.definition
    if version is not None:
        definition = survey_store.get_version(db, found.id, version) or definition
    responses = reports.survey_responses(db, site_id, survey, since, until, version)
    answers = reports.answers_of_responses(db, [r["id"] for r in responses])
    if keep is not None:
        responses = [r for r in responses if keep(r, answers[r["id"]])]
    events = reports.survey_event_counts(db, site_id, survey, since, until)
    return summarise(
        journey_lib.path_rules(db, site_id),
        survey,
        definition,
        version or found.version,
        {"since": since, "until": until},
        responses,
        answers,
        events,
    )


def summarise(
    rules,
    survey: str,
    definition: dict,
    version: int,
    window: dict,
    responses: list[dict],
    answers: dict[int, dict[str, dict]],
    events: dict[str, int],
) -> dict:
    """Return the deep-dive report of RESPONSES (already picked), their ANSWERS by response id
    and the survey's EVENTS counts: the figures of ``report`` and of the console's results
    page (``cxlisten.surveys.results``), which reads its responses by its own query.

    Long on purpose: each section of the report in the order the report lists them.
    """
    shown = events.get("shown", 0)
    partial = sum(r["status"] == "partial" for r in responses)
    complete = sum(r["status"] == "complete" for r in responses)
    answered = sum(1 for r in responses if r["answered"] > 0)
    counts = {
        "shown": shown,
        "answered": answered,
        "partial": partial,
        "complete": complete,
        "dismissed": events.get("dismissed", 0),
        "answer_rate": stats.wilson(min(answered, shown), shown) if shown else None,
        "completion_rate": stats.wilson(complete, answered) if answered else None,
        "dismiss_rate": stats.wilson(min(events.get("dismissed", 0), shown), shown)
        if shown
        else None,
    }
    questions = []
    per_question: dict[str, list[tuple[dict, dict]]] = {}
    for r in responses:
        for qid, a in answers[r["id"]].items():
            per_question.setdefault(qid, []).append((r, a))
    for q in definition["questions"]:
        questions.append(_distribution(q, [a for _, a in per_question.get(q["id"], [])]))
    scores = {
        q["type"].upper(): d["score"]
        for q, d in zip(definition["questions"], questions, strict=True)
        if q["type"] in SCORE_TYPES and d.get("score")
    }
    first = next((q for q in definition["questions"] if q["type"] != "text"), None)
    crosstabs = {}
    if first:
        pairs = per_question.get(first["id"], [])
        # each distinct page normalised once: a month of answers comes from a few pages
        steps = {p: rules.normalise(p) for p in {r["path"] or "/" for r, _ in pairs}}
        crosstabs = {
            "question": first["id"],
            "device": _crosstab(first, [(r["device"], a) for r, a in pairs]),
            "step": _crosstab(first, [(steps[r["path"] or "/"], a) for r, a in pairs]),
            "visitor": _crosstab(
                first, [("returning" if r["is_returning"] else "new", a) for r, a in pairs]
            ),
        }
    texts = [
        a["value"]
        for q in definition["questions"]
        if q["type"] == "text"
        for _, a in per_question.get(q["id"], [])
        if a.get("value")
    ]
    texts += [
        a["other"]
        for q in definition["questions"]
        if q["type"] in ("single", "multi")
        for _, a in per_question.get(q["id"], [])
        if a.get("other")
    ]
    open_text = themes.themes(texts)
    return {
        "survey": survey,
        "name": definition.get("name", survey),
        "journey": definition.get("journey"),
        "version": version,
        "window": window,
        "counts": counts,
        "scores": scores,
        "questions": questions,
        "crosstabs": crosstabs,
        "themes": open_text,
        "top_reasons": _reasons(
            definition,
            questions,
            open_text,
            answered,
            (crosstabs.get("step") or [{}])[0].get("group"),
        ),
    }


def _where(step: str | None, journey: str | None) -> Message:
    if step and journey:
        return Message("reasons.where.both", step=step, journey=journey)
    if step:
        return Message("reasons.where.step", step=step)
    if journey:
        return Message("reasons.where.journey", journey=journey)
    return Message("reasons.where.none")


def _reasons(
    definition: dict, questions: list[dict], open_text: dict, answered: int, step: str | None
) -> list[Message]:
    """Word the top reasons, ready to paste into a ticket (STEP: where most answers came from).

    Messages (``cxlisten.results.Message``): English as strings, the console's language on its
    pages; the options' labels in the survey's own words, the themes and quotes the visitors'.
    """
    where = _where(
        step or next(iter(definition.get("trigger", {}).get("urls") or []), None),
        definition.get("journey"),
    )
    lines = []
    choice = next(
        (
            (q, d)
            for q, d in zip(definition["questions"], questions, strict=True)
            if q["type"] in ("single", "multi") and d["answers"]
        ),
        None,
    )
    if choice:
        question, found = choice
        for item in found["distribution"][:3]:
            if item["code"] == "other":
                continue
            lines.append(
                Message(
                    "reasons.choice",
                    share=f"{item['share'] * 100:.0f}",
                    low=f"{item['low'] * 100:.0f}",
                    high=f"{item['high'] * 100:.0f}",
                    answers=found["answers"],
                    where=where,
                    label=_labels(question, item["code"]),
                )
            )
    for theme in open_text["themes"][:4]:
        lines.append(
            Message(
                "reasons.theme",
                share=f"{theme['share'] * 100:.0f}",
                answers=open_text["answers"],
                theme=theme["theme"],
                quotes="; ".join(f"“{q}”" for q in theme["examples"][:2]),
            )
        )
    if not lines and answered == 0:
        lines.append(Message("reasons.none"))
    return lines
