"""The only place cxlisten runs SQL.

One module per kind of data (``sites``, ``events``, ``rejected`` ...), each a set of functions
taking an open ``Database``. Schema changes live in numbered modules under ``migrations/``.
Statements are written so they also run on PostgreSQL (``ON CONFLICT``, no ``INSERT OR ...``).
"""

from cxlisten.storage.db import Database, DatabaseError, open_database, transaction

__all__ = ["Database", "DatabaseError", "open_database", "transaction"]
