"""Whether a User-Agent is a bot: maintained crawler lists, read as tokens, plus our own rules.

The lists are other people's, kept current by their maintainers and updated with the lock file:

- ``crawler-user-agents`` (monperrus/crawler-user-agents): named crawlers, one pattern each;
- ``is-bot`` (a port of the npm ``isbot`` list): generic shapes no person's browser has
  (``bot``, ``crawl``, an URL or an e-mail in the string, a bare ``name/1.0`` client);
- ``crawlerdetect`` (JayBizzle/Crawler-Detect): named crawlers, tools and scripts;
- ``user-agents``' own spider family (uap-core).

The generic list flags anything that does not look like a browser, so it alone would call a rare
browser a bot; it counts only where the string names no browser the parser knows, or where a
named list agrees. Our own rules add the automation that runs JavaScript (headless browsers,
WebDriver tools), matched as product tokens (``curl/8.1``, not a phone model called "Phantom").

Patterns are matched against the string with the device model taken out ("Android 10; XBot
Junior Build/…" is a phone named XBot, not a bot), and a blank string — empty, spaces or ``-``,
which is what a log line shows for "none" — is a bot: every browser sends a User-Agent.
"""

from __future__ import annotations

import re
from functools import lru_cache

import crawleruseragents
from crawlerdetect import CrawlerDetect
from is_bot import Bots

__all__ = ["NO_INPUT_MS", "NO_INPUT_PAGES", "is_blank", "is_bot", "is_driven_browser", "no_input"]

# A visit this long (visible and focused time, summed over its page views) across this many page
# views, with no pointer, key or touch ever used, is a crawler that runs pages: a person moves
# the mouse, taps or presses a key to get from one page to the next.
NO_INPUT_MS = 30_000
NO_INPUT_PAGES = 2

# A real browser driven by a test tool: what a site that allows automation counts as a person.
_DRIVEN = re.compile(
    r"\bHeadless(?:Chrome|Chromium|Shell)\b|\bSelenium\b|\bWebDriver\b|\bPuppeteer\b"
    r"|\bPlaywright\b",
    re.IGNORECASE,
)
# Automation that runs the snippet or fetches pages: product tokens (NAME/VERSION at a word
# boundary) and markers that headless browsers and WebDriver tools put in the string.
_AUTOMATION = re.compile(
    r"(?:^|[\s;(,])(?:curl|wget|libcurl|python-requests|python-urllib\d?|python-httpx|aiohttp"
    r"|go-http-client|okhttp|java|jakarta|apache-httpclient|libwww-perl|lwp-\w+|scrapy|axios"
    r"|node-fetch|undici|got|superagent|guzzlehttp|php|ruby|httpie|postmanruntime|insomnia"
    r"|phantomjs|slimerjs|htmlunit|casperjs|zombie\.js|jsdom|cypress|electron-fetch)/\S"
    r"|\bPhantomJS\b|\bLighthouse\b|\bPTST/\d|" + _DRIVEN.pattern,
    re.IGNORECASE,
)
# The device model in an Android comment: "Android 9; [xx-yy;] MODEL [Build/ID]" up to ; or ).
_ANDROID_MODEL = re.compile(
    r"(Android [\d.]+;(?: U;)?(?: [a-z]{2}(?:[-_][a-zA-Z]{2})?;)?)"
    r" [^;)]*?(?: Build/[^;)]*)?(?=[;)])"
)
_BLANK = re.compile(r"[\s\-]*")
# A product token that names itself a browser ("SogouMobileBrowser/5.6", "WAP Browser/MAUI") or
# a TV's ("smarttv_AFTMM", "SMART-TV"): a device's own browser, unless a word of automation is
# there too. The generic list and some names ("Sogou" for Sogou's spider) would catch these.
_BROWSER_TOKEN = re.compile(r"[a-z]browser/|\bWAP[ _-]?Browser\b|\bsmart[-_]?tv\b", re.IGNORECASE)
_BOT_WORD = re.compile(r"bot\b|crawl|spider|scrap|fetch|scan|monitor|check|https?:|@|www\.", re.I)

_generic = Bots()
_detect = CrawlerDetect()
_named = crawleruseragents.CRAWLER_PATTERNS.case_sensitive


def is_blank(user_agent: str | None) -> bool:
    """Return whether USER_AGENT says nothing: empty, whitespace or a dash."""
    return not user_agent or _BLANK.fullmatch(user_agent) is not None


def is_driven_browser(user_agent: str) -> bool:
    """Return whether USER_AGENT is a real browser under a test tool (headless, WebDriver)."""
    return bool(user_agent) and _DRIVEN.search(user_agent) is not None


@lru_cache(maxsize=4096)
def is_bot(user_agent: str, *, spider: bool = False, known_browser: bool = True) -> bool:
    """Return whether USER_AGENT is an automated client.

    SPIDER is the parser's own verdict (uap-core's "Spider" device); KNOWN_BROWSER whether the
    parser recognised a browser family in the string.
    """
    if is_blank(user_agent) or spider:
        return True
    if _AUTOMATION.search(user_agent):
        return True
    text = _ANDROID_MODEL.sub(r"\1", user_agent)
    if _BROWSER_TOKEN.search(text) and not _BOT_WORD.search(text):
        return False
    if _named.search(text):
        return True
    if not _generic.is_bot(text):
        return False
    return not known_browser or _detect.is_crawler(text)


def no_input(session: dict, dwell: dict) -> bool:
    """Return whether DWELL (a dwell event, just folded into SESSION) shows a visit with no input.

    The snippet's signals.js says in each dwell event whether any input was seen in the tab's
    visit so far (``input``: 0 or 1; absent where it could not tell). Only an explicit 0 counts.
    """
    return (
        dwell.get("input") == 0
        and session["pageviews"] >= NO_INPUT_PAGES
        and sum(session["dwell"]) >= NO_INPUT_MS
    )
