"""One customer across devices: identify, reset, the customer's profile and its erasure.

The site's backend, which knows who is logged in, computes
``signature = hex(HMAC-SHA256(site identity secret, customer_id))`` and the page calls
``cxlisten.identify(customer_id, signature)`` (``POST /v1/identify``). The visitor is linked only
if the signature verifies; then the profile, repetition, recontact, the contact budget and the
next best action read every visitor of that customer together (``storage.customers.linked``).
``cxlisten.reset()`` (``POST /v1/reset``) ends the link and hands the browser a fresh visitor: what
it said while logged in stays the customer's, nothing after joins them.

A visitor belongs to at most one customer, ever: identifying a browser as someone else gives it a
fresh visitor first, so two people's histories never mix.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace

from cxlisten.errors import Forbidden, InvalidInput, NotFound
from cxlisten.identity import VisitorTokens, new_visitor_id
from cxlisten.ingest import BrowserRequest, parse_body, quarantine_refused
from cxlisten.schemas.customers import IDENTIFY, RESET
from cxlisten.settings import Settings
from cxlisten.storage import customers as store
from cxlisten.storage import profiles as profile_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import transaction
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.surveys.browser import caller, load

__all__ = [
    "Identified",
    "customer_of",
    "customer_profile",
    "erase_customer",
    "identify",
    "identity_secret",
    "list_customers",
    "reset",
    "rotate_identity_secret",
    "sign",
    "verify",
]


@dataclass
class Identified:
    reply: dict
    site: Site
    # A refusal the browser may read (its origin is the site's): the view answers with it.
    refused: Forbidden | None = None


def identity_secret(db: Database, site: Site) -> str:
    """Return the site's identity secret (made on first use); the site's backend signs with it."""
    return store.identity_secret(db, site.id)


def rotate_identity_secret(db: Database, site: Site) -> str:
    """Replace the site's identity secret and return the new one."""
    return store.rotate_identity_secret(db, site.id)


def sign(secret: str, customer_id: str) -> str:
    """Return hex HMAC-SHA256(SECRET, CUSTOMER_ID): what the site's backend computes."""
    return hmac.new(secret.encode(), customer_id.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, customer_id: str, signature: str) -> bool:
    """Return whether SIGNATURE is CUSTOMER_ID's, in constant time."""
    return hmac.compare_digest(sign(secret, customer_id), signature.lower())


def customer_of(db: Database, site: Site, visitor_id: str) -> store.Linked:
    """Return the visitor's customer and every visitor that customer has (just this one if none)."""
    return store.linked(db, site.id, visitor_id)


def identify(
    db: Database, settings: Settings, tokens: VisitorTokens, request: BrowserRequest
) -> Identified:
    """Link the caller's visitor to the customer if the signature verifies, else change nothing."""
    payload, who = _admit(db, settings, tokens, request, IDENTIFY, "identify")
    customer = payload["customer"]
    if not verify(identity_secret(db, who.site), customer, payload["signature"]):
        refusal = Forbidden(
            "signature does not verify: nothing was linked",
            {
                "signature": [
                    "not hex HMAC-SHA256(site identity secret, customer); sign on the site's "
                    "backend with the secret `cxlisten customers secret` shows"
                ]
            },
        )
        quarantine_refused(db, settings, request.body, refusal, who.site.id, "identify")
        return Identified({"visitor": who.token, "linked": False}, who.site, refusal)
    if who.ignored:
        return Identified({"visitor": None, "customer": customer, "linked": False}, who.site)
    token = who.token
    if not store.link_unless_taken(db, who.site.id, who.visitor_id, customer, via="identify"):
        # Someone else logs in on this browser: they get a visitor of their own.
        visitor_id = new_visitor_id()
        token = tokens.issue(who.site.id, visitor_id)
        store.link(db, who.site.id, visitor_id, customer, via="identify")
    return Identified({"visitor": token, "customer": customer, "linked": True}, who.site)


def reset(
    db: Database, settings: Settings, tokens: VisitorTokens, request: BrowserRequest
) -> Identified:
    """Unlink the caller's visitor from its customer and hand out a fresh anonymous visitor."""
    # The visitor unlinked is not a new one: only the fresh visitor counts against the limits.
    payload, who = _admit(db, settings, tokens, replace(request, limits=None), RESET, "reset")
    unlinked = bool(who.known and store.unlink(db, who.site.id, who.visitor_id))
    fresh = caller(db, settings, tokens, payload["site"], None, request)
    return Identified({"visitor": fresh.token, "unlinked": unlinked}, who.site)


def _admit(db, settings, tokens, request, schema, endpoint: str):
    """Return the post and its caller; a post refused whole is kept in the quarantine first."""
    try:
        payload = load(schema, parse_body(request.body, settings), f"{endpoint} request")
        return payload, caller(db, settings, tokens, payload["site"], payload["visitor"], request)
    except (InvalidInput, NotFound, Forbidden) as exc:  # not a rate or disk refusal: no write
        quarantine_refused(db, settings, request.body, exc, None, endpoint)
        raise


def link_visitor(db: Database, site: Site, visitor_id: str, customer_id: str, via: str) -> None:
    """Link a visitor the server made itself (a personal survey link's) to CUSTOMER_ID."""
    store.link(db, site.id, visitor_id, customer_id, via=via)


def list_customers(db: Database, site: Site, prefix: str = "", limit: int = 100) -> list[dict]:
    """Return up to LIMIT of the site's customers whose id starts with PREFIX, most recently
    linked first: {customer, devices, linked (devices still linked), last_linked_at}."""
    return store.customers_of_site(db, site.id, prefix.strip(), limit)


def customer_profile(db: Database, site: Site, customer_id: str) -> dict:
    """Return what the customer told on every device: attributes (newest wins) and their history,
    responses, devices and the operational summary."""
    devices = store.visitors_of(db, site.id, customer_id)
    ids = tuple(d["visitor"] for d in devices)
    if not ids:
        raise NotFound(f"no customer {customer_id!r} on this site", {"customer": ["unknown"]})
    from cxlisten.operational import summary

    responses = [
        {**r, "visitor": v}
        for v in ids
        for r in response_store.responses_of_visitor(db, site.id, v)
    ]
    responses.sort(key=lambda r: r["started_at"], reverse=True)
    return {
        "customer": customer_id,
        "visitors": devices,
        "attributes": profile_store.attributes(db, site.id, ids),
        "attribute_history": profile_store.attribute_history(db, site.id, ids),
        "responses": responses,
        "operational": summary(db, site, customer_id),
    }


def erase_customer(db: Database, site: Site, customer_id: str, *, must_exist: bool = True) -> dict:
    """Delete every row of every visitor of the customer, its links and its operational records."""
    with transaction(db):
        ids = [d["visitor"] for d in store.visitors_of(db, site.id, customer_id)]
        erased: dict[str, int] = {}
        for visitor_id in ids:
            for table, n in profile_store.erase_visitor(db, site.id, visitor_id).items():
                erased[table] = erased.get(table, 0) + n
        for table, n in store.forget_customer(db, site.id, customer_id).items():
            erased[table] = erased.get(table, 0) + n
    if must_exist and not any(erased.values()):
        raise NotFound(f"no customer {customer_id!r} on this site", {"customer": ["unknown"]})
    return {"visitors": len(ids), **erased}
