"""Sentences the library words as messages (cxlisten.results.Message): English as a string,
another locale on request, and the same after a cache or JSON."""

from __future__ import annotations

import json
import pickle

from cxlisten.phrasebook import PHRASES
from cxlisten.results import Message, to_json


def test_a_message_reads_as_its_english_and_says_itself_in_chinese():
    element = Message("evidence.element.named", text="Pay", noun=Message("evidence.noun.button"))
    line = Message("evidence.rage", share="20%", element=element, step="/checkout/payment")
    assert line == "20% of sessions rage-clicked the *Pay* button on /checkout/payment"
    assert line.say("zh-CN") == "20% 的会话在 /checkout/payment 上连续猛点“Pay”按钮"
    assert line.say("en") == str(line)
    assert json.dumps(to_json({"evidence": (line,)})) == json.dumps({"evidence": [str(line)]})
    back = pickle.loads(pickle.dumps(line))
    assert back.key == "evidence.rage" and back.say("zh-CN") == line.say("zh-CN")


def test_a_list_of_reasons_is_joined_in_each_language():
    problems = (
        Message("why.attributes.lacks", name="plan"),
        Message("why.attributes.has", name="vip"),
    )
    reasons = Message("why.list", items=problems)
    assert reasons == "lacks plan; has vip"
    assert reasons.say("zh-CN") == "缺少 plan; 具有 vip"


def test_every_evidence_and_why_message_has_chinese():
    keys = [k for k in PHRASES if k.startswith(("evidence.", "why."))]
    assert len(keys) > 40
    assert all(PHRASES[k].get("zh-CN") for k in keys)
