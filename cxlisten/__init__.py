"""cxlisten: digital listening — journeys, intercept surveys and zero-party profiles.

The library never imports Flask: an analyst can use it with nothing but the database file.

    import cxlisten
    db = cxlisten.open_database("cxlisten.db")
    site = cxlisten.pick_site(db)                      # the only site, or pick_site(db, "cx_...")
    report = cxlisten.diagnose.diagnose(db, site)      # phase 1 (docs/library.md)

The names below are the public API (``docs/library.md``); ``tests/test_public_api.py`` keeps
``__all__`` and the docs in step. Everything else is internal and may change.
"""

__version__ = "0.1.0"

# The phase modules and those they lean on, as docs/library.md uses them
# (``from cxlisten import journeys, diagnose``).
from cxlisten import (  # noqa: E402
    activate,
    customers,
    deepdive,
    diagnose,
    drivers,
    journeys,
    operational,
    predict,
    risk,
    segments,
    simulate,
    speed,
    stats,
    surveys,
    themes,
    webhooks,
)
from cxlisten.errors import (  # noqa: E402
    CxlistenError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
)
from cxlisten.results import to_json  # noqa: E402
from cxlisten.settings import SETTINGS, Settings, load_settings  # noqa: E402
from cxlisten.sites import create_site, pick_site, site_for_key  # noqa: E402
from cxlisten.storage import Database, open_database, transaction  # noqa: E402
from cxlisten.storage.sites import Site  # noqa: E402

__all__ = [
    "SETTINGS",
    "CxlistenError",
    "Database",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Settings",
    "Site",
    "Unauthorized",
    "__version__",
    "activate",
    "create_site",
    "customers",
    "deepdive",
    "diagnose",
    "drivers",
    "journeys",
    "load_settings",
    "open_database",
    "operational",
    "pick_site",
    "predict",
    "risk",
    "segments",
    "simulate",
    "site_for_key",
    "speed",
    "stats",
    "surveys",
    "themes",
    "to_json",
    "transaction",
    "webhooks",
]
