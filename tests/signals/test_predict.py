"""cxlisten predict: planted behaviour is learnt and the silent majority estimated; answers
independent of behaviour are refused; estimates never become zero-party facts."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.predict import MIN_AUC, predict, save
from cxlisten.simulate_predict import plant_nps
from cxlisten.storage.db import open_database


def _planted(tmp_path_factory, related: bool, visitors: int = 3000):
    path = str(tmp_path_factory.mktemp("predict") / "planted.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    truth = plant_nps(db, site, visitors=visitors, related=related, seed=5)
    return path, db, site, truth


@pytest.fixture(scope="module")
def related(tmp_path_factory):
    return _planted(tmp_path_factory, True)


@pytest.fixture(scope="module")
def independent(tmp_path_factory):
    return _planted(tmp_path_factory, False)


def _count(db, table):
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_planted_behaviour_is_learnt_and_non_respondents_estimated(related):
    _, db, site, truth = related
    result = predict(db, site, "nps")
    assert not result.refused and result.reason is None
    assert result.auc >= 0.75
    assert result.held_out == pytest.approx(0.25 * result.respondents, abs=2)
    assert result.non_respondents == sum(truth.non_respondents.values())
    total = sum(truth.non_respondents.values())
    for answer, count in truth.non_respondents.items():
        assert result.estimated[answer] == pytest.approx(count / total, abs=0.05), answer
    assert sum(result.estimated.values()) == pytest.approx(1.0, abs=0.001)
    assert result.label == "estimated"
    # Calibration on the held-out respondents: per class, predicted close to observed.
    for c in result.calibration:
        assert c.predicted == pytest.approx(c.observed, abs=0.08)
    assert result.sentences[0].startswith("Estimated, not answered: of ")


def test_answers_independent_of_behaviour_are_refused(independent):
    _, db, site, _ = independent
    result = predict(db, site, "nps")
    assert result.refused and result.estimated is None and result.visitors == ()
    assert result.auc < MIN_AUC
    assert result.reason.endswith(
        f"below the {MIN_AUC:.2f} needed: behaviour says too little about the answer"
    )
    assert result.sentences == (f"No estimate: {result.reason}.",)


def test_too_few_respondents_are_refused(tmp_path_factory):
    _, db, site, _ = _planted(tmp_path_factory, True, visitors=100)
    result = predict(db, site, "nps")
    assert result.refused
    assert "at least 60 are needed" in result.reason


def test_saved_estimates_are_their_own_table_never_the_zero_party_profile(related, tmp_path):
    _, db, site, _ = related
    before = _count(db, "attributes")
    result = predict(db, site, "nps")
    assert save(db, site, result) == result.non_respondents
    assert _count(db, "attributes") == before == 0
    rows = db.execute("SELECT DISTINCT kind FROM predictions").fetchall()
    assert rows == [("estimated",)]
    answered = db.execute(
        "SELECT COUNT(*) FROM predictions p JOIN responses r ON r.visitor_id = p.visitor_id"
    ).fetchone()[0]
    assert answered == 0  # only those who did not answer get an estimate


def invoke(path, *args):
    return CliRunner(env={"CXLISTEN_DB": path}).invoke(cli, list(args))


def test_the_command_prints_the_estimate_and_its_quality(related):
    out = invoke(related[0], "predict", "nps")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("Estimated, not answered:")
    assert lines[2].startswith("Held-out quality on ")


def test_the_command_refuses_in_words_with_status_1(independent):
    out = invoke(independent[0], "predict", "nps", "--json")
    assert out.exit_code == 1
    assert '"refused": true' in out.output and '"estimated": null' in out.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["predict", "nope"], "Error: no survey 'nope'"),
        (["predict", "nps", "--question", "zzz"], "Error: survey 'nps' has no question 'zzz'"),
    ],
)
def test_bad_input_is_one_line(related, args, message):
    out = invoke(related[0], *args)
    assert out.exit_code == 1
    assert out.output.strip().splitlines()[-1].startswith(message)
    assert "Traceback" not in out.output


def test_without_scikit_learn_the_command_says_how_to_install_it(related, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)
    out = invoke(related[0], "predict", "nps")
    assert out.exit_code == 1
    assert "pip install 'cxlisten[predict]'" in out.output
