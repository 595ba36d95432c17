"""What a survey's report counts of its responses, in parts that merge: a day's parts are kept.

A report (``cxlisten.deepdive.summarise``, the console's results page) reads its responses as
*cells*: the responses of one UTC day that share a version, device, locale, channel and status,
and a group: counted once by new/returning flag (every figure reads these) and once by page
path (the cross-tab by journey step), a ``Tally``. A cell holds how many responses it has, how
many answered, and per question how many answers, the count of each number given, the count of
each option
code chosen and the first response (by id) that gave each: all that the report's figures need
besides the open texts, which are read apart (they are personal and are never kept). Cells of
different days or of different values merge by adding, so a month of results merges the cells
of thirty days (``cxlisten.results_days`` keeps each finished day's), a filter on any of those
values is a choice of cells, and the report's order of first appearance (ties between options,
the order of the cross-tab groups) is kept by the first response ids.

A cell made from a day's rows and a cell read back from its JSON are the same cell: the JSON
holds every field exactly (numbers as JSON floats, which read back as the same floats).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "Cell",
    "Question",
    "Tally",
    "cells_of",
    "codes",
    "fits",
    "from_json",
    "merged",
    "to_json",
]

DAY_MS = 86_400_000
TEXT = "text"
CHOICE_TYPES = ("single", "multi")


@lru_cache(maxsize=4096)
def codes(value: str) -> tuple[str, ...]:
    """Return the option codes of a choice answer's VALUE (a JSON list or "a,b")."""
    # Remembered per value: a question's answers hold a few distinct choices, read thousands
    # of times per report.
    if value.startswith("["):
        try:
            return tuple(str(v) for v in json.loads(value))
        except ValueError:
            pass
    return tuple(v for v in value.split(",") if v)


class Question:
    """One question's answers in a cell (or in cells merged)."""

    __slots__ = ("n", "first", "types", "numbers", "codes")

    def __init__(self, first: int) -> None:
        self.n = 0
        self.first = first  # the first response (by id) that answered it
        self.types: set[str] = set()  # the answers' stored types
        self.numbers: dict[float, int] = {}  # number given -> how many gave it
        self.codes: dict[str, list] = {}  # option code -> [count, (response id, position)]

    def add(self, response_id: int, answer: dict, every_code: bool) -> None:
        """Count ANSWER of response RESPONSE_ID (the option codes of a choice answer, or with
        EVERY_CODE of any)."""
        self.n += 1
        self.types.add(answer["type"])
        number = answer["number"]
        if number is not None:
            self.numbers[number] = self.numbers.get(number, 0) + 1
        if every_code or answer["type"] in CHOICE_TYPES:
            for i, code in enumerate(codes(answer["value"] or "")):
                seen = self.codes.get(code)
                if seen is None:
                    self.codes[code] = [1, (response_id, i)]
                else:
                    seen[0] += 1

    def merge(self, other: Question) -> None:
        self.n += other.n
        if other.first < self.first:
            self.first = other.first
        self.types |= other.types
        numbers = self.numbers
        for v, k in other.numbers.items():
            numbers[v] = numbers.get(v, 0) + k
        mine = self.codes
        for code, (count, first) in other.codes.items():
            seen = mine.get(code)
            if seen is None:
                mine[code] = [count, first]
            else:
                seen[0] += count
                if first < seen[1]:
                    seen[1] = first

    def code_counts(self) -> dict[str, int]:
        """Return {code: count} in the order the codes were first chosen."""
        ordered = sorted(self.codes.items(), key=lambda item: item[1][1])
        return {code: count for code, (count, _) in ordered}

    def number_list(self) -> list[float]:
        """Return the numbers given (in no order: every figure of them is order-free)."""
        out: list[float] = []
        for v, k in self.numbers.items():
            out += [v] * k
        return out


class Cell:
    """The responses of one day that share every value a filter reads, and a GROUP (the
    new/returning flag or the page path, by the ``Tally`` list the cell is in)."""

    __slots__ = (
        "day", "version", "device", "locale", "channel", "status", "group", "n", "answered",
        "questions",
    )  # fmt: skip

    def __init__(self, day, version, device, locale, channel, status, group) -> None:
        self.day, self.version, self.device, self.locale = day, version, device, locale
        self.channel, self.status, self.group = channel, status, group
        self.n = 0
        self.answered = 0
        self.questions: dict[str, Question] = {}

    @property
    def key(self) -> tuple:
        return (
            self.day, self.version, self.device, self.locale, self.channel, self.status,
            self.group,
        )  # fmt: skip


@dataclass
class Tally:
    """Responses counted twice over: in cells by new/returning (every figure but one reads
    these) and in cells by page path (the cross-tab by journey step)."""

    by_visitor: list[Cell] = field(default_factory=list)
    by_path: list[Cell] = field(default_factory=list)

    def __iadd__(self, other: Tally) -> Tally:
        self.by_visitor += other.by_visitor
        self.by_path += other.by_path
        return self

    def where(self, kept) -> Tally:
        """Return the cells KEPT(cell) keeps."""
        return Tally([c for c in self.by_visitor if kept(c)], [c for c in self.by_path if kept(c)])

    def days(self) -> dict[int, Tally]:
        """Return {day: its cells}."""
        out: dict[int, Tally] = {}
        for name in ("by_visitor", "by_path"):
            for cell in getattr(self, name):
                getattr(out.setdefault(cell.day, Tally()), name).append(cell)
        return out


def cells_of(
    responses: list[dict], answers_of: dict[int, dict[str, dict]], *, every_code: bool = False
) -> Tally:
    """Return the cells of RESPONSES (oldest id first) with their ANSWERS_OF by response id.

    EVERY_CODE: read option codes from every answer (for a definition that asks as a choice a
    question some version asked otherwise); kept cells never need it (``fits`` says so).
    """
    by_visitor: dict[tuple, Cell] = {}
    by_path: dict[tuple, Cell] = {}
    for r in responses:
        base = (
            r["started_at"] // DAY_MS,
            r["version"],
            r["device"],
            r["locale"],
            r["channel"] or "web",
            r["status"],
        )
        rid, answered, answers = r["id"], r["answered"] > 0, answers_of[r["id"]]
        for cells, group in ((by_visitor, 1 if r["is_returning"] else 0), (by_path, r["path"])):
            key = (*base, group)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = Cell(*key)
            cell.n += 1
            cell.answered += answered
            questions = cell.questions
            for qid, answer in answers.items():
                question = questions.get(qid)
                if question is None:
                    question = questions[qid] = Question(rid)
                question.add(rid, answer, every_code)
    return Tally(list(by_visitor.values()), list(by_path.values()))


def merged(cells: list[Cell], question: str) -> Question | None:
    """Return QUESTION's answers over CELLS merged (None: none answered it)."""
    out = None
    for cell in cells:
        part = cell.questions.get(question)
        if part is None:
            continue
        if out is None:
            out = Question(part.first)
        out.merge(part)
    return out


def fits(definition: dict, tally: Tally) -> bool:
    """Whether TALLY (made without ``every_code``) holds all DEFINITION's questions need: a
    choice question's codes (read from choice answers alone) and a text question's texts (read
    for text answers alone)."""
    for q in definition["questions"]:
        kinds = set()
        for cell in tally.by_visitor:
            part = cell.questions.get(q["id"])
            if part is not None:
                kinds |= part.types
        if q["type"] in CHOICE_TYPES and kinds - set(CHOICE_TYPES):
            return False
        if q["type"] == TEXT and kinds - {TEXT}:
            return False
    return True


def _cells_json(cells: list[Cell]) -> list:
    return [
        [
            list(c.key),
            c.n,
            c.answered,
            {
                qid: [
                    q.n,
                    q.first,
                    sorted(q.types),
                    [[v, k] for v, k in q.numbers.items()],
                    [[code, k, *first] for code, (k, first) in q.codes.items()],
                ]
                for qid, q in c.questions.items()
            },
        ]
        for c in cells
    ]


def to_json(tally: Tally) -> str:
    """Return TALLY as JSON text (``from_json`` reads it back the same)."""
    return json.dumps(
        [_cells_json(tally.by_visitor), _cells_json(tally.by_path)], separators=(",", ":")
    )


def _cells(items: list) -> list[Cell]:
    cells = []
    for key, n, answered, questions in items:
        cell = Cell(*key)
        cell.n, cell.answered = n, answered
        for qid, (count, first, types, numbers, choices) in questions.items():
            q = cell.questions[qid] = Question(first)
            q.n, q.types = count, set(types)
            q.numbers = {v: k for v, k in numbers}
            q.codes = {code: [k, (rid, i)] for code, k, rid, i in choices}
        cells.append(cell)
    return cells


def from_json(text: str) -> Tally:
    """Return the tally of JSON TEXT made by ``to_json``."""
    by_visitor, by_path = json.loads(text)
    return Tally(_cells(by_visitor), _cells(by_path))
