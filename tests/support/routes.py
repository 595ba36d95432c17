"""The collector's routes, walked from ``app.url_map``, with their variables filled in.

A route a blueprint adds later is walked by every test that uses these, without touching them.
"""

from __future__ import annotations

import re

# Capability URLs (a token is the authority, not a key) and static files.
UNSCOPED = {"/x/<token>", "/console/shared/<token>", "/console/static/<path:filename>"}


def routes(app, prefix: str, methods: set[str] | None = None, *, every: bool = False):
    """Yield (method, rule) of every route under PREFIX (of METHODS, if given), sorted; EVERY
    keeps the capability and static routes too."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) and (every or rule.rule not in UNSCOPED):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                if methods is None or method in methods:
                    found.add((method, rule.rule))
    yield from sorted(found, key=lambda mr: (mr[1], mr[0]))


def fill(rule: str, values: dict[str, str]) -> str:
    """Return RULE with its variables from VALUES; ``name`` depends on what the route names.

    VALUES holds ``slug``, ``visitor_id``, ``customer_id``, ``share_id``, ``kind``, ``key_id``,
    ``message_id``, ``action`` and ``export``, ``journey``, ``rule`` for the routes' ``name``.
    A variable missing from VALUES fails with the rule named, so a new one is added here.
    """
    named = dict(values)
    if rule.startswith("/api/export/"):
        named["name"] = values["export"]
    elif "/rules/" in rule or "/activate/" in rule:
        named["name"] = values["rule"]
    else:
        named["name"] = values["journey"]

    def one(match):
        variable = match.group(1).split(":")[-1]
        if variable not in named:
            raise AssertionError(f"the walk cannot fill <{variable}> of {rule}: add it")
        return named[variable]

    return re.sub(r"<([^>]+)>", one, rule)
