"""Open-text themes recover planted reasons in English and in Chinese."""

from __future__ import annotations

import random

import pytest

from cxlisten import themes
from cxlisten.simulate import PLANTED_REASONS


def planted(locale: str, n: int = 200, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        _, _, en, zh = rng.choices(PLANTED_REASONS, [r[1] for r in PLANTED_REASONS])[0]
        out.append(rng.choice(zh if locale == "zh" else en))
    return out


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("en", [("ship", 0.3), ("payment", 0.2), ("account", 0.08)]),
        ("zh", [("运费", 0.3), ("失败", 0.2), ("账号", 0.08)]),
    ],
)
def test_planted_reasons_come_back_as_themes_with_their_share(locale, expected):
    found = themes.themes(planted(locale))["themes"]
    for word, share in expected:
        theme = next((t for t in found if any(word in term for term in t["terms"])), None)
        assert theme is not None, f"no theme about {word}: {[t['theme'] for t in found]}"
        assert theme["share"] >= share
        assert all(isinstance(q, str) and q for q in theme["examples"])
    assert found[0]["count"] >= found[-1]["count"]


def test_mixed_languages_get_separate_themes():
    found = themes.themes(planted("en", 100) + planted("zh", 100, seed=4))["themes"]
    labels = " ".join(t["theme"] for t in found)
    assert "shipping" in labels and "运费" in labels


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Shipping costs were too high", {"too high", "ship cost"}),
        ("The payment FAILED!", {"fail", "payment fail"}),
        ("运费太贵了", {"运费贵"}),
        ("支付失败", {"失败", "支付失败"}),
    ],
)
def test_terms_are_aspects_with_opinions(text, expected):
    assert expected <= themes.terms(text)


@pytest.mark.parametrize("texts", [[], ["", "   "], ["ok"]])
def test_nothing_to_group_gives_no_themes(texts):
    result = themes.themes(texts)
    assert result["themes"] == []


def test_rare_answers_stay_in_other():
    texts = ["shipping too expensive"] * 10 + ["the colour was odd"]
    result = themes.themes(texts)
    assert result["themes"][0]["count"] == 10
    assert result["other"]["count"] == 1 and result["other"]["examples"] == ["the colour was odd"]


@pytest.mark.parametrize(
    "text, chinese",
    [("运费太贵", True), ("shipping", False), ("iPhone 运费太贵了", True), ("okay fine 好", False)],
)
def test_is_chinese(text, chinese):
    assert themes.is_chinese(text) is chinese
