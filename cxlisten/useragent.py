"""Device class, browser and OS from a User-Agent, and whether it is a bot."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import user_agents

# Clients that are never a person at a browser, beyond what user-agents already calls a bot.
_AUTOMATION = ("headless", "python", "curl", "wget", "go-http-client", "okhttp", "java/", "phantom")


@dataclass(frozen=True)
class Device:
    kind: str  # mobile, tablet, desktop or other
    browser: str
    os: str
    is_bot: bool


@lru_cache(maxsize=4096)
def describe(user_agent: str) -> Device:
    """Classify USER_AGENT (cached: a site sees few distinct strings)."""
    ua = user_agents.parse(user_agent or "")
    family = ua.browser.family or "Other"
    lowered = (user_agent or "").lower()
    is_bot = bool(ua.is_bot) or not user_agent or any(m in lowered for m in _AUTOMATION)
    if ua.is_tablet:
        kind = "tablet"
    elif ua.is_mobile:
        kind = "mobile"
    elif ua.is_pc:
        kind = "desktop"
    else:
        kind = "other"
    return Device(kind=kind, browser=family[:64], os=(ua.os.family or "Other")[:64], is_bot=is_bot)
