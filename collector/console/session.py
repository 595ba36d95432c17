"""The console's session: one signed cookie holding who signed in, the CSRF token and when the
person last did something.

The cookie is signed with the deployment secret (itsdangerous) under its own purpose, so a visitor
token or a share link cannot pass for it; it is ``HttpOnly``, ``SameSite=Lax``, ``Secure`` when
the request came over https, and scoped to ``/console/``. It holds the admin key's id, never the
key: a revoked key ends its sessions at once. A session unused for ``console_idle_minutes`` ends.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, replace

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "cxconsole"
PATH = "/console/"


def clock() -> float:
    """Return the time in seconds (a module function so a test can set the clock)."""
    return time.time()


@dataclass(frozen=True)
class ConsoleSession:
    csrf: str
    key_id: int | None = None
    seen: int = 0  # seconds since the epoch of the last request
    site_id: int | None = None  # an operator's chosen site
    locale: str | None = None  # chosen by the person; None: from the browser

    @classmethod
    def fresh(cls, locale: str | None = None) -> ConsoleSession:
        return cls(csrf=secrets.token_urlsafe(24), locale=locale)

    def signed_in(self, key_id: int) -> ConsoleSession:
        """Return a new session for KEY_ID with a new CSRF token (none carried over)."""
        return replace(ConsoleSession.fresh(self.locale), key_id=key_id, seen=int(clock()))


class Sessions:
    """Read and write console session cookies."""

    def __init__(self, secret: str, idle_minutes: int):
        self._serializer = URLSafeSerializer(secret, salt="cxlisten.console")
        self.idle_seconds = idle_minutes * 60

    def read(self, cookie: str | None) -> tuple[ConsoleSession, bool]:
        """Return the session in COOKIE (a fresh one if absent or forged) and whether it had
        been signed in and has now expired."""
        if not cookie or len(cookie) > 2048:
            return ConsoleSession.fresh(), False
        try:
            data = self._serializer.loads(cookie)
            session = ConsoleSession(**data)
        except (BadSignature, TypeError):
            return ConsoleSession.fresh(), False
        if session.key_id is not None and clock() - session.seen > self.idle_seconds:
            return replace(ConsoleSession.fresh(session.locale), csrf=session.csrf), True
        return session, False

    def dump(self, session: ConsoleSession) -> str:
        if session.key_id is not None:
            session = replace(session, seen=int(clock()))
        return self._serializer.dumps(asdict(session))


def valid_csrf(session: ConsoleSession, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(session.csrf, token)
