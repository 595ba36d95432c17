"""Journeys: path normalisation, named journeys (ordered step patterns with a goal), phases.

A visitor's session is the ordered list of paths it viewed (kept by ingestion in the ``sessions``
summary). Before anything counts them, paths are *normalised*: the query string is dropped unless
a parameter is listed in ``keep_query``, a trailing slash is removed, the site's rules fold paths
into patterns (``/product/blue-shirt`` → ``/product/:slug``), and ids are folded by default
(numbers, UUIDs, long hex strings, slugs ending in a number become ``:id``).

Patterns, used by rules, journey steps and help pages, are paths where ``:name`` matches one
segment and ``*`` matches anything (``/checkout*`` covers ``/checkout/payment``).

A named journey is ``{"name", "title", "kind", "steps": [pattern, ...], "goal": pattern}``. A
session *enters* it at its first page matching the first step, *reaches* step k when it visits a
page matching step k afterwards, and *completes* it when it visits the goal afterwards. Each
journey is in one phase — ``track`` (it gets the pulse survey), ``deepdive`` (its targeted surveys
and interventions) or ``activate`` (its personalization rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from cxlisten.errors import InvalidInput, NotFound, flatten_fields
from cxlisten.files import check_named_items, read_json_file
from cxlisten.storage import journeys as store
from cxlisten.storage import transaction
from cxlisten.storage.db import Database

__all__ = [
    "PHASES",
    "DEFAULT_HELP",
    "PathRules",
    "Journey",
    "JourneyMatch",
    "compile_pattern",
    "matches",
    "path_rules",
    "set_path_rules",
    "save_journey",
    "get_journey",
    "list_journeys",
    "delete_journey",
    "phase_of",
    "set_phase",
    "journeys_in_phase",
    "load_journeys_file",
    "load_journeys",
]

PHASES = ("track", "deepdive", "activate")
KINDS = ("checkout", "signup", "search", "support", "content", "other")
DEFAULT_HELP = ("/help*", "/support*", "/faq*", "/contact*")
NAME = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
_PATTERN = r"^/[^\s]{0,199}$"

# ---------------------------------------------------------------------------- patterns


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern:
    """Return the regex for a path PATTERN (``:name`` = one segment, ``*`` = anything)."""
    out = []
    for token in re.split(r"(\*|:[A-Za-z_][A-Za-z0-9_]*)", pattern):
        if token == "*":
            out.append(".*")
        elif token.startswith(":") and len(token) > 1:
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, path: str) -> bool:
    """Return whether normalised PATH matches PATTERN."""
    return compile_pattern(pattern).match(path) is not None


_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_HEX = re.compile(r"^(?=.*\d)[0-9a-f]{12,}$", re.I)
_NUM = re.compile(r"^\d+$")
_SLUG_NUM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-\d+$", re.I)
_TOKEN = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9_-]{20,}$", re.I)


def _fold_segment(segment: str) -> str:
    if _NUM.match(segment) or _UUID.match(segment) or _HEX.match(segment):
        return ":id"
    if _SLUG_NUM.match(segment) or _TOKEN.match(segment):
        return ":id"
    return segment


@dataclass(frozen=True)
class PathRules:
    """How a site's paths are normalised, and which pages are help pages.

    ``rules`` is a list of ``{"pattern": "/product/:slug"}`` (a path matching the pattern becomes
    the pattern), ``{"match": "/p/*", "as": "/product/:id"}`` or
    ``{"regex": "^/u/[^/]+", "replace": "/u/:user"}``; the first that matches wins, and ids are
    folded only when none does.
    """

    keep_query: tuple[str, ...] = ()
    rules: tuple[dict, ...] = ()
    fold_ids: bool = True
    help: tuple[str, ...] = DEFAULT_HELP
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def as_dict(self) -> dict:
        return {
            "keep_query": list(self.keep_query),
            "rules": [dict(r) for r in self.rules],
            "fold_ids": self.fold_ids,
            "help": list(self.help),
        }

    def normalise(self, path: str) -> str:
        """Return the pattern PATH (or a full URL) counts as."""
        hit = self._cache.get(path)
        if hit is None:
            hit = self._normalise(path)
            if len(self._cache) < 200_000:
                self._cache[path] = hit
        return hit

    def _normalise(self, raw: str) -> str:
        if raw.startswith("/"):  # a path, not a URL: '//a' is not a host
            path, _, query = raw.partition("?")
            query = query.partition("#")[0]
        else:
            parts = urlsplit(raw)
            path, query = parts.path, parts.query
        path = re.sub(r"/{2,}", "/", path or "/")
        if len(path) > 1:
            path = path.rstrip("/") or "/"
        if not path.startswith("/"):
            path = "/" + path
        for rule in self.rules:
            if "regex" in rule:
                new, n = re.subn(rule["regex"], rule.get("replace", ""), path, count=1)
                if n:
                    path = new
                    break
            else:
                pattern = rule.get("match") or rule["pattern"]
                if matches(pattern, path):
                    path = rule.get("as") or rule["pattern"]
                    break
        else:
            if self.fold_ids:
                path = "/".join(_fold_segment(s) if s else s for s in path.split("/"))
        if self.keep_query and query:
            kept = sorted((k, v) for k, v in parse_qsl(query) if k in self.keep_query)
            if kept:
                path += "?" + urlencode(kept)
        return path

    def is_help(self, path: str) -> bool:
        return any(matches(p, path) for p in self.help)


class _RuleSchema(Schema):
    class Meta:
        unknown = RAISE

    pattern = fields.String(validate=validate.Regexp(_PATTERN))
    match = fields.String(validate=validate.Regexp(_PATTERN))
    as_ = fields.String(data_key="as", attribute="as", validate=validate.Regexp(_PATTERN))
    regex = fields.String(validate=validate.Length(1, 300))
    replace = fields.String(validate=validate.Length(0, 300))

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if "regex" in data:
            try:
                re.compile(data["regex"])
            except re.error as exc:
                raise ValidationError(f"invalid regular expression: {exc}", "regex") from None
        elif "pattern" not in data and not ("match" in data and "as" in data):
            raise ValidationError("give pattern, match and as, or regex and replace")


class _PathRulesSchema(Schema):
    class Meta:
        unknown = RAISE

    keep_query = fields.List(
        fields.String(validate=validate.Length(1, 100)),
        validate=validate.Length(0, 50),
        load_default=list,
    )
    rules = fields.List(
        fields.Nested(_RuleSchema), validate=validate.Length(0, 200), load_default=list
    )
    fold_ids = fields.Boolean(load_default=True)
    help = fields.List(
        fields.String(validate=validate.Regexp(_PATTERN)),
        validate=validate.Length(0, 50),
        load_default=lambda: list(DEFAULT_HELP),
    )


_PATH_RULES = _PathRulesSchema()


def _load(schema: Schema, data, what: str) -> dict:
    try:
        return schema.load(data if isinstance(data, dict) else {"_": data})
    except ValidationError as exc:
        raise InvalidInput(f"invalid {what}", flatten_fields(exc.messages)) from None


def _rules_from(config: dict) -> PathRules:
    return PathRules(
        keep_query=tuple(config.get("keep_query", ())),
        rules=tuple(config.get("rules", ())),
        fold_ids=config.get("fold_ids", True),
        help=tuple(config.get("help", DEFAULT_HELP)),
    )


def path_rules(db: Database, site_id: int) -> PathRules:
    """Return the site's path rules (the defaults until some are set)."""
    config = store.get_path_rules(db, site_id)
    return _rules_from(config) if config else PathRules()


def set_path_rules(db: Database, site_id: int, config: dict) -> PathRules:
    """Validate and store the site's path rules; return them."""
    data = _load(_PATH_RULES, config, "path rules")
    rules = _rules_from(data)
    store.save_path_rules(db, site_id, rules.as_dict())
    return rules


# ---------------------------------------------------------------------------- journeys


@dataclass(frozen=True)
class JourneyMatch:
    """How far one session went in a journey (indexes into its normalised steps)."""

    entered_at: int
    reached: int  # index of the deepest journey step reached
    positions: tuple[int, ...]  # session-step index where each journey step was first reached
    completed: bool
    goal_at: int | None


@dataclass(frozen=True)
class Journey:
    name: str
    steps: tuple[str, ...]
    goal: str
    title: str = ""
    kind: str | None = None
    phase: str = "track"

    @classmethod
    def from_dict(cls, data: dict) -> Journey:
        return cls(
            name=data["name"],
            steps=tuple(data["steps"]),
            goal=data["goal"],
            title=data.get("title") or "",
            kind=data.get("kind"),
            phase=data.get("phase") or "track",
        )

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "steps": list(self.steps),
            "goal": self.goal,
            "phase": self.phase,
        }

    def follow(self, steps: list[str]) -> JourneyMatch | None:
        """Return how far normalised session STEPS went in this journey (None: never entered)."""
        patterns = [compile_pattern(p) for p in self.steps]
        first = patterns[0]
        start = next((i for i, path in enumerate(steps) if first.match(path)), None)
        if start is None:
            return None
        goal = compile_pattern(self.goal)
        reached, positions, goal_at = 0, [start], None
        for i in range(start + 1, len(steps)):
            path = steps[i]
            for k in range(len(patterns) - 1, reached, -1):
                if patterns[k].match(path):
                    positions.extend([i] * (k - reached))
                    reached = k
                    break
            if goal_at is None and goal.match(path):
                goal_at = i
        if goal_at is None and start == 0 and len(patterns) == 1 and goal.match(steps[start]):
            goal_at = start
        return JourneyMatch(start, reached, tuple(positions), goal_at is not None, goal_at)


class _JourneySchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(
        required=True,
        validate=validate.Regexp(
            NAME, error="lowercase letters, digits, '-', '_' or '.', at most 64"
        ),
    )
    title = fields.String(load_default="", validate=validate.Length(0, 200))
    kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KINDS))
    steps = fields.List(
        fields.String(validate=validate.Regexp(_PATTERN, error="a path pattern starting with '/'")),
        required=True,
        validate=validate.Length(1, 20),
    )
    goal = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(_PATTERN))
    phase = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PHASES))


_JOURNEY = _JourneySchema()


def validate_journey(data) -> dict:
    """Return a journey definition checked and completed (goal defaults to the last step)."""
    journey = _load(_JOURNEY, data, "journey")
    journey["goal"] = journey["goal"] or journey["steps"][-1]
    if not journey["kind"]:
        journey["kind"] = guess_kind(journey["name"], journey["steps"])
    return journey


def guess_kind(name: str, steps) -> str:
    """Guess what a journey is for from its name and steps (for deep-dive templates)."""
    text = " ".join([name, *steps]).lower()
    for kind, words in (
        ("checkout", ("checkout", "cart", "basket", "order", "pay")),
        ("signup", ("signup", "sign-up", "register", "join", "onboard", "verify")),
        ("search", ("search", "find", "results")),
        ("support", ("help", "support", "faq", "contact")),
    ):
        if any(w in text for w in words):
            return kind
    return "other"


def save_journey(db: Database, site_id: int, data: dict) -> Journey:
    """Validate and store a journey (replacing one of the same name; its phase is kept)."""
    journey = validate_journey(data)
    store.save_journey(db, site_id, journey)
    return get_journey(db, site_id, journey["name"])


def get_journey(db: Database, site_id: int, name: str) -> Journey:
    """Return the named journey or raise NotFound."""
    row = store.get_journey(db, site_id, name)
    if row is None:
        raise NotFound(f"no journey named {name!r}", {"journey": ["unknown journey"]})
    return Journey.from_dict(row)


def list_journeys(db: Database, site_id: int) -> list[Journey]:
    return [Journey.from_dict(r) for r in store.list_journeys(db, site_id)]


def delete_journey(db: Database, site_id: int, name: str) -> None:
    if not store.delete_journey(db, site_id, name):
        raise NotFound(f"no journey named {name!r}", {"journey": ["unknown journey"]})


def phase_of(db: Database, site_id: int, name: str) -> str | None:
    """Return the phase of journey NAME (``track``, ``deepdive``, ``activate``), None if unknown."""
    return store.get_phase(db, site_id, name)


def set_phase(db: Database, site_id: int, name: str, phase: str) -> str:
    """Move journey NAME to PHASE; raise InvalidInput for a bad phase, NotFound for a bad name."""
    if phase not in PHASES:
        raise InvalidInput("invalid phase", {"phase": [f"one of {', '.join(PHASES)}"]})
    if not store.set_phase(db, site_id, name, phase):
        raise NotFound(f"no journey named {name!r}", {"journey": ["unknown journey"]})
    return phase


def journeys_in_phase(db: Database, site_id: int, phase: str) -> list[Journey]:
    """Return the site's journeys currently in PHASE."""
    return [Journey.from_dict(r) for r in store.list_journeys(db, site_id, phase)]


def load_journeys(db: Database, site_id: int, data: dict) -> list[str]:
    """Store ``{"paths": {...rules}, "journeys": [...]}`` (all validated first); return names."""
    if not isinstance(data, dict):
        raise InvalidInput("invalid journeys file", {"_schema": ["expected a JSON object"]})
    unknown = set(data) - {"paths", "journeys", "$schema", "description"}
    if unknown:
        raise InvalidInput("invalid journeys file", {k: ["unknown field"] for k in sorted(unknown)})
    rules = _load(_PATH_RULES, data["paths"], "path rules") if "paths" in data else None
    checked = check_named_items(data.get("journeys", []), validate_journey, "journeys", "journey")
    names = [j["name"] for j in checked]
    with transaction(db):
        if rules is not None:
            store.save_path_rules(db, site_id, _rules_from(rules).as_dict())
        for journey in checked:
            store.save_journey(db, site_id, journey)
    return names


def load_journeys_file(db: Database, site, path: str) -> list[str]:
    """Load a journeys file (JSON) for SITE (a Site or its id); return the journey names."""
    return load_journeys(db, getattr(site, "id", site), read_json_file(path))
