"""The claims checker: which rules a line breaks, and where."""

from __future__ import annotations

from dataclasses import dataclass

from studio.compliance.normalize import fold
from studio.compliance.rules import Rule, RuleSet, default_rules
from studio.translation import tr

LANGUAGE_CHOICES = ("auto", "zh", "en")


@dataclass(frozen=True)
class Finding:
    """One rule broken by one line: ``start``/``end`` index the line as written (not the folded form)."""

    rule: Rule
    start: int
    end: int
    text: str
    line: int = 1
    col: int = 0  # 1-based column of ``start`` in the file; 0 until placed in one

    def describe(self) -> str:
        """``RULE-ID message: "span" (suggestion)``, the part of a linter line after its position."""
        return tr('{id} {message}: "{text}" ({suggestion})').format(
            id=self.rule.id,
            message=self.rule.shown_message,
            text=self.text,
            suggestion=self.rule.shown_suggestion,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "col": self.col or self.start + 1,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule": self.rule.id,
            "class": self.rule.klass,
            "message": self.rule.message,
            "suggestion": self.rule.suggestion,
            "source": self.rule.source,
        }


class Checker:
    """Checks lines against a rule set. ``language`` picks the rules: zh, en, or auto (all)."""

    def __init__(self, rules: RuleSet | None = None, language: str = "auto") -> None:
        self.rules = rules or default_rules()
        self.language = language
        wanted = {"auto": ("zh", "en", "any"), "zh": ("zh", "any"), "en": ("en", "any")}[language]
        self._rules = [rule for rule in self.rules.rules if rule.language in wanted]

    def check(self, text: str, looped: bool = False) -> list[Finding]:
        """The findings in one line. ``looped``: the show repeats this line (a looping rundown or a
        repeated segment), so the loop-scoped rules (false urgency, fake scarcity) apply too."""
        folded = fold(text)
        allowed = [(m, m + len(term)) for term in self.rules.allow for m in _occurrences(folded.text, term)]
        found: list[tuple[int, int, Rule]] = []
        for rule in self._rules:
            if rule.scope == "loop" and not looped:
                continue
            exempt = [m.span() for pattern in rule.unless for m in pattern.finditer(folded.text)]
            for pattern in rule.patterns:
                for match in pattern.finditer(folded.text):
                    start, end = match.span()
                    # An allowed term (a brand, a title) excuses any match that touches it: in
                    # "the Best Buy store" the brand takes "the best" with it.
                    if start == end or _inside((start, end), exempt) or _overlaps((start, end), allowed):
                        continue
                    found.append((start, end, rule))
        findings = []
        for start, end, rule in _outermost(found):
            begin, finish = folded.span(start, end)
            findings.append(Finding(rule, begin, finish, text[begin:finish]))
        return findings


def _occurrences(text: str, term: str) -> list[int]:
    starts, at = [], text.find(term)
    while at >= 0:
        starts.append(at)
        at = text.find(term, at + 1)
    return starts


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _outermost(found: list[tuple[int, int, Rule]]) -> list[tuple[int, int, Rule]]:
    """One finding per claim: overlapping matches of one rule become one span ("the best" and
    "best in the world"), and a match inside a longer match of the same class says nothing more
    (全网最低价 need not also be reported as 最低价)."""
    merged: list[tuple[int, int, Rule]] = []
    for start, end, rule in sorted(found, key=lambda f: (f[2].id, f[0])):
        if merged and merged[-1][2].id == rule.id and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), rule)
        else:
            merged.append((start, end, rule))
    kept: list[tuple[int, int, Rule]] = []
    for start, end, rule in sorted(merged, key=lambda f: (f[0], -(f[1] - f[0]))):
        if any(s <= start and end <= e and r.klass == rule.klass for s, e, r in kept):
            continue
        kept.append((start, end, rule))
    return kept
