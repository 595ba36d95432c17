"""``/api/export/...``: streamed CSV and JSON Lines exports, and share links (``/x/<token>``)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context

from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import export
from cxlisten.errors import InvalidInput
from cxlisten.export.filters import DownloadQuery, ExportFilters, LinkRequest
from cxlisten.export.links import ShareLinks
from cxlisten.storage.db import open_database

bp = Blueprint("export", __name__)

_DOWNLOAD_QUERY = DownloadQuery()
_FILTERS_QUERY = ExportFilters()
_LINK_REQUEST = LinkRequest()


def _links() -> ShareLinks:
    dep = deployment()
    return ShareLinks(dep.secret, dep.settings.share_link_hours)


def _stream(name: str, fmt: str, filters: dict, schema) -> Response:
    """Check everything, then stream the export from its own read-only connection."""
    db = open_database(deployment().settings.db, readonly=True)
    try:
        table = export.open_export(db, name, filters, schema)
    except BaseException:
        db.close()
        raise
    table.on_close(db.close)

    def body():
        try:
            for text in export.chunks(table, fmt):
                yield text.encode("utf-8")
        finally:
            table.close()

    response = Response(stream_with_context(body()), content_type=export.content_type(fmt))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.file_name(table, fmt)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/api/export")
@require_admin
def catalogue():
    """List every export with its filters and columns.
    ---
    get:
      summary: List the exports, their filters and columns
      security: [{adminKey: []}]
      responses: {200: {description: The catalogue}, 401: NoKey}
    """
    return jsonify(
        {
            "exports": [
                {
                    "name": e.name,
                    "summary": e.summary,
                    "filters": ["site", *e.filters],
                    "columns": [{"name": c.name, "meaning": c.meaning} for c in e.columns],
                    "more_columns": e.more_columns,
                }
                for e in export.EXPORTS.values()
            ]
        }
    )


@bp.get("/api/export/<name>.csv")
@require_admin
def download_csv(name: str):
    """Stream an export as CSV (``excel=true``: with a BOM for Excel).
    ---
    get:
      summary: Stream an export as CSV (RFC 4180, formula cells neutralised)
      security: [{adminKey: []}]
      parameters:
        - name
        - {in: query, schema: DownloadQuery}
      responses:
        200: {description: CSV, content: {text/csv: {}}}
        400: {description: "Malformed, inverted or inapplicable filter"}
        401: NoKey
        404: {description: "Unknown export, site or survey"}
    """
    args = request.args.to_dict()
    excel = _DOWNLOAD_QUERY.load(args).get("excel")
    args.pop("excel", None)
    return _stream(name, "excel" if excel else "csv", args, _FILTERS_QUERY)


@bp.get("/api/export/<name>.jsonl")
@require_admin
def download_jsonl(name: str):
    """Stream an export as JSON Lines.
    ---
    get:
      summary: Stream an export as JSON Lines
      security: [{adminKey: []}]
      parameters:
        - name
        - {in: query, schema: ExportFilters}
      responses:
        200: {description: One JSON object per line, content: {application/jsonl: {}}}
        400: {description: "Malformed, inverted or inapplicable filter"}
        401: NoKey
        404: {description: "Unknown export, site or survey"}
    """
    return _stream(name, "jsonl", request.args.to_dict(), _FILTERS_QUERY)


@bp.post("/api/export/<name>/link")
@require_admin
def create_link(name: str):
    """Make a download link for one export and its filters that works without the key.
    ---
    post:
      summary: Create a time-limited share link for one export and its filters
      security: [{adminKey: []}]
      parameters: [name]
      requestBody: {content: {application/json: {schema: LinkRequest}}}
      responses:
        201: {description: The link, content: {application/json: {schema: ShareLinkReply}}}
        400: {description: "Malformed, inverted or inapplicable filter"}
        401: NoKey
        404: {description: "Unknown export, site or survey"}
    """
    raw = request.get_json(silent=True)
    if raw is None and request.get_data():
        raise InvalidInput("body must be a JSON object", {"_body": ["send the filters as JSON"]})
    body = _LINK_REQUEST.load(raw or {})
    fmt = body.pop("format")
    table = export.open_export(deployment().db, name, body)  # checks name and filters now
    table.close()
    link = _links().issue(name, fmt, table.filters.as_dict())
    return jsonify(link.as_dict(request.host_url)), 201


@bp.get("/x/<token>")
def shared(token: str):
    """Download through a share link (no key; refused once altered or expired).
    ---
    get:
      summary: Download an export through a share link (no key)
      parameters: [{in: path, name: token, required: true, schema: {type: string}}]
      responses:
        200: {description: The export in the link's format}
        401: {description: Altered or foreign link}
        410: {description: Expired link}
    """
    link = _links().read(token)
    return _stream(link.export, link.format, link.filters, _FILTERS_QUERY)
