"""The zero-party profile: what a visitor chose to tell, with where and when; and erasure.

An answer to a question with ``saves_as`` sets that attribute (the latest answer wins) with its
provenance: survey, version, question, response id and time. A visitor reads and erases their
own data with their token (``GET``/``DELETE /v1/me``); an operator erases anyone
(``DELETE /api/visitors/<id>``, ``cxlisten visitors erase``). Erasure removes the visitor's
events, sessions, responses, answers, attributes and next-best-action exposures in one
transaction. A visitor linked to a customer (``cxlisten.customers``) sees and erases the
customer: every linked visitor's data.
"""

from __future__ import annotations

from cxlisten.browser_request import BrowserRequest
from cxlisten.errors import NotFound
from cxlisten.identity import VisitorTokens
from cxlisten.schemas.surveys import ME_QUERY
from cxlisten.settings import Settings
from cxlisten.storage import profiles as store
from cxlisten.storage import responses as response_store
from cxlisten.storage import transaction
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.surveys.browser import caller, load

__all__ = ["attributes", "erase_visitor", "me", "profile"]


def attributes(db: Database, site: Site, visitor_id: str) -> dict[str, str]:
    """Return the visitor's zero-party attributes as {name: value}."""
    return {a["name"]: a["value"] for a in store.attributes(db, site.id, visitor_id)}


def profile(db: Database, site: Site, visitor_id: str) -> dict:
    """Return everything kept about a visitor: attributes with provenance, counts, responses."""
    summary = store.visitor_summary(db, site.id, visitor_id)
    return {
        "attributes": store.attributes(db, site.id, visitor_id),
        **summary,
        "responses": response_store.responses_of_visitor(db, site.id, visitor_id),
    }


def erase_visitor(db: Database, site: Site, visitor_id: str, *, must_exist: bool = False) -> dict:
    """Delete every row about VISITOR_ID on SITE; return how many rows went, per table."""
    with transaction(db):
        erased = store.erase_visitor(db, site.id, visitor_id)
    if must_exist and not any(erased.values()):
        raise NotFound(f"no data about visitor {visitor_id!r} on this site")
    return erased


def me(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    query: dict,
    request: BrowserRequest,
    *,
    erase: bool = False,
) -> tuple[dict, Site]:
    """Answer ``GET /v1/me`` (the profile) or ``DELETE /v1/me`` (erase, then a fresh token)."""
    args = load(ME_QUERY, query, "request")
    # Do Not Track does not apply: seeing or erasing one's own data is not tracking.
    who = caller(db, settings, tokens, args["site"], args["visitor"], request, honour_dnt=False)
    from cxlisten import customers  # a customer is many visitors: its data goes with any one

    customer = (
        customers.customer_of(db, who.site, who.visitor_id).customer_id if who.known else None
    )
    if not erase:
        data = profile(db, who.site, who.visitor_id) if who.known else profile(db, who.site, "")
        if customer:
            data["customer"] = customers.customer_profile(db, who.site, customer)
        return {"visitor": who.token, **data}, who.site
    if customer:
        erased = customers.erase_customer(db, who.site, customer)
    else:
        erased = erase_visitor(db, who.site, who.visitor_id) if who.known else {}
    # A fresh identity: nothing sent later joins the erased history.
    fresh = caller(db, settings, tokens, args["site"], None, request, honour_dnt=False)
    return {"visitor": fresh.token, "erased": erased}, who.site
