"""A survey's results page: one set of filters (the query string) for every figure on it, and
export buttons that go through the signed export links."""

from __future__ import annotations

import time

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten import export
from cxlisten.errors import InvalidInput
from cxlisten.export.links import ShareLinks
from cxlisten.surveys import shares
from cxlisten.surveys.results import load_filters, results

# The formats of the export buttons.
EXPORT_FORMATS = {"csv": "csv", "excel": "excel", "jsonl": "jsonl"}


def label_of(question: dict, code: str) -> str:
    for option in question.get("options", []):
        if option["code"] == code:
            labels = option["label"]
            return labels.get(g.locale) or labels.get("en") or next(iter(labels.values()))
    return code


def text_of(texts: dict) -> str:
    return texts.get(g.locale) or texts.get("en") or next(iter(texts.values()), "")


@bp.app_template_filter("answer_link")
def _answer_link(value, slug: str, question: str, filters) -> str:
    """The results page under the same filters, narrowed to the responses with this answer."""
    code = str(int(value)) if isinstance(value, float | int) else str(value)
    query = filters.as_query(answer=f"{question}:{code}")
    return url_for("console.results_page", slug=slug, **query)


@bp.app_template_filter("funnel_label")
def _funnel_label(step: str) -> str:
    return t(f"funnel.{step}")


@bp.get("/surveys/<slug>/results")
def results_page(slug: str):
    errors: dict = {}
    try:
        filters = load_filters(request.args.to_dict())
    except InvalidInput as exc:  # shown next to each filter; the page shows everything meanwhile
        errors, filters = exc.fields, load_filters({})
    found = results(deployment().db, current_site(), slug, filters)
    return render(
        "results.html",
        400 if errors else 200,
        errors=errors,
        wrong=request.args,
        r=found,
        f=filters,
        label=label_of,
        text_of=text_of,
        shares=shares.list_shares(deployment().db, current_site(), slug),
        now_ms=int(time.time() * 1000),
        questions={q["id"]: q for q in found.definition["questions"]},
    )


@bp.post("/surveys/<slug>/export")
def export_link(slug: str):
    """Issue a signed export link of this survey's responses under every filter of the page
    (the export applies them by the same rule as the page); go there."""
    dep, site = deployment(), current_site()
    not_filters = {"csrf_token": None, "format": None, "table": None}
    filters = load_filters(request.form.to_dict() | not_filters)
    fmt = EXPORT_FORMATS.get(request.form.get("format", ""), "csv")
    name = "answers" if request.form.get("table") == "answers" else "responses"
    wanted = export_filters(filters) | {"site": site.key, "survey": slug}
    table = export.open_export(dep.db, name, wanted)  # checks the survey and filters now
    table.close()
    link = ShareLinks(dep.secret, dep.settings.share_link_hours).issue(
        name, fmt, table.filters.as_dict()
    )
    return redirect(url_for("export.shared", token=link.token), 303)


def export_filters(filters) -> dict:
    """The export's filters for the results page's FILTERS: the same names, the dates as the
    window's ms (the page's "until" is a whole day; the export's is exclusive)."""
    out: dict = {k: v for k, v in filters.as_query().items() if k not in ("since", "until")}
    if filters.since_ms is not None:
        out["since"] = filters.since_ms
    if filters.until_ms is not None:
        out["until"] = filters.until_ms
    if filters.version is not None:
        out["version"] = filters.version
    return out
