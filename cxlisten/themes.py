"""Open-text themes: group free-text answers (English, Chinese) into named complaints and praise.

A theme names what went wrong or right, so an analyst can paste it into a ticket: an aspect with
its opinion ("房间小", "服务态度差", "shipping cost was too high", "poor customer service") or a
negated word kept whole ("doesn't work", "not good", "不干净"). An opinion alone ("great",
"不错") names nothing, and bare topics ("酒店", "phone", "horror film") and function words
("不是", "like") are never candidates. The phrases and aspects of each answer come from
``cxlisten.themes_phrases``.

A theme about an aspect holds every answer that complains about that aspect (or praises it),
not only those that say so beside the aspect's name: an answer whose opinions sum below 0
complains about each aspect named in a sentence that complains. Opinions against the answer's
own tone are not what it is about (the praise in "a good player at first, then it broke").
Themes are picked greedily: the key (an aspect with its direction, or a negation) that reaches
the most answers not yet grouped makes a theme; ties go to the more specific phrase, then the
alphabetically first, so the result is the same under any hash seed. Repeat until the next key
reaches fewer than ``min_share`` of the answers. Then each answer joins one theme: the first
that it names in so many words, else the one about its most specific aspect. A theme about an
aspect is named by the aspect and the opinion most of its answers give it ("酒店不错", "bad
software"); another by the phrase as most of its answers write it. A theme is a complaint or
praise by the polarity of its phrase, or, for an aspect without an opinion, by the answers it
holds; ``only="complaint"`` keeps complaints.

Answers still in no theme (the lexicons know no opinion in them, or none that made a theme)
join the theme whose words they share (``_join``): each word has come to mean the theme holding
more than half of the grouped answers that use it; a complaint never joins praise, nor praise a
complaint; repeated until no answer moves. What shares no word with a theme is "other".
"""

from __future__ import annotations

import copy
from collections import Counter
from functools import lru_cache

from cxlisten.themes_phrases import (
    _WORD,
    _Phrase,
    _stem,
    analyse,
    aspect_name,
    is_chinese,
    opinion_of,
    polarity,
    terms,
)

__all__ = ["themes", "terms", "is_chinese", "polarity"]


def _bags(items: list[str]):
    """Return each answer's phrases by key, how often each key is spelt each way, the aspect
    keys each answer complains about (or praises) anywhere in it, and what it talks about,
    opinions aside: its aspects and its phrases that are no opinion alone ("房间", "apex dvd",
    "没有驱动"), the words answers share where the lexicons know no opinion."""
    bags: list[dict[str, _Phrase]] = []
    spellings: dict[str, Counter] = {}
    mentions: list[set] = []
    opinions: list[set[tuple[str, str]]] = []
    words: list[set[str]] = []
    for text in items:
        bag: dict[str, _Phrase] = {}
        phrases, aspects, said_of = analyse(text)
        tone = sum(p[2] for p in phrases if p[3] != 1)
        for phrase in phrases:
            # An opinion against the answer's own tone is not what it is about: the praise in
            # "a good player at first, then it broke and support never answered".
            if phrase[2] * tone >= 0:
                bag.setdefault(phrase[0], phrase)
                spellings.setdefault(phrase[0], Counter())[phrase[1]] += 1
        bags.append(bag)
        # An aspect a sentence complains about (or praises), in an answer that does so
        # overall: "房间-" for "房间的地毯很脏…失望" as for "房间小".
        about = {(k, o) for k, o in said_of if (k[-1] == "-") == (tone < 0)} if tone else set()
        opinions.append(about)
        mentions.append({k for k, _ in about})
        words.append({k for k, p in bag.items() if p[3] != 0} | aspects)
    return bags, spellings, mentions, words, opinions


def _counts(bags: list[dict[str, _Phrase]]) -> tuple[Counter, dict[str, int]]:
    """Return in how many answers each key is, and each key's specificity."""
    df: Counter = Counter()
    kind: dict[str, int] = {}
    for bag in bags:
        for key, phrase in bag.items():
            df[key] += 1
            kind[key] = max(kind.get(key, 0), phrase[3])
    return df, kind


def _spelt(spellings: dict[str, Counter], key: str) -> str:
    """Return the most frequent spelling of KEY."""
    return min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _name(key: str, members: list[int], bags, spellings, opinions) -> str:
    """Return the name of the theme of KEY.

    A theme about an aspect is named by the aspect and what most of its answers say of it in
    the aspect's own sentences ("房间小", "酒店不错", "useless software", "software crashes"): a
    phrase one answer wrote would not speak for the rest. Any other theme, by how most of its
    answers that say it write it ("doesn't work", "不干净").
    """
    written = Counter(bags[i][key][1] for i in members if key in bags[i])
    spelt, n = min(written.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
    if key[-1] not in "-+":
        return spelt or _spelt(spellings, key)
    # What its answers say of the aspect in its sentences, and twice what they wrote beside it.
    said = Counter(opinion_of(bags[i][key]) for i in members if key in bags[i])
    said.pop("", None)
    said.update(o for i in members for k, o in opinions[i] if k == key)
    word, m = min(said.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
    if m > n:  # (of as many, the phrase as written: "价格不便宜" rather than "价格差")
        return aspect_name(key[:-1], written, word)
    return spelt or _spelt(spellings, key)


def _key_terms(best: str, members: list[int], bags, spellings) -> list[str]:
    """Return the theme's name key followed by up to three keys its answers share."""
    co: Counter = Counter()
    for i in members:
        co.update(k for k in bags[i] if k != best)
    related = [
        t
        for t, n in sorted(co.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= 0.3 * len(members) and t in spellings
    ]
    # Name the theme by a longer phrase holding its key when most of its answers share it
    # ("payment failed" rather than "failed").
    name = best
    for term in related:
        longer = best in term or any(best in spelt for spelt in spellings[term])
        if longer and co[term] >= 0.5 * len(members):
            name = term
            break
    return [name, *[t for t in [best, *related] if t != name][:3]]


def _quotes(members: list[int], items: list[str], bags, key_terms: list[str], examples: int):
    """Return up to EXAMPLES distinct answers, those holding most key terms first."""

    def centrality(i):
        return (-sum(t in bags[i] for t in key_terms), len(items[i]), items[i])

    quotes, seen = [], set()
    for i in sorted(members, key=centrality):
        if items[i].lower() not in seen:
            seen.add(items[i].lower())
            quotes.append(items[i][:280])
        if len(quotes) == examples:
            break
    return quotes


def _assign(seeds: list[str], bags, mentions) -> list[list[int]]:
    """Return the answers of each theme (by its key in SEEDS): each answer goes to one at most.

    An answer belongs to a theme if it holds the theme's key: its phrase, or, for a theme about
    an aspect ("房间小": key "房间-"), a complaint (praise) about that aspect in other words,
    anywhere in it. Of several, the answer goes to the first found that it names in so many
    words, else to the most specific aspect (the key fewest answers hold: "前台" before "酒店").
    """
    order = {key: t for t, key in enumerate(seeds)}
    held: Counter = Counter()
    for bag, mentioned in zip(bags, mentions, strict=True):
        held.update(k for k in bag.keys() | mentioned if k in order)
    members: list[list[int]] = [[] for _ in seeds]
    for i, (bag, mentioned) in enumerate(zip(bags, mentions, strict=True)):
        about = [k for k in bag.keys() | mentioned if k in order]
        if about:
            key = min(about, key=lambda k: (k not in bag, 0 if k in bag else held[k], order[k]))
            members[order[key]].append(i)
    return members


class _Owners:
    """Which theme each word has come to mean, for answers of each direction: of the grouped
    answers using the word, in themes an answer of that direction may join, the theme that holds
    more than half (and at least 2). Kept up to date as answers join."""

    def __init__(self, grouped: list[list[int]], words: list[set[str]], sign: list[int]):
        self.sign = sign
        self.by: dict[str, dict[int, int]] = {}  # word → theme → grouped answers using it
        self.owner: dict[tuple[str, int], int] = {}  # (word, direction -1/0/+1) → theme
        touched: set[str] = set()
        for t, members in enumerate(grouped):
            touched |= self._count(members, t, words)
        self._settle(touched)

    def add(self, members, t: int, words: list[set[str]]) -> set[str]:
        """Count MEMBERS into theme T; return the words whose owner changed."""
        return self._settle(self._count(members, t, words))

    def _count(self, members, t: int, words: list[set[str]]) -> set[str]:
        touched = set()
        for i in members:
            for word in words[i]:
                counts = self.by.get(word)
                if counts is None:
                    counts = self.by[word] = {}  # (a plain dict: 10x cheaper to make)
                counts[t] = counts.get(t, 0) + 1
                touched.add(word)
        return touched

    def _settle(self, touched: set[str]) -> set[str]:
        changed = set()
        for word in touched:
            counts = self.by[word]
            for direction in (-1, 0, 1):
                # An answer with no opinion (direction 0) may join any theme; a complaint, no
                # praise theme; praise, no complaint theme.
                best, most, total = None, 0, 0
                for theme, n in counts.items():
                    if direction * self.sign[theme] >= 0:
                        total += n
                        if n > most or n == most and theme < best:
                            best, most = theme, n
                owner = best if most >= 2 and 2 * most > total else None
                if self.owner.get((word, direction)) != owner:
                    changed.add(word)
                    if owner is None:
                        del self.owner[word, direction]
                    else:
                        self.owner[word, direction] = owner
        return changed


def _join(grouped: list[list[int]], words: list[set[str]], tone: list[float], sign: list[int]):
    """Let each answer in no theme join the theme that one of its words has come to mean.

    The lexicons miss many opinions ("won't fit in the dock", "床单上有黑迹"), so an answer
    with no opinion in a theme's words still shares its aspect with the theme's answers. It
    joins the theme that holds most answers using that word (``_Owners``), never one of the
    opposite direction (a praise answer joins no complaint); of several words, the one fewest
    answers use. Repeated until no answer moves: an answer that joined lends its words to the
    next round, so a chain of answers sharing words ends in one theme. What shares no word
    with a theme stays "other".
    """
    df = Counter(word for ws in words for word in ws)
    ungrouped = set(range(len(words))) - {i for members in grouped for i in members}
    using: dict[str, list[int]] = {}  # the answers in no theme that use each word
    for i in sorted(ungrouped):
        for word in words[i]:
            using.setdefault(word, []).append(i)
    owners = _Owners(grouped, words, sign)
    via: list[Counter] = [Counter() for _ in grouped]  # the words answers joined each theme by
    changed = {word for word, _ in owners.owner}
    while changed:
        moved: dict[int, list[int]] = {}
        for i in sorted({i for w in changed for i in using.get(w, ()) if i in ungrouped}):
            direction = (tone[i] > 0) - (tone[i] < 0)
            owned = [(df[w], w) for w in words[i] if (w, direction) in owners.owner]
            if owned:
                word = min(owned)[1]
                moved.setdefault(owners.owner[word, direction], []).append(i)
                via[owners.owner[word, direction]][word] += 1
        changed = set()
        for t, members in sorted(moved.items()):
            grouped[t].extend(members)
            ungrouped.difference_update(members)
            changed |= owners.add(members, t, words)
    return grouped, via


def _joined_by(via: Counter, members: list[int], items, spellings) -> list[str]:
    """Return how the two words most answers joined a theme by are written (the word itself;
    for an English stem, its most frequent spelling in the theme's answers: "softwar" →
    "software"), so the theme's terms say what its answers have in common."""
    out = []
    for word, _ in sorted(via.items(), key=lambda kv: (-kv[1], kv[0]))[:2]:
        if word in spellings:
            out.append(_spelt(spellings, word))
        elif is_chinese(word):
            out.append(word)
        else:
            spelt = Counter(
                token
                for i in members
                for token in _WORD.findall(items[i].lower())
                if token.startswith(word[:-1]) and _stem(token) == word  # (the cheap test first)
            )
            out.append(min(spelt.items(), key=lambda kv: (-kv[1], kv[0]))[0] if spelt else word)
    return out


def _seeds(bags, mentions, spellings, kind, top: int, floor: float) -> list[str]:
    """Return up to TOP theme keys, each the one most answers not yet grouped are about (at
    least FLOOR of them), said word for word by some answer."""
    remaining = set(range(len(bags)))
    # What each answer is about: its phrases, and the aspects it complains about or praises.
    reach = [bag.keys() | m for bag, m in zip(bags, mentions, strict=True)]
    df = Counter(k for keys in reach for k in keys)  # kept to the answers not yet grouped
    seeds: list[str] = []
    while df and len(seeds) < top:
        # Said so by some answer, with an opinion: an aspect with what is said of it, or a
        # negation. An opinion alone ("great", "不错") names nothing; a topic, no opinion.
        named = ((k, n) for k, n in df.items() if k in spellings and kind[k] >= 2)
        order = lambda kv: (-kv[1], -kind[kv[0]], -len(kv[0]), kv[0])  # noqa: E731
        pick = min(named, key=order, default=None)
        if pick is None or pick[1] < floor:
            break
        members = [i for i in sorted(remaining) if pick[0] in reach[i]]
        remaining -= set(members)
        for i in members:
            for key in reach[i]:
                df[key] -= 1
                if not df[key]:
                    del df[key]
        seeds.append(pick[0])
    return seeds


THEMES_CACHE = 32  # answer lists whose themes are kept: a results page asks again on each visit


def themes(
    texts: list[str],
    *,
    top: int = 12,
    min_share: float = 0.005,
    examples: int = 3,
    min_count: int = 2,
    only: str | None = None,
) -> dict:
    """Group TEXTS into themes; return {"answers", "themes": [...], "other": {...}}.

    Each theme: ``{"theme": label, "polarity": "complaint"|"praise"|"neutral", "terms": [...],
    "count", "said", "share", "examples": [...]}``: ``count`` answers are about it, ``said`` of
    them in its own words (the rest joined it by the words they share with it). ONLY="complaint"
    (or "praise") keeps only those.
    """
    items = tuple(t.strip() for t in texts if t and t.strip())
    found = copy.deepcopy(_themes(items, top, min_share, examples, min_count))
    if only:
        found["themes"] = [t for t in found["themes"] if t["polarity"] == only]
    return found


@lru_cache(maxsize=THEMES_CACHE)
def _themes(items: tuple[str, ...], top: int, min_share: float, examples: int, min_count: int):
    """Return the themes of ITEMS (the same answers give the same themes: kept, copied out)."""
    bags, spellings, mentions, words, opinions = _bags(items)
    tone = [sum(p[2] for p in bag.values() if p[3] != 1) for bag in bags]
    kind = _counts(bags)[1]
    seeds = _seeds(bags, mentions, spellings, kind, top, max(min_count, min_share * len(items)))
    kept = [
        (best, members)
        for best, members in zip(seeds, _assign(seeds, bags, mentions), strict=True)
        if len(members) >= min_count
    ]
    sign = []
    for best, members in kept:
        own = sum(bags[i][best][2] for i in members if best in bags[i])
        mood = own if own and kind[best] != 1 else sum(tone[i] for i in members)
        sign.append((mood > 0) - (mood < 0))
    named = [members for _, members in kept]  # the answers that say it, before any join
    grouped, via = _join([list(members) for members in named], words, tone, sign)
    remaining = set(range(len(items))) - {i for members in grouped for i in members}
    found = []
    ranked = sorted(range(len(kept)), key=lambda t: -len(grouped[t]))
    for t in ranked:  # (a stable sort: ties keep the order they were found in)
        key_terms = _key_terms(kept[t][0], named[t], bags, spellings)
        terms = [_spelt(spellings, k) for k in key_terms]
        terms += _joined_by(via[t], grouped[t], items, spellings)
        found.append(
            {
                "theme": _name(key_terms[0], named[t], bags, spellings, opinions),
                "polarity": "complaint" if sign[t] < 0 else "praise" if sign[t] > 0 else "neutral",
                "terms": list(dict.fromkeys(terms)),
                "count": len(grouped[t]),
                "said": len(named[t]),
                "share": round(len(grouped[t]) / len(items), 4),
                "examples": _quotes(grouped[t], items, bags, key_terms, examples),
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
