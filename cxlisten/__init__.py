"""cxlisten: digital listening — journeys, intercept surveys and zero-party profiles.

The library never imports Flask: an analyst can use it with nothing but the database file.

    import cxlisten
    db = cxlisten.open_database("cxlisten.db")
"""

from cxlisten.errors import (
    CxlistenError,
    InvalidInput,
    NotFound,
    Unauthorized,
)
from cxlisten.settings import SETTINGS, Settings, load_settings
from cxlisten.storage import open_database

__version__ = "0.1.0"

__all__ = [
    "SETTINGS",
    "CxlistenError",
    "InvalidInput",
    "NotFound",
    "Settings",
    "Unauthorized",
    "__version__",
    "load_settings",
    "open_database",
]
