"""Bots and device classes on labelled real User-Agents, vs the rules before issue 20.

    python -m bench.useragents [--half 0|1]

Prints, for cxlisten.useragent and for the rules it replaced (``user-agents`` plus bare
substrings, measured in the same run on the same strings), the share of crawler strings
flagged and of human browser strings flagged on Matomo Device Detector's fixtures (half 1 is
the held-out half the tests measure; half 0 the one the rules were tuned against), and the
agreement per device class on ua-parser-js's fixtures (tests/corpora.py says why not Matomo's).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", type=int, default=corpora.HELD_OUT)
    half = parser.parse_args().half
    new = corpora.agent_figures(half)
    old = corpora.agent_figures(half, is_bot=lambda ua: old_describe(ua)[1])
    print(f"half {half}: {new.bots} crawler strings, {new.humans} human browser strings")
    print(f"{'':24s} {'before':>10s} {'now':>10s}  goal")
    print(f"{'crawlers flagged':24s} {old.recall:10.1%} {new.recall:10.1%}  >= 95%")
    print(f"{'humans flagged':24s} {old.false_rate:10.2%} {new.false_rate:10.2%}  <= 0.1%")
    start = time.perf_counter()
    now = corpora.device_figures()
    took = time.perf_counter() - start
    before = corpora.device_figures(old_describe)
    goals = {"mobile": 0.9, "tablet": 0.9, "desktop": 0.9, "other": 0.8}
    print("device classes (ua-parser-js fixtures):")
    for kind, goal in goals.items():
        good, n = now[kind]
        print(f"{kind + f' ({n})':24s} {before[kind][0] / n:10.1%} {good / n:10.1%}  >= {goal:.0%}")
    strings = sum(n for _, n in now.values())
    print(f"classified {strings} strings in {took:.1f} s ({1000 * took / strings:.0f} ms each)")


if __name__ == "__main__":
    main()
