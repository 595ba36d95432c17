"""Device class, browser and OS from a User-Agent (and Client Hints), and whether it is a bot.

The class rules are in ``cxlisten.devices``, the bot rules in ``cxlisten.bots``; this module
parses the string (uap-core through ``user-agents``; for people, also Matomo's Device Detector,
whose database of device models tells an Android tablet from a phone by its model name) and
hands both what they need. Device Detector is slow (a second or more to load its lists of
devices, ten milliseconds and more for a string it has not seen), so it reads only Android strings
from people (the only ones that name a model and nothing else), runs only its phone/tablet
parser (the TVs, consoles, cars, cameras and players it also looks for are ``other`` by our
rules first), on the system's parenthesis and the few tokens after it that its rules read
(``Mobile``, ``Chrome/120``: major versions only), and its verdicts are cached by that short
string: a new release of a browser on a model already seen costs nothing
(``bench.useragent_cost``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol, TypeVar

import user_agents
from device_detector import DeviceDetector
from device_detector.parser.device.device import Device as _PhoneOrTablet

from cxlisten import bots, devices

_ANDROID = re.compile(r"\bAndroid\b", re.IGNORECASE)
# What Device Detector's phone/tablet rules read after the system's parenthesis (which names the
# model): whether the browser says Mobile or Tablet, which browser it is, never a minor version.
# The rest of the string only makes each of its thousand brand patterns slower to try.
_DEVICE_TOKENS = re.compile(
    r"\b(?:Mobile|Mobi|Tablet|TV|Chrome/\d+|Version/\d+|Safari/\d+|Firefox/\d+|OPR/\d+"
    r"|Opera (?:Tablet|TV)|Puffin/[\d.]+\w*|Telegram-Android/\S*|SmartTV|Tizen)\b",
    re.IGNORECASE,
)

__all__ = ["Device", "describe", "describe_request", "is_bot", "page_hints", "with_page_hints"]


@dataclass(frozen=True)
class Device:
    kind: str  # mobile, tablet, desktop or other (devices.KINDS)
    browser: str
    os: str
    is_bot: bool


class _HasUserAgent(Protocol):
    user_agent: str


_Request = TypeVar("_Request")
# What navigator.userAgentData.platform can be (the Client Hints specification's list, and what
# Chromium sends): anything else is not a browser's and is ignored.
_PLATFORMS = frozenset(
    ("Android", "Chrome OS", "Chromium OS", "Fuchsia", "iOS", "Linux", "macOS", "Windows")
)


@lru_cache(maxsize=4096)
def describe(user_agent: str, ch_mobile: str = "", ch_platform: str = "") -> Device:
    """Classify USER_AGENT, with the Client Hints CH_MOBILE and CH_PLATFORM if sent (cached)."""
    text = user_agent or ""
    ua = user_agents.parse(text)
    family = ua.browser.family or "Other"
    is_bot = _is_bot(text, ua)
    kind = devices.classify(
        text,
        model=_model(text) if not is_bot and _ANDROID.search(text) else "",
        tablet=ua.is_tablet,
        mobile=ua.is_mobile,
        ch_mobile=ch_mobile,
        ch_platform=ch_platform,
    )
    return Device(kind=kind, browser=family[:64], os=(ua.os.family or "Other")[:64], is_bot=is_bot)


def is_bot(user_agent: str) -> bool:
    """Return whether USER_AGENT is an automated client (without classifying its device)."""
    text = user_agent or ""
    return _is_bot(text, user_agents.parse(text))


def _is_bot(text: str, ua: user_agents.parsers.UserAgent) -> bool:
    family = ua.browser.family or "Other"
    return bots.is_bot(text, spider=ua.is_bot, known_browser=family != "Other")


class _DeviceTypeDetector(DeviceDetector):
    """Device Detector with its phone/tablet parser only (see the module docstring)."""

    __slots__ = ()
    DEVICE_PARSERS = (_PhoneOrTablet,)


def _model(user_agent: str) -> str:
    """Return Device Detector's device type for USER_AGENT ("" when it knows none)."""
    # The first 1,000 characters: real strings are shorter, and the regexes need not see more.
    text = user_agent[:1000]
    cut = text.find(")") + 1
    if not cut:  # no system parenthesis: the string as it is
        return _model_of(text)
    return _model_of(text[:cut] + " " + " ".join(_DEVICE_TOKENS.findall(text[cut:])))


@lru_cache(maxsize=4096)
def _model_of(user_agent: str) -> str:
    # Our own cache (check_cache=False: Device Detector's would hold a second copy). The
    # system and the device only: the lists of browsers and apps (parse() reads them too)
    # would double the time, and the first load.
    detector = _DeviceTypeDetector(user_agent, skip_bot_detection=True, check_cache=False)
    detector.parse_os()
    detector.parse_device()
    return str(detector.device_type() or "")


def page_hints(value: object) -> tuple[str, str]:
    """Return (ch_mobile, ch_platform) from the snippet's copy of ``navigator.userAgentData``.

    VALUE is whatever the batch's ``ua`` held: hostile until shown otherwise. ``mobile`` counts
    only as a JSON boolean (``"?1"``/``"?0"``), ``platform`` only as one of the platforms
    browsers name; any other value of either is ignored (""), as is VALUE if not an object.
    ``brands`` is not read: the device class needs only the other two.
    """
    if not isinstance(value, dict):
        return "", ""
    mobile = value.get("mobile")
    platform = value.get("platform")
    return (
        {True: "?1", False: "?0"}.get(mobile, "") if isinstance(mobile, bool) else "",
        platform if isinstance(platform, str) and platform in _PLATFORMS else "",
    )


def with_page_hints(request: _Request, value: object) -> _Request:
    """Return REQUEST with the page's hints (``page_hints(VALUE)``) where its headers sent none.

    The headers (Sec-CH-UA-Mobile, Sec-CH-UA-Platform) win when present: the page's copy counts
    where a proxy dropped them, or the browser sends them only to the page's own origin.
    """
    mobile, platform = page_hints(value)
    if getattr(request, "ch_mobile", "") or not mobile:
        return request
    return replace(request, ch_mobile=mobile, ch_platform=platform)  # type: ignore[type-var]


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
