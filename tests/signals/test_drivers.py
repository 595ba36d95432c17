"""cxlisten drivers: planted drivers per segment rank first in their segment and not in the other;
with the outcome independent of the experience answers, nothing is ranked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.drivers import drivers, relative_weights
from cxlisten.errors import InvalidInput
from cxlisten.simulate_predict import plant_drivers
from cxlisten.storage.db import open_database


@pytest.fixture(scope="module", params=[True, False], ids=["planted", "independent"])
def shop(request, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("drivers") / "d.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    plant_drivers(db, site, related=request.param, seed=3)
    return request.param, path, db, site


def test_planted_drivers_rank_first_in_their_segment_only(shop):
    planted, _, db, site = shop
    result = drivers(db, site, "experience", "nps", by="device")
    segments = {s.segment: s for s in result.segments}
    assert set(segments) == {"desktop", "mobile"}
    for s in segments.values():
        assert s.respondents == 800
        assert sum(d.share for d in s.drivers) == pytest.approx(1.0, abs=0.001)
        assert all(d.low <= d.share <= d.high for d in s.drivers)
    if planted:
        assert [d.question for d in segments["mobile"].drivers][0] == "delivery"
        assert [d.question for d in segments["desktop"].drivers][0] == "price"
        assert segments["mobile"].sentence.startswith("For phones, delivery explains ")
        assert segments["desktop"].sentence.startswith("For desktops, price explains ")
        assert segments["mobile"].r2 > 0.5
    else:
        for s in segments.values():
            assert s.r2 < 0.05
            assert "nothing here" in s.sentence


def test_relative_weights_of_uncorrelated_drivers_are_their_squared_correlations():
    import numpy as np

    rng = np.random.default_rng(1)
    x = rng.normal(size=(5000, 2))
    y = 2 * x[:, 0] + 1 * x[:, 1] + rng.normal(size=5000)
    r2, raw = relative_weights(x, y)
    assert r2 == pytest.approx(5 / 6, abs=0.02)
    assert raw / r2 == pytest.approx([0.8, 0.2], abs=0.02)


def test_bad_outcome_and_segment_are_refused(shop):
    _, _, db, site = shop
    with pytest.raises(InvalidInput) as caught:
        drivers(db, site, "experience", "nope")
    assert caught.value.fields["outcome"] == [
        "one of nps, delivery, price, support, or goal:JOURNEY"
    ]
    with pytest.raises(InvalidInput):
        drivers(db, site, "experience", "nps", by="planet")


def test_the_command_prints_ranked_sentences(shop):
    planted, path, _, _ = shop
    out = CliRunner(env={"CXLISTEN_DB": path}).invoke(
        cli, ["drivers", "experience", "--outcome", "nps", "--by", "device"]
    )
    assert out.exit_code == 0, out.output
    assert len(out.output.splitlines()) == 2
    assert ("delivery explains" in out.output) is planted
