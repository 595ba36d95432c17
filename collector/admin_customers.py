"""Admin API for customers (profile across devices, erasure) and operational records."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.admin_input import json_body
from collector.admin_input import site as _site  # the site ?site= names
from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import customers, operational

bp = Blueprint("admin_customers", __name__)


@bp.get("/api/customers/<customer_id>")
@require_admin
def show_customer(customer_id):
    """The customer's profile over every linked visitor, with its operational summary.
    ---
    get:
      summary: "A customer's profile across devices: attributes (newest wins) with history,
        responses, linked visitors, operational summary"
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: customer_id, required: true, schema: {type: string}}]
      responses:
        200: {description: The profile}
        400: Invalid
        401: NoKey
        404: {description: No such site or customer}
    """
    return jsonify(customers.customer_profile(deployment().db, _site(), customer_id))


@bp.delete("/api/customers/<customer_id>")
@require_admin
def erase_customer(customer_id):
    """Erase every linked visitor's data, the links and the customer's operational records.
    ---
    delete:
      summary: Erase every linked visitor's data and the customer's operational records
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: customer_id, required: true, schema: {type: string}}]
      responses:
        200: {description: Rows erased per table}
        400: Invalid
        401: NoKey
        404: {description: No such site or customer}
    """
    erased = customers.erase_customer(deployment().db, _site(), customer_id)
    return jsonify({"customer": customer_id, "erased": erased})


@bp.post("/api/operational/<kind>")
@require_admin
def import_records(kind):
    """Import operational records of KIND given as JSON rows; bad rows come back by index.
    ---
    post:
      summary: Import operational records (orders, tickets, any kind) as JSON rows
      description: Rows named like the CSV columns of `cxlisten import`. Good rows are kept, bad
        ones listed by index and column; the record key makes re-imports change nothing.
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: kind, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: OperationalImport}}
      responses:
        200: {description: "Inserted, updated, unchanged, rejected with errors"}
        400: Invalid
        401: NoKey
        404: {description: No such site or customer}
    """
    result = operational.import_json(deployment().db, _site(), kind, json_body())
    return jsonify(result.as_dict()), 200
