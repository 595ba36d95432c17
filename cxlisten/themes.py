"""Open-text themes: group free-text answers, in English and Chinese, into a few named themes.

Each answer becomes a set of terms: English is lower-cased, split into words, stripped of stop
words and light suffixes (``failed``/``failing`` → ``fail``), and adjacent words also form
two-word terms (``shipping cost``); Chinese is segmented into words with jieba, and adjacent
words pair up the same way. Themes are then picked greedily: the term found in the most answers
not yet grouped takes those answers as a theme; repeat until the next term is rarer than
``min_share`` of the answers. The theme is named by a two-word term holding that word when most
of its answers share it, so it reads "shipping cost" rather than "ship". What is left is "other".

Each theme comes with its share and example quotes — the answers that carry most of the theme's
frequent terms — so an analyst sees the reason in the visitors' own words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter

__all__ = ["themes", "terms", "is_chinese"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9][a-z0-9']*")
_EN_STOP = frozenset(
    """
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing don't down during each even ever few
for from further get got had has have having he her here hers him his how i i'm if in into is
isn't it it's its just me more most my no nor not of off on once only or other our out over
own really same she should so some such than that the their them then there these they this
those through to too under until up very was wasn't we were what when where which while who
why will with would you your yours ive id im dont didnt wasnt cant couldnt thing things
one two lot way much many still already again yet get got
""".split()
)
_ZH_STOP = frozenset(
    """
的 了 是 我 你 他 她 它 们 在 就 都 也 很 太 还 和 与 或 又 被 把 给 让 对 从 到 向 吗 呢 吧 啊 呀
哦 嗯 这 那 这个 那个 一个 有 没 没有 不 就是 还是 但是 因为 所以 如果 而且 然后 可以 可能 一下
我们 你们 他们 什么 怎么 为什么 觉得 感觉 有点 一直 一些 非常 比较 已经 时候 东西
""".split()
)
_jieba = None
_jieba_lock = threading.Lock()


def is_chinese(text: str) -> bool:
    """Return whether TEXT is mostly Chinese (CJK characters outnumber Latin letters)."""
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= sum(c.isascii() and c.isalpha() for c in text) / 3


def _segment(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba.lcut(text)


def _stem(word: str) -> str:
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
        if len(word) > 3 and word[-1] == word[-2]:
            word = word[:-1]  # shipping → ship, stopped → stop
        return word
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if len(word) > 3 and word[-1] == word[-2]:
            word = word[:-1]
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def terms(text: str, surface: dict | None = None) -> set[str]:
    """Return the terms (words and adjacent word pairs) of one answer.

    SURFACE, if given, collects {term: Counter(original spellings)} for readable labels.
    """
    words: list[tuple[str, str]] = []  # (term, spelling)
    if is_chinese(text):
        for token in _segment(text):
            token = token.strip().lower()
            if not token or token in _ZH_STOP:
                continue
            if _CJK.search(token):
                if len(token) >= 2 or words:  # single characters only as part of a pair
                    words.append((token, token))
            elif _WORD.fullmatch(token) and token not in _EN_STOP and len(token) > 1:
                words.append((_stem(token), token))
    else:
        for token in _WORD.findall(text.lower()):
            token = token.strip("'")
            if token and token not in _EN_STOP and len(token) > 1 and not token.isdigit():
                words.append((_stem(token), token))
    out: set[str] = set()
    for i, (term, spelling) in enumerate(words):
        if len(term) >= 2:
            out.add(term)
            if surface is not None:
                surface.setdefault(term, Counter())[spelling] += 1
        if i + 1 < len(words):
            nxt_term, nxt_spelling = words[i + 1]
            joiner = "" if _CJK.search(term) else " "
            pair = term + joiner + nxt_term
            out.add(pair)
            if surface is not None:
                surface.setdefault(pair, Counter())[spelling + joiner + nxt_spelling] += 1
    return {t for t in out if len(t) >= 2}


def themes(
    texts: list[str],
    *,
    top: int = 8,
    min_share: float = 0.03,
    examples: int = 3,
    min_count: int = 2,
) -> dict:
    """Group TEXTS into themes; return {"answers", "themes": [...], "other": {...}}.

    Each theme: ``{"theme": label, "terms": [...], "count", "share", "examples": [...]}``.
    """
    items = [t.strip() for t in texts if t and t.strip()]
    surface: dict[str, Counter] = {}
    bags = [terms(t, surface) for t in items]
    remaining = set(range(len(items)))
    floor = max(min_count, min_share * len(items))
    found = []
    while remaining and len(found) < top:
        df: Counter = Counter()
        for i in remaining:
            df.update(bags[i])
        if not df:
            break
        best, best_n = max(df.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        if best_n < floor:
            break
        members = [i for i in remaining if best in bags[i]]
        remaining -= set(members)
        co = Counter()
        for i in members:
            co.update(bags[i])
        # Name the theme by a longer term holding its word when most answers share it
        # ("shipping cost" rather than "ship").
        name = best
        for term, n in co.most_common(30):
            if best in term and term != best and n >= 0.5 * len(members):
                name = term
                break
        related = [
            t
            for t, n in co.most_common(12)
            if t != best and t != name and t not in name and n >= 0.3 * len(members)
        ]
        label = surface[name].most_common(1)[0][0] if name in surface else name
        key_terms = [name, *related[:3]]

        def centrality(i, key_terms=key_terms):
            return (-sum(t in bags[i] for t in key_terms), len(items[i]))

        quotes, seen = [], set()
        for i in sorted(members, key=centrality):
            if items[i].lower() not in seen:
                seen.add(items[i].lower())
                quotes.append(items[i][:280])
            if len(quotes) == examples:
                break
        found.append(
            {
                "theme": label,
                "terms": key_terms,
                "count": len(members),
                "share": round(len(members) / len(items), 4),
                "examples": quotes,
            }
        )
    rest = sorted(remaining)
    return {
        "answers": len(items),
        "themes": found,
        "other": {
            "count": len(rest),
            "share": round(len(rest) / len(items), 4) if items else 0,
            "examples": list(dict.fromkeys(items[i][:280] for i in rest))[:examples],
        },
    }
