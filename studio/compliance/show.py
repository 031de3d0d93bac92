"""Checking a whole show: a plain script file line by line, or a rundown's segments.

False urgency is a property of the show, not of a line: "only 3 left" said once may be true, said
every ten minutes by a looping stream it is a lie. So the loop-scoped rules fire on a line only
when the show repeats it: every segment of a looping rundown, a segment with ``repeat > 1``, or a
template that comes back on several lines of the same script.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from studio.compliance.checker import Checker, Finding

_SEGMENT = re.compile(r"^[ \t]*\[\[[ \t]*segment[ \t]*\]\]", re.MULTILINE)
_TEXT_KEY = re.compile(r"^[ \t]*(?:text|\"text\"|'text')[ \t]*=[ \t]*", re.MULTILINE)


def check_script(text: str, checker: Checker) -> list[Finding]:
    """Findings in a plain script, placed at their line and column (1-based)."""
    per_line = [checker.check(line, looped=True) for line in text.splitlines()]
    findings = [
        replace(f, line=number, col=f.start + 1) for number, found in enumerate(per_line, 1) for f in found
    ]
    twice = _rules_on_several([(f.line, f) for f in findings])
    return [f for f in findings if f.rule.scope != "loop" or f.rule.id in twice]


def check_segments(
    segments: Sequence[tuple[str, int]], loop: bool, checker: Checker
) -> list[tuple[int, Finding]]:
    """``(segment number, finding)`` for a rundown's ``(text, repeat)`` segments, numbered from 1."""
    found = [
        (number, f)
        for number, (text, repeat) in enumerate(segments, 1)
        for f in checker.check(text, looped=True)
    ]
    repeated = {n for n, (_, repeat) in enumerate(segments, 1) if loop or repeat > 1}
    twice = _rules_on_several(found)
    return [(n, f) for n, f in found if f.rule.scope != "loop" or n in repeated or f.rule.id in twice]


def place_in_toml(raw: str, segment: int, text: str, finding: Finding) -> Finding:
    """``finding`` (at ``finding.start`` of segment ``segment``'s ``text``) with the line and column of
    its words in the rundown file ``raw``; the ``text =`` line where the words are written escaped."""
    headers = [m.end() for m in _SEGMENT.finditer(raw)]
    if segment > len(headers):
        return replace(finding, line=1, col=1)
    end = headers[segment] if segment < len(headers) else len(raw)
    key = _TEXT_KEY.search(raw, headers[segment - 1], end)
    at = key.end() if key else headers[segment - 1]
    nth = text[: finding.start].count(finding.text)
    where = raw.find(finding.text, at, end)
    for _ in range(nth):
        if where < 0:
            break
        where = raw.find(finding.text, where + len(finding.text), end)
    if where < 0:
        where = at
    line = raw.count("\n", 0, where) + 1
    return replace(finding, line=line, col=where - (raw.rfind("\n", 0, where) + 1) + 1)


def _rules_on_several(found: Sequence[tuple[int, Finding]]) -> set[str]:
    """Ids of loop-scoped rules that fire in two or more places (lines or segments)."""
    places: dict[str, set[int]] = {}
    for place, finding in found:
        if finding.rule.scope == "loop":
            places.setdefault(finding.rule.id, set()).add(place)
    return {rule for rule, where in places.items() if len(where) > 1}
