"""Device class, browser and OS from a User-Agent (and Client Hints), and whether it is a bot.

The class rules are in ``cxlisten.devices``, the bot rules in ``cxlisten.bots``; this module
parses the string once (uap-core through ``user-agents``) and hands both what they need.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

import user_agents

from cxlisten import bots, devices

__all__ = ["Device", "describe", "describe_request"]


@dataclass(frozen=True)
class Device:
    kind: str  # mobile, tablet, desktop or other (devices.KINDS)
    browser: str
    os: str
    is_bot: bool


class _HasUserAgent(Protocol):
    user_agent: str


@lru_cache(maxsize=4096)
def describe(user_agent: str, ch_mobile: str = "", ch_platform: str = "") -> Device:
    """Classify USER_AGENT, with the Client Hints CH_MOBILE and CH_PLATFORM if sent (cached)."""
    text = user_agent or ""
    ua = user_agents.parse(text)
    family = ua.browser.family or "Other"
    kind = devices.classify(
        text,
        tablet=ua.is_tablet,
        mobile=ua.is_mobile,
        ch_mobile=ch_mobile,
        ch_platform=ch_platform,
    )
    is_bot = bots.is_bot(text, spider=ua.is_bot, known_browser=family != "Other")
    return Device(kind=kind, browser=family[:64], os=(ua.os.family or "Other")[:64], is_bot=is_bot)


def describe_request(request: _HasUserAgent, *, allow_automation: bool = False) -> Device:
    """Classify the browser behind REQUEST (its User-Agent and any Client Hints it carries).

    With ALLOW_AUTOMATION (a site's setting, for demos and tests) a real browser driven by a test
    tool is a person, not a bot: it is tracked, counted and surveyed.
    """
    device = describe(
        request.user_agent or "",
        getattr(request, "ch_mobile", "") or "",
        getattr(request, "ch_platform", "") or "",
    )
    if allow_automation and device.is_bot and bots.is_driven_browser(request.user_agent or ""):
        return replace(device, is_bot=False)
    return device
