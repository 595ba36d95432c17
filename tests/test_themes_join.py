"""Answers the lexicons find no opinion in still join the theme whose words they share."""

from __future__ import annotations

from cxlisten import themes


def _theme_of(result: dict, text: str) -> str | None:
    found = [t["theme"] for t in result["themes"] if text in t["examples"]]
    return found[0] if found else None


def test_an_answer_without_an_opinion_word_joins_the_theme_of_its_aspect():
    texts = ["the battery is terrible"] * 5 + ["battery lasts two hours"]
    result = themes.themes(texts, examples=10)
    assert result["other"]["count"] == 0
    assert _theme_of(result, "battery lasts two hours") == _theme_of(result, texts[0]) is not None
    theme = result["themes"][0]
    assert (theme["count"], theme["said"]) == (6, 5)
    assert "battery" in theme["terms"]  # what the answer that joined shares with the theme


def test_chinese_answers_join_by_their_nouns():
    texts = ["房间太小"] * 5 + ["房间在三楼"]
    result = themes.themes(texts, examples=10)
    assert _theme_of(result, "房间在三楼") == "房间小"


def test_praise_never_joins_a_complaint():
    texts = ["the battery is terrible"] * 5 + ["the battery is great"]
    result = themes.themes(texts, examples=10)
    assert _theme_of(result, "the battery is great") is None
    assert result["other"]["examples"] == ["the battery is great"]


def test_answers_join_through_answers_that_joined_before_them():
    # "the charger" shares nothing with the complaint's own answers, only with two answers
    # that joined it through "battery".
    texts = ["the battery is terrible"] * 5 + ["battery and charger"] * 2 + ["the charger"]
    result = themes.themes(texts, examples=10, min_share=0.3)
    assert [t["count"] for t in result["themes"]] == [8]
    assert _theme_of(result, "the charger") == _theme_of(result, texts[0]) is not None


def test_an_answer_that_shares_no_word_stays_other():
    texts = ["the battery is terrible"] * 5 + ["the colour was odd"]
    result = themes.themes(texts, examples=10)
    assert result["other"]["examples"] == ["the colour was odd"]


def test_a_word_split_evenly_between_themes_is_nobodys():
    # "screen" is used as much in the complaint about the battery as in the one about the price:
    # an answer that only mentions the screen joins neither.
    texts = (
        ["the battery is terrible"] * 3
        + ["terrible battery screen"] * 2
        + ["the price is awful"] * 3
        + ["awful price screen"] * 2
        + ["the screen"]
    )
    result = themes.themes(texts, examples=20)
    assert _theme_of(result, "the screen") is None


def test_the_same_answers_give_a_fresh_copy_of_the_kept_themes():
    texts = ["the battery is terrible"] * 5 + ["battery lasts two hours"]
    first = themes.themes(texts)
    first["themes"][0]["examples"].append("changed by a caller")
    first["themes"].clear()
    again = themes.themes(texts)
    assert again["themes"] and "changed by a caller" not in again["themes"][0]["examples"]
    assert again == themes.themes(list(texts))
