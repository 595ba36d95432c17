"""Deep-dive templates: a micro-survey per kind of failure, in English and Chinese.

``{title}`` in a text is replaced by the journey's title when a plan is made.
"""

from __future__ import annotations

__all__ = ["FAILURE_KINDS", "TEMPLATES", "en_zh"]

FAILURE_KINDS = ("abandonment", "signup_friction", "search_failure", "long_dwell")


def en_zh(en: str, zh: str) -> dict:
    """Return a text in English and Simplified Chinese."""
    return {"en": en, "zh-CN": zh}


def _opts(*items: tuple[str, str, str]) -> list[dict]:
    return [{"code": code, "label": en_zh(en, zh)} for code, en, zh in items]


_FIX = {
    "id": "fix",
    "type": "text",
    "required": False,
    "max_length": 500,
    "text": en_zh("What one thing should we change?", "您最希望我们改进哪一点？"),
}

TEMPLATES: dict[str, dict] = {
    "abandonment": {
        "trigger": "exit_intent",
        "title": en_zh("Before you go", "请留步"),
        "questions": [
            {
                "id": "reason",
                "type": "single",
                "other": True,
                "text": en_zh(
                    "What stopped you from completing {title}?", "是什么让您没有完成这一步？"
                ),
                "options": _opts(
                    ("cost", "Price or shipping cost", "价格或运费"),
                    ("payment", "Payment problem", "付款问题"),
                    ("information", "Missing information", "信息不足"),
                    ("technical", "Something did not work", "页面出错"),
                    ("later", "Not ready yet", "还没准备好"),
                ),
            },
            {
                "id": "ease",
                "type": "ces",
                "required": False,
                "text": en_zh("This step was easy to complete.", "这一步很容易完成。"),
            },
            _FIX,
        ],
    },
    "signup_friction": {
        "trigger": "exit_intent",
        "title": en_zh("Quick question", "快速提问"),
        "questions": [
            {
                "id": "hardest",
                "type": "single",
                "other": True,
                "text": en_zh(
                    "What was the hardest part of signing up?", "注册过程中最困难的是哪一步？"
                ),
                "options": _opts(
                    ("fields", "Too many fields", "要填的内容太多"),
                    ("verification", "Verification did not arrive", "没收到验证信息"),
                    ("password", "Password rules", "密码要求"),
                    ("privacy", "Privacy concerns", "隐私顾虑"),
                ),
            },
            {
                "id": "ease",
                "type": "ces",
                "required": False,
                "text": en_zh("Signing up was easy.", "注册很容易。"),
            },
            _FIX,
        ],
    },
    "search_failure": {
        "trigger": "exit_intent",
        "title": en_zh("Did you find it?", "找到了吗？"),
        "questions": [
            {
                "id": "found",
                "type": "single",
                "text": en_zh("Did you find what you were looking for?", "您找到想要的内容了吗？"),
                "options": _opts(
                    ("yes", "Yes", "找到了"), ("partly", "Partly", "部分找到"), ("no", "No", "没有")
                ),
                "branch": [{"when": {"equals": "yes"}, "goto": "end"}],
            },
            {
                "id": "problem",
                "type": "single",
                "other": True,
                "text": en_zh("What went wrong with search?", "搜索有什么问题？"),
                "options": _opts(
                    ("no_results", "No results", "没有结果"),
                    ("irrelevant", "Results did not match", "结果不相关"),
                    ("too_many", "Too many results", "结果太多"),
                    ("filters", "Filters did not help", "筛选不好用"),
                ),
            },
            {
                "id": "looking_for",
                "type": "text",
                "required": False,
                "max_length": 300,
                "text": en_zh("What were you looking for?", "您在找什么？"),
            },
        ],
    },
    "long_dwell": {
        "trigger": "dwell",
        "title": en_zh("Can we help?", "需要帮助吗？"),
        "questions": [
            {
                "id": "blocker",
                "type": "single",
                "other": True,
                "text": en_zh(
                    "Is anything holding you up on this page?", "这个页面上有什么让您卡住了吗？"
                ),
                "options": _opts(
                    ("no_answer", "I can't find the answer", "找不到答案"),
                    ("unclear", "The text is unclear", "说明不清楚"),
                    ("too_long", "Too much to read", "内容太多"),
                    ("fine", "Nothing, all good", "没有，一切正常"),
                ),
            },
            {
                "id": "clarity",
                "type": "csat",
                "required": False,
                "text": en_zh("How satisfied are you with this page?", "您对这个页面满意吗？"),
            },
            {
                "id": "goal",
                "type": "text",
                "required": False,
                "max_length": 500,
                "text": en_zh("What were you trying to do?", "您想完成什么？"),
            },
        ],
    },
}
