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

from cxlisten import journeys as journey_lib
from cxlisten import results_tally as tally
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
    return tally.codes(answer.get("value") or "")


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


def _distribution(
    question: dict,
    answers: tally.Question | None,
    texts: list[str],
    others: list[str],
    themes_of=themes.themes,
) -> dict:
    """Return QUESTION's distribution of its ANSWERS (counted), TEXTS (a text question's) and
    OTHERS (a choice question's "other" texts), each in the order of the responses, their
    themes grouped by THEMES_OF."""
    qtype = question["type"]
    answers = answers or tally.Question(0)
    n = answers.n
    out: dict = {
        "question": question["id"],
        "type": qtype,
        "answers": n,
        "text": question["text"].get("en") or next(iter(question["text"].values())),
    }
    if qtype in ("nps", "csat", "ces", "rating"):
        counts: Counter = Counter()
        for v, k in answers.numbers.items():
            counts[int(v)] += k
        out["distribution"] = [
            {"value": v, "count": c, "share": round(c / n, 4)} for v, c in sorted(counts.items())
        ]
        top = question.get("scale", {}).get("max", 5)
        out["score"] = _score(qtype, answers.number_list(), top)
    elif qtype in ("single", "multi"):
        counts = answers.code_counts()
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
        if others:
            out["other_themes"] = themes_of(others)
    else:
        out["themes"] = themes_of(texts)
    return out


def _crosstab(question: dict, groups: list[tuple[str, tally.Question]]) -> list[dict]:
    """Return the first question's result per group (GROUPS in the order they first answered):
    distribution share or score."""
    out = []
    for group, answers in sorted(groups, key=lambda kv: -kv[1].n):
        item = {"group": group, "answers": answers.n}
        if question["type"] in ("single", "multi"):
            item["shares"] = {
                c: round(k / answers.n, 4)
                for c, k in sorted(answers.code_counts().items(), key=lambda kv: -kv[1])
            }
        else:
            item["score"] = _score(question["type"], answers.number_list())
        out.append(item)
    return out


def _groups(cells: list, question: str, group_of) -> list[tuple[str, tally.Question]]:
    """Return [(group, QUESTION's answers in its cells)] in the order the groups first
    answered it; GROUP_OF(cell) names a cell's group."""
    groups: dict[str, tally.Question] = {}
    for cell in cells:
        part = cell.questions.get(question)
        if part is None:
            continue
        group = group_of(cell) or "unknown"
        if group not in groups:
            groups[group] = tally.Question(part.first)
        groups[group].merge(part)
    return sorted(groups.items(), key=lambda kv: kv[1].first)


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
    """Return the deep-dive report of RESPONSES (already picked, oldest id first), their ANSWERS
    by response id and the survey's EVENTS counts: the figures of ``report`` and of the
    console's results page (``cxlisten.surveys.results``), which reads its responses by its own
    query or, for whole days, as the cells kept of them (``summarise_cells``)."""
    counted = tally.cells_of(responses, answers, every_code=True)
    texts = texts_of(definition, responses, answers)
    return summarise_cells(rules, survey, definition, version, window, counted, texts, events)


def texts_of(
    definition: dict, responses: list[dict], answers: dict[int, dict[str, dict]]
) -> dict[str, list[str]]:
    """Return {question: its texts in the order of RESPONSES}: a text question's answers, a
    choice question's "other" texts (what ``summarise_cells`` groups into themes)."""
    texts: dict[str, list[str]] = {}
    for q in definition["questions"]:
        if q["type"] == "text" or q["type"] in ("single", "multi"):
            field = "value" if q["type"] == "text" else "other"
            texts[q["id"]] = [
                a[field]
                for r in responses
                if (a := answers[r["id"]].get(q["id"])) is not None and a.get(field)
            ]
    return texts


def summarise_cells(
    rules,
    survey: str,
    definition: dict,
    version: int,
    window: dict,
    counted: tally.Tally,
    texts: dict[str, list[str]],
    events: dict[str, int],
) -> dict:
    """Return the report of the responses COUNTED (``cxlisten.results_tally``), with TEXTS:
    {question: its texts in the order of the responses} (a text question's answers, a choice
    question's "other" texts).

    Long on purpose: each section of the report in the order the report lists them.
    """
    cells = counted.by_visitor
    shown = events.get("shown", 0)
    partial = sum(c.n for c in cells if c.status == "partial")
    complete = sum(c.n for c in cells if c.status == "complete")
    answered = sum(c.answered for c in cells)
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
    grouped: dict[tuple, dict] = {}

    def themes_of(items: list[str]) -> dict:
        # A survey's one text question is often all its open text: grouped once, not twice.
        key = tuple(items)
        if key not in grouped:
            grouped[key] = themes.themes(items)
        return grouped[key]

    questions = []
    for q in definition["questions"]:
        own = texts.get(q["id"], [])
        text, other = (own, []) if q["type"] == "text" else ([], own)
        questions.append(_distribution(q, tally.merged(cells, q["id"]), text, other, themes_of))
    scores = {
        q["type"].upper(): d["score"]
        for q, d in zip(definition["questions"], questions, strict=True)
        if q["type"] in SCORE_TYPES and d.get("score")
    }
    first = next((q for q in definition["questions"] if q["type"] != "text"), None)
    crosstabs = {}
    if first:
        fid = first["id"]
        crosstabs = {
            "question": fid,
            "device": _crosstab(first, _groups(cells, fid, lambda c: c.device)),
            "step": _crosstab(
                first, _groups(counted.by_path, fid, lambda c: rules.normalise(c.group or "/"))
            ),
            "visitor": _crosstab(
                first, _groups(cells, fid, lambda c: "returning" if c.group else "new")
            ),
        }
    open_text = themes_of(
        [t for q in definition["questions"] if q["type"] == "text" for t in texts.get(q["id"], [])]
        + [
            t
            for q in definition["questions"]
            if q["type"] in ("single", "multi")
            for t in texts.get(q["id"], [])
        ]
    )
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
