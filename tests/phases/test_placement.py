"""Where an action or intervention appears: a corner of the page, or a slot the page holds."""

from __future__ import annotations

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.rules import validate_rule


def rule(placement: str) -> dict:
    return {
        "name": "home-offer",
        "level": "choice",
        "when": [{"attribute": "visit_reason", "equals": "gift"}],
        "then": {
            "show": {
                "kind": "content",
                "title": {"en": "Gift ideas"},
                "body": {"en": "Under $50"},
                "label": {"en": "See them"},
                "url": "/products",
                "placement": placement,
            }
        },
    }


@pytest.mark.parametrize("placement", ["bottom-right", "center", "slot:home-offer", "slot:a.b-c_1"])
def test_corners_and_named_slots_are_valid(placement):
    assert validate_rule(rule(placement))["then"]["show"]["placement"] == placement


@pytest.mark.parametrize("placement", ["everywhere", "slot:", "slot:Home Offer", "slot:<b>"])
def test_anything_else_is_a_located_error(placement):
    with pytest.raises(InvalidInput) as exc:
        validate_rule(rule(placement))
    assert any(path.endswith("placement") for path in exc.value.fields), exc.value.fields
