"""Who may see which survey or intervention on which page, and why (not).

Every survey and intervention of a site is checked against one visitor on one page by a list of
rules, in this order: status, dates, page, bot, device, sample, journey phase, quota, journey
steps, visits (the Nth visit to a page pattern), a form field abandoned earlier in the session,
steps before a dwell, new/returning, attributes, repetition, an intervention's holdout — then, for
surveys only, the contact budget with priority between the surveys that passed. ``evaluate``
returns every decision with every rule's verdict; ``GET /v1/config`` serves the included ones and
the "why didn't it show?" call lists them.

Sampling is deterministic: a visitor is in a survey's sample when the SHA-256 of
``"<survey id>:<visitor id>"``, read as a number in [0, 100), is below the sample percentage — so
the same visitor gets the same answer on every device and every request. Repetition and the budget
are counted on the server from the ``survey``/``intervention`` events and stored responses.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from cxlisten.channels import hosted_slug
from cxlisten.journeys import phase_of
from cxlisten.moments import to_ms
from cxlisten.results import Message
from cxlisten.settings import Settings
from cxlisten.storage import customers as customer_store
from cxlisten.storage import events as event_store
from cxlisten.storage import profiles as profile_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import signals as signal_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys.definitions import client_view
from cxlisten.useragent import Device

__all__ = ["Decision", "Rule", "Targeting", "evaluate", "path_matches", "sample_point"]

DAY_MS = 86400 * 1000


@dataclass(frozen=True)
class Rule:
    """One rule's verdict: its name, whether it let the survey through, and why."""

    rule: str
    ok: bool
    detail: Message  # reads as its English sentence

    def as_dict(self) -> dict:
        return {"rule": self.rule, "ok": self.ok, "detail": self.detail}


@dataclass
class Decision:
    survey: Survey
    rules: list[Rule] = field(default_factory=list)

    @property
    def included(self) -> bool:
        return all(r.ok for r in self.rules)

    @property
    def reason(self) -> Message:
        for r in self.rules:
            if not r.ok:
                rule = Message(f"why.rule.{r.rule.replace(' ', '_')}")
                return Message("why.reason", rule=rule, detail=r.detail)
        return Message("why.all_matched")

    def as_dict(self) -> dict:
        return {
            "id": self.survey.slug,
            "kind": self.survey.kind,
            "status": self.survey.status,
            "version": self.survey.version,
            "priority": self.survey.priority,
            "shown": self.included,
            "reason": self.reason,
            "rules": [r.as_dict() for r in self.rules],
        }


@dataclass
class Targeting:
    decisions: list[Decision]
    visitor: _Visitor | None = None

    @property
    def session(self) -> dict | None:
        """The visitor's current session summary (None before their first event)."""
        return self.visitor.session if self.visitor else None

    @property
    def surveys(self) -> list[Survey]:
        return [d.survey for d in self.decisions if d.included and d.survey.kind == "survey"]

    @property
    def interventions(self) -> list[Survey]:
        return [d.survey for d in self.decisions if d.included and d.survey.kind == "intervention"]

    def config(self) -> dict:
        """Return the ``surveys`` and ``interventions`` lists of ``GET /v1/config``."""
        return {
            "surveys": [client_view(s.definition, s.version) for s in self.surveys],
            "interventions": [client_view(s.definition, s.version) for s in self.interventions],
        }


# --- rule helpers --------------------------------------------------------------------------------


def sample_point(survey_id: str, visitor_id: str) -> float:
    """Return the visitor's fixed point in [0, 100) for SURVEY_ID's sample."""
    digest = hashlib.sha256(f"{survey_id}:{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


@lru_cache(maxsize=2048)
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(
        "".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", pattern))
        + r"\Z"
    )


def path_matches(path: str, patterns: list[str]) -> bool:
    """Return whether PATH matches one of PATTERNS (``*`` matches anything); none = every page."""
    return not patterns or any(_pattern(p).match(path) for p in patterns)


def _visit_rule(visitor: _Visitor, path: str, trigger: dict, now: int) -> Rule:
    """The Nth visit to a page of the trigger's ``urls``: in this session, or over ``days`` days."""
    urls, wanted, days = trigger.get("urls") or [], trigger["visit"], trigger.get("days")
    current = visitor.steps(path)
    if days:
        sessions = dict(visitor.steps_since(now - days * DAY_MS))
        # The current session's summary may lack this page view: count it from CURRENT instead.
        sessions.pop(visitor.session["id"] if visitor.session else None, None)
        every = [*sessions.values(), current]
        visits = sum(path_matches(s, urls) for steps in every for s in steps)
    else:
        visits = sum(path_matches(s, urls) for s in current)
    ok = visits >= wanted
    return Rule(
        "visits",
        ok,
        Message(
            "why.visits.days" if days else "why.visits.session",
            visits=visits,
            days=days,
            urls=", ".join(urls) if urls else Message("why.any_page"),
            wanted=wanted,
        ),
    )


def _abandoned_rule(visitor: _Visitor) -> Rule:
    """A form field abandoned earlier in this session (``cxlisten.signals``): the page it was on
    is left by then, so the collector decides, and the snippet shows it on this page at once."""
    signals = (visitor.session or {}).get("signals") or []
    found = next((s for s in signals if s[0] == "abandoned"), None)
    if found is None:
        return Rule("abandoned field", False, Message("why.abandoned.none"))
    field = found[3] or found[2] or Message("why.abandoned.a_field")
    return Rule("abandoned field", True, Message("why.abandoned.seen", field=field, page=found[1]))


def _steps_match(steps: list[str], patterns: list[str]) -> bool:
    """Return whether PATTERNS occur in order within STEPS, the last one on the last step."""
    if not steps or not _pattern(patterns[-1]).match(steps[-1]):
        return False
    i = 0
    for step in steps[:-1]:
        if i < len(patterns) - 1 and _pattern(patterns[i]).match(step):
            i += 1
    return i == len(patterns) - 1


@lru_cache(maxsize=256)
def _day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- the visitor as targeting sees them ----------------------------------------------------------


class _Visitor:
    """Facts about one visitor, each read from the database at most once and only if needed."""

    def __init__(self, db: Database, settings: Settings, site: Site, visitor_id: str, now: int):
        self.db, self.settings, self.site, self.id, self.now = db, settings, site, visitor_id, now
        self._cache: dict = {}

    def _once(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    @property
    def linked(self) -> customer_store.Linked:
        """The visitor's customer and all its visitors: what they did counts on every device."""
        return self._once("linked", lambda: customer_store.linked(self.db, self.site.id, self.id))

    @property
    def sample_id(self) -> str:
        return self.linked.customer_id or self.id

    @property
    def history(self) -> dict:
        return self._once(
            "history",
            lambda: profile_store.contact_history(self.db, self.site.id, self.linked.visitors),
        )

    @property
    def responses(self) -> dict:
        return self._once(
            "responses",
            lambda: response_store.visitor_response_stats(self.db, self.linked.visitors),
        )

    @property
    def session(self) -> dict | None:
        def load():
            session = event_store.latest_session(self.db, self.id)
            idle = self.settings.session_idle_minutes * 60 * 1000
            if (
                session
                and session["site_id"] == self.site.id
                and session["last_ts"] + idle >= self.now
            ):
                return session
            return None

        return self._once("session", load)

    @property
    def returning(self) -> bool:
        def load():
            if self.session is not None:
                return bool(self.session["is_returning"])
            return event_store.count_sessions(self.db, self.id) > 0

        return self._once("returning", load)

    @property
    def attributes(self) -> dict[str, str]:
        return self._once(
            "attributes",
            lambda: {
                a["name"]: a["value"]
                for a in profile_store.attributes(self.db, self.site.id, self.linked.visitors)
            },
        )

    def steps(self, path: str) -> list[str]:
        """This session's steps, the current page PATH last (its view may not be stored yet)."""
        steps = list(self.session["steps"]) if self.session else []
        if not steps or steps[-1] != path:
            steps.append(path)
        return steps

    def steps_since(self, since: int) -> dict[str, list[str]]:
        """The steps of each of the visitor's (customer's) sessions active since SINCE."""
        return self._once(
            ("steps since", since),
            lambda: signal_store.steps_since(self.db, self.site.id, self.linked.visitors, since),
        )

    def phase(self, journey: str) -> str | None:
        return self._once(("phase", journey), lambda: phase_of(self.db, self.site.id, journey))

    def events(self, kind: str, name: str, action: str) -> tuple[int, int | None]:
        return self.history.get((kind, name, action), (0, None))

    def last_survey_shown(self) -> int | None:
        times = [
            ts
            for (kind, _, action), (_, ts) in self.history.items()
            if kind == "survey" and action == "shown"
        ]
        return max(times) if times else None


# --- evaluation ----------------------------------------------------------------------------------


def evaluate(
    db: Database,
    settings: Settings,
    site: Site,
    visitor_id: str,
    url: str,
    device: Device,
    *,
    now: int | None = None,
    surveys: list[Survey] | None = None,
    explain: bool = True,
) -> Targeting:
    """Decide, rule by rule, which of the site's surveys and interventions this visitor may see.

    SURVEYS defaults to every non-archived one of the site (paused ones are listed, excluded).
    With EXPLAIN every rule is evaluated; without, a survey's rules stop at the first failure.
    """
    now = now or int(time.time() * 1000)
    if surveys is None:
        surveys = survey_store.list_surveys(db, site.id, statuses=("active", "paused"))
    visitor = _Visitor(db, settings, site, visitor_id, now)
    path = urlsplit(url).path or "/"
    # A hosted survey page (/s/<survey-id>) shows its own survey itself, and nothing else.
    hosted = hosted_slug(path)
    hosted = hosted if any(s.slug == hosted for s in surveys) else None
    decisions = []
    for survey in surveys:
        decision = Decision(survey)
        if hosted:
            decision.rules.append(
                Rule("page", False, Message("why.hosted", path=path, hosted=hosted))
            )
            decisions.append(decision)
            continue
        for rule in _rules(db, survey, visitor, path, device, now):
            decision.rules.append(rule)
            if not rule.ok and not explain:
                break
        decisions.append(decision)
    _apply_budget(decisions, visitor, settings, site, now)
    decisions.sort(key=lambda d: (d.survey.kind != "survey", -d.survey.priority, d.survey.slug))
    return Targeting(decisions, visitor)


def _rules(db, survey: Survey, visitor: _Visitor, path, device, now):
    """Yield each rule's verdict, cheapest first (the config stops at the first failure).

    One generator on purpose: the rules read top to bottom in the order they are tried (the
    order the module docstring lists and "why not?" shows), each a few lines.
    """
    definition = survey.definition
    audience, trigger = definition["audience"], definition["trigger"]
    yield Rule("status", survey.status == "active", Message("why.status", status=survey.status))

    start, end = audience.get("start"), audience.get("end")
    if start and now < to_ms(start):
        yield Rule("dates", False, Message("why.dates.starts", start=start))
    elif end and now >= to_ms(end):
        yield Rule("dates", False, Message("why.dates.ended", end=end))
    else:
        yield Rule("dates", True, Message("why.dates.within" if start or end else "why.dates.none"))

    urls = trigger.get("urls") or []
    matches = path_matches(path, urls)
    yield Rule(
        "page",
        matches,
        Message(
            "why.page.matches" if matches else "why.page.differs",
            path=path,
            urls=", ".join(urls) if urls else Message("why.every_page"),
        ),
    )
    # A crawler that runs pages may send a person's User-Agent on this request: its visit is
    # flagged all the same, by a long stretch without any input (cxlisten.bots.no_input) or by
    # an automated client's request earlier in it.
    flagged = not device.is_bot and bool(visitor.session and visitor.session["is_bot"])
    yield Rule(
        "bot",
        not (device.is_bot or flagged),
        Message("why.bot.yes" if device.is_bot else "why.bot.session" if flagged else "why.bot.no"),
    )
    devices = audience.get("devices") or []
    if devices:
        yield Rule(
            "device",
            device.kind in devices,
            Message("why.device", device=device.kind, devices=", ".join(devices)),
        )
    sample = audience.get("sample", 100.0)
    if sample < 100:
        point = sample_point(survey.slug, visitor.sample_id)
        yield Rule(
            "sample",
            point < sample,
            Message(
                "why.sample.in" if point < sample else "why.sample.out",
                point=f"{point:.1f}",
                sample=f"{sample:g}",
            ),
        )

    journey = definition.get("journey")
    if journey:
        phase = visitor.phase(journey)
        wanted = definition.get("phase")
        yield Rule(
            "journey",
            phase == wanted,
            Message(
                "why.journey.phase" if phase else "why.journey.unknown",
                journey=repr(journey),
                phase=phase,
                kind=Message(f"why.kind.{survey.kind}"),
                wanted=wanted,
            ),
        )

    quota = audience.get("quota")
    if quota:
        if survey.kind == "survey":
            got = response_store.count_complete(db, survey.id, limit=quota)
            yield Rule("quota", got < quota, Message("why.quota.responses", got=got, quota=quota))
        else:
            got = profile_store.count_site_events(
                db, survey.site_id, "intervention", survey.slug, "shown"
            )
            yield Rule("quota", got < quota, Message("why.quota.shown", got=got, quota=quota))

    if trigger["type"] == "journey":
        steps = visitor.steps(path)
        ok = _steps_match(steps, trigger["steps"])
        yield Rule(
            "journey steps",
            ok,
            Message(
                "why.steps.follow" if ok else "why.steps.differ", steps=" → ".join(trigger["steps"])
            ),
        )

    if trigger["type"] == "visit":
        yield _visit_rule(visitor, path, trigger, now)

    if trigger["type"] == "frustration" and trigger.get("signal") == "abandoned":
        yield _abandoned_rule(visitor)

    if trigger["type"] == "dwell" and trigger.get("after"):
        earlier = visitor.steps(path)[:-1]
        ok = any(path_matches(step, trigger["after"]) for step in earlier)
        yield Rule(
            "after steps",
            ok,
            Message(
                "why.after.visited" if ok else "why.after.missed", after=", ".join(trigger["after"])
            ),
        )

    kind = audience.get("visitors", "all")
    if kind != "all":
        returning = visitor.returning
        actual = "returning" if returning else "new"
        yield Rule(
            "visitors",
            actual == kind,
            Message(
                "why.visitors",
                actual=Message(f"why.visitor.{actual}"),
                wanted=Message(f"why.visitor.{kind}"),
            ),
        )

    wanted = audience.get("attributes") or {}
    if any(wanted.get(k) for k in ("has", "lacks", "equals")):
        attrs = visitor.attributes
        missing = [a for a in wanted.get("has", []) if a not in attrs]
        present = [a for a in wanted.get("lacks", []) if a in attrs]
        unequal = [
            Message("why.attributes.equals", name=a, value=repr(attrs.get(a)), wanted=repr(v))
            for a, v in wanted.get("equals", {}).items()
            if attrs.get(a) != v
        ]
        problems = [
            *(Message("why.attributes.lacks", name=a) for a in missing),
            *(Message("why.attributes.has", name=a) for a in present),
            *unequal,
        ]
        yield Rule(
            "attributes",
            not problems,
            Message("why.list", items=tuple(problems))
            if problems
            else Message("why.attributes.match"),
        )

    yield _repetition(survey, visitor, now)

    holdout = definition.get("holdout") or 0
    if survey.kind == "intervention" and holdout:
        yield _holdout(survey.slug, visitor, holdout)


def _holdout(slug: str, visitor: _Visitor, holdout: float) -> Rule:
    """The intervention's holdout: a stable share of eligible visitors shown nothing (for lift).

    Last on purpose: only a visitor every other rule let through is eligible, and only they are
    recorded in either group (``cxlisten.intervention_lift``).
    """
    point = sample_point(f"holdout:{slug}", visitor.sample_id)
    if point < holdout:
        return Rule("holdout", False, Message("why.holdout.in", share=f"{holdout:g}"))
    return Rule("holdout", True, Message("why.holdout.out", share=f"{holdout:g}"))


def _repetition(survey: Survey, visitor: _Visitor, now: int) -> Rule:
    definition = survey.definition
    repetition = definition["repetition"]
    mode, days = repetition["mode"], repetition.get("recontact_days")
    shown, last_shown = visitor.events(survey.kind, survey.slug, "shown")
    if survey.kind == "survey":
        answered, last_answered = visitor.responses.get(survey.id, (0, None))
    else:
        answered, last_answered = visitor.events("intervention", survey.slug, "clicked")
    if days and last_shown and now - last_shown < days * DAY_MS:
        return Rule(
            "repetition", False, Message("why.repetition.recent", day=_day(last_shown), days=days)
        )
    if mode == "once":
        seen = shown or answered
        if seen and not days:
            return Rule("repetition", False, Message("why.repetition.once"))
        return Rule(
            "repetition",
            True,
            Message("why.repetition.unseen")
            if not seen
            else Message("why.repetition.recontact", days=days),
        )
    if mode == "until_answered":
        verb = Message("why.verb.answered" if survey.kind == "survey" else "why.verb.clicked")
        if answered and not (days and last_answered and now - last_answered >= days * DAY_MS):
            return Rule(
                "repetition",
                False,
                Message("why.repetition.until", verb=verb, day=_day(last_answered)),
            )
        return Rule("repetition", True, Message("why.repetition.not_yet", verb=verb, shown=shown))
    times = repetition.get("times") or 1
    return Rule(
        "repetition", shown < times, Message("why.repetition.times", shown=shown, times=times)
    )


def _apply_budget(
    decisions: list[Decision], visitor: _Visitor, settings: Settings, site: Site, now: int
):
    """Let at most the contact budget's surveys through, highest priority first.

    The budget is the site's own if it set one, else the deployment's settings.
    """
    candidates = sorted(
        (d for d in decisions if d.survey.kind == "survey" and d.included),
        key=lambda d: (-d.survey.priority, d.survey.slug),
    )
    if not candidates:
        return
    per_session = _first_set(site.contact_sessions, settings.contact_sessions)
    shown_now = visitor.session["surveys_shown"] if visitor.session else 0
    last = visitor.last_survey_shown()
    days = _first_set(site.contact_days, settings.contact_days)
    if days and last and now - last < days * DAY_MS:
        for d in candidates:
            d.rules.append(
                Rule(
                    "contact budget",
                    False,
                    Message("why.budget.days", day=_day(last), days=days),
                )
            )
        return
    slots = max(per_session - shown_now, 0)
    for i, d in enumerate(candidates):
        if i < slots:
            d.rules.append(
                Rule(
                    "contact budget",
                    True,
                    Message(
                        "why.budget.slot",
                        count=shown_now + i,
                        per_session=per_session,
                        priority=d.survey.priority,
                    ),
                )
            )
        elif slots == 0:
            d.rules.append(
                Rule(
                    "contact budget",
                    False,
                    Message("why.budget.full", count=shown_now, per_session=per_session),
                )
            )
        else:
            ahead = ", ".join(c.survey.slug for c in candidates[:slots])
            d.rules.append(
                Rule(
                    "contact budget",
                    False,
                    Message("why.budget.ahead", ahead=ahead, slots=slots),
                )
            )


def _first_set(own: int | None, default: int) -> int:
    return default if own is None else own
