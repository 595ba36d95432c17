"""Sites: public keys, allowed origins, and the script tag a web developer pastes."""

from __future__ import annotations

import fnmatch
import re
from urllib.parse import urlsplit

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site

__all__ = [
    "Site",
    "create_site",
    "normalise_origin",
    "origin_allowed",
    "pick_site",
    "site_for_key",
    "snippet_tag",
    "update",
]


def site_for_key(db: Database, key: str) -> Site:
    """Return the site with the public KEY, or raise NotFound (the one message for every caller)."""
    site = site_store.site_by_key(db, key)
    if site is None:
        raise NotFound("unknown site key", {"site": [f"no site has the key {key!r}"]})
    return site


def pick_site(db: Database, key: str | None = None) -> Site:
    """Return the site with KEY, or the database's only site when KEY is empty."""
    if key:
        return site_for_key(db, key)
    sites = site_store.list_sites(db)
    if len(sites) != 1:
        raise InvalidInput(
            f"this database has {len(sites)} sites: name one",
            {"site": [f"this database has {len(sites)} sites: give its key"]},
        )
    return sites[0]


def normalise_origin(origin: str) -> str:
    """Return ORIGIN as scheme://host[:port], or raise InvalidInput."""
    origin = origin.strip().rstrip("/")
    if origin == "*":
        return origin
    parts = urlsplit(origin)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise InvalidInput(
            "invalid origin", {"origin": [f"{origin!r}: expected scheme://host[:port]"]}
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def create_site(db: Database, name: str, origins: list[str], **options) -> Site:
    """Create a site allowed to send from ORIGINS (``*`` allows any; ``https://*.x.com`` too)."""
    return site_store.create_site(db, name, [normalise_origin(o) for o in origins], **options)


def update(db: Database, key: str, **changes) -> Site:
    """Change the site with KEY; options left None stay as they are."""
    site = site_for_key(db, key)
    changes = {k: v for k, v in changes.items() if v is not None}
    if "origins" in changes:
        changes["origins"] = [normalise_origin(o) for o in changes["origins"]]
    if "accent" in changes and not re.fullmatch(
        r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", changes["accent"]
    ):
        raise InvalidInput("invalid accent", {"accent": ["expected #rgb or #rrggbb"]})
    return site_store.update_site(db, site.id, **changes)


def origin_allowed(site: Site, origin: str | None, own_origin: str | None = None) -> bool:
    """Return whether a browser at ORIGIN may send to SITE.

    No Origin header means no browser enforced CORS (a server-side client); the collector's own
    origin is always allowed because same-origin pages are not cross-site.
    """
    if not origin:
        return True
    origin = origin.rstrip("/").lower()
    if own_origin and origin == own_origin.rstrip("/").lower():
        return True
    return any(
        allowed == "*"
        or allowed == origin
        or ("*" in allowed and fnmatch.fnmatchcase(origin, allowed))
        for allowed in site.origins
    )


def snippet_tag(collector_url: str, site: Site) -> str:
    """Return the exact script tag to paste into the site's pages."""
    base = collector_url.rstrip("/")
    return f'<script async src="{base}/sdk.js" data-site="{site.key}"></script>'
