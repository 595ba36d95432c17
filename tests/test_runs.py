"""Sorted runs (cxlisten.runs): medians and counts of a multiset kept in pieces are those of the
whole, and survive storing."""

from __future__ import annotations

import random
import statistics

import pytest

from cxlisten.runs import Runs


@pytest.mark.parametrize("seed", range(40))
def test_runs_give_the_median_and_counts_of_the_whole(seed):
    rng = random.Random(seed)
    values = [rng.randint(-5, rng.choice([3, 50, 10**6])) for _ in range(rng.randint(1, 80))]
    runs, i = Runs(), 0
    while i < len(values):
        j = i + rng.randint(1, 12)
        runs.extend(Runs.decode(Runs.of(values[i:j]).encode()))
        i = j
    assert len(runs) == len(values)
    assert runs.median() == statistics.median(values)
    for x in (rng.choice(values), rng.choice(values) + 0.5, -10, 10**7):
        assert runs.count_above(x) == sum(v > x for v in values)


def test_no_values_have_a_zero_median():
    assert Runs().median() == 0.0 and Runs.of([]).count_above(0) == 0
    assert Runs.decode(Runs().encode()).median() == 0.0
