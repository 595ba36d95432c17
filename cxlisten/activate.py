"""Phase 3, activate & transform: rules (when → then) that pick each visitor's next best action.

A rule::

    {"name": "detractor-chat", "level": "reactive", "priority": 100, "journey": "checkout",
     "when": [{"score": "nps", "max": 6}, {"page": ["/checkout*"]}],
     "then": {"show": {"kind": "channel", "title": {"en": "Sorry to hear that"},
                       "body": {"en": "Talk to a person now?"}, "label": {"en": "Chat"},
                       "url": "/help/chat"},
              "webhook": "detractor", "set": {"needs_care": "yes"}},
     "holdout": 10}

**When** — every condition must hold (an empty list always holds):

* ``{"attribute": NAME, "equals"|"in"|"exists": ...}`` — a zero-party attribute of the visitor;
* ``{"answer": {"survey": S, "question": Q}, "equals"|"in"|"min"|"max": ...}`` — their latest
  answer (option codes for choices, numbers for scores);
* ``{"score": "nps"|"csat"|"ces"|"rating", "min": a, "max": b}`` — their latest score of a type;
* ``{"journey": NAME, "state": "entered"|"in_progress"|"completed"|"not_entered",
  "step": PATTERN}`` — where this session is in a named journey (``step``: the furthest step
  reached matches PATTERN);
* ``{"segment": {"device": [...], "visitor": "new"|"returning"}}``;
* ``{"page": [PATTERN, ...]}`` — the current page.
* ``{"risk": "low"|"medium"|"high"}`` — the churn risk of the visitor's customer is at least that
  (``cxlisten.risk``: visits dropped, a detractor answer, an unresolved journey).

**Then** — what the rule does:

* ``show``: one action for the snippet's panel: ``kind`` ``content`` (a content block) or
  ``channel`` (a service or support channel: chat, phone, a help article), with ``title``,
  ``body``, ``label`` per locale, ``url`` and ``placement``;
* ``from_answer`` (customer choice): ``{"survey", "question", "map": {code: show}}`` — offer the
  path the visitor picked in a survey;
* ``choose`` (proactive): a list of ``show`` actions; the one that worked best for similar
  visitors (same device) is chosen by Thompson sampling on each action's measured goal rate;
* ``set``: ``{attribute: value}`` written to the visitor's profile;
* ``webhook``: an event name queued for the site's webhooks with the visitor's context.

**Levels.** ``reactive`` rules respond to what a visitor reported (a low score, an answer);
``choice`` rules offer what they asked for; ``proactive`` rules choose for them. A rule tied to a
journey acts only while that journey is in the ``activate`` phase.

**Conflicts.** Matching rules are ranked by priority, then level (reactive, choice, proactive),
then name. The first one with something to show wins the single panel; the others' ``show`` is
suppressed, while every matching rule's ``set`` and ``webhook`` effects apply (for one attribute,
the higher-ranked rule's value wins). Effects fire once per visitor and session.

**Holdout.** A share of visitors (``holdout`` percent: default 10 for proactive rules, 0
otherwise), chosen by a stable hash of visitor and rule, is shown nothing for that rule — not
even a lower-ranked action. Both arms are recorded (``action_exposures``), and ``lift`` compares
how often each went on to reach the journey's goal.
"""

from __future__ import annotations

import hashlib
import random
import time

from cxlisten import journeys as journey_lib
from cxlisten import risk as risk_lib
from cxlisten import webhooks
from cxlisten.caches import caches_of
from cxlisten.errors import NotFound
from cxlisten.files import check_named_items, read_json_file
from cxlisten.lift import OUTCOME_DAYS, goal_of, lift, outcomes
from cxlisten.rules import LEVELS, Rule, validate_rule
from cxlisten.storage import customers as customer_store
from cxlisten.storage import events as event_store
from cxlisten.storage import profiles as profile_store
from cxlisten.storage import rules as store
from cxlisten.storage import sites as site_store
from cxlisten.storage import transaction
from cxlisten.storage.db import Database
from cxlisten.surveys.catalogue import link_origins

__all__ = [
    "LEVELS",
    "OUTCOME_DAYS",
    "save_rule",
    "get_rule",
    "list_rules",
    "delete_rule",
    "load_rules",
    "load_rules_file",
    "validate_rule",
    "next_best_action",
    "evaluate",
    "lift",
    "arm_of",
]

LATEST = object()  # "look the visitor's latest session up"

# ---------------------------------------------------------------------------- storage


def save_rule(db: Database, site, data: dict) -> Rule:
    """Validate and store a rule (replacing one of the same name); return it."""
    rule = validate_rule(data, _link_origins(db, site))
    store.save_rule(db, getattr(site, "id", site), rule)
    caches_of(db).clear()
    return get_rule(db, site, rule["name"])


def _link_origins(db: Database, site) -> list[str]:
    """Where a rule of SITE (a Site or its id) may link to: as its surveys' links may."""
    return link_origins(site if hasattr(site, "origins") else site_store.get_site(db, site))


def get_rule(db: Database, site, name: str) -> Rule:
    rule = store.get_rule(db, getattr(site, "id", site), name)
    if rule is None:
        raise NotFound(f"no rule named {name!r}", {"rule": ["unknown rule"]})
    return Rule.from_stored(rule)


def list_rules(db: Database, site) -> list[Rule]:
    return [Rule.from_stored(r) for r in store.list_rules(db, getattr(site, "id", site))]


def delete_rule(db: Database, site, name: str) -> None:
    if not store.delete_rule(db, getattr(site, "id", site), name):
        raise NotFound(f"no rule named {name!r}", {"rule": ["unknown rule"]})
    caches_of(db).clear()


def load_rules(db: Database, site, data) -> list[str]:
    """Store ``{"rules": [...]}`` (every rule validated first, then all or nothing)."""
    items = data.get("rules") if isinstance(data, dict) else data
    allowed = _link_origins(db, site)
    checked = check_named_items(items, lambda r: validate_rule(r, allowed), "rules", "rule")
    names = [r["name"] for r in checked]
    site_id = getattr(site, "id", site)
    with transaction(db):
        for rule in checked:
            store.save_rule(db, site_id, rule)
    caches_of(db).clear()
    return names


def load_rules_file(db: Database, site, path: str) -> list[str]:
    """Load a rules file (JSON ``{"rules": [...]}``) for SITE; return the rule names."""
    return load_rules(db, site, read_json_file(path))


# ---------------------------------------------------------------------------- evaluation


def arm_of(visitor_id: str, rule: str, holdout: float) -> str:
    """Return ``holdout`` or ``shown``: a stable draw per visitor and rule."""
    digest = hashlib.blake2b(f"{rule}:{visitor_id}".encode(), digest_size=8).digest()
    return "holdout" if int.from_bytes(digest, "big") / 2**64 * 100 < holdout else "shown"


class _Context:
    """What rules may ask about one visitor on one page; each part loaded on first use."""

    def __init__(self, db, site_id, visitor_id, url, session):
        self.db, self.site_id, self.visitor_id = db, site_id, visitor_id
        self.rules = journey_lib.path_rules(db, site_id)
        self.path = self.rules.normalise(url) if url else "/"
        self.session = session
        self._parts: dict = {}

    def _once(self, key, load):
        if key not in self._parts:
            self._parts[key] = load()
        return self._parts[key]

    @property
    def visitors(self) -> tuple[str, ...]:
        """This visitor, or every visitor of its customer: the profile follows the customer."""
        return self._once(
            "visitors",
            lambda: customer_store.linked(self.db, self.site_id, self.visitor_id).visitors,
        )

    @property
    def attributes(self) -> dict:
        return self._once(
            "attributes",
            lambda: {
                a["name"]: a["value"]
                for a in profile_store.attributes(self.db, self.site_id, self.visitors)
            },
        )

    def _answers(self) -> list[tuple]:
        return self._once(
            "answer rows", lambda: customer_store.answers_of(self.db, self.site_id, self.visitors)
        )

    @property
    def answers(self) -> dict:
        """{(survey, question): {"value", "number", "other"}} of the latest answers."""
        return self._once(
            "answers",
            lambda: {
                (s, q): {"value": v, "number": n, "other": o}
                for s, q, v, n, o, _ in self._answers()
            },
        )

    @property
    def scores(self) -> dict:
        """The latest answer to each numeric question type (nps, csat, ces...)."""
        return self._once(
            "scores",
            lambda: {t: n for _, _, _, n, _, t in self._answers() if n is not None},
        )

    @property
    def steps(self) -> list[str]:
        def load():
            steps = [self.rules.normalise(s) for s in (self.session or {}).get("steps", [])]
            if not steps or steps[-1] != self.path:
                steps.append(self.path)  # the page being served may not be collected yet
            return steps

        return self._once("steps", load)

    @property
    def device(self) -> str | None:
        return (self.session or {}).get("device")

    @property
    def returning(self) -> bool:
        return bool((self.session or {}).get("is_returning"))


def _compare(cond: dict, value) -> bool:
    if value is None:
        return cond.get("exists") is False
    if "exists" in cond and cond["exists"] is False:
        return False
    values = value if isinstance(value, list) else [value]
    if "equals" in cond and str(cond["equals"]) not in [str(v) for v in values]:
        return False
    if "in" in cond and not {str(c) for c in cond["in"]} & {str(v) for v in values}:
        return False
    for bound, ok in (("min", lambda v, b: v >= b), ("max", lambda v, b: v <= b)):
        if bound in cond:
            try:
                if not any(ok(float(v), cond[bound]) for v in values):
                    return False
            except (TypeError, ValueError):
                return False
    return True


def _holds(cond: dict, ctx: _Context, journeys: dict) -> bool:
    if "attribute" in cond:
        return _compare(cond, ctx.attributes.get(cond["attribute"]))
    if "answer" in cond:
        found = ctx.answers.get((cond["answer"]["survey"], cond["answer"]["question"]))
        if found is None:
            return _compare(cond, None)
        value = (
            found["number"]
            if found["number"] is not None
            else ([v for v in (found["value"] or "").split(",") if v] or None)
        )
        return _compare(cond, value)
    if "score" in cond:
        return _compare(cond, ctx.scores.get(cond["score"]))
    if "page" in cond:
        return any(journey_lib.matches(p, ctx.path) for p in cond["page"])
    if "risk" in cond:  # the churn risk of the visitor's customer (cxlisten.risk)
        risk = ctx._once("risk", lambda: risk_lib.risk_of(ctx.db, ctx.site_id, ctx.visitors))
        return risk_lib.at_least(risk.level, cond["risk"])
    if "segment" in cond:
        segment = cond["segment"]
        if segment.get("device") and ctx.device not in segment["device"]:
            return False
        wanted = segment.get("visitor")
        return wanted is None or (wanted == "returning") == ctx.returning
    journey = journeys.get(cond["journey"])
    state = cond.get("state", "entered")
    match = journey.follow(ctx.steps) if journey else None
    if state == "not_entered":
        return match is None
    if match is None:
        return False
    if "step" in cond and not journey_lib.matches(cond["step"], journey.steps[match.reached]):
        return False
    return {"entered": True, "in_progress": not match.completed, "completed": match.completed}[
        state
    ]


def _action(show: dict, rule: str) -> dict:
    return {
        "id": show["id"],
        "kind": show["kind"],
        "title": show["title"],
        "body": show.get("body") or {},
        "label": show.get("label") or {},
        "url": show.get("url"),
        "placement": show.get("placement", "bottom-right"),
        "rule": rule,
    }


def _choose(db, site_id, rule: Rule, ctx: _Context, session_id: str) -> dict:
    """Pick the proactive candidate that worked best for similar visitors (Thompson sampling)."""
    options = rule.then["choose"]
    results = _learned(db, site_id, rule)
    segment = ctx.device or ""
    rng = random.Random(f"{rule.name}:{ctx.visitor_id}:{session_id}")
    best, best_draw = options[0], -1.0
    for show in options:
        s, n = results.get((show["id"], segment), (0, 0))
        draw = rng.betavariate(1 + s, 1 + n - s)
        if draw > best_draw:
            best, best_draw = show, draw
    return best


LEARN_TTL_S = 300


def _learned(db, site_id, rule: Rule) -> dict:
    """Return {(action, device): (reached goal, shown)} for a proactive rule (cached 5 min)."""
    key = ("learned", site_id, rule.name, rule.updated_at)
    return caches_of(db).timed(key, LEARN_TTL_S, lambda: _count_outcomes(db, site_id, rule))


def _count_outcomes(db, site_id, rule: Rule) -> dict:
    outcome = outcomes(
        db, site_id, rule.name, goal_of(db, site_id, store.get_rule(db, site_id, rule.name) or {})
    )
    counts: dict = {}
    for exposure, reached in outcome:
        if exposure["arm"] != "shown":
            continue
        k = (exposure["action"], exposure["segment"])
        s, n = counts.get(k, (0, 0))
        counts[k] = (s + reached, n + 1)
    return counts


def _rules_of(db, site_id) -> list[Rule]:
    """Return the site's enabled rules in the order they are tried (cached until one changes)."""
    stamp = store.rules_stamp(db, site_id)
    return caches_of(db).stamped(("rules", site_id), stamp, lambda: _ordered_rules(db, site_id))


def _ordered_rules(db, site_id) -> list[Rule]:
    rules = [Rule.from_stored(r) for r in store.list_rules(db, site_id, enabled_only=True)]
    order = {level: i for i, level in enumerate(LEVELS)}
    rules.sort(key=lambda r: (-r.priority, order[r.level], r.name))
    return rules


def evaluate(
    db: Database, site, visitor_id: str, url: str, session=LATEST, *, record: bool = True
) -> dict:
    """Return the full decision for a visitor: the action, every matching rule and why.

    ``{"action": dict|None, "matched": [...], "suppressed": [...], "holdout": rule|None,
    "effects": {"set": {...}, "webhooks": [...]}}``. With RECORD, exposures and effects are
    written (once per visitor, rule and session). Long on purpose: the rules are tried in one
    pass, in order, and the first decision of each kind wins, which reads best as one loop.
    """
    site_id = getattr(site, "id", site)
    if isinstance(session, str):
        session = event_store.get_session(db, session)
    elif session is LATEST:
        session = event_store.latest_session(db, visitor_id) if visitor_id else None
    session_id = (session or {}).get("id") or "-"
    rules = _rules_of(db, site_id)
    decision = {
        "action": None,
        "matched": [],
        "suppressed": [],
        "holdout": None,
        "effects": {"set": {}, "webhooks": []},
    }
    if not rules or not visitor_id:
        return decision
    ctx = _Context(db, site_id, visitor_id, url, session)
    all_journeys = {j.name: j for j in journey_lib.list_journeys(db, site_id)}
    exposures, winner_taken = [], False
    for rule in rules:
        journey = all_journeys.get(rule.journey) if rule.journey else None
        if rule.journey and (journey is None or journey.phase != "activate"):
            continue
        if not all(_holds(c, ctx, all_journeys) for c in rule.when):
            continue
        decision["matched"].append(rule.name)
        then = rule.then
        for name, value in then.get("set", {}).items():
            decision["effects"]["set"].setdefault(name, (value, rule.name))
        if "webhook" in then:
            decision["effects"]["webhooks"].append((then["webhook"], rule.name))
        show = None
        if "show" in then:
            show = then["show"]
        elif "from_answer" in then:
            spec = then["from_answer"]
            found = ctx.answers.get((spec["survey"], spec["question"]))
            codes = [v for v in ((found or {}).get("value") or "").split(",") if v]
            show = next((spec["map"][c] for c in codes if c in spec["map"]), None)
        elif "choose" in then:
            show = _choose(db, site_id, rule, ctx, session_id)
        if show is None:
            continue
        if winner_taken:
            decision["suppressed"].append(rule.name)
            continue
        winner_taken = True
        arm = arm_of(visitor_id, rule.name, rule.holdout)
        exposures.append(
            {
                "site_id": site_id,
                "rule": rule.name,
                "action": show["id"],
                "arm": arm,
                "visitor_id": visitor_id,
                "session_id": session_id,
                "journey": rule.journey,
                "segment": ctx.device or "",
                "step_index": max(len(ctx.steps) - 1, 0),
                "ts": int(time.time() * 1000),
            }
        )
        if arm == "holdout":
            decision["holdout"] = rule.name
        else:
            decision["action"] = _action(show, rule.name)
    if record:
        _apply(db, site_id, visitor_id, session_id, ctx, decision, exposures)
    return decision


def _apply(db, site_id, visitor_id, session_id, ctx, decision, exposures) -> None:
    """Record exposures and fire effects once per visitor, rule and session.

    One function on purpose: everything it writes is in one transaction, in the order below.
    """
    from cxlisten.storage import profiles

    now = int(time.time() * 1000)
    queued = 0
    # Read first: a reload in the same session usually has nothing new to write, and then takes
    # no write lock at all.
    wanted = [e["rule"] for e in exposures] + [f"effects:{n}" for n in decision["matched"]]
    done = store.recorded(db, site_id, visitor_id, session_id, wanted)
    if all(name in done for name in wanted):
        return
    with transaction(db):
        if exposures:
            store.record_exposures(db, exposures)
        fresh = set()  # rules whose effects have not fired yet in this session
        for name in decision["matched"]:
            if store.record_exposures(
                db,
                [
                    {
                        "site_id": site_id,
                        "rule": f"effects:{name}",
                        "action": "effects",
                        "arm": "fired",
                        "visitor_id": visitor_id,
                        "session_id": session_id,
                        "journey": None,
                        "segment": "",
                        "step_index": 0,
                        "ts": now,
                    }
                ],
            ):
                fresh.add(name)
        rows = [
            {
                "site_id": site_id,
                "visitor_id": visitor_id,
                "name": name,
                "value": value,
                "survey": f"rule:{rule}",
                "version": 0,
                "question": "",
                "response": "",
                "updated_at": now,
            }
            for name, (value, rule) in decision["effects"]["set"].items()
            if rule in fresh
        ]
        if rows:
            profiles.set_attributes(db, rows)
        for event, rule in decision["effects"]["webhooks"]:
            if rule not in fresh:
                continue
            queued += webhooks.enqueue(
                db,
                site_id,
                event,
                {
                    "rule": rule,
                    "visitor": visitor_id,
                    "session": session_id,
                    "page": ctx.path,
                    "scores": ctx.scores,
                    "attributes": ctx.attributes,
                },
                dedupe=f"{rule}:{visitor_id}:{session_id}",
            )
    if queued:
        webhooks.deliver_soon(db)


def next_best_action(db: Database, site, visitor_id: str, url: str, session=LATEST) -> dict | None:
    """Return the action to show this visitor on URL (the ``action`` of /v1/config), or None.

    SESSION is the visitor's current session summary (or its id); None means they have no
    current session; left out, their latest session is looked up.
    """
    return evaluate(db, site, visitor_id, url, session)["action"]
