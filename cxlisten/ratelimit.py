"""Rate limits for browser writes: token buckets per client address, per site, per new visitor.

A bucket holds ``burst`` tokens and refills at ``per_minute / 60`` a second; a request takes one.
An empty bucket refuses with ``TooManyRequests`` whose ``retry_after`` is when the next token is
due. Buckets live in the memory of one collector process (each gunicorn worker counts alone), at
most ``MAX_KEYS`` of them: the least recently used go first, so a flood of distinct keys costs
bounded memory. Client addresses are keyed by an HMAC with the deployment secret: no address is
kept, nor could one be read back from the key.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from cxlisten.errors import TooManyRequests
from cxlisten.settings import Settings

__all__ = ["Buckets", "Limits", "client_key"]

MAX_KEYS = 100_000
BURST_SHARE = 4  # a bucket holds a quarter of a minute's allowance


def client_key(secret: str, address: str | None) -> str:
    """Return the key a client address is counted under (never the address itself)."""
    mac = hmac.new(secret.encode(), (address or "-").encode(), hashlib.sha256)
    return mac.hexdigest()[:24]


class Buckets:
    """Token buckets, one per key, refilled at PER_MINUTE tokens a minute."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ):
        self.rate = per_minute / 60.0
        self.burst = max(1.0, per_minute / BURST_SHARE)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for KEY; return 0 if granted, else the seconds until one is due."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


class Limits:
    """The limits of one deployment, read from its settings."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.client = Buckets(settings.rate_client_per_minute, clock=clock)
        self.site = Buckets(settings.rate_site_per_minute, clock=clock)
        self.new_visitors = Buckets(settings.new_visitors_per_client_per_minute, clock=clock)

    @staticmethod
    def check(buckets: Buckets, key: str, what: str) -> None:
        """Take a token from BUCKETS for KEY, or raise TooManyRequests naming WHAT."""
        wait = buckets.take(key)
        if wait > 0:
            seconds = math.ceil(wait)
            raise TooManyRequests(
                f"too many {what}; retry in {seconds} s",
                {"_rate": [f"at most {round(buckets.rate * 60)} {what} a minute"]},
                retry_after=seconds,
            )
