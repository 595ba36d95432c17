"""The phase reports as tables: common journeys, problem journeys, a survey's report.

They call the library functions that compute the reports (``cxlisten.diagnose.diagnose``,
``cxlisten.deepdive.report``), which read session summaries and responses once. Each row is built
by column name and put in the columns' order by ``in_order``, so nothing lines up by position.
The computation starts when the first batch is asked for, so an HTTP export sends its header at
once.
"""

from __future__ import annotations

import json

from cxlisten.diagnose import diagnose
from cxlisten.export.filters import Filters
from cxlisten.export.table import Batches, Column
from cxlisten.results import to_json
from cxlisten.storage.db import Database

COMMON_TOP = 100  # step sequences listed in common-journeys


def _dump(value) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))


def in_order(columns, values: dict) -> tuple:
    """Return VALUES (by column name) as a row in the order of COLUMNS; every column is named."""
    names = [c.name for c in columns]
    if set(values) != set(names):
        raise ValueError(f"row keys {sorted(values)} do not match the columns {names}")
    return tuple(values[name] for name in names)


def common_journeys(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    def rows():
        report = diagnose(db, f.site, f.since, f.until, top=COMMON_TOP)
        yield [
            in_order(
                columns,
                {
                    "rank": rank,
                    "journey": _dump(c.steps),
                    "steps": len(c.steps),
                    "sessions": c.sessions,
                    "share": c.share,
                    "completion": c.completion,
                    "total_sessions": report.sessions,
                },
            )
            for rank, c in enumerate(report.common, 1)
        ]

    return list(columns), rows()


def problem_journeys(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    def rows():
        report = diagnose(db, f.site, f.since, f.until)
        threshold = report.score.threshold
        out = []
        for rank, j in enumerate(report.journeys, 1):
            p = j.problem
            s = p.signals
            out.append(
                in_order(
                    columns,
                    {
                        "rank": rank,
                        "journey": j.name,
                        "title": j.title,
                        "kind": j.kind,
                        "phase": j.phase,
                        "steps": _dump(j.steps_patterns),
                        "goal": j.goal,
                        "score": p.score,
                        "problem": p.score >= threshold,
                        "sessions": j.sessions,
                        "share": j.share,
                        "completed": j.completed,
                        "completion": j.completion,
                        "failing_step": p.failing_step,
                        "failure_kind": p.failure_kind,
                        "drop": s.drop,
                        "dwell": s.dwell,
                        "help": s.help,
                        "loops": s.loops,
                        "pulse": s.pulse,
                        "pulse_answers": p.pulse_answers,
                        "evidence": _dump(p.evidence),
                        "funnel": _dump(j.steps),
                    },
                )
            )
        yield out

    return list(columns), rows()


def survey_report(db: Database, f: Filters, columns) -> tuple[list[Column], Batches]:
    from cxlisten.export.rows import surveys_of

    surveys_of(db, f)  # an unknown survey is refused before anything is sent

    def rows():
        from cxlisten import deepdive

        report = deepdive.report(db, f.site, f.survey, since=f.since, until=f.until)
        yield [in_order(columns, row) for row in _report_rows(report)]

    return list(columns), rows()


def _row(
    section,
    question=None,
    item=None,
    label=None,
    count=None,
    share=None,
    low=None,
    high=None,
    value=None,
    detail=None,
) -> dict:
    return {
        "section": section,
        "question": question,
        "item": item,
        "label": label,
        "count": count,
        "share": share,
        "low": low,
        "high": high,
        "value": value,
        "detail": None if detail is None else _dump(detail),
    }


def _themes(question, found: dict):
    for theme in found.get("themes", []):
        yield _row(
            "theme",
            question,
            theme["theme"],
            ", ".join(theme["terms"]),
            theme["count"],
            theme["share"],
            detail=theme["examples"],
        )
    other = found.get("other") or {}
    if other.get("count"):
        yield _row(
            "theme",
            question,
            "(other)",
            None,
            other["count"],
            other["share"],
            detail=other.get("examples"),
        )


def _report_rows(report: dict):
    """Flatten a deep-dive report into rows by column name, section after section.

    One generator on purpose: its sections are in the order docs/exports.md lists them.
    """
    counts = report["counts"]
    for key in ("shown", "answered", "partial", "complete", "dismissed"):
        yield _row("count", item=key, count=counts[key])
    for key in ("answer_rate", "completion_rate", "dismiss_rate"):
        rate = counts.get(key)
        if rate:
            yield _row(
                "rate",
                item=key,
                count=rate.get("n"),
                share=rate["value"],
                low=rate["low"],
                high=rate["high"],
            )
    for q in report["questions"]:
        qid = q["question"]
        yield _row("question", qid, q["type"], q["text"], q["answers"])
        score = q.get("score")
        if score:
            yield _row(
                "score",
                qid,
                score["metric"],
                None,
                score.get("n"),
                None,
                score["low"],
                score["high"],
                score["value"],
            )
        for d in q.get("distribution", []):
            if "code" in d:
                yield _row(
                    "distribution",
                    qid,
                    d["code"],
                    d["label"],
                    d["count"],
                    d["share"],
                    d["low"],
                    d["high"],
                )
            else:
                yield _row("distribution", qid, str(d["value"]), None, d["count"], d["share"])
        yield from _themes(qid, q.get("other_themes") or q.get("themes") or {})
    cross = report.get("crosstabs") or {}
    for by in ("device", "step", "visitor"):
        for group in cross.get(by, []):
            score = group.get("score") or {}
            yield _row(
                f"by_{by}",
                cross.get("question"),
                group["group"],
                None,
                group["answers"],
                None,
                score.get("low"),
                score.get("high"),
                score.get("value"),
                group.get("shares"),
            )
    yield from _themes(None, report.get("themes") or {})
    for rank, text in enumerate(report.get("top_reasons", []), 1):
        yield _row("reason", item=str(rank), label=text)
