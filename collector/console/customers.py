"""Customers and channels in the console: the customers list, a customer's linked devices and
profile, a survey's results split by channel, and hosted-survey links with their QR codes
(personal ones for one customer). Every figure and link comes from cxlisten (customers,
segments, survey_links); a link is made by POST (a personal link is a credential: CSRF-checked,
never in a URL the browser keeps), and its QR code is shown and downloaded from the same page."""

from __future__ import annotations

import base64

from flask import redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render
from cxlisten import customers, segments
from cxlisten.channels import CHANNELS
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.survey_links import hosted_link, qr_code
from cxlisten.surveys import get_survey, list_surveys

QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
LINK_FIELDS = ("survey", "source", "customer", "expires")


@bp.get("/customers")
def customers_page():
    """The site's customers (most recently linked first), searchable by the start of an id."""
    query = request.args.get("q", "")[:200]
    found = customers.list_customers(deployment().db, current_site(), query)
    erased = request.args.get("erased", "")[:200]
    return render("customers.html", found=found, q=query, erased=erased)


@bp.get("/customers/<path:customer_id>")
def customer_page(customer_id: str):
    """One customer: linked devices, the zero-party profile and its history, responses (with
    their channel) and the operational summary; a form for a personal survey link."""
    site = current_site()
    profile = customers.customer_profile(deployment().db, site, customer_id)
    return render("customer.html", p=profile, surveys=_active(), channels=CHANNELS)


@bp.post("/customers/<path:customer_id>/erase")
def customer_erase(customer_id: str):
    """The operator's erasure: every linked device's data, the links and the orders; the form
    must repeat the customer id."""
    if request.form.get("confirm", "").strip() != customer_id:
        raise InvalidInput("not erased", {"confirm": ["type the customer id to confirm"]})
    customers.erase_customer(deployment().db, current_site(), customer_id)
    return redirect(url_for("console.customers_page", erased=customer_id), 303)


@bp.get("/surveys/<slug>/channels")
def channels_page(slug: str):
    """A survey's responses, completes and scores per channel, and the link form for it."""
    db, site = deployment().db, current_site()
    survey = get_survey(db, site, slug, kind="survey")
    rows = segments.channels(db, site, survey.slug)
    return render("channels.html", survey=survey, rows=rows, form={"survey": survey.slug})


@bp.route("/links", methods=["GET", "POST"])
def links_page():
    """GET: the link form (prefilled from the query); POST: the link and its QR code."""
    form = {k: request.values.get(k, "").strip() for k in LINK_FIELDS}
    link, errors, status = None, {}, 200
    if request.method == "POST":
        try:
            link = _link(form)
        except (InvalidInput, NotFound) as exc:  # shown next to the fields
            errors, status = exc.fields or {"_": [exc.message]}, exc.status
    # data: URIs (the console's CSP allows them for images): the <img> and both downloads are
    # this very link (a personal link made again would carry another expiry), and the SVG is
    # never inline markup.
    qr = {k: base64.b64encode(qr_code(link, k)).decode() for k in QR_TYPES} if link else None
    name = f"{form['survey']}-{'personal' if form['customer'] else form['source'] or 'link'}"
    return render(
        "link.html",
        status,
        form=form,
        link=link,
        qr=qr,
        qr_types=QR_TYPES,
        qr_name=name,
        errors=errors,
        surveys=_active(),
        channels=CHANNELS,
    )


def _link(form: dict) -> str:
    dep = deployment()
    return hosted_link(
        dep.db,
        current_site(),
        form["survey"],
        dep.settings.public_url or request.url_root,  # the address people reach
        secret=dep.secret,
        source=form["source"] or None,
        customer=form["customer"] or None,
        expires=form["expires"] or "14d",
    )


def _active() -> list:
    return [
        s
        for s in list_surveys(deployment().db, current_site(), kind="survey")
        if s.status == "active"
    ]
