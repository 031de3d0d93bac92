"""Fold a line into the one form the rules are written against, remembering where each character came from.

Rules are written once, in lower-case simplified Chinese and plain ASCII. A line is folded by:

- NFKC, so full-width ``ＢＥＳＴ``, ``１００％`` and ``＃１`` read as ``BEST``, ``100%`` and ``#1``;
- case folding, and curly quotes read as straight ones (``I’m`` is ``I'm``);
- traditional characters read as simplified (``治療`` is ``治疗``), character by character from
  OpenCC's table, so a finding keeps its column in the original line;
- format characters (zero-width spaces, joiners, direction marks) dropped: they are invisible
  and only serve to split a word;
- simple evasions undone: separators between two Chinese characters (``最.好``, ``最 好``,
  ``最*好``) and between single spelled-out letters (``b.e.s.t``, ``b e s t``) are dropped.

Clause punctuation (``，。！？、`` and the ASCII comma) is kept, so two clauses never join into
a claim that neither makes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Characters someone puts between the characters of a banned word to hide it from a filter.
_SEPARATORS = " \t.*·•・-_~|/\\+^`'\"=#:;"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SEPARATOR_RUN = re.compile("[" + re.escape(_SEPARATORS) + "]+")
# Three or more single letters, each followed by a short run of separators: b.e.s.t, b e s t, b-e-s-t.
_SPELLED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .*\-_·•~]{1,3}[a-z](?![a-z0-9])){2,}")
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, the index of the original character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` for the folded ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


@cache
def _t2s() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("studio.compliance").joinpath("rules/t2s.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            traditional, simplified = row.split("\t")
            table[traditional] = simplified
    return table


def fold_char(char: str) -> str:
    """One character as the rules see it (may be empty, or several characters after NFKC)."""
    if unicodedata.category(char) == "Cf":
        return ""
    out = unicodedata.normalize("NFKC", char).casefold()
    table = _t2s()
    return "".join(_QUOTES.get(c, table.get(c, c)) for c in out)


def fold(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for out in fold_char(char):
            chars.append(out)
            origin.append(index)
    folded = "".join(chars)
    keep = [True] * len(folded)
    for match in _SEPARATOR_RUN.finditer(folded):
        start, end = match.span()
        if start > 0 and end < len(folded) and _CJK.match(folded[start - 1]) and _CJK.match(folded[end]):
            keep[start:end] = [False] * (end - start)
    for match in _SPELLED.finditer(folded):
        for i in range(match.start(), match.end()):
            if not folded[i].isalpha():
                keep[i] = False
    return Folded(
        "".join(c for c, k in zip(folded, keep, strict=True) if k),
        tuple(o for o, k in zip(origin, keep, strict=True) if k),
    )
