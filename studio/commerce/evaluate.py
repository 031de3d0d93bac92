"""Scoring ``answer`` on a labelled question set (``assets/demo_catalog/questions.tsv``).

A question is answered right when the answer rests on one of the passages its label names
(``mug/fact/2``, ``mug/faq/1``, ``mug/price``), or when it is labelled ``none`` or ``declined`` and
the host says it will check (either way: neither gives an answer). Apart from accuracy, every
answer is checked for invented facts: a number that its product's catalogue entry does not state,
or words said as a fact that are not the catalogue's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from studio.commerce.answer import DECLINED, NOT_ANSWERED, Answer, answer
from studio.commerce.catalog import Catalog, spoken_texts
from studio.commerce.grounding import unsupported_numbers
from studio.errors import InputError
from studio.storage.text_file import read_text
from studio.translation import tr

NO_ANSWER = ("none", "declined")
_COLUMNS = ["split", "lang", "product", "expect", "question"]


@dataclass(frozen=True)
class Question:
    split: str
    lang: str
    product: str | None
    expect: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Result:
    question: Question
    answer: Answer
    correct: bool
    invented: str  # why the answer states something the catalogue does not; "" when it does not


def read_questions(path: Path) -> list[Question]:
    rows = [line for line in read_text(path, tr("the question set"), "--set").splitlines() if line.strip()]
    rows = [line for line in rows if not line.startswith("#")]
    if not rows or rows[0].split("\t") != _COLUMNS:
        raise InputError(
            tr("{path} does not start with the header {header}.").format(
                path=path, header=" ".join(_COLUMNS)
            ),
            tr("Tab-separate it."),
        )
    questions = []
    for number, line in enumerate(rows[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(_COLUMNS):
            raise InputError(
                tr("{path}, row {number} has {cells} cells, not {columns}.").format(
                    path=path, number=number, cells=len(cells), columns=len(_COLUMNS)
                ),
                tr("Use tabs."),
            )
        split, lang, product, expect, text = cells
        questions.append(
            Question(split, lang, None if product == "-" else product, tuple(expect.split(",")), text)
        )
    return questions


def score(catalog: Catalog, questions: Iterable[Question]) -> list[Result]:
    results = []
    for q in questions:
        got = answer(catalog, q.text, q.product)
        if q.expect[0] in NO_ANSWER:
            correct = not got.answered
        else:
            correct = bool(got.sources) and got.sources[0] in q.expect
        results.append(Result(q, got, correct, invented(catalog, got)))
    return results


def invented(catalog: Catalog, got: Answer) -> str:
    """Why ``got`` states something ``catalog`` does not, or ``""``."""
    if not got.answered:
        fixed = (NOT_ANSWERED[got.language], DECLINED[got.language])
        return "" if got.text in fixed else f"a no-answer that says more: {got.text!r}"
    entry = [t for pid, _, t in spoken_texts(catalog) if pid == got.product]
    product = catalog.product(got.product) if got.product else None
    known = [*entry, *([product.price_text()] if product else [])]
    outside = [fact for fact in got.facts if fact not in known]
    if outside:
        return f"said as a fact but not in the catalogue: {outside[0]!r}"
    numbers = unsupported_numbers(got.text, known)
    if numbers:
        return f"states {format(numbers[0], 'f')}, which the catalogue does not"
    return ""


def accuracy(results: list[Result]) -> float:
    return sum(r.correct for r in results) / len(results) if results else 0.0
