"""Phase 1: diagnose finds the planted problems, scores each signal, leaves bots out."""

from __future__ import annotations

import pytest

from cxlisten import journeys
from cxlisten.diagnose import WEIGHTS, Norms, diagnose, low_score
from tests.phases.conftest import NOW, add_session

DAY = 86_400_000
CHECKOUT = {"name": "checkout", "steps": ["/cart", "/checkout", "/checkout/done"]}


@pytest.fixture(scope="module")
def diagnosis(shop_ro):
    db, site = shop_ro
    return diagnose(db, site)


def test_planted_problem_journeys_rank_first(diagnosis):
    ranked = [j.name for j in diagnosis.journeys]
    assert set(ranked[:2]) == {"checkout", "support"}
    assert {p.name for p in diagnosis.problems} == {"checkout", "support"}


@pytest.mark.parametrize(
    "journey, step, kind, signal, at_least",
    [
        ("checkout", "/checkout/payment", "abandonment", "drop", 0.5),
        ("support", "/help/article/:slug", "long_dwell", "dwell", 0.6),
    ],
)
def test_each_problem_names_the_failing_step_and_its_evidence(
    diagnosis, journey, step, kind, signal, at_least
):
    found = diagnosis.journey(journey)
    problem = found.problem
    assert problem.failing_step == step
    assert problem.failure_kind == kind
    assert getattr(problem.signals, signal) >= at_least
    assert any(step in line for line in problem.evidence)


def test_planted_checkout_drop_is_about_sixty_percent(diagnosis):
    checkout = diagnosis.journey("checkout")
    payment = next(s for s in checkout.steps if s.step == "/checkout/payment")
    assert 0.5 <= payment.drop_off <= 0.7


def test_common_journeys_have_sessions_share_and_completion(diagnosis):
    common = diagnosis.common
    assert common[0].sessions >= common[-1].sessions
    assert (
        abs(sum(c.share for c in common) - sum(c.sessions for c in common) / diagnosis.sessions)
        < 0.01
    )
    search = next(c for c in common if c.steps == ("/", "/search", "/product/:slug", "/cart"))
    assert search.completion == 1.0  # /cart is the search journey's goal


def test_bots_are_left_out(shop_ro, shop_file, diagnosis):
    counts = shop_file[1]
    assert diagnosis.bot_sessions_excluded == counts["bot_sessions"] > 0
    assert diagnosis.sessions == counts["sessions"] - counts["bot_sessions"]
    signup = diagnosis.journey("signup")
    assert signup.completion > 0.7  # bots hammer /signup and leave; they would sink it


def test_time_window_selects_sessions_by_start(shop_ro, diagnosis):
    db, site = shop_ro
    assert diagnose(db, site, since=NOW + DAY).sessions == 0
    first = diagnose(db, site, until=NOW - 7 * DAY).sessions
    second = diagnose(db, site, since=NOW - 7 * DAY).sessions
    assert first > 0 and second > 0 and first + second == diagnosis.sessions


# Each signal, measured on hand-made sessions of a three-step journey.
@pytest.mark.parametrize(
    "sessions, signal, expected",
    [
        # 10 reach /checkout, 4 of them finish: drop 60% at /checkout
        (
            [["/cart", "/checkout", "/checkout/done"]] * 4 + [["/cart", "/checkout"]] * 6,
            "drop",
            0.6,
        ),
        (
            [["/cart", "/checkout", "/cart", "/checkout", "/checkout/done"]] * 3
            + [["/cart", "/checkout", "/checkout/done"]] * 7,
            "loops",
            0.3,
        ),
        ([["/cart", "/help/returns", "/checkout"]] * 2 + [["/cart", "/checkout"]] * 8, "help", 0.2),
    ],
)
def test_signals_measure_what_docs_say(db, site, sessions, signal, expected):
    journeys.save_journey(db, site.id, CHECKOUT)
    for i, steps in enumerate(sessions):
        add_session(db, site, steps, visitor=f"v{i}")
    found = diagnose(db, site).journeys[0]
    assert getattr(found.problem.signals, signal) == pytest.approx(expected, abs=0.001)


def checkout_sessions(db, site, other_ms: int, checkout_ms: list[int]) -> None:
    """One session per CHECKOUT_MS, dwelling that long on /checkout and OTHER_MS elsewhere."""
    journeys.save_journey(db, site.id, CHECKOUT)
    for i, ms in enumerate(checkout_ms):
        steps = ["/", "/cart", "/checkout", "/checkout/done"]
        add_session(db, site, steps, [other_ms, other_ms, ms, other_ms], visitor=f"v{i}")


def test_long_dwell_is_measured_against_the_site_norm(db, site):
    checkout_sessions(db, site, 10_000, [60_000] * 4 + [10_000] * 6)
    found = diagnose(db, site)
    assert found.norms.median_dwell_ms == 10_000
    checkout = found.journeys[0]
    assert checkout.problem.signals.dwell == pytest.approx(0.4)
    assert checkout.problem.failing_step == "/checkout"


def test_a_long_dwell_is_at_least_ten_seconds_on_a_site_of_short_pages(db, site):
    """Pages of 0.1 s make a norm of 0.1 s: a 0.6 s step (a slow reply, say) is not long."""
    checkout_sessions(db, site, 100, [12_000] * 3 + [600] * 9)
    found = diagnose(db, site)
    assert found.norms == Norms(median_dwell_ms=100, long_dwell_ms=10_000)
    problem = found.journeys[0].problem
    assert problem.signals.dwell == pytest.approx(0.25)  # only the three 12 s visits
    assert problem.failing_step == "/checkout"
    assert problem.evidence[0].key == "evidence.dwell_floor"
    assert str(problem.evidence[0]).startswith(
        "25% of visits to /checkout dwelt over 10 s (the site's median page dwell is 0.1 s)"
    )


def test_small_journeys_are_shrunk_toward_zero(db, site):
    journeys.save_journey(db, site.id, CHECKOUT)
    add_session(db, site, ["/cart"], visitor="a")
    add_session(db, site, ["/cart"], visitor="b")
    score = diagnose(db, site).journeys[0].problem.score
    assert score < 10  # two sessions that both left are not yet a top problem


def test_a_site_without_data_diagnoses_to_empty_lists(db, site):
    result = diagnose(db, site)
    assert result.sessions == 0 and result.common == () and result.journeys == ()


def test_pulse_signal_is_the_share_of_low_answers_in_the_journeys_sessions(db, site):
    from cxlisten.storage import responses, transaction
    from cxlisten.surveys import catalogue

    journeys.save_journey(db, site.id, CHECKOUT)
    pulse = catalogue.create_survey(
        db,
        site,
        {
            "id": "pulse",
            "phase": "track",
            "trigger": {"type": "pageview"},
            "questions": [{"id": "csat", "type": "csat", "text": {"en": "Happy?"}}],
        },
    )
    for i, score in enumerate([1, 2, 2, 5, 4, 5, 5, 4, 3, 1, 5, 5]):  # 4 of 12 low (1–2)
        sid = add_session(db, site, ["/cart", "/checkout"], visitor=f"v{i}")
        with transaction(db):
            rid = responses.insert_response(
                db,
                {
                    "site_id": site.id,
                    "survey_id": pulse.id,
                    "survey": "pulse",
                    "version": 1,
                    "client_id": f"r{i}",
                    "visitor_id": f"v{i}",
                    "session_id": sid,
                    "status": "complete",
                    "answered": 1,
                    "locale": "en",
                    "url": "https://shop.example/checkout",
                    "path": "/checkout",
                    "device": "desktop",
                    "browser": "Chrome",
                    "os": "Linux",
                    "is_bot": 0,
                    "journey": [],
                    "started_at": 1,
                    "updated_at": 1,
                    "completed_at": 1,
                },
            )
            responses.upsert_answers(
                db,
                [
                    {
                        "response_id": rid,
                        "site_id": site.id,
                        "survey": "pulse",
                        "version": 1,
                        "visitor_id": f"v{i}",
                        "question": "csat",
                        "position": 0,
                        "type": "csat",
                        "value": str(score),
                        "number": score,
                        "other": None,
                        "answered_at": 1,
                    }
                ],
            )
    problem = diagnose(db, site).journeys[0].problem
    assert problem.pulse_answers == 12
    assert problem.signals.pulse == pytest.approx(4 / 12, abs=0.001)
    assert any("pulse answers" in line for line in problem.evidence)


@pytest.mark.parametrize(
    "kind, number, low",
    [
        ("nps", 6, True),
        ("nps", 7, False),
        ("csat", 2, True),
        ("csat", 3, False),
        ("ces", 3, True),
        ("ces", 5, False),
        ("rating", 1, True),
        ("rating", 4, False),
    ],
)
def test_low_scores(kind, number, low):
    assert low_score(kind, number) is low


def test_the_failing_step_is_weighed_with_the_score_weights(monkeypatch):
    from cxlisten import diagnose as module
    from cxlisten.diagnose import StepFigures

    step = StepFigures("/checkout", 20, 1.0, 0.5, 1_000, 0.4)
    assert step.badness() == pytest.approx(0.35 * 0.5 + 0.20 * 0.4)
    monkeypatch.setitem(module.WEIGHTS, "dwell", 0.5)  # one declaration: badness follows it
    assert step.badness() == pytest.approx(0.35 * 0.5 + 0.5 * 0.4)
    assert StepFigures("/cart", 9, 1.0, 0.9, 1_000, 0.9).badness() == -1  # too few to count


def test_the_json_of_a_diagnosis_keeps_the_documented_keys(diagnosis):
    from cxlisten.results import to_json

    data = to_json(diagnosis)
    assert list(data) == [
        "site",
        "window",
        "sessions",
        "bot_sessions_excluded",
        "norms",
        "common",
        "journeys",
        "problems",
        "score",
        "seconds",
    ]
    journey = data["journeys"][0]
    assert list(journey["problem"]) == [
        "score",
        "signals",
        "pulse_answers",
        "counts",
        "failing_step",
        "failing_step_index",
        "failure_kind",
        "evidence",
    ]
    assert list(journey["problem"]["signals"]) == [
        "drop",
        "dwell",
        "help",
        "loops",
        "pulse",
        "frustration",
        "slow",
        "shallow",
    ]
    assert isinstance(journey["steps"], list) and isinstance(journey["steps"][0], dict)
    assert data["score"]["weights"] == WEIGHTS
