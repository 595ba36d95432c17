"""The simulated shop: its journeys, demo surveys, planted reasons, and what a visit does.

The shop is the demo's own, ``examples/shop`` ("Harbour Goods"): its pages, products and help
articles, served where ``cxlisten demo`` serves it. ``SHOP_JOURNEYS`` is read from
``examples/journeys.json`` and the checkout experiment from the proactive rule of
``examples/rules.json``; ``cart-abandon`` asks the same questions with the same option codes as
``examples/surveys/cart-abandon.json`` (tests keep them in step), so simulated history fits what
the demo loads.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass

from cxlisten.activate import arm_of
from cxlisten.files import EXAMPLES_DIR
from cxlisten.storage.db import Database

__all__ = [
    "SHOP_JOURNEYS",
    "DEMO_SURVEYS",
    "PLANTED_REASONS",
    "PRODUCTS",
    "EXPERIMENT_RULE",
    "EXPERIMENT_ACTIONS",
    "HELPFUL_ACTION",
    "ARTICLES",
    "DEVICES",
    "ORIGIN",
]


def _example(name: str) -> dict:
    with open(EXAMPLES_DIR / name, encoding="utf-8") as f:
        return json.load(f)


# The demo shop's journeys, read from the file the demo loads, so the two cannot drift apart.
SHOP_JOURNEYS = {k: _example("journeys.json")[k] for k in ("paths", "journeys")}


def _experiment() -> tuple[str, float, tuple[str, ...]]:
    """Return (rule name, holdout %, candidate action ids) of the example proactive rule."""
    for rule in _example("rules.json")["rules"]:
        if "choose" in rule.get("then", {}):
            return rule["name"], rule["holdout"], tuple(a["id"] for a in rule["then"]["choose"])
    raise LookupError("examples/rules.json has no proactive rule with candidate actions")


# The proactive rule of examples/rules.json runs at /checkout/payment; of its candidates, the
# first (live chat) helps visitors finish their order, the second (free returns) changes nothing.
EXPERIMENT_RULE, EXPERIMENT_HOLDOUT, EXPERIMENT_ACTIONS = _experiment()
HELPFUL_ACTION = "checkout-chat"
GOAL_RATE = 0.25  # chance to finish the order from /checkout/payment, without help
HELPED_GOAL_RATE = 0.65  # ... when shown the helpful action


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

# The pages of examples/shop ("Harbour Goods"); tests check every simulated path is one of them.
PRODUCTS = ["lamp", "mug", "notebook", "throw"]
ARTICLES = ["delivery-times", "payment-methods", "returns", "shipping-costs", "verification-code"]
DEVICES = [
    ("desktop", "Chrome", "Windows", 0.55),
    ("mobile", "Mobile Safari", "iOS", 0.35),
    ("tablet", "Chrome", "Android", 0.10),
]
ORIGIN = "http://127.0.0.1:8001"  # where `cxlisten demo` serves the shop; a site's own wins


@dataclass
class SimDevice:
    kind: str
    browser: str
    os: str
    is_bot: bool = False


BOT = SimDevice("bot", "HeadlessChrome", "Linux", True)


def _dwell(rng: random.Random, median_s: float, sigma: float = 0.6) -> int:
    return int(rng.lognormvariate(math.log(median_s * 1000), sigma))


class Shop:
    def __init__(
        self,
        db: Database,
        site_id: int,
        rng: random.Random,
        now: int,
        days: int,
        origin: str = ORIGIN,
    ):
        self.db, self.site_id, self.rng, self.now, self.days = db, site_id, rng, now, days
        self.origin = origin
        # The checkout experiment's outcomes draw from a stream of their own, so changing how
        # visitors browse does not change what the experiment measures.
        self.experiment_rng = random.Random(rng.getrandbits(64))
        self.responses: list[tuple[dict, list[dict]]] = []

        # Event ids: a random prefix per run, then a counter (like UUIDv7, ordered), so they
        # append to the id index instead of landing at random pages of it.
        self._prefix = self.rng.getrandbits(64) << 64
        self._counter = 0

    def uuid(self) -> str:
        self._counter += 1
        h = "%032x" % (self._prefix | self._counter)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- what a session does -------------------------------------------------------------

    def plan(self, bot: bool) -> tuple[list[tuple[str, int]], dict]:
        """Return [(path, visible dwell ms)] of one session and facts about it."""
        rng = self.rng
        facts: dict = {"kind": None}
        if bot:
            return [("/signup", 200)] * rng.randint(1, 3), {"kind": "bot"}
        pages: list[tuple[str, int]] = []

        def view(path: str, median: float = 12, sigma: float = 0.6) -> None:
            pages.append((path, _dwell(rng, median, sigma)))

        kind = rng.choices(
            ["browse", "search", "checkout", "signup", "support"], [0.30, 0.15, 0.30, 0.12, 0.13]
        )[0]
        facts["kind"] = kind
        if kind != "signup" or rng.random() < 0.5:
            view("/")
        if kind == "browse":
            view("/products")
            for _ in range(rng.randint(1, 3)):
                view(f"/product/{rng.choice(PRODUCTS)}", 20)
        elif kind == "search":
            view("/search", 8)
            if rng.random() < 0.08:
                view("/search", 8)
            if rng.random() < 0.85:
                view(f"/product/{rng.choice(PRODUCTS)}", 20)
                if rng.random() < 0.8:
                    view("/cart", 10)
        elif kind == "checkout":
            view(f"/product/{rng.choice(PRODUCTS)}", 20)
            view("/cart", 10)
            if rng.random() < 0.05:
                view(f"/product/{rng.choice(PRODUCTS)}", 15)
                view("/cart", 8)
            if rng.random() < 0.88:
                view("/checkout", 15)
                if rng.random() < 0.06:  # back to the cart to change something, and on again
                    view("/cart", 8)
                    view("/checkout", 10)
                if rng.random() < 0.88:
                    view("/checkout/payment", 20)
                    facts["payment_at"] = len(pages) - 1
        elif kind == "signup":
            view("/signup", 20)
            if rng.random() < 0.9:
                view("/signup/verify", 15)
                if rng.random() < 0.92:
                    view("/welcome", 10)
        else:
            view("/help", 10)
            if rng.random() < 0.9:
                view(f"/help/article/{rng.choice(ARTICLES)}", 85, 0.5)
                facts["long_help"] = True
                if rng.random() < 0.35:
                    view("/help/contact", 20)
        return pages, facts

    def finish_checkout(self, pages, facts, visitor_id: str, session_id: str, ts: int) -> None:
        """Decide whether a session at /checkout/payment finishes, given any action it saw."""
        rng = self.rng
        chance = 0.35
        rule, device = EXPERIMENT_RULE, facts["device"]
        # As activate.evaluate records it: the arm by the rule's stable hash, and the candidate
        # that would be shown (the holdout sees nothing, whichever it is). The candidates get
        # equal shares, as while the proactive rule is still learning.
        arm = arm_of(visitor_id, rule, EXPERIMENT_HOLDOUT)
        pick = int(_hash01(visitor_id, f"{rule}:action") * len(EXPERIMENT_ACTIONS))
        action = EXPERIMENT_ACTIONS[pick]
        facts["exposure"] = {
            "site_id": self.site_id,
            "rule": rule,
            "action": action,
            "arm": arm,
            "visitor_id": visitor_id,
            "session_id": session_id,
            "journey": "checkout",
            "segment": device,
            "step_index": facts["payment_at"],
            "ts": ts,
        }
        chance = GOAL_RATE
        if arm == "shown" and action == HELPFUL_ACTION:
            chance = HELPED_GOAL_RATE
        if self.experiment_rng.random() < chance:
            pages.append(("/checkout/done", _dwell(rng, 8)))
            facts["done"] = True
        elif rng.random() < 0.2:  # looked for help, then gave up
            pages.append(("/help/article/payment-methods", _dwell(rng, 25)))

    # -- surveys ---------------------------------------------------------------------------

    def pulse(self, facts, visitor_id, session, locale, device, path, ts) -> list[dict]:
        rng = self.rng
        failed = facts.get("payment_at") is not None and not facts.get("done")
        mean = 2.2 if failed else 2.6 if facts.get("long_help") else 4.2
        score = max(1, min(5, round(rng.gauss(mean, 0.8))))
        return [
            self.response(
                "pulse",
                visitor_id,
                session,
                locale,
                device,
                path,
                ts,
                [{"question": "found", "type": "csat", "number": score}],
            )
        ]

    def cart_abandon(self, visitor_id, session, locale, device, ts) -> list[dict]:
        rng = self.rng
        code, _, en, zh = rng.choices(PLANTED_REASONS, [r[1] for r in PLANTED_REASONS])[0]
        answers = [{"question": "reason", "type": "single", "value": code}]
        complete = code == "just-looking" or rng.random() < 0.8  # just-looking ends it
        if complete and code != "just-looking":
            answers.append(
                {
                    "question": "ease",
                    "type": "ces",
                    "number": rng.randint(1, 3) if code == "payment" else rng.randint(3, 7),
                }
            )
            if rng.random() < 0.7:
                text = rng.choice(zh if locale == "zh-CN" else en)
                answers.append({"question": "more", "type": "text", "value": text})
        return [
            self.response(
                "cart-abandon",
                visitor_id,
                session,
                locale,
                device,
                "/checkout/payment",
                ts,
                answers,
                complete=complete,
            )
        ]

    def response(
        self, survey, visitor_id, session, locale, device, path, ts, answers, complete=True
    ) -> dict:
        row = {
            "site_id": self.site_id,
            "survey": survey,
            "version": 1,
            "client_id": self.uuid(),
            "visitor_id": visitor_id,
            "session_id": session["id"],
            "status": "complete" if complete else "partial",
            "answered": len(answers),
            "locale": locale,
            "url": self.origin + path,
            "path": path,
            "device": device.kind,
            "browser": device.browser,
            "os": device.os,
            "is_bot": 0,
            "journey": list(session["steps"]),
            "started_at": ts,
            "updated_at": ts + 5000,
            "completed_at": ts + 5000 if complete else None,
        }
        self.responses.append((row, answers))
        return row


def _hash01(visitor_id: str, salt: str) -> float:
    """Return a stable number in [0, 1) for a visitor and a salt (same as activate's arms)."""
    digest = hashlib.blake2b(f"{salt}:{visitor_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
