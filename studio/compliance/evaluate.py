"""Precision and recall of the checker on a labelled set of lines (tests/data/claims/labelled.tsv).

Each row is ``label<TAB>lang<TAB>text``; the label is ``none`` or the comma-separated classes the
line makes. A line is checked as a looping live show would speak it (``looped=True``), so the
false-urgency templates count. A class is predicted for a line when any finding of that class is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studio.compliance.checker import Checker
from studio.compliance.rules import CLASSES
from studio.errors import InputError
from studio.translation import tr


@dataclass(frozen=True)
class Labelled:
    classes: frozenset[str]
    lang: str
    text: str


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Scores:
    per_class: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CLASSES})
    overall: Counts = field(default_factory=Counts)  # a line flagged or not, whatever the class
    misses: list[tuple[Labelled, frozenset[str]]] = field(default_factory=list)  # (line, predicted)


def read_labelled(path: Path) -> list[Labelled]:
    rows = []
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        parts = row.split("\t")
        classes = frozenset() if parts[0] == "none" else frozenset(parts[0].split(","))
        if len(parts) != 3 or not classes <= set(CLASSES):
            raise InputError(
                tr("{path}:{number}: expected 'label<TAB>lang<TAB>text' with known classes.").format(
                    path=path, number=number
                ),
                tr("Labels are none or some of: {classes}.").format(classes=", ".join(CLASSES)),
            )
        rows.append(Labelled(classes, parts[1], parts[2]))
    return rows


def score(rows: Iterable[Labelled], checker: Checker | None = None) -> Scores:
    checker = checker or Checker()
    scores = Scores()
    for row in rows:
        predicted = frozenset(f.rule.klass for f in checker.check(row.text, looped=True))
        for klass, counts in scores.per_class.items():
            truth, guess = klass in row.classes, klass in predicted
            counts.tp += truth and guess
            counts.fp += guess and not truth
            counts.fn += truth and not guess
        truth, guess = bool(row.classes), bool(predicted)
        scores.overall.tp += truth and guess
        scores.overall.fp += guess and not truth
        scores.overall.fn += truth and not guess
        if predicted != row.classes:
            scores.misses.append((row, predicted))
    return scores
