"""What the collector passes on from a browser's HTTP request, for every browser-facing call.

A neutral module: ingest, survey config, responses and the visitor's own profile all take a
``BrowserRequest``, and none of them should have to import another to get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxlisten.ratelimit import Limits

__all__ = ["BrowserRequest"]


@dataclass
class BrowserRequest:
    """What the collector passes on from an HTTP request."""

    body: bytes
    origin: str | None = None
    own_origin: str | None = None
    user_agent: str = ""
    do_not_track: bool = False
    client: str | None = None  # keyed hash of the client address (cxlisten.ratelimit)
    # User-Agent Client Hints (Sec-CH-UA-Mobile "?1"/"?0", Sec-CH-UA-Platform "Android"…):
    # where the browser sends them they decide the device class over the User-Agent string.
    ch_mobile: str = ""
    ch_platform: str = ""
    # The deployment's rate limits for a write (None for a read): a write that makes a visitor
    # counts against the client's new visitors, and every write against its site.
    limits: Limits | None = None
