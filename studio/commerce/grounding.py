"""Whether a sentence says only what the catalogue says: its numbers, in digits or in words.

An answer may be reworded (by a language model, see ``phrasing``), but every quantity in it must
be one the facts state: "keeps coffee hot for 8 hours" when the fact says 6, or "two-year warranty"
when it says one, is an invented fact. Numbers are compared by value, so ``6``, ``six`` and ``六``
are the same, and ``12.9`` is not ``12``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_EN_WORDS: dict[str, int | Decimal] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1000, "million": 1_000_000, "dozen": 12, "half": Decimal("0.5"), "once": 1,
    "twice": 2, "single": 1, "double": 2, "triple": 3, "first": 1, "second": 2, "third": 3,
}  # fmt: skip
_EN_WORD = re.compile(r"\b(" + "|".join(_EN_WORDS) + r")\b", re.IGNORECASE)
_ZH_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
_ZH_RUN = re.compile("[零〇一二两三四五六七八九十百千万]+|半")


def numbers_in(text: str) -> set[Decimal]:
    """Every quantity ``text`` states, by value: digits (``19.99``, ``1,200``), English number words
    (``six``, ``a dozen``) and Chinese numerals (``六``, ``十二``, ``半``)."""
    found: set[Decimal] = set()
    for match in _DIGITS.finditer(text):
        token = match.group()
        # 1,200 and 1,200.50 have thousands separators, as 1.200,50 has; 1,5 (a decimal comma) is 1.5
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
            token = token.replace(",", "")
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", token):
            token = token.replace(".", "").replace(",", ".")
        else:
            token = token.replace(",", ".")
        try:
            found.add(Decimal(token).normalize())
        except ArithmeticError:  # no one number (2.4.7): each of its digit runs is checked
            found |= {Decimal(run).normalize() for run in re.findall(r"\d+", token)}
    found |= {Decimal(_EN_WORDS[m.group(1).lower()]).normalize() for m in _EN_WORD.finditer(text)}
    found |= {_zh_value(m.group()).normalize() for m in _ZH_RUN.finditer(text)}
    return found


def _zh_value(run: str) -> Decimal:
    if run == "半":
        return Decimal("0.5")
    if all(ch in _ZH_DIGIT for ch in run):  # 一二三 read digit by digit is rare; the value of 二零 is 20
        return Decimal("".join(str(_ZH_DIGIT[ch]) for ch in run))
    total, section, digit = 0, 0, 0
    for ch in run:
        if ch in _ZH_DIGIT:
            digit = _ZH_DIGIT[ch]
        elif ch == "万":
            total += (section + digit) * 10_000
            section, digit = 0, 0
        else:
            section += (digit or 1) * _ZH_UNIT[ch]
            digit = 0
    return Decimal(total + section + digit)


def unsupported_numbers(text: str, facts: Iterable[str]) -> list[Decimal]:
    """The quantities in ``text`` that none of ``facts`` states, smallest first."""
    known: set[Decimal] = set()
    for fact in facts:
        known |= numbers_in(fact)
    return sorted(numbers_in(text) - known)
