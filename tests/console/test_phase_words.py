"""Rules in words (cxlisten.rule_words): every kind of condition and action, in both languages,
and the windows of the home page (cxlisten.site_overview.window)."""

from __future__ import annotations

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.phrasebook import LOCALES
from cxlisten.rule_words import action_words, condition_words, when_words
from cxlisten.site_overview import DAY_MS, window

CONDITIONS = [
    ({"attribute": "plan", "equals": "house"}, "their plan is “house”"),
    ({"attribute": "plan", "exists": False}, "their plan is not known"),
    ({"attribute": "plan", "exists": True}, "their plan is known"),
    (
        {"answer": {"survey": "cart-abandon", "question": "reason"}, "in": ["shipping", "payment"]},
        "their answer to cart-abandon/reason is shipping or payment",
    ),
    ({"score": "nps", "min": 0, "max": 6}, "their latest NPS score is at least 0, at most 6"),
    (
        {"journey": "checkout", "state": "in_progress", "step": "/checkout/payment"},
        "this session is part-way through the journey checkout (furthest step /checkout/payment)",
    ),
    (
        {"journey": "signup", "state": "not_entered"},
        "this session did not enter the journey signup",
    ),
    (
        {"segment": {"device": ["mobile"], "visitor": "returning"}},
        "on phone, returning visitors only",
    ),
    ({"page": ["/help*", "/faq"]}, "on /help* or /faq"),
]


@pytest.mark.parametrize(("cond", "en"), CONDITIONS)
def test_conditions_in_words(cond, en):
    assert condition_words(cond, "en") == en
    assert condition_words(cond, "zh-CN")  # every phrase exists in Chinese too


def test_when_and_then_in_words():
    assert when_words([], "en") == "always"
    assert when_words([c for c, _ in CONDITIONS[:2]], "en") == (
        "their plan is “house” and their plan is not known"
    )
    show = {"kind": "channel", "channel": "chat", "title": {"en": "Chat", "zh-CN": "聊天"}}
    then = {
        "from_answer": {"survey": "s", "question": "q", "map": {"a": show}},
        "set": {"needs_care": "yes"},
        "webhook": "detractor",
    }
    assert action_words(then, "en") == [
        "offer the path picked in s/q: a → show a channel (chat) “Chat”",
        "set needs_care = “yes” in the profile",
        "send the webhook event detractor",
    ]
    for locale in LOCALES:
        assert action_words({"choose": [show, {**show, "url": "/help"}]}, locale)
    assert "“聊天”" in action_words({"show": show}, "zh-CN")[0]


NOW = 1_800_000_000_000 + 5 * 3_600_000  # some hours into a day


@pytest.mark.parametrize(("choice", "days"), [("today", 1), ("7d", 7), ("30d", 30), (None, 7)])
def test_windows_end_today(choice, days):
    w = window(choice, None, None, NOW)
    assert w.until - w.since == days * DAY_MS
    assert w.since <= NOW < w.until and w.until % DAY_MS == 0


def test_custom_windows_and_their_errors():
    w = window("custom", "2026-03-01", "2026-03-01", NOW)
    assert (w.start, w.end, w.until - w.since) == ("2026-03-01", "2026-03-01", DAY_MS)
    for start, end, field in [
        ("2026-03-02", "2026-03-01", "to"),
        ("march", "2026-03-01", "from"),
        (None, "2026-03-01", "from"),
        ("2020-01-01", "2026-03-01", "to"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            window("custom", start, end, NOW)
        assert field in caught.value.fields
