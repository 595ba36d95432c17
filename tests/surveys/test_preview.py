"""``cxlisten.show(id)``: a product team previews a survey its targeting would not show them."""

from __future__ import annotations

import pytest

from cxlisten import surveys
from tests.surveys.conftest import PULSE


@pytest.fixture
def mobile_only(add):
    # Nobody on a desktop browser (the test visitor) is in this survey's audience.
    return add(PULSE, audience={"devices": ["mobile"]})


def test_targeting_alone_leaves_the_survey_out(visitor, mobile_only):
    assert visitor.shown(visitor.config()) == []


def test_asking_for_it_by_id_includes_it_marked_as_a_preview(visitor, mobile_only):
    reply = visitor.config(survey="pulse").get_json()
    (preview,) = reply["surveys"]
    assert preview["id"] == "pulse" and preview["preview"] is True
    assert [q["id"] for q in preview["questions"]] == ["found", "what"]


def test_a_paused_survey_can_be_previewed_an_archived_one_cannot(visitor, db, site, mobile_only):
    surveys.pause(db, site, "pulse")
    assert visitor.shown(visitor.config(survey="pulse")) == ["pulse"]
    surveys.archive(db, site, "pulse")
    assert visitor.shown(visitor.config(survey="pulse")) == []


def test_an_unknown_or_malformed_id_is_not_an_error(visitor, mobile_only):
    assert visitor.shown(visitor.config(survey="nope")) == []
    bad = visitor.config(survey="x" * 65)
    assert bad.status_code == 400 and "survey" in bad.get_json()["error"]["fields"]


def test_a_targeted_survey_is_not_listed_twice(visitor, add):
    add(PULSE)
    assert visitor.shown(visitor.config(survey="pulse")) == ["pulse"]
