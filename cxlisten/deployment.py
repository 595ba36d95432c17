"""One running deployment: settings, a database connection per thread, the token signer."""

from __future__ import annotations

import os
import threading

from cxlisten.identity import VisitorTokens, deployment_secret
from cxlisten.settings import Settings, load_settings
from cxlisten.storage.db import Database, open_database


class Deployment:
    """Shared by every request of a collector process (and by CLI commands that serve)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self._local = threading.local()
        self.secret = deployment_secret(self.db, self.settings.secret)
        self.tokens = VisitorTokens(self.secret)

    @property
    def db(self) -> Database:
        """Return this thread's connection, opening it on first use (and anew after a fork)."""
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = open_database(self.settings.db, synchronous=self.settings.synchronous)
            self._local.db, self._local.pid = db, os.getpid()
        return db
