"""POST /v1/responses: answers checked against the version, partial/complete, context, profile."""

from __future__ import annotations

import json
import uuid

import pytest

from cxlisten import surveys
from tests.conftest import ORIGIN
from tests.surveys.conftest import DEEPDIVE, definition

RATING = {"id": "stars", "type": "rating", "scale": {"max": 4}, "text": {"en": "Stars?"}}
CSAT = {"id": "csat", "type": "csat", "text": {"en": "Satisfied?"}}
CES = {"id": "ces", "type": "ces", "text": {"en": "Easy?"}}
ALL_TYPES = definition(DEEPDIVE, questions=[*DEEPDIVE["questions"][:3], CSAT, CES])


@pytest.fixture
def cart(add):
    return add(DEEPDIVE)


def rows(db, sql, *params):
    return [dict(r) for r in db.query(sql, params)]


# question, value, other, stored value, number
VALID = [
    ("score", 0, None, "0", 0),
    ("score", 10, None, "10", 10),
    ("score", 7.0, None, "7", 7),
    ("reason", "shipping", None, "shipping", None),
    ("reason", "other", "  too slow ", "other", None),
    ("channels", ["shop", "web"], None, "web,shop", None),  # kept in option order
    ("more", "  fine  ", None, "fine", None),
]


@pytest.mark.parametrize(("question", "value", "other", "stored", "number"), VALID)
def test_valid_answers_are_stored_one_row_each(
    db, cart, visitor, question, value, other, stored, number
):
    r = visitor.respond(answers=[{"question": question, "value": value, "other": other}])
    assert r.status_code == 200, r.get_json()
    (row,) = rows(db, "SELECT * FROM answers")
    assert (row["question"], row["value"], row["number"]) == (question, stored, number)
    assert row["other"] == ("too slow" if other else None)


@pytest.mark.parametrize(
    ("survey", "answer", "message"),
    [
        (DEEPDIVE, {"question": "score", "value": 11}, "must be from 0 to 10, got 11"),
        (DEEPDIVE, {"question": "score", "value": -1}, "must be from 0 to 10, got -1"),
        (DEEPDIVE, {"question": "score", "value": 7.5}, "a whole number from 0 to 10"),
        (DEEPDIVE, {"question": "score", "value": "7"}, "a whole number from 0 to 10"),
        (DEEPDIVE, {"question": "score", "value": True}, "a whole number from 0 to 10"),
        (ALL_TYPES, {"question": "csat", "value": 0}, "must be from 1 to 5, got 0"),
        (ALL_TYPES, {"question": "ces", "value": 8}, "must be from 1 to 7, got 8"),
        (
            definition(DEEPDIVE, questions=[RATING, CES]),
            {"question": "stars", "value": 5},
            "must be from 1 to 4, got 5",
        ),
        (
            DEEPDIVE,
            {"question": "reason", "value": "nope"},
            "not an option of this question: 'nope'",
        ),
        (DEEPDIVE, {"question": "reason", "value": ["price"]}, "must be one option code"),
        (DEEPDIVE, {"question": "channels", "value": "web"}, "must be a list of option codes"),
        (DEEPDIVE, {"question": "channels", "value": ["web", "web"]}, "an option chosen twice"),
        (
            DEEPDIVE,
            {"question": "channels", "value": ["other"]},
            "not an option of this question: 'other'",
        ),  # no Other on this question
        (DEEPDIVE, {"question": "more", "value": "x" * 21}, "at most 20 characters"),
        (DEEPDIVE, {"question": "more", "value": 42}, "must be text"),
    ],
)
def test_bad_answers_are_located(add, visitor, survey, answer, message):
    add(survey)
    r = visitor.respond(answers=[answer])
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"answers[0].value": [message]}


@pytest.mark.parametrize(
    ("answers", "where", "message"),
    [
        (
            [{"question": "nope", "value": 1}],
            "answers[0].question",
            "no question 'nope' in this survey version",
        ),
        (
            [{"question": "score", "value": 1}, {"question": "score", "value": 2}],
            "answers[1].question",
            "question 'score' answered twice",
        ),
        ([{"value": 1}], "answers[0].question", "required"),
    ],
)
def test_bad_questions_are_located(cart, visitor, answers, where, message):
    r = visitor.respond(answers=answers)
    assert r.status_code == 400
    assert message in r.get_json()["error"]["fields"][where]


def test_reply_shape(cart, visitor):
    rid = str(uuid.uuid4())
    r = visitor.respond(answers=[{"question": "reason", "value": "shipping"}], response=rid)
    assert r.get_json() == {
        "visitor": visitor.visitor,
        "response": rid,
        "status": "partial",
        "action": None,
    }
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_partial_then_complete_is_one_response(db, cart, visitor):
    rid = str(uuid.uuid4())
    first = [{"question": "reason", "value": "shipping"}]
    assert visitor.respond(answers=first, response=rid).get_json()["status"] == "partial"
    both = [*first, {"question": "score", "value": 9}]
    assert visitor.respond(answers=both, response=rid).get_json()["status"] == "partial"
    assert visitor.respond(answers=both, response=rid, complete=True).get_json()["status"] == (
        "complete"
    )
    (row,) = rows(db, "SELECT * FROM responses")
    assert (row["status"], row["answered"], row["client_id"]) == ("complete", 2, rid)
    assert row["completed_at"] >= row["started_at"]
    assert len(rows(db, "SELECT * FROM answers")) == 2


def test_left_after_two_of_four_stays_partial(db, cart, visitor):
    visitor.respond(
        answers=[{"question": "reason", "value": "shipping"}, {"question": "score", "value": 3}]
    )
    assert rows(db, "SELECT status, answered FROM responses") == [
        {"status": "partial", "answered": 2}
    ]


def test_complete_needs_every_required_question(db, cart, visitor):
    rid = str(uuid.uuid4())
    r = visitor.respond(
        answers=[{"question": "reason", "value": "shipping"}], response=rid, complete=True
    )
    assert r.status_code == 400 and r.get_json()["status"] == "partial"
    assert r.get_json()["error"]["fields"] == {
        "answers": ["required question 'score' not answered"]
    }
    assert len(rows(db, "SELECT * FROM answers")) == 1  # the valid answer is kept


def test_a_branch_to_the_end_skips_required_questions(cart, visitor):
    r = visitor.respond(answers=[{"question": "reason", "value": "price"}], complete=True)
    assert r.status_code == 200 and r.get_json()["status"] == "complete"


def test_a_later_post_never_drops_accepted_answers(db, cart, visitor):
    rid = str(uuid.uuid4())
    visitor.respond(
        response=rid,
        answers=[{"question": "reason", "value": "shipping"}, {"question": "score", "value": 3}],
    )
    visitor.respond(response=rid, answers=[{"question": "score", "value": 8}])
    stored = {r["question"]: r["value"] for r in rows(db, "SELECT * FROM answers")}
    assert stored == {"reason": "shipping", "score": "8"}


def test_complete_stays_complete(db, cart, visitor):
    rid = str(uuid.uuid4())
    visitor.respond(response=rid, answers=[{"question": "reason", "value": "price"}], complete=True)
    again = visitor.respond(response=rid, answers=[{"question": "reason", "value": "price"}])
    assert again.get_json()["status"] == "complete"


def test_valid_answers_of_a_mixed_post_are_kept_and_the_post_quarantined(db, cart, visitor):
    r = visitor.respond(
        answers=[{"question": "reason", "value": "shipping"}, {"question": "score", "value": 99}]
    )
    assert r.status_code == 400 and r.get_json()["status"] == "partial"
    assert [a["question"] for a in rows(db, "SELECT * FROM answers")] == ["reason"]
    (kept,) = rows(db, "SELECT * FROM rejected")
    assert kept["endpoint"] == "responses"
    assert json.loads(kept["errors"]) == {"answers[1].value": ["must be from 0 to 10, got 99"]}


def test_nothing_valid_makes_no_response_row(db, cart, visitor):
    r = visitor.respond(answers=[{"question": "score", "value": 99}])
    assert r.status_code == 400
    assert rows(db, "SELECT * FROM responses") == []
    assert len(rows(db, "SELECT * FROM rejected")) == 1


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"survey": "nope"}, 404, "survey"),
        ({"version": 7}, 400, "version"),
        ({"version": "1"}, 400, "version"),
        ({"response": "x"}, 400, "response"),
        ({"url": "ftp://x"}, 400, "url"),
        ({"answers": 5}, 400, "answers"),
        ({"site": "cx_nope"}, 404, "site"),
    ],
)
def test_bad_payloads(cart, visitor, changes, status, field):
    r = visitor.respond(**{"answers": [{"question": "reason", "value": "price"}], **changes})
    assert r.status_code == status
    assert field in r.get_json()["error"]["fields"]


def test_bad_body(client, cart):
    r = client.post("/v1/responses", data="{not json", content_type="text/plain")
    assert r.status_code == 400 and "_body" in r.get_json()["error"]["fields"]
    r = client.post("/v1/responses", data="x" * 70_000, content_type="text/plain")
    assert r.status_code == 413


def test_a_response_id_belongs_to_one_visitor(cart, new_visitor):
    rid = str(uuid.uuid4())
    alice, mallory = new_visitor(), new_visitor()
    assert (
        alice.respond(response=rid, answers=[{"question": "reason", "value": "price"}]).status_code
        == 200
    )
    r = mallory.respond(response=rid, answers=[{"question": "reason", "value": "shipping"}])
    assert r.status_code == 400 and "response" in r.get_json()["error"]["fields"]


def test_responses_from_foreign_origins_are_refused(db, cart, visitor):
    visitor.headers["Origin"] = "https://evil.example"
    assert visitor.respond(answers=[{"question": "reason", "value": "price"}]).status_code == 403
    assert rows(db, "SELECT * FROM responses") == []


def test_do_not_track_stores_nothing(db, cart, visitor):
    visitor.headers["DNT"] = "1"
    r = visitor.respond(answers=[{"question": "reason", "value": "price"}])
    assert r.status_code == 200 and r.get_json()["ignored"] == "do-not-track"
    assert rows(db, "SELECT * FROM responses") == []


def test_each_response_is_stamped_with_its_context(db, cart, visitor):
    visitor.visit("/product/lamp")
    visitor.visit("/cart")
    visitor.respond(answers=[{"question": "reason", "value": "price"}], path="/cart")
    (row,) = rows(db, "SELECT * FROM responses")
    (sess,) = rows(db, "SELECT id FROM sessions")
    assert row["session_id"] == sess["id"]
    assert json.loads(row["journey"]) == ["/product/lamp", "/cart"]
    assert (row["url"], row["path"], row["locale"]) == (f"{ORIGIN}/cart", "/cart", "en")
    assert (row["device"], row["browser"], row["os"], row["is_bot"]) == (
        "desktop",
        "Chrome",
        "Linux",
        0,
    )


def test_bot_responses_are_kept_but_flagged_and_not_counted(db, site, cart, visitor):
    visitor.headers["User-Agent"] = "python-requests/2.31"
    visitor.respond(answers=[{"question": "reason", "value": "price"}], complete=True)
    assert rows(db, "SELECT is_bot FROM responses") == [{"is_bot": 1}]
    assert surveys.response_counts(db, cart)["complete"] == 0


# --- versions ------------------------------------------------------------------------------------


def test_editing_a_survey_with_responses_makes_a_new_version(db, site, cart, visitor, new_visitor):
    changed = definition(
        DEEPDIVE,
        questions=[*DEEPDIVE["questions"][:2], {"id": "new", "type": "csat", "text": {"en": "?"}}],
    )
    same_version = surveys.update_survey(db, site, "cart", changed)
    assert same_version.version == 1  # no responses yet: changed in place
    visitor.respond(answers=[{"question": "new", "value": 4}])
    v2 = surveys.update_survey(db, site, "cart", DEEPDIVE)
    assert v2.version == 2
    assert [v["version"] for v in surveys.versions(db, v2)] == [1, 2]
    assert surveys.definition_of(db, v2, 1)["questions"][2]["id"] == "new"
    # Version 1 is still answerable (a page loaded before the edit); each answer keeps its version.
    assert visitor.respond(answers=[{"question": "new", "value": 5}], version=1).status_code == 200
    r = visitor.respond(answers=[{"question": "new", "value": 5}], version=2)
    assert r.get_json()["error"]["fields"] == {
        "answers[0].question": ["no question 'new' in this survey version"]
    }
    assert (
        visitor.respond(answers=[{"question": "more", "value": "hi"}], version=2).status_code == 200
    )
    assert rows(
        db, "SELECT version, COUNT(*) AS n FROM responses GROUP BY version ORDER BY version"
    ) == [
        {"version": 1, "n": 2},
        {"version": 2, "n": 1},
    ]
    someone = new_visitor()
    assert someone.config("/cart").get_json()["surveys"][0]["version"] == 2


def test_saving_the_same_definition_changes_nothing(db, site, cart, visitor):
    visitor.respond(answers=[{"question": "reason", "value": "price"}])
    survey, what = surveys.save_survey(db, site, DEEPDIVE)
    assert (what, survey.version) == ("unchanged", 1)


# --- the zero-party profile ----------------------------------------------------------------------


def test_saves_as_sets_an_attribute_with_provenance(db, site, cart, visitor):
    rid = str(uuid.uuid4())
    visitor.respond(response=rid, answers=[{"question": "reason", "value": "shipping"}])
    (attr,) = rows(db, "SELECT * FROM attributes")
    assert {k: attr[k] for k in ("name", "value", "survey", "version", "question", "response")} == {
        "name": "checkout_blocker",
        "value": "shipping",
        "survey": "cart",
        "version": 1,
        "question": "reason",
        "response": rid,
    }
    assert attr["updated_at"] > 0


def test_the_latest_answer_wins_and_other_text_is_what_they_said(db, cart, visitor):
    visitor.respond(answers=[{"question": "reason", "value": "shipping"}])
    visitor.respond(answers=[{"question": "reason", "value": "other", "other": "no PayPal"}])
    assert rows(db, "SELECT name, value FROM attributes") == [
        {"name": "checkout_blocker", "value": "no PayPal"}
    ]


def test_finishing_a_survey_of_optional_questions_without_answers(db, add, visitor):
    add(DEEPDIVE, id="optional", questions=[dict(q, required=False) for q in DEEPDIVE["questions"]])
    r = visitor.respond(survey="optional", answers=[], complete=True)
    assert r.status_code == 200 and r.get_json()["status"] == "complete"
    assert rows(db, "SELECT answered, status FROM responses") == [
        {"answered": 0, "status": "complete"}
    ]


def test_a_post_without_answers_is_refused(db, cart, visitor):
    r = visitor.respond(answers=[])
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {"answers": ["give at least one answer"]}
    assert rows(db, "SELECT * FROM responses") == []
