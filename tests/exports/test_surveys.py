"""Survey exports: responses (wide), answers (long), visitors with zero-party attributes."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from cxlisten.export import restore
from tests.exports.conftest import CART_SURVEY, TRICKY_TEXTS, respond


def get_csv(client, headers, path) -> list[dict]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""))
    return [{k: restore(v) for k, v in row.items()} for row in rows]


def test_responses_are_wide_one_column_per_question(client, admin_headers, answered):
    rows = get_csv(client, admin_headers, "/api/export/responses.csv?survey=cart")
    assert list(rows[0])[:3] == ["response", "started", "updated"]
    assert list(rows[0])[23:] == ["reason", "reason.other", "score", "channels", "more"]
    first, second = rows
    assert first["reason"] == "other" and first["reason.other"] == TRICKY_TEXTS[1]
    assert first["score"] == "9"
    assert first["channels"] == "web,app"  # option order
    assert first["more"] == TRICKY_TEXTS[0] + "\n" + TRICKY_TEXTS[2]
    assert (first["partial"], second["partial"]) == ("false", "true")
    assert second["reason"] == "shipping" and second["score"] == "" and second["path"] == "/help"
    assert first["survey"] == "cart" and first["version"] == "1" and first["locale"] == "zh-CN"
    assert first["device"] == "desktop" and first["session"]
    assert json.loads(first["journey"]) == ["/cart"]


def test_responses_read_back_with_pandas(client, admin_headers, answered):
    body = client.get(
        "/api/export/responses.csv?survey=cart&excel=true", headers=admin_headers
    ).get_data()
    frame = pd.read_csv(
        io.BytesIO(body), encoding="utf-8-sig", dtype={"more": str, "reason.other": str}
    )
    assert frame["score"][0] == 9 and pd.isna(frame["score"][1])
    assert restore(frame["more"][0]) == TRICKY_TEXTS[0] + "\n" + TRICKY_TEXTS[2]
    assert frame["reason.other"][0] == TRICKY_TEXTS[1]
    assert frame["partial"].tolist() == [False, True]


def test_responses_of_every_survey_prefix_the_survey(client, admin_headers, answered):
    rows = get_csv(client, admin_headers, "/api/export/responses.csv")
    assert "cart.reason" in rows[0] and "cart.reason.other" in rows[0]


def test_questions_of_older_versions_keep_their_column(client, admin_headers, answered, db):
    from cxlisten import surveys

    changed = {
        **CART_SURVEY,
        "questions": [
            CART_SURVEY["questions"][0],
            {"id": "speed", "type": "csat", "text": {"en": "Fast enough?"}},
        ],
    }
    surveys.update_survey(db, answered, "cart", changed)
    rows = get_csv(client, admin_headers, "/api/export/responses.csv?survey=cart")
    assert list(rows[0])[23:] == ["reason", "reason.other", "speed", "score", "channels", "more"]
    assert rows[0]["score"] == "9"


def test_answers_are_long_one_row_per_answer(client, admin_headers, answered):
    rows = get_csv(client, admin_headers, "/api/export/answers.csv?survey=cart")
    assert [(r["question"], r["value"], r["number"], r["other"]) for r in rows] == [
        ("reason", "other", "", TRICKY_TEXTS[1]),
        ("score", "9", "9", ""),
        ("channels", "web,app", "", ""),
        ("more", TRICKY_TEXTS[0] + "\n" + TRICKY_TEXTS[2], "", ""),
        ("reason", "shipping", "", ""),
    ]
    assert [r["partial"] for r in rows] == ["false"] * 4 + ["true"]
    assert [r["position"] for r in rows] == ["0", "1", "2", "3", "0"]


def test_answers_match_the_stored_rows_exactly(client, admin_headers, answered, db):
    rows = get_csv(client, admin_headers, "/api/export/answers.csv?bots=true")
    stored = db.execute(
        "SELECT a.question, a.value, a.other FROM answers a JOIN responses r "
        "ON r.id = a.response_id ORDER BY r.started_at, r.id, a.position"
    )
    assert [(r["question"], r["value"], r["other"] or None) for r in rows] == [
        tuple(s) for s in stored
    ]


def test_visitors_have_their_attributes_as_columns(client, admin_headers, answered):
    rows = get_csv(client, admin_headers, "/api/export/visitors.csv")
    assert list(rows[0]) == [
        "visitor",
        "first_seen",
        "last_seen",
        "sessions",
        "device",
        "browser",
        "os",
        "customer",
        "customer_orders",
        "customer_revenue",
        "customer_open_tickets",
        "attr.checkout_blocker",
    ]
    assert sorted(r["attr.checkout_blocker"] for r in rows) == sorted(
        ["", "", TRICKY_TEXTS[1], "shipping"]
    )


@pytest.mark.parametrize(
    ("query", "status", "field", "message"),
    [
        ("survey=nope", 404, "survey", "unknown survey 'nope'"),
        ("survey=", 400, "survey", "Length must be between 1 and 64."),
        ("journey=checkout", 404, "journey", "unknown journey"),
    ],
)
@pytest.mark.parametrize("export", ["responses", "answers"])
def test_bad_survey_filters(client, admin_headers, answered, export, query, status, field, message):
    response = client.get(f"/api/export/{export}.csv?{query}", headers=admin_headers)
    assert response.status_code == status
    assert message in response.get_json()["error"]["fields"][field][0]


@pytest.mark.parametrize(
    ("export", "query", "expected"),
    [
        ("responses", "", 2),
        ("responses", "bots=true", 3),
        ("responses", "journey=/help", 1),
        ("responses", "journey=/cart", 1),
        ("responses", "since=2000-01-01&until=2001-01-01", 0),
        ("answers", "journey=/help", 1),
        ("answers", "bots=true", 6),
    ],
)
def test_survey_filters_select_rows(client, admin_headers, answered, export, query, expected):
    assert len(get_csv(client, admin_headers, f"/api/export/{export}.csv?{query}")) == expected


def test_jsonl_answers_are_typed(client, admin_headers, answered):
    body = client.get("/api/export/responses.jsonl?survey=cart", headers=admin_headers)
    first = json.loads(body.get_data().decode().splitlines()[0])
    assert first["score"] == 9 and first["partial"] is False
    assert first["journey"] == ["/cart"] and first["more"].startswith("运费")


def test_a_partial_then_complete_response_is_one_row(client, admin_headers, answered, db):
    visitor = None
    rid = "7a1f4bde-6d0c-4c61-a1a6-1d6fd0d7e4a1"
    reply = respond(
        client, answered, visitor, [{"question": "reason", "value": "price"}], response=rid
    )
    respond(
        client,
        answered,
        reply["visitor"],
        [{"question": "reason", "value": "price"}, {"question": "score", "value": 3}],
        response=rid,
        complete=True,
    )
    rows = [
        r
        for r in get_csv(client, admin_headers, "/api/export/responses.csv?survey=cart")
        if r["response"] == rid
    ]
    assert len(rows) == 1 and rows[0]["partial"] == "false" and rows[0]["score"] == "3"
