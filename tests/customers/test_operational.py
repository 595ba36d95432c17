"""Operational records: CSV and JSON import, validation by line and field, idempotence, and the
reports that join them to what customers said."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cxlisten import customers, segments, surveys
from cxlisten.cli import cli
from cxlisten.storage import customers as link_store
from tests.conftest import ORIGIN

CSV = """id,customer_id,time,amount,status,carrier
A-1,cust-1,2026-11-01,30,delivered,DHL
A-2,cust-1,2026-11-02T10:00:00+08:00,40.5,delivered,
A-3,cust-2,1795000000000,500,delivered,UPS
A-4,,2026-11-03,10,delivered,
A-5,cust-3,yesterday,10,delivered,
A-6,cust-3,2026-11-04,ten,delivered,
A-7,cust-4,2026-11-05,,pending,
"""


@pytest.fixture
def run(db_path, db, site):
    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--db", db_path], catch_exceptions=False)

    return invoke


def records(db) -> list[tuple]:
    return db.execute(
        "SELECT kind, record_key, customer_id, ts, amount, status, attributes "
        "FROM operational_records ORDER BY record_key"
    ).fetchall()


def test_csv_import_keeps_good_rows_reports_bad_ones_by_line_and_column(run, db, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    r = run("import", "orders", str(path), "--key", "customer_id")
    assert r.exit_code == 0, r.output
    assert "order: 4 inserted, 0 updated, 0 unchanged, 3 rejected" in r.output
    assert f"{path}:5: customer_id:" in r.output
    assert f"{path}:6: time: 'yesterday' is not a date" in r.output
    assert f"{path}:7: amount: Not a valid number." in r.output
    rows = records(db)
    assert [r[1] for r in rows] == ["A-1", "A-2", "A-3", "A-7"]
    a1, a2, a3, a7 = rows
    assert a1[0] == "order" and json.loads(a1[6]) == {"carrier": "DHL"}
    assert a2[3] == 1793584800000  # 10:00 at +08:00 is 02:00 UTC
    assert a3[3] == 1795000000000 and a3[4] == 500.0
    assert a7[4] is None and a7[5] == "pending"


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_updates(run, db, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("id,customer_id,time,status\nT-1,cust-1,2026-11-01,open\n")
    assert "1 inserted" in run("import", "ticket", str(path)).output
    before = db.execute("SELECT imported_at FROM operational_records").fetchall()
    assert "0 inserted, 0 updated, 1 unchanged" in run("import", "ticket", str(path)).output
    assert db.execute("SELECT imported_at FROM operational_records").fetchall() == before
    path.write_text("id,customer_id,time,status\nT-1,cust-1,2026-11-01,closed\n")
    assert "0 inserted, 1 updated, 0 unchanged" in run("import", "ticket", str(path)).output
    assert records(db)[0][5] == "closed"


def test_missing_columns_and_bad_kinds_are_readable_errors(run, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("customer,time\nc,2026-11-01\n")
    r = run("import", "orders", str(path))
    assert r.exit_code == 1 and "no column 'customer_id', 'id' in the header line" in r.output
    assert "Traceback" not in r.output
    path.write_text("id,customer_id,time\n1,c,2026-11-01\n")
    r = run("import", "Orders!", str(path))
    assert r.exit_code == 1 and "invalid kind" in r.output
    path.write_text("id,customer_id,time\n1,,x\n")
    r = run("import", "order", str(path))
    assert r.exit_code == 1 and "1 rejected" in r.output


def test_the_admin_endpoint_takes_the_same_rows_as_json(client, admin_headers, db):
    rows = [
        {"id": "A-1", "customer_id": "cust-1", "time": "2026-11-01", "amount": 12.5},
        {"id": "A-2", "customer_id": "cust-1", "time": "not a time"},
        {"id": "A-3", "customer_id": "cust-2", "time": 1795000000000, "gift": True},
    ]
    r = client.post("/api/operational/orders", json={"rows": rows}, headers=admin_headers)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["inserted"], body["rejected"]) == (2, 1)
    assert body["errors"] == [
        {
            "index": 1,
            "errors": {"time": ["'not a time' is not a date like 2026-11-01 or 2026-11-01T12:00"]},
        }
    ]
    again = client.post("/api/operational/orders", json={"rows": rows}, headers=admin_headers)
    assert again.get_json()["unchanged"] == 2
    assert json.loads(records(db)[1][6]) == {"gift": "True"}
    bad = client.post("/api/operational/orders", json={"rowz": []}, headers=admin_headers)
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"rowz", "rows"}
    assert client.post("/api/operational/orders", json={"rows": rows}).status_code == 401


def _answer(db, site, visitor, customer, survey, qtype, number, seq, channel="web"):
    """Store a response and its one numeric answer for VISITOR, linked to CUSTOMER."""
    if customer:
        link_store.link(db, site.id, visitor, customer, via="identify")
    from cxlisten.storage import responses as rs
    from cxlisten.storage import transaction

    with transaction(db):
        rid = rs.insert_response(
            db,
            {
                "site_id": site.id,
                "survey_id": survey.id,
                "survey": survey.slug,
                "version": 1,
                "client_id": f"r{seq}",
                "visitor_id": visitor,
                "session_id": None,
                "status": "complete",
                "answered": 1,
                "locale": "en",
                "url": ORIGIN + "/",
                "path": "/",
                "device": "desktop",
                "browser": "Chrome",
                "os": "Linux",
                "is_bot": 0,
                "journey": [],
                "started_at": 1795000000000 + seq,
                "updated_at": 1795000000000 + seq,
                "completed_at": 1795000000000 + seq,
                "channel": channel,
            },
        )
        rs.upsert_answers(
            db,
            [
                {
                    "response_id": rid,
                    "site_id": site.id,
                    "survey": survey.slug,
                    "version": 1,
                    "visitor_id": visitor,
                    "question": "q",
                    "position": 0,
                    "type": qtype,
                    "value": str(number),
                    "number": number,
                    "other": None,
                    "answered_at": 1795000000000 + seq,
                }
            ],
        )


def _survey(db, site, slug, qtype):
    return surveys.create_survey(
        db,
        site,
        {
            "id": slug,
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "q", "type": qtype, "text": {"en": "Score?"}}],
        },
    )


def test_nps_by_order_value_band(db, site, client, admin_headers):
    rows = [
        {"id": "o1", "customer_id": "big", "time": "2026-11-01", "amount": 900},
        {"id": "o2", "customer_id": "big", "time": "2026-11-02", "amount": 300},
        {"id": "o3", "customer_id": "small", "time": "2026-11-01", "amount": 20},
    ]
    client.post("/api/operational/order", json={"rows": rows}, headers=admin_headers)
    survey = _survey(db, site, "nps", "nps")
    _answer(db, site, "v-big-phone", "big", survey, "nps", 10, 1)
    _answer(db, site, "v-big-laptop", "big", survey, "nps", 9, 2)
    _answer(db, site, "v-small", "small", survey, "nps", 2, 3)
    _answer(db, site, "v-none", "none", survey, "nps", 8, 4)
    _answer(db, site, "v-anon", None, survey, "nps", 0, 5)  # not a customer: not joined
    report = {r["band"]: r["nps"] for r in segments.nps_by_order_value(db, site)}
    assert list(report) == ["no orders", "under 50", "50–200", "200–1000", "1000 and over"]
    assert report["1000 and over"]["value"] == 100.0 and report["1000 and over"]["n"] == 2
    assert report["under 50"]["value"] == -100.0
    assert report["no orders"]["value"] == 0.0 and report["no orders"]["n"] == 1
    assert report["50–200"]["n"] == 0


def test_csat_of_customers_with_an_open_ticket_against_those_without(db, site, run, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(
        "id,customer_id,time,status\nT1,angry,2026-11-01,open\nT2,calm,2026-11-01,solved\n"
    )
    run("import", "tickets", str(path))
    survey = _survey(db, site, "sat", "csat")
    _answer(db, site, "v1", "angry", survey, "csat", 1, 1)
    _answer(db, site, "v2", "angry", survey, "csat", 2, 2)
    _answer(db, site, "v3", "calm", survey, "csat", 5, 3)
    _answer(db, site, "v4", "no-ticket", survey, "csat", 4, 4)
    open_, closed = segments.csat_by_open_ticket(db, site)
    assert open_["segment"] == "open ticket" and open_["satisfied"]["value"] == 0.0
    assert open_["satisfied"]["n"] == 2
    assert closed["satisfied"]["value"] == 1.0 and closed["satisfied"]["n"] == 2
    r = run("segments", "csat-by-open-ticket")
    assert "open ticket  CSAT 0.0%" in r.output


def test_scores_split_by_channel(db, site, run):
    survey = _survey(db, site, "nps", "nps")
    _answer(db, site, "a", None, survey, "nps", 10, 1, channel="qr")
    _answer(db, site, "b", None, survey, "nps", 0, 2, channel="web")
    _answer(db, site, "c", None, survey, "nps", 9, 3, channel="qr")
    rows = {r["channel"]: r for r in segments.channels(db, site)}
    assert rows["qr"]["label"] == "QR code" and rows["qr"]["nps"]["value"] == 100.0
    assert rows["web"]["responses"] == 1 and rows["web"]["nps"]["value"] == -100.0
    data = json.loads(run("segments", "channels", "--json").output)
    assert [r["channel"] for r in data] == ["qr", "web"]


def test_journey_outcomes_against_revenue(db, site, client, admin_headers):
    from cxlisten import journeys
    from cxlisten.storage import transaction

    journeys.save_journey(
        db, site.id, {"name": "checkout", "steps": ["/cart", "/checkout", "/done"]}
    )
    with transaction(db):
        for sid, visitor, steps in (
            ("s1", "v-buyer", ["/", "/cart", "/checkout", "/done"]),
            ("s2", "v-quitter", ["/cart", "/checkout"]),
        ):
            db.execute(
                "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts, steps) "
                "VALUES (?, ?, ?, 0, 0, ?)",
                [sid, site.id, visitor, json.dumps(steps)],
            )
    customers.link_visitor(db, site, "v-buyer", "buyer", via="identify")
    customers.link_visitor(db, site, "v-quitter", "quitter", via="identify")
    rows = [
        {"id": "o1", "customer_id": "buyer", "time": "2026-11-01", "amount": 120},
        {"id": "o2", "customer_id": "quitter", "time": "2026-11-01", "amount": 15},
    ]
    client.post("/api/operational/order", json={"rows": rows}, headers=admin_headers)
    report = {r["outcome"]: r for r in segments.journey_revenue(db, site)}
    assert report["completed"]["customers"] == 1 and report["completed"]["revenue"] == 120
    assert report["abandoned"]["revenue_per_customer"] == 15


def test_the_customer_profile_carries_the_operational_summary(db, site, client, admin_headers):
    customers.link_visitor(db, site, "v1", "cust-1", via="identify")
    rows = [
        {"id": "o1", "customer_id": "cust-1", "time": "2026-11-01", "amount": 10},
        {"id": "o2", "customer_id": "cust-1", "time": "2026-11-02", "amount": 5},
    ]
    client.post("/api/operational/orders", json={"rows": rows}, headers=admin_headers)
    r = client.get("/api/customers/cust-1", headers=admin_headers)
    assert r.get_json()["operational"]["order"]["amount"] == 15
    erased = client.delete("/api/customers/cust-1", headers=admin_headers).get_json()["erased"]
    assert erased["operational_records"] == 2


def test_exports_carry_the_channel_and_the_customers_operational_summary(
    db, site, client, admin_headers
):
    import csv
    import io

    survey = _survey(db, site, "nps", "nps")
    _answer(db, site, "v-known", "cust-1", survey, "nps", 10, 1, channel="qr")
    _answer(db, site, "v-anon", None, survey, "nps", 3, 2)
    rows = [
        {"id": "o1", "customer_id": "cust-1", "time": "2026-11-01", "amount": 10},
        {"id": "o2", "customer_id": "cust-1", "time": "2026-11-02", "amount": 5.5},
        {"id": "t1", "customer_id": "cust-1", "time": "2026-11-02", "status": "open"},
    ]
    client.post("/api/operational/order", json={"rows": rows[:2]}, headers=admin_headers)
    client.post("/api/operational/ticket", json={"rows": rows[2:]}, headers=admin_headers)
    r = client.get("/api/export/responses.csv", headers=admin_headers)
    got = {row["visitor"]: row for row in csv.DictReader(io.StringIO(r.get_data(as_text=True)))}
    known, anon = got["v-known"], got["v-anon"]
    assert (known["channel"], known["customer"], known["customer_orders"]) == ("qr", "cust-1", "2")
    assert (known["customer_revenue"], known["customer_open_tickets"]) == ("15.5", "1")
    assert (anon["channel"], anon["customer"], anon["customer_orders"]) == ("web", "", "")


def test_response_and_answer_exports_filter_by_channel(db, site, client, admin_headers):
    import csv
    import io

    survey = _survey(db, site, "nps", "nps")
    _answer(db, site, "v-qr", None, survey, "nps", 10, 1, channel="qr")
    _answer(db, site, "v-web", None, survey, "nps", 3, 2)
    for name in ("responses", "answers"):
        r = client.get(f"/api/export/{name}.csv?channel=qr", headers=admin_headers)
        assert r.status_code == 200, r.get_json()
        rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
        assert [row["visitor"] for row in rows] == ["v-qr"], name
    bad = client.get("/api/export/responses.csv?channel=Not%20One", headers=admin_headers)
    assert bad.status_code == 400 and "channel" in bad.get_json()["error"]["fields"]
    wrong = client.get("/api/export/events.csv?channel=qr", headers=admin_headers)
    assert wrong.status_code == 400
