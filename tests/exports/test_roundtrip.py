"""What is exported reads back, with Python's csv module and with pandas, as the stored values."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from cxlisten.export import restore
from cxlisten.export.csvsafe import iso_time
from tests.exports.conftest import TRICKY_TEXTS

STORED_EVENTS = (
    "SELECT e.ts, e.received_at, e.kind, e.id, e.visitor_id, e.session_id, e.url, e.path, e.name, "
    "e.action, e.value, e.data FROM events e JOIN sessions s ON s.id = e.session_id "
    "WHERE s.is_bot = 0 ORDER BY e.ts, e.seq"
)


def as_cells(row) -> list[str]:
    """A stored events row as the export writes its cells (minus device columns)."""
    ts, received, *rest = row
    return [iso_time(ts), iso_time(received), *("" if v is None else str(v) for v in rest)]


def read_with_csv(body: bytes) -> list[dict]:
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return [{k: restore(v) for k, v in row.items()} for row in rows]


def read_with_pandas(body: bytes) -> list[dict]:
    frame = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return [{k: restore(v) for k, v in row.items()} for row in frame.to_dict("records")]


@pytest.mark.parametrize("reader", [read_with_csv, read_with_pandas])
@pytest.mark.parametrize("excel", ["false", "true"])
def test_events_read_back_exactly(client, admin_headers, shop, db, reader, excel):
    body = client.get(f"/api/export/events.csv?excel={excel}", headers=admin_headers).get_data()
    rows = reader(body)
    stored = db.execute(STORED_EVENTS).fetchall()
    columns = [
        "time",
        "received",
        "kind",
        "event_id",
        "visitor",
        "session",
        "url",
        "path",
        "name",
        "action",
        "value",
        "data",
    ]
    assert [[r[c] for c in columns] for r in rows] == [as_cells(s) for s in stored]
    clicks = [json.loads(r["data"])["text"] for r in rows if r["kind"] == "click"]
    assert clicks == [TRICKY_TEXTS[1], *TRICKY_TEXTS]
    assert TRICKY_TEXTS[2] in [r["path"] for r in rows]
    assert json.loads(rows[0]["data"])["title"] == "运费太贵了，还有“引号”"


def test_a_formula_cell_opens_as_text(client, admin_headers, shop):
    """The cell a spreadsheet would run starts with an apostrophe in the file itself."""
    body = client.get("/api/export/events.csv", headers=admin_headers).get_data().decode()
    cells = [cell for row in csv.reader(io.StringIO(body, newline="")) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'-cart_abandoned" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not c[1:].replace(".", "").isdigit()]


def test_pandas_reads_numbers_and_times_as_such(client, admin_headers, shop):
    body = client.get("/api/export/sessions.csv", headers=admin_headers).get_data()
    frame = pd.read_csv(io.BytesIO(body), parse_dates=["started", "ended"])
    assert str(frame["started"].dt.tz) == "UTC"
    assert frame["pageviews"].dtype.kind == "i"
    assert frame["returning"].tolist() == [False, False, True]
    assert (frame["ended"] - frame["started"]).dt.total_seconds().mul(1000).tolist() == (
        frame["duration_ms"].tolist()
    )
    assert [json.loads(j) for j in frame["journey"]] == [
        ["/", "/cart", "/checkout"],
        ["/help", "/help/contact"],
        [TRICKY_TEXTS[2]],
    ]


def test_json_lines_read_back_exactly(client, admin_headers, shop, db):
    body = client.get("/api/export/events.jsonl", headers=admin_headers).get_data().decode()
    rows = [json.loads(line) for line in body.splitlines()]
    stored = db.execute(STORED_EVENTS).fetchall()
    assert [r["event_id"] for r in rows] == [s[3] for s in stored]
    assert [r["data"] for r in rows] == [json.loads(s[-1]) for s in stored]
    assert [r["path"] for r in rows] == [s[7] for s in stored]
    frame = pd.read_json(io.StringIO(body), lines=True, dtype=False)
    assert frame["event_id"].tolist() == [s[3] for s in stored]
