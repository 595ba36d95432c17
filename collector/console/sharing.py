"""Read-only share links of a results page: made and revoked in the console, opened by anyone
holding the link (no sign-in) until it expires or is revoked."""

from __future__ import annotations

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render
from collector.console.results import label_of, text_of
from cxlisten.errors import InvalidInput
from cxlisten.storage import sites as site_store
from cxlisten.surveys import shares
from cxlisten.surveys.results import FILTER_NAMES, load_filters, results


def _hours() -> int:
    raw = request.form.get("hours", "")
    if not raw.isdigit():
        raise InvalidInput("invalid share link", {"hours": ["a whole number of hours"]})
    return int(raw)


@bp.post("/surveys/<slug>/shares")
def share_create(slug: str):
    """Make a link; its URL is shown on this page once (only its hash is kept)."""
    db, site = deployment().db, current_site()
    form = request.form.to_dict()
    filters = load_filters({k: form.get(k) for k in FILTER_NAMES})
    token, share = shares.create_share(
        db, site, slug, request.form.getlist("questions"), filters.as_query(), _hours()
    )
    url = request.host_url.rstrip("/") + url_for("console.shared", token=token)
    return render("share_created.html", share=share, url=url, slug=slug)


@bp.post("/surveys/<slug>/shares/<int:share_id>/revoke")
def share_revoke(slug: str, share_id: int):
    shares.revoke_share(deployment().db, current_site(), share_id)
    return redirect(url_for("console.results_page", slug=slug) + "#share-h")


@bp.get("/shared/<token>")
def shared(token: str):
    """The results a share link shows: only its questions, read-only, no responses table."""
    db = deployment().db
    share = shares.read_share(db, token)
    site = site_store.get_site(db, share.site_id)
    found = results(db, site, share.survey, load_filters(share.filters))
    g.frameable = False
    return render(
        "shared.html",
        r=found,
        share=share,
        label=label_of,
        text_of=text_of,
        questions={q["id"]: q for q in found.definition["questions"]},
    )
