"""Bots and device classes measured on real labelled User-Agents the rules were not built from.

Corpus: the held-out half of Matomo Device Detector's fixtures (tests/corpora.py says how it is
read and split). Goals from issue 20: at least 95% of crawler strings flagged, at most 0.1% of
human browser strings flagged, at least 90% agreement on phones and desktops.
"""

from __future__ import annotations

import pytest

from tests import corpora


@pytest.fixture(scope="module")
def figures():
    # Every other phone: phones are two thirds of the corpus, and half of them measure as well.
    return corpora.agent_figures(corpora.HELD_OUT, phones_every=2)


pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_crawlers_are_flagged(figures):
    assert figures.bots > 500
    assert figures.recall >= 0.95, f"{figures.bots_flagged} of {figures.bots} crawlers flagged"


def test_peoples_browsers_are_not_flagged(figures):
    assert figures.humans > 8_000
    assert figures.false_rate <= 0.001, f"{figures.humans_flagged} of {figures.humans} flagged"


@pytest.mark.parametrize("kind", ["mobile", "desktop"])
def test_phones_and_desktops_agree_with_the_labels(figures, kind):
    assert figures.share(f"class {kind}") >= 0.90, figures.agree[f"class {kind}"]
