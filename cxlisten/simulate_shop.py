"""The simulated shop: its journeys, its demo surveys and the reasons planted in the answers.

``SHOP_JOURNEYS`` is the same as ``examples/journeys.json``, and ``cart-abandon`` asks the same
questions with the same option codes as ``examples/surveys/cart-abandon.json`` (tests keep them
in step), so simulated answers fit the demo's surveys too.
"""

from __future__ import annotations

__all__ = [
    "SHOP_JOURNEYS",
    "DEMO_SURVEYS",
    "PLANTED_REASONS",
    "PRODUCTS",
    "CATEGORIES",
    "ARTICLES",
    "DEVICES",
    "ORIGIN",
]

SHOP_JOURNEYS = {
    "paths": {
        "keep_query": [],
        "rules": [
            {"pattern": "/product/:slug"},
            {"pattern": "/category/:slug"},
            {"pattern": "/help/article/:slug"},
        ],
        "fold_ids": True,
        "help": ["/help*", "/faq*", "/contact*"],
    },
    "journeys": [
        {
            "name": "checkout",
            "title": "Checkout",
            "kind": "checkout",
            "steps": ["/cart", "/checkout", "/checkout/payment", "/checkout/done"],
            "goal": "/checkout/done",
        },
        {
            "name": "signup",
            "title": "Sign-up",
            "kind": "signup",
            "steps": ["/signup", "/signup/verify", "/welcome"],
            "goal": "/welcome",
        },
        {
            "name": "search",
            "title": "Find a product",
            "kind": "search",
            "steps": ["/search*", "/product/:slug", "/cart"],
            "goal": "/cart",
        },
        {
            "name": "support",
            "title": "Get help",
            "kind": "support",
            "steps": ["/help", "/help/article/:slug", "/help/contact"],
            "goal": "/help/contact",
        },
    ],
}


def _EN_ZH(en: str, zh: str) -> dict:  # noqa: N802 - reads like a constructor in the tables
    return {"en": en, "zh-CN": zh}


DEMO_SURVEYS = [
    {
        "id": "pulse",
        "kind": "survey",
        "name": "Did you find it?",
        "phase": "track",
        "trigger": {"type": "dwell", "seconds": 20},
        "audience": {"sample": 10},
        "locales": ["en", "zh-CN"],
        "texts": {"title": _EN_ZH("Quick question", "快速提问")},
        "questions": [
            {
                "id": "found",
                "type": "csat",
                "text": _EN_ZH(
                    "How easy was it to find what you were looking for?", "找到您需要的内容容易吗？"
                ),
            }
        ],
    },
    {
        "id": "cart-abandon",
        "kind": "survey",
        "name": "Why did you leave checkout?",
        "phase": "deepdive",
        "journey": "checkout",
        "priority": 10,
        "trigger": {"type": "exit_intent", "urls": ["/checkout/payment"]},
        "locales": ["en", "zh-CN"],
        "texts": {"title": _EN_ZH("Before you go", "请留步")},
        "questions": [
            {
                "id": "reason",
                "type": "single",
                "text": _EN_ZH(
                    "What stopped you from completing your order?", "是什么让您没有完成订单？"
                ),
                "options": [
                    {"code": "shipping", "label": _EN_ZH("Shipping cost", "运费")},
                    {"code": "price", "label": _EN_ZH("Total price", "总价")},
                    {"code": "payment", "label": _EN_ZH("Payment options", "支付方式")},
                    {
                        "code": "account",
                        "label": _EN_ZH("Having to create an account", "必须注册账号"),
                    },
                    {"code": "just-looking", "label": _EN_ZH("Just looking", "只是看看")},
                ],
                "other": True,
                "branch": [{"when": {"equals": "just-looking"}, "goto": "end"}],
            },
            {
                "id": "ease",
                "type": "ces",
                "required": False,
                "text": _EN_ZH("How easy was checkout?", "结账过程有多容易？"),
            },
            {
                "id": "more",
                "type": "text",
                "required": False,
                "max_length": 500,
                "text": _EN_ZH("What should we fix?", "我们应该改进什么？"),
            },
        ],
    },
]

# Planted open-text reasons: (reason code, weight, English phrasings, Chinese phrasings).
PLANTED_REASONS = [
    (
        "shipping",
        0.45,
        [
            "Shipping cost was too high",
            "the shipping cost is way too expensive",
            "Too expensive shipping for a small order",
            "shipping costs more than the item",
            "high shipping cost at the last step",
        ],
        [
            "运费太贵了",
            "运费太高",
            "运费比商品还贵",
            "运费太贵，不想买了",
            "最后一步才看到运费太高",
        ],
    ),
    (
        "payment",
        0.30,
        [
            "My card payment failed twice",
            "payment failed with an error",
            "the payment page kept failing",
            "Card payment failed, no reason given",
            "payment failed after entering my card",
        ],
        [
            "支付失败了两次",
            "付款一直失败",
            "支付页面报错，支付失败",
            "银行卡支付失败",
            "输入卡号后支付失败",
        ],
    ),
    (
        "account",
        0.15,
        [
            "I didn't want to create an account",
            "forced to create an account just to pay",
            "why do I need an account to buy?",
            "creating an account took too long",
        ],
        ["不想注册账号", "必须注册账号才能付款", "为什么买东西要注册账号", "注册账号太麻烦"],
    ),
    (
        "just-looking",
        0.10,
        ["just looking around", "I was only comparing prices", "not ready to buy yet"],
        ["随便看看", "只是比较一下价格", "还没决定买"],
    ),
]

PRODUCTS = [
    "trail-runner",
    "rain-jacket",
    "wool-socks",
    "city-bag",
    "sun-hat",
    "tent-2p",
    "headlamp",
    "water-bottle",
    "down-vest",
    "hiking-poles",
]
CATEGORIES = ["shoes", "jackets", "camping", "accessories"]
ARTICLES = ["returns", "shipping-times", "sizes", "payment-methods", "warranty"]
DEVICES = [
    ("desktop", "Chrome", "Windows", 0.55),
    ("mobile", "Mobile Safari", "iOS", 0.35),
    ("tablet", "Chrome", "Android", 0.10),
]
ORIGIN = "https://shop.example"
