"""How many more visitors a rule's open verdict needs (cxlisten.lift.more_visitors_needed), the
sentence under a lift chart."""

from __future__ import annotations

import pytest

from cxlisten.lift import more_visitors_needed

OPEN = {"value": 0.05, "low": -0.01, "high": 0.11}  # half-width 0.06 over a difference of 0.05


@pytest.mark.parametrize(
    ("verdict", "diff", "n1", "n0", "needed"),
    [
        ("not enough data", {"value": None}, 10, 25, 20),  # until each group has 30
        ("not enough data", {"value": None}, 40, 30, 0),
        ("no evidence", OPEN, 120, 100, 44),  # 100 × (0.06 / 0.05)² − 100
        ("no evidence", {"value": 0.0, "low": -0.1, "high": 0.1}, 100, 100, None),  # equal rates
        ("helps", {"value": 0.2, "low": 0.1, "high": 0.3}, 500, 500, None),  # settled
        ("hurts", {"value": -0.2, "low": -0.3, "high": -0.1}, 500, 500, None),
    ],
)
def test_more_visitors_needed(verdict, diff, n1, n0, needed):
    assert more_visitors_needed(verdict, diff, n1, n0) == needed
