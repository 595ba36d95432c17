"""Channels: where an answer came from — the web intercept, a hosted link, a QR code, an e-mail,
or any name the operator gives (``?src=NAME`` on a hosted survey page, ``/s/<survey-id>``).

A response's channel is read from the page it was answered on: the hosted page of its own survey
is ``link`` unless its ``src`` names another; anywhere else it is ``web`` (the intercept).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

__all__ = ["CHANNELS", "WEB", "LINK", "channel_of", "check_source", "hosted_slug"]

WEB, LINK, QR, EMAIL = "web", "link", "qr", "email"
# The channels reports name; any other ``src`` is kept as given.
CHANNELS = {WEB: "web intercept", LINK: "hosted link", QR: "QR code", EMAIL: "e-mail"}
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")
_HOSTED = re.compile(r"/s/([^/?#]{1,64})/?")


def check_source(name: str | None) -> str | None:
    """Return NAME lower-cased if it can name a channel (letters, digits, ``_.-``), else None."""
    if name is None:
        return None
    name = name.strip().lower()
    return name if _SOURCE.fullmatch(name) and name != WEB else None


def hosted_slug(path: str) -> str | None:
    """Return the survey id if PATH is a hosted survey page (``/s/<survey-id>``)."""
    match = _HOSTED.fullmatch(path or "")
    return match.group(1) if match else None


def channel_of(url: str, survey: str) -> str:
    """Return the channel of an answer to SURVEY given on the page at URL."""
    parts = urlsplit(url)
    if hosted_slug(parts.path) != survey:
        return WEB
    source = parse_qs(parts.query).get("src", [None])[0]
    return check_source(source) or LINK
