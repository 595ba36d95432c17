"""Bots and device classes on Matomo Device Detector's labelled real User-Agents, vs today's rules.

    python -m bench.useragents [--half 0|1]

Prints, for cxlisten.useragent and for the rules it replaced (``user-agents`` plus bare
substrings, measured in the same run on the same strings), the share of crawler strings
flagged, of human browser strings flagged, and the agreement per device class. Half 1 is the
held-out half the tests measure; half 0 is the one the rules were tuned against.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import user_agents  # noqa: E402

from tests import corpora  # noqa: E402

_OLD_AUTOMATION = (
    "headless",
    "python",
    "curl",
    "wget",
    "go-http-client",
    "okhttp",
    "java/",
    "phantom",
)


def old_describe(ua: str) -> tuple[str, bool]:
    """The rules before issue 20: user-agents' verdicts and bare substrings."""
    parsed = user_agents.parse(ua or "")
    bot = bool(parsed.is_bot) or not ua or any(m in (ua or "").lower() for m in _OLD_AUTOMATION)
    kind = (
        "tablet"
        if parsed.is_tablet
        else "mobile"
        if parsed.is_mobile
        else "desktop"
        if parsed.is_pc
        else "other"
    )
    return kind, bot


def old_figures(half: int) -> corpora.AgentFigures:
    figures = corpora.AgentFigures(0, 0, 0, 0, {})
    for item in corpora.user_agents():
        if corpora.split(item.user_agent) != half:
            continue
        kind, bot = old_describe(item.user_agent)
        if item.bot:
            figures.bots += 1
            figures.bots_flagged += bot
            continue
        if item.browser:
            figures.humans += 1
            figures.humans_flagged += bot
        if item.device_type:
            want = corpora.expected_kind(item.device_type)
            for key in (item.device_type, f"class {want}"):
                good, total = figures.agree.get(key, (0, 0))
                figures.agree[key] = (good + (kind == want), total + 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", type=int, default=corpora.HELD_OUT)
    half = parser.parse_args().half
    start = time.perf_counter()
    new = corpora.agent_figures(half)
    took = time.perf_counter() - start
    old = old_figures(half)
    print(f"half {half}: {new.bots} crawler strings, {new.humans} human browser strings")
    print(f"{'':24s} {'before':>10s} {'now':>10s}  goal")
    print(f"{'crawlers flagged':24s} {old.recall:10.1%} {new.recall:10.1%}  >= 95%")
    print(f"{'humans flagged':24s} {old.false_rate:10.2%} {new.false_rate:10.2%}  <= 0.1%")
    goals = {"class mobile": 0.9, "class tablet": 0.9, "class desktop": 0.9, "class other": 0.8}
    for key in sorted(new.agree, key=lambda k: (not k.startswith("class"), k)):
        goal = goals.get(key, 0.8 if key not in corpora.EXPECTED else None)
        n = new.agree[key][1]
        print(
            f"{key + f' ({n})':24s} {old.share(key):10.1%} {new.share(key):10.1%}"
            + (f"  >= {goal:.0%}" if goal else "")
        )
    strings = sum(t for _, t in new.agree.values()) // 2 + new.bots
    print(f"classified {strings} strings in {took:.1f} s")


if __name__ == "__main__":
    main()
