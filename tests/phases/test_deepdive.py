"""Phase 2: plans target the failing step; reports count, score, cross-tab and theme answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxlisten import deepdive, journeys
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.surveys import catalogue


@pytest.mark.parametrize(
    "journey, kind, step, trigger, urls",
    [
        ("checkout", "abandonment", "/checkout/payment", "exit_intent", ["/checkout/payment"]),
        ("support", "long_dwell", "/help/article/:slug", "dwell", ["/help/article/*"]),
        ("signup", "signup_friction", None, "exit_intent", None),
        ("search", "search_failure", None, "exit_intent", None),
    ],
)
def test_plan_targets_the_failing_step_with_the_template_for_its_failure(
    shop_ro, journey, kind, step, trigger, urls
):
    db, site = shop_ro
    proposal = deepdive.plan(db, site, journey)
    assert proposal["failure_kind"] == kind
    survey, help_ = proposal["survey"], proposal["intervention"]
    if step:
        assert proposal["failing_step"] == step
        assert survey["trigger"]["urls"] == urls
    assert survey["trigger"]["type"] == trigger
    assert 2 <= len(survey["questions"]) <= 5
    assert survey["phase"] == "deepdive" and survey["journey"] == journey
    for q in survey["questions"]:
        assert {"en", "zh-CN"} <= set(q["text"])
    assert (
        help_["trigger"]["type"] == "dwell"
        and help_["trigger"]["urls"] == survey["trigger"]["urls"]
    )
    assert help_["content"]["title"]["en"] == "Need more help?"
    assert "zh-CN" in help_["content"]["title"]


def test_plan_kind_can_be_overridden_and_must_be_known(shop_ro):
    db, site = shop_ro
    assert (
        deepdive.plan(db, site, "checkout", kind="long_dwell")["survey"]["trigger"]["type"]
        == "dwell"
    )
    with pytest.raises(InvalidInput):
        deepdive.plan(db, site, "checkout", kind="vibes")
    with pytest.raises(NotFound):
        deepdive.plan(db, site, "nope")


def test_written_plan_files_publish_as_surveys(shop, tmp_path):
    db, site = shop
    proposal = deepdive.plan(db, site, "checkout")
    paths = deepdive.write_plan(proposal, str(tmp_path / "out"))
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "checkout-abandonment.json",
        "checkout-need-help.json",
    ]
    assert json.loads(Path(paths[0]).read_text(encoding="utf-8"))["id"] == "checkout-abandonment"
    for path in paths:
        survey, _ = catalogue.load_survey_file(db, site, path)
        assert survey.journey == "checkout"
    with pytest.raises(InvalidInput):
        deepdive.write_plan(proposal, str(tmp_path / "out"))  # no silent overwrite
    assert deepdive.write_plan(proposal, str(tmp_path / "out"), overwrite=True) == paths


def test_a_journey_without_sessions_still_gets_a_plan(db, site):
    journeys.save_journey(db, site.id, {"name": "signup", "steps": ["/signup", "/welcome"]})
    proposal = deepdive.plan(db, site, "signup")
    assert proposal["failing_step"] == "/signup"
    assert proposal["failure_kind"] == "signup_friction"


@pytest.fixture(scope="module")
def cart_report(shop_ro):
    db, site = shop_ro
    return deepdive.report(db, site, "cart-abandon")


def test_report_counts_and_rates(cart_report):
    c = cart_report["counts"]
    assert c["shown"] > 0 and c["answered"] > 0 and c["dismissed"] > 0
    assert c["partial"] + c["complete"] == c["answered"]
    assert c["answer_rate"]["value"] == pytest.approx(c["answered"] / c["shown"], abs=1e-3)
    assert c["answer_rate"]["low"] < c["answer_rate"]["value"] < c["answer_rate"]["high"]


def test_report_distribution_recovers_planted_reason_shares(cart_report):
    reason = next(q for q in cart_report["questions"] if q["question"] == "reason")
    shares = {d["code"]: d["share"] for d in reason["distribution"]}
    assert reason["distribution"][0]["code"] == "shipping"
    assert shares["shipping"] == pytest.approx(0.45, abs=0.08)
    assert shares["payment"] == pytest.approx(0.30, abs=0.08)
    assert reason["distribution"][0]["label"] == "Shipping cost"


def test_report_scores_ces_with_a_confidence_interval(cart_report):
    ces = cart_report["scores"]["CES"]
    assert ces["low"] < ces["value"] < ces["high"] and 1 <= ces["value"] <= 7


def test_report_crosstabs_by_device_step_and_new_or_returning(cart_report):
    tabs = cart_report["crosstabs"]
    assert tabs["question"] == "reason"
    assert {g["group"] for g in tabs["device"]} <= {"desktop", "mobile", "tablet"}
    assert [g["group"] for g in tabs["step"]] == ["/checkout/payment"]
    assert {g["group"] for g in tabs["visitor"]} == {"new", "returning"}
    assert (
        sum(g["answers"] for g in tabs["device"])
        == next(q for q in cart_report["questions"] if q["question"] == "reason")["answers"]
    )


def test_report_themes_and_top_reasons_read_like_a_ticket(cart_report):
    labels = [t["theme"] for t in cart_report["themes"]["themes"]]
    assert any("shipping" in label for label in labels)
    assert any("运费" in label for label in labels)
    assert "Shipping cost" in cart_report["top_reasons"][0]
    assert "/checkout/payment" in cart_report["top_reasons"][0]


def test_report_of_unknown_survey_is_not_found(shop_ro):
    db, site = shop_ro
    with pytest.raises(NotFound):
        deepdive.report(db, site, "nope")


def test_pulse_report_scores_csat(shop_ro):
    db, site = shop_ro
    result = deepdive.report(db, site, "pulse")
    csat = result["scores"]["CSAT"]
    assert 0 < csat["value"] < 1 and csat["low"] <= csat["value"] <= csat["high"]
