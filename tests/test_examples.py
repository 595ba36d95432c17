"""The example files agree with each other and with the demo shop they are written for.

``examples/`` holds the demo's surveys, journeys and activation rules and the shop they run on
(``examples/shop``). Each file is checked on its own (it validates, it loads), and then against
the others: a rule may only name surveys, questions and answer codes the surveys have, and the
journeys, surveys and rules may only send visitors to pages the shop has.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collector.demo import ShopApp
from cxlisten import activate, journeys, sites
from cxlisten.demo import SHOP_DIR, create_demo_database
from cxlisten.journeys import matches
from cxlisten.surveys import definitions
from cxlisten.surveys.catalogue import load_directory

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SURVEY_FILES = sorted((EXAMPLES / "surveys").glob("*.json"))
JOURNEY_FILES = sorted(EXAMPLES.glob("*journeys*.json"))
RULE_FILES = sorted(EXAMPLES.glob("*rules*.json"))


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _shop_pages() -> list[str]:
    """Every URL path the demo shop serves a page at (``product/mug.html`` → ``/product/mug``)."""
    pages = []
    for html in sorted(SHOP_DIR.rglob("*.html")):
        relative = html.relative_to(SHOP_DIR).with_suffix("").as_posix()
        if relative == "404":
            continue
        if relative == "index" or relative.endswith("/index"):
            relative = relative[: -len("index")].rstrip("/")
        pages.append("/" + relative)
    return pages


SHOP_PAGES = _shop_pages()
SURVEYS = {_read(p)["id"]: _read(p) for p in SURVEY_FILES}
RULES = [(path.name, rule) for path in RULE_FILES for rule in _read(path)["rules"]]


def _pages_matching(pattern: str) -> list[str]:
    return [page for page in SHOP_PAGES if matches(pattern, page)]


def test_the_examples_are_all_there():
    assert len(SURVEY_FILES) >= 5 and JOURNEY_FILES and RULE_FILES
    assert {"/", "/cart", "/checkout", "/checkout/payment", "/checkout/done"} <= set(SHOP_PAGES)
    assert all(ShopApp().resolve(page) for page in SHOP_PAGES)


# -- each file on its own --------------------------------------------------------------------


@pytest.mark.parametrize("path", SURVEY_FILES, ids=lambda p: p.name)
def test_every_survey_file_validates(path):
    raw = _read(path)
    normalised = definitions.normalise(raw)
    assert normalised["id"] == raw["id"]


@pytest.mark.parametrize("path", JOURNEY_FILES, ids=lambda p: p.name)
def test_every_journey_file_loads(db, site, path):
    names = journeys.load_journeys_file(db, site, str(path))
    assert names == [j["name"] for j in _read(path)["journeys"]]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_file_loads(db, site, path):
    journeys.load_journeys_file(db, site, str(EXAMPLES / "journeys.json"))
    assert activate.load_rules_file(db, site, str(path)) == [
        r["name"] for r in _read(path)["rules"]
    ]


# -- rules name what the surveys ask ---------------------------------------------------------


def _question(survey: str, question: str) -> dict:
    assert survey in SURVEYS, f"no example survey {survey!r}"
    found = {q["id"]: q for q in SURVEYS[survey].get("questions", [])}
    assert question in found, f"survey {survey!r} has no question {question!r}"
    return found[question]


def _codes(question: dict) -> set[str]:
    return {o["code"] for o in question.get("options", [])}


def _answer_references(rule: dict):
    """Yield (where, survey, question, codes) for every answer a rule names."""
    for i, cond in enumerate(rule.get("when", [])):
        if "answer" in cond:
            codes = [*cond.get("in", []), *([cond["equals"]] if "equals" in cond else [])]
            yield f"when.{i}", cond["answer"]["survey"], cond["answer"]["question"], codes
    spec = rule.get("then", {}).get("from_answer")
    if spec:
        yield "then.from_answer", spec["survey"], spec["question"], list(spec["map"])


ANSWER_REFERENCES = [
    (f"{name}:{rule['name']}:{where}", survey, question, codes)
    for name, rule in RULES
    for where, survey, question, codes in _answer_references(rule)
]


def test_rules_refer_to_answers():
    assert {survey for _, survey, _, _ in ANSWER_REFERENCES} >= {"cart-abandon", "what-brings-you"}


@pytest.mark.parametrize(
    "where, survey, question, codes", ANSWER_REFERENCES, ids=[r[0] for r in ANSWER_REFERENCES]
)
def test_every_answer_a_rule_names_exists_in_the_example_surveys(where, survey, question, codes):
    asked = _question(survey, question)
    if asked["type"] in ("single", "multi"):
        assert set(map(str, codes)) <= _codes(asked), f"{where}: unknown answer codes"


@pytest.mark.parametrize(
    "name, rule",
    [r for r in RULES if any("score" in c for c in r[1].get("when", []))],
    ids=lambda r: r if isinstance(r, str) else r["name"],
)
def test_every_score_a_rule_watches_is_asked_by_an_example_survey(name, rule):
    asked = {q["type"] for s in SURVEYS.values() for q in s.get("questions", [])}
    for cond in rule["when"]:
        if "score" in cond:
            assert cond["score"] in asked, f"{rule['name']}: no example survey asks {cond['score']}"


@pytest.mark.parametrize("name, rule", RULES, ids=[f"{n}:{r['name']}" for n, r in RULES])
def test_every_rule_journey_is_an_example_journey(name, rule):
    named = {j["name"] for path in JOURNEY_FILES for j in _read(path)["journeys"]}
    referenced = {rule.get("journey")} | {c["journey"] for c in rule["when"] if "journey" in c}
    assert referenced - {None} <= named


# -- everything points at pages the shop has ---------------------------------------------------


def _journey_patterns():
    for path in JOURNEY_FILES:
        for journey in _read(path)["journeys"]:
            for pattern in [*journey["steps"], journey["goal"]]:
                yield f"{path.name}:{journey['name']}:{pattern}", pattern


JOURNEY_PATTERNS = list(_journey_patterns())


@pytest.mark.parametrize("where, pattern", JOURNEY_PATTERNS, ids=[w for w, _ in JOURNEY_PATTERNS])
def test_every_journey_step_is_a_page_of_the_shop(where, pattern):
    assert _pages_matching(pattern), f"{where}: no page of examples/shop matches {pattern}"


def _survey_patterns():
    for slug, survey in SURVEYS.items():
        for pattern in survey["trigger"].get("urls", []):
            yield f"{slug}:{pattern}", pattern


SURVEY_PATTERNS = list(_survey_patterns())


@pytest.mark.parametrize("where, pattern", SURVEY_PATTERNS, ids=[w for w, _ in SURVEY_PATTERNS])
def test_every_survey_trigger_page_is_in_the_shop(where, pattern):
    assert _pages_matching(pattern), f"{where}: no page of examples/shop matches {pattern}"


def _links():
    """Yield (where, url) for every link an example survey, intervention or rule offers."""
    for slug, survey in SURVEYS.items():
        if survey.get("content", {}).get("url"):
            yield slug, survey["content"]["url"]
    for name, rule in RULES:
        then = rule["then"]
        shows = [then["show"]] if "show" in then else []
        shows += then.get("choose", []) + list(then.get("from_answer", {}).get("map", {}).values())
        for show in shows:
            if show.get("url"):
                yield f"{name}:{rule['name']}", show["url"]


LINKS = list(_links())


@pytest.mark.parametrize("where, url", LINKS, ids=[f"{w}:{u}" for w, u in LINKS])
def test_every_link_offered_to_visitors_is_a_page_of_the_shop(where, url):
    path = url.split("?", 1)[0].split("#", 1)[0]
    assert path in SHOP_PAGES, f"{where}: {url} is not a page of examples/shop"


def test_rule_conditions_on_pages_match_pages_of_the_shop():
    for name, rule in RULES:
        for cond in rule["when"]:
            for pattern in cond.get("page", []):
                assert _pages_matching(pattern), f"{name}:{rule['name']}: {pattern}"
            if "step" in cond:
                assert _pages_matching(cond["step"]), f"{name}:{rule['name']}: {cond['step']}"


# -- the demo loads all of them --------------------------------------------------------------


def test_the_demo_loads_every_example(tmp_path):
    summary = create_demo_database(str(tmp_path / "demo.db"), ["http://127.0.0.1:8001"])
    assert sorted(summary.surveys + summary.interventions) == sorted(SURVEYS)
    assert summary.journeys == [j["name"] for j in _read(EXAMPLES / "journeys.json")["journeys"]]
    assert summary.rules == [rule["name"] for name, rule in RULES if name == "rules.json"]


def test_the_example_files_load_into_any_site(db):
    """What the README tells a newcomer to run on their own site works with these files."""
    other = sites.create_site(db, "Elsewhere", ["https://elsewhere.example"])
    loaded = load_directory(db, other, EXAMPLES / "surveys")
    assert sorted(s.slug for s, _ in loaded) == sorted(SURVEYS)
    journeys.load_journeys_file(db, other, str(EXAMPLES / "journeys.json"))
    assert activate.load_rules_file(db, other, str(EXAMPLES / "rules.json"))
