"""Predicted answers of the visitors who did not answer: ``cxlisten predict SURVEY``.

Only a few visitors answer a survey. ``predict(db, site, survey, question)`` learns, from the
sessions of the visitors who did answer QUESTION, how behaviour relates to the answer, and
estimates the distribution of answers over the visitors of the same audience who did not:

* the answer is a **class**: NPS detractor (0–6) / passive (7–8) / promoter (9–10); CSAT and
  rating 1–2 / 3 / 4–5; CES 1–3 / 4 / 5–7; a single-choice question's option codes;
* the behaviour is the session summary (``cxlisten.sessions``): pages and events, total and
  longest dwell, scroll, rage and dead clicks, abandoned fields, help pages, clicked
  interventions, device, new or returning, which named journeys' goals it reached, and which of
  the ``TOP_PAGES`` most frequent pages it visited. A respondent's session is the one they
  answered in; a non-respondent's, their latest session in the audience (a page matching the
  survey's ``trigger.urls``, on a device of ``audience.devices``);
* the model is scikit-learn's multinomial ``LogisticRegression`` on standardised features (fast on
  100,000 sessions, and its probabilities are close to calibrated), fit on 75% of the respondents
  and judged on the other 25% (stratified, seeded): **AUC** (one-vs-rest, macro-averaged over
  classes), **accuracy**, and **calibration** — per class, the mean predicted probability against
  the observed share on the held-out respondents, and the expected calibration error.

It **refuses** (``Prediction.refused`` with the reason in words) below ``MIN_RESPONDENTS``
respondents, with fewer than two classes, or when the held-out AUC is below ``MIN_AUC`` (0.65):
behaviour then says too little about the answer for an estimate to mean anything.

Predictions are estimates: they are returned (and, with ``cxlisten predict --save``, stored in
the ``predictions`` table, each marked ``estimated``), never written into a visitor's zero-party
profile (``attributes``), which holds only what visitors said.

scikit-learn is the ``predict`` extra (``pip install 'cxlisten[predict]'``); without it,
``predict`` raises ``MissingExtra`` saying so.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass
from functools import partial

from cxlisten import journeys as journey_lib
from cxlisten.errors import CxlistenError, InvalidInput, NotFound
from cxlisten.journeys import compile_pattern
from cxlisten.storage import reports, transaction
from cxlisten.storage import signals as signal_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.surveys.targeting import path_matches

__all__ = [
    "HELD_OUT",
    "MIN_AUC",
    "MIN_RESPONDENTS",
    "TOP_PAGES",
    "ClassCalibration",
    "MissingExtra",
    "Prediction",
    "answer_class",
    "predict",
    "save",
]

MIN_AUC = 0.65
MIN_RESPONDENTS = 60
HELD_OUT = 0.25
TOP_PAGES = 40
_PREDICTABLE = ("nps", "csat", "ces", "rating", "single")
_BANDS = {
    "nps": ((6, "detractor"), (8, "passive"), (10, "promoter")),
    "csat": ((2, "low"), (3, "neutral"), (5, "high")),
    "rating": ((2, "low"), (3, "neutral"), (5, "high")),
    "ces": ((3, "difficult"), (4, "neutral"), (7, "easy")),
}
_DEVICES = ("desktop", "mobile", "tablet")
_COLUMNS = (
    "id",
    "visitor_id",
    "started",
    "steps",
    "dwell",
    "device",
    "is_returning",
    "pageviews",
    "events",
    "interventions_clicked",
    "rage_clicks",
    "dead_clicks",
    "abandoned_fields",
    "max_scroll",
)


class MissingExtra(CxlistenError):
    """An optional dependency is not installed."""

    status = 501


def answer_class(kind: str, value: str | None, number: float | None) -> str | None:
    """Return the class of one answer of question type KIND (None: not classifiable)."""
    if kind == "single":
        return value
    if number is None or kind not in _BANDS:
        return None
    return next((name for top, name in _BANDS[kind] if number <= top), None)


@dataclass(frozen=True)
class ClassCalibration:
    """One class on the held-out respondents: mean predicted probability and observed share."""

    answer: str
    predicted: float
    observed: float


@dataclass(frozen=True)
class Prediction:
    """What ``predict`` returns. ``estimated`` is None when it refused (``reason`` says why)."""

    survey: str
    question: str
    kind: str
    respondents: int
    non_respondents: int
    held_out: int
    auc: float | None
    accuracy: float | None
    calibration: tuple[ClassCalibration, ...]
    calibration_error: float | None  # expected calibration error of the top class, 10 bins
    min_auc: float
    refused: bool
    reason: str | None
    observed: dict[str, float]  # the respondents' own distribution (what they said)
    estimated: dict[str, float] | None  # the non-respondents' estimated distribution
    label: str  # "estimated": never what a visitor said
    sentences: tuple[str, ...]
    seconds: float
    visitors: tuple[tuple[str, str, float], ...] = ()  # (visitor, likeliest answer, probability)


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score, roc_auc_score
        from sklearn.model_selection import train_test_split
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError:
        raise MissingExtra(
            "predict needs scikit-learn: pip install 'cxlisten[predict]'",
            {"scikit-learn": ["not installed"]},
        ) from None

    def model_class(seed: int):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed))

    return model_class, accuracy_score, roc_auc_score, train_test_split


class _Features:
    """Turns session rows into number vectors, the same way for respondents and the rest."""

    def __init__(self, db: Database, site_id: int, rows: list[tuple]):
        self.rules = journey_lib.path_rules(db, site_id)
        self.goals = [compile_pattern(j.goal) for j in journey_lib.list_journeys(db, site_id)]
        counts: Counter = Counter()
        for steps_json, n in Counter(row[3] for row in rows).items():
            for p in {self.rules.normalise(p) for p in json.loads(steps_json)}:
                counts[p] += n
        self.pages = {p: i for i, (p, _) in enumerate(counts.most_common(TOP_PAGES))}
        self._cache: dict[str, list[float]] = {}

    def _pages(self, steps_json: str) -> list[float]:
        """What the pages say (help, goals reached, top pages), computed once per step list."""
        hit = self._cache.get(steps_json)
        if hit is None:
            steps = {self.rules.normalise(p) for p in json.loads(steps_json)}
            pages = [0.0] * len(self.pages)
            for p in steps:
                if p in self.pages:
                    pages[self.pages[p]] = 1.0
            hit = self._cache[steps_json] = [
                float(any(self.rules.is_help(p) for p in steps)),
                *(float(any(g.match(p) for p in steps)) for g in self.goals),
                *pages,
            ]
        return hit

    def vector(self, row: tuple) -> list[float]:
        dwell = json.loads(row[4]) or [0]
        return [
            math.log1p(row[7]),
            math.log1p(row[8]),
            math.log1p(sum(dwell) / 1000),
            math.log1p(max(dwell) / 1000),
            row[13] / 100,
            float(row[10]),
            float(row[11]),
            float(row[12]),
            float(row[9]),
            float(row[6]),
            *(float(row[5] == d) for d in _DEVICES),
            *self._pages(row[3]),
        ]


def _question(db: Database, site_id: int, survey: str, question: str | None):
    found = survey_store.get_survey(db, site_id, survey)
    if found is None or found.kind != "survey":
        raise NotFound(f"no survey {survey!r}", {"survey": ["unknown survey"]})
    questions = found.definition["questions"]
    usable = [q for q in questions if q["type"] in _PREDICTABLE]
    if question is None:
        if not usable:
            raise InvalidInput(
                f"survey {survey!r} has no question to predict",
                {"question": [f"needs one of type {', '.join(_PREDICTABLE)}"]},
            )
        return found, usable[0]
    q = next((q for q in questions if q["id"] == question), None)
    if q is None:
        raise NotFound(f"survey {survey!r} has no question {question!r}", {"question": ["unknown"]})
    if q["type"] not in _PREDICTABLE:
        raise InvalidInput(
            f"question {question!r} is of type {q['type']}: answers cannot be predicted",
            {"question": [f"must be of type {', '.join(_PREDICTABLE)}"]},
        )
    return found, q


def _in_audience(definition: dict, row: tuple, seen: dict[str, bool]) -> bool:
    """Whether the session ROW is in the survey's audience (SEEN: verdicts per step list)."""
    urls = definition["trigger"].get("urls") or []
    devices = definition["audience"].get("devices") or []
    if devices and row[5] not in devices:
        return False
    if not urls:
        return True
    hit = seen.get(row[3])
    if hit is None:
        hit = seen[row[3]] = any(path_matches(p, urls) for p in json.loads(row[3]))
    return hit


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _answered(db: Database, site_id: int, slug: str, question: str) -> dict:
    """Return {visitor: (session or None, answer class)} of QUESTION's answers."""
    answered: dict[str, tuple[str | None, str]] = {}
    for visitor, session, kind, value, number in signal_store.answers_to(
        db, site_id, slug, question
    ):
        cls = answer_class(kind, value, number)
        if cls is not None:
            answered[visitor] = (session, cls)
    return answered


def _sessions_of(db: Database, site_id: int, found, answered: dict, since, until):
    """Return the session row of each respondent (the one they answered in, else their latest)
    and the latest session in the survey's audience of each visitor who did not answer."""
    by_session = {s: v for v, (s, _) in answered.items() if s}
    respondent_rows: dict[str, tuple] = {}
    latest: dict[str, tuple] = {}
    seen: dict[str, bool] = {}
    for row in reports.iter_sessions(db, site_id, since, until, columns=_COLUMNS):
        visitor = row[1]
        if visitor in answered:
            if by_session.get(row[0]) == visitor or (
                answered[visitor][0] is None
                and row[2] >= respondent_rows.get(visitor, (0, 0, -1))[2]
            ):
                respondent_rows[visitor] = row
        elif (
            _in_audience(found.definition, row, seen)
            and row[2] >= latest.get(visitor, (0, 0, -1))[2]
        ):
            latest[visitor] = row
    return respondent_rows, latest


def _fit(sklearn, vectors: list, labels: list[str], seed: int):
    """Fit the model on the respondents' VECTORS and LABELS, less a held-out share; return it,
    its classes, how many were held out, and its quality on them (``_held_out_quality``)."""
    import numpy as np

    model_class, accuracy_score, roc_auc_score, train_test_split = sklearn
    x_fit, x_test, y_fit, y_test = train_test_split(
        np.array(vectors), np.array(labels), test_size=HELD_OUT, random_state=seed, stratify=labels
    )
    model = model_class(seed)
    model.fit(x_fit, y_fit)
    classes = [str(c) for c in model.classes_]
    quality = _held_out_quality(model, classes, x_test, y_test, accuracy_score, roc_auc_score)
    return model, classes, len(y_test), quality


def _held_out_quality(model, classes, x_test, y_test, accuracy_score, roc_auc_score):
    """Return the model's AUC, accuracy, per-class calibration and calibration error on the
    held-out respondents."""
    proba = model.predict_proba(x_test)
    if len(classes) == 2:
        auc = float(roc_auc_score(y_test == classes[1], proba[:, 1]))
    else:
        auc = float(
            roc_auc_score(y_test, proba, multi_class="ovr", average="macro", labels=classes)
        )
    accuracy = float(accuracy_score(y_test, model.predict(x_test)))
    calibration = [
        ClassCalibration(
            c, round(float(proba[:, i].mean()), 4), round(float((y_test == c).mean()), 4)
        )
        for i, c in enumerate(classes)
    ]
    ece = _calibration_error(proba, y_test, classes)
    return round(auc, 3), round(accuracy, 3), calibration, ece


def _refusal(
    base: dict, started: float, reason: str, held_out=0, auc=None, accuracy=None, cal=(), ece=None
):
    """The Prediction that refuses, saying REASON (BASE: what every Prediction of it holds)."""
    return Prediction(
        **base,
        held_out=held_out,
        auc=auc,
        accuracy=accuracy,
        calibration=tuple(cal),
        calibration_error=ece,
        refused=True,
        reason=reason,
        estimated=None,
        sentences=(f"No estimate: {reason}.",),
        seconds=round(time.perf_counter() - started, 3),
    )


def _sentences(question, estimated, observed, others, n, held_out, quality):
    """Say the estimate, what respondents said, and how good the estimate is (QUALITY, from
    ``_held_out_quality``), in words."""
    auc, accuracy, _, ece = quality
    shares = ", ".join(f"{_pct(share)} {c}" for c, share in estimated.items())
    return (
        f"Estimated, not answered: of {others:,} visitors of the audience who did not "
        f"answer {question}, {shares or 'none'}.",
        f"Respondents said: {', '.join(f'{_pct(s)} {c}' for c, s in observed.items())} "
        f"({n:,} respondents).",
        f"Held-out quality on {held_out:,} respondents: AUC {auc:.2f} (needs {MIN_AUC:.2f}), "
        f"accuracy {_pct(accuracy)}, calibration error {ece * 100:.1f} points.",
    )


def _estimate(model, classes, vectors: list, others: list[str]):
    """Return the estimated share of each class over OTHERS (their VECTORS), and each one's
    likeliest class with its probability."""
    import numpy as np

    if not others:
        return {}, []
    p_all = model.predict_proba(np.array(vectors))
    estimated = {c: round(float(p_all[:, i].mean()), 4) for i, c in enumerate(classes)}
    top = p_all.argmax(axis=1)
    picks = [
        (v, classes[k], round(float(p_all[j, k]), 4))
        for j, (v, k) in enumerate(zip(others, top, strict=True))
    ]
    return estimated, picks


def predict(
    db: Database,
    site,
    survey: str,
    question: str | None = None,
    *,
    since: int | None = None,
    until: int | None = None,
    seed: int = 0,
) -> Prediction:
    """Estimate the answers to QUESTION of SURVEY's audience who did not answer it."""
    started = time.perf_counter()
    sklearn = _sklearn()
    site_id = getattr(site, "id", site)
    found, q = _question(db, site_id, survey, question)
    answered = _answered(db, site_id, found.slug, q["id"])
    respondent_rows, latest = _sessions_of(db, site_id, found, answered, since, until)
    visitors = sorted(respondent_rows)
    labels = [answered[v][1] for v in visitors]
    observed_counts = Counter(labels)
    n = len(visitors)
    observed = {c: round(k / n, 4) for c, k in sorted(observed_counts.items())} if n else {}

    base = dict(survey=found.slug, question=q["id"], kind=q["type"], respondents=n)
    base.update(min_auc=MIN_AUC, observed=observed, label="estimated", non_respondents=len(latest))
    refuse = partial(_refusal, base, started)
    if n < MIN_RESPONDENTS:
        return refuse(f"{n} respondents with a session; at least {MIN_RESPONDENTS} are needed")
    if len(observed_counts) < 2 or min(observed_counts.values()) < 2:
        return refuse("the respondents' answers do not fall into two classes or more, twice each")
    features = _Features(db, site_id, list(respondent_rows.values()))
    vectors = [features.vector(respondent_rows[v]) for v in visitors]
    model, classes, held_out, quality = _fit(sklearn, vectors, labels, seed)
    auc, accuracy, calibration, ece = quality
    if auc < MIN_AUC:
        return refuse(
            f"on {held_out} held-out respondents the model's AUC is {auc:.2f}, below the "
            f"{MIN_AUC:.2f} needed: behaviour says too little about the answer",
            held_out,
            *quality,
        )
    others = sorted(latest)
    estimated, picks = _estimate(
        model, classes, [features.vector(latest[v]) for v in others], others
    )
    sentences = _sentences(q["id"], estimated, observed, len(others), n, held_out, quality)
    return Prediction(
        **base,
        held_out=held_out,
        auc=auc,
        accuracy=accuracy,
        calibration=tuple(calibration),
        calibration_error=ece,
        refused=False,
        reason=None,
        estimated=estimated,
        sentences=sentences,
        seconds=round(time.perf_counter() - started, 3),
        visitors=tuple(picks),
    )


def save(db: Database, site, prediction: Prediction) -> int:
    """Store PREDICTION's per-visitor estimates in ``predictions``; return how many."""
    if prediction.refused:
        raise InvalidInput(
            f"nothing to save: {prediction.reason}", {"prediction": ["refused, not saved"]}
        )
    with transaction(db):
        signal_store.save_predictions(
            db,
            getattr(site, "id", site),
            prediction.survey,
            prediction.question,
            list(prediction.visitors),
            prediction.auc or 0.0,
            int(time.time() * 1000),
        )
    return len(prediction.visitors)


def _calibration_error(proba, y_test, classes: list[str], bins: int = 10) -> float:
    """Return the expected calibration error of the top class's probability (0–1)."""
    top = proba.max(axis=1)
    picked = [classes[i] for i in proba.argmax(axis=1)]
    hits = [float(p == t) for p, t in zip(picked, y_test, strict=True)]
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [i for i, t in enumerate(top) if lo < t <= hi or (b == 0 and t == 0)]
        if inside:
            confidence = sum(top[i] for i in inside) / len(inside)
            accuracy = sum(hits[i] for i in inside) / len(inside)
            total += len(inside) / len(top) * abs(confidence - accuracy)
    return round(float(total), 4)
