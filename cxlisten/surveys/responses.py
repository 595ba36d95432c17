"""``POST /v1/responses``: check answers against the survey version answered, store them, stamp
the context, and update the visitor's zero-party profile.

The snippet posts after each answered question with every answer so far (one client-made response
id, so the server upserts) and once more with ``complete: true``. A response is ``partial`` until
a post with ``complete: true`` whose required questions (on the path its branches took) are all
answered; once complete it stays complete. Answers once accepted are never dropped by a later post.
Valid answers of a post that also holds bad ones are stored; the bad ones come back located
(``answers[1].value``) in a 400 and are kept in the ``rejected`` quarantine.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cxlisten import activate
from cxlisten.browser_request import BrowserRequest
from cxlisten.channels import channel_of
from cxlisten.errors import Forbidden, InvalidInput, NotFound
from cxlisten.identity import VisitorTokens
from cxlisten.ingest import parse_body
from cxlisten.schemas.surveys import RESPONSE
from cxlisten.settings import Settings
from cxlisten.storage import events as event_store
from cxlisten.storage import profiles as profile_store
from cxlisten.storage import rejected, transaction
from cxlisten.storage import responses as store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.storage.surveys import Survey
from cxlisten.surveys.browser import Caller, caller, load
from cxlisten.surveys.definitions import CHOICE_TYPES, OTHER, numeric_range
from cxlisten.useragent import describe_request

__all__ = ["ResponseResult", "check_answers", "record_response", "required_unanswered"]

JOURNEY_STEPS = 20  # recent steps of the session stamped on a response


@dataclass
class ResponseResult:
    reply: dict
    site: object
    errors: dict


def check_answers(definition: dict, answers: list[dict]) -> tuple[dict[str, dict], dict]:
    """Return ({question id: normalised answer}, {located error: [messages]}) for ANSWERS."""
    questions = {q["id"]: (i, q) for i, q in enumerate(definition["questions"])}
    good: dict[str, dict] = {}
    errors: dict[str, list[str]] = {}
    for i, answer in enumerate(answers):
        qid = answer["question"]
        if qid not in questions:
            errors[f"answers[{i}].question"] = [f"no question {qid!r} in this survey version"]
            continue
        if qid in good:
            errors[f"answers[{i}].question"] = [f"question {qid!r} answered twice"]
            continue
        position, question = questions[qid]
        try:
            value = _value(question, answer["value"], answer.get("other"))
        except ValueError as exc:
            errors[f"answers[{i}].value"] = [str(exc)]
            continue
        if value is not None:
            good[qid] = {"position": position, "question": question, **value}
    return good, errors


def _value(question: dict, value, other) -> dict | None:
    """Return {"value": text, "number": n, "other": text} for one answer, None if blank."""
    qtype = question["type"]
    if value is None or value == "" or value == []:
        return None
    bounds = numeric_range(question)
    if bounds is not None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value != int(value)
        ):
            raise ValueError(f"a whole number from {bounds[0]} to {bounds[1]}")
        if not bounds[0] <= value <= bounds[1]:
            raise ValueError(f"must be from {bounds[0]} to {bounds[1]}, got {value}")
        return {"value": str(int(value)), "number": int(value), "other": None}
    if qtype == "text":
        if not isinstance(value, str):
            raise ValueError("must be text")
        value = value.strip()
        if len(value) > question.get("max_length", 500):
            raise ValueError(f"at most {question.get('max_length', 500)} characters")
        return {"value": value, "number": None, "other": None} if value else None
    codes = [o["code"] for o in question["options"]] + ([OTHER] if question.get("other") else [])
    chosen = [value] if qtype == "single" else value
    if qtype == "single" and not isinstance(value, str):
        raise ValueError("must be one option code")
    if qtype == "multi" and (
        not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    ):
        raise ValueError("must be a list of option codes")
    unknown = [c for c in chosen if c not in codes]
    if unknown:
        raise ValueError(f"not an option of this question: {', '.join(map(repr, unknown))}")
    if len(set(chosen)) != len(chosen):
        raise ValueError("an option chosen twice")
    other_text = other.strip() if isinstance(other, str) and OTHER in chosen else None
    # Kept in the question's option order, so equal choices are equal text.
    ordered = [c for c in codes if c in chosen]
    return {"value": ",".join(ordered), "number": None, "other": other_text or None}


def required_unanswered(definition: dict, answered: dict[str, str]) -> list[str]:
    """Return required questions left unanswered on the path ANSWERED's branches take."""
    questions = definition["questions"]
    index = {q["id"]: i for i, q in enumerate(questions)}
    missing, i = [], 0
    while i < len(questions):
        question = questions[i]
        if question["id"] not in answered:
            if question.get("required", True):
                missing.append(question["id"])
            i += 1
            continue
        goto = _branch(question, answered[question["id"]])
        if goto == "end":
            break
        i = index[goto] if goto else i + 1
    return missing


def _branch(question: dict, text: str) -> str | None:
    """Return where QUESTION's branches send the answer TEXT (None: the next question)."""
    if question["type"] in CHOICE_TYPES:
        answer: object = text.split(",")
    elif numeric_range(question) is not None:
        answer = int(text)
    else:
        return None
    for branch in question.get("branch", []):
        when = branch["when"]
        if _holds(when, answer):
            return branch["goto"]
    return None


def _holds(when: dict, answer) -> bool:
    chosen = answer if isinstance(answer, list) else [answer]
    if "equals" in when:
        return when["equals"] in chosen if isinstance(answer, list) else answer == when["equals"]
    if "in" in when:
        return any(c in when["in"] for c in chosen)
    if isinstance(answer, list):
        return False
    return when.get("min", answer) <= answer <= when.get("max", answer)


def record_response(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    request: BrowserRequest,
    *,
    now: int | None = None,
) -> ResponseResult:
    """Validate and store one response post; bad answers come back in ``errors``."""
    payload, who, version = _admit(db, settings, tokens, request)
    site = who.site
    reply = {
        "visitor": who.token,
        "response": payload["response"],
        "status": None,
        "action": None,
    }
    if version is None:
        reply["ignored"] = who.ignored
        return ResponseResult(reply, site, {})
    survey, definition = version
    good, errors = check_answers(definition, payload["answers"])
    now = now or int(time.time() * 1000)
    device = describe_request(request, allow_automation=site.allow_automation)
    session = _current_session(db, settings, site, who.visitor_id, now)
    with transaction(db):
        # The post reads the stored response and writes it back: two collectors taking posts
        # of one response at once (partial, complete, a resend) take turns on the visitor.
        event_store.lock_visitor(db, site.id, who.visitor_id)
        existing = _own_response(db, site.id, payload, survey, who.visitor_id)
        blank_but_done = (
            payload["complete"] and not errors and not required_unanswered(definition, {})
        )
        if existing is None and not good and not blank_but_done:
            # Nothing valid to keep: no empty response row, only the quarantined payload.
            if not errors:
                errors["answers"] = ["give at least one answer"]
            _quarantine(db, settings, site.id, request, errors)
            return ResponseResult(reply, site, errors)
        if existing is None:
            context = _context(site, survey, payload, who.visitor_id, device, session, now)
            row_id, stored = store.insert_response(db, context), {}
        else:
            row_id, stored = existing["id"], _stored_answers(db, existing["id"])
        store.upsert_answers(
            db, _answer_rows(row_id, site.id, survey.slug, payload, who.visitor_id, good, now)
        )
        answered = {**stored, **{qid: a["value"] for qid, a in good.items()}}
        status = _update_status(db, row_id, existing, definition, payload, answered, errors, now)
        _save_attributes(db, site.id, who.visitor_id, survey.slug, payload, good, now)
        if errors:
            _quarantine(db, settings, site.id, request, errors)
    reply["status"] = status
    if not errors and not device.is_bot:
        reply["action"] = activate.next_best_action(
            db, site, who.visitor_id, payload["url"], session
        )
    return ResponseResult(reply, site, errors)


def _admit(
    db: Database, settings: Settings, tokens: VisitorTokens, request: BrowserRequest
) -> tuple[dict, Caller, tuple[Survey, dict] | None]:
    """Return the post, its caller and the version answered (None: ignored), keeping refusals."""
    site_id = None
    try:
        payload = load(RESPONSE, parse_body(request.body, settings), "response")
        who = caller(db, settings, tokens, payload["site"], payload["visitor"], request)
        site_id = who.site.id
        if who.ignored:
            return payload, who, None
        return payload, who, _answered_version(db, site_id, payload)
    except (InvalidInput, NotFound, Forbidden) as exc:  # refused whole: it leaves a trace too
        _quarantine(db, settings, site_id, request, exc.fields or {"_body": [exc.message]})
        raise


def _answered_version(db: Database, site_id: int, payload: dict) -> tuple[Survey, dict]:
    """Return the survey answered and the definition of the version answered, or raise."""
    survey = survey_store.get_survey(db, site_id, payload["survey"])
    if survey is None or survey.kind != "survey":
        raise NotFound("unknown survey", {"survey": [f"no survey {payload['survey']!r}"]})
    definition = (
        survey.definition
        if payload["version"] == survey.version
        else survey_store.get_version(db, survey.id, payload["version"])
    )
    if definition is None:
        raise InvalidInput(
            "unknown survey version",
            {"version": [f"{survey.slug!r} has no version {payload['version']}"]},
        )
    return survey, definition


def _own_response(db: Database, site_id: int, payload: dict, survey: Survey, visitor_id: str):
    """Return the stored response this post continues (None if new); refuse someone else's."""
    existing = store.get_response(db, site_id, payload["response"])
    if existing and (existing["survey_id"], existing["version"], existing["visitor_id"]) != (
        survey.id,
        payload["version"],
        visitor_id,
    ):
        raise InvalidInput(
            "response id already used",
            {"response": ["belongs to another survey, version or visitor"]},
        )
    return existing


def _answer_rows(row_id, site_id, slug, payload, visitor_id, good: dict, now: int) -> list[dict]:
    """Return the answer rows to upsert for the valid answers GOOD of one response."""
    return [
        {
            "response_id": row_id,
            "site_id": site_id,
            "survey": slug,
            "version": payload["version"],
            "visitor_id": visitor_id,
            "question": qid,
            "position": a["position"],
            "type": a["question"]["type"],
            "value": a["value"],
            "number": a["number"],
            "other": a["other"],
            "answered_at": now,
        }
        for qid, a in good.items()
    ]


def _update_status(db, row_id, existing, definition, payload, answered, errors, now) -> str:
    """Store the response's status (complete once every required question is answered)."""
    status = existing["status"] if existing else "partial"
    if payload["complete"] and status != "complete" and not errors:
        missing = required_unanswered(definition, answered)
        if missing:
            errors["answers"] = [f"required question {q!r} not answered" for q in missing]
        else:
            status = "complete"
    completed_at = (existing or {}).get("completed_at") or (now if status == "complete" else None)
    store.update_response(
        db,
        row_id,
        status=status,
        answered=len(answered),
        updated_at=now,
        completed_at=completed_at,
    )
    return status


def _quarantine(db, settings, site_id, request, errors) -> None:
    body = request.body[: settings.rejected_payload_bytes].decode("utf-8", "replace")
    rejected.quarantine(
        db,
        [{"index": None, "errors": errors, "payload": body}],
        keep=settings.rejected_keep,
        site_id=site_id,
        endpoint="responses",
    )


def _stored_answers(db: Database, response_id: int) -> dict[str, str]:
    return {a["question"]: a["value"] for a in store.answers_of(db, [response_id])[response_id]}


def _current_session(db, settings, site, visitor_id, now) -> dict | None:
    """Return the visitor's session still going at NOW on SITE, if any."""
    session = event_store.latest_session(db, visitor_id)
    idle = settings.session_idle_minutes * 60 * 1000
    if session and (session["site_id"] != site.id or session["last_ts"] + idle < now):
        return None
    return session


def _context(site, survey, payload, visitor_id, device, session, now) -> dict:
    """Return a new response row stamped with page, session, device and recent journey."""
    return {
        "site_id": site.id,
        "survey_id": survey.id,
        "survey": survey.slug,
        "version": payload["version"],
        "client_id": payload["response"],
        "visitor_id": visitor_id,
        "session_id": session["id"] if session else None,
        "status": "partial",
        "answered": 0,
        "locale": payload["locale"],
        "url": payload["url"],
        "path": (urlsplit(payload["url"]).path or "/")[:1024],
        "device": device.kind,
        "browser": device.browser,
        "os": device.os,
        "is_bot": int(device.is_bot),
        "journey": session["steps"][-JOURNEY_STEPS:] if session else [],
        "started_at": now,
        "updated_at": now,
        "completed_at": None,
        "channel": channel_of(payload["url"], survey.slug),
    }


def _save_attributes(db, site_id, visitor_id, slug, payload, good, now) -> None:
    rows = []
    for qid, answer in good.items():
        name = answer["question"].get("saves_as")
        if name:
            rows.append(
                {
                    "site_id": site_id,
                    "visitor_id": visitor_id,
                    "name": name,
                    "value": answer["other"] or answer["value"],
                    "survey": slug,
                    "version": payload["version"],
                    "question": qid,
                    "response": payload["response"],
                    "updated_at": now,
                }
            )
    if rows:
        profile_store.set_attributes(db, rows)
