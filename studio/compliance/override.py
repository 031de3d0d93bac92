"""A deliberate, recorded override of one finding on one line.

An override is data, not a switch: it names the rule and the exact words it lets through, who
decided and when, and why. The rundown carries it next to the segment it applies to, the show
editor will show and edit it, and the session log records it when the line is spoken::

    [[segment]]
    text = "我们是行业第一的品牌。"
    [[segment.override]]
    rule = "ZH-ABS-02"
    text = "行业第一"               # the flagged words this override covers, as in the line
    by = "li.wei"
    at = 2026-12-07T14:05:00Z
    reason = "China Cosmetics Association ranking 2026, certificate no. 123"

Binding the override to the flagged words (not just the rule) means an edited line that adds a
new claim under the same rule is flagged again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from studio.compliance.checker import Finding
from studio.errors import InputError
from studio.translation import tr

_KEYS = {"rule", "text", "by", "at", "reason"}


def _fix() -> str:
    return tr(
        'Write it as [[segment.override]] with rule = "…", text = "…", by = "…", at = 2026-12-07T14:05:00Z.'
    )


@dataclass(frozen=True)
class Override:
    rule: str  # the rule id, e.g. "ZH-ABS-02"
    text: str  # the flagged words it covers, exactly as they appear in the line
    by: str  # who decided
    at: datetime  # when, timezone-aware
    reason: str = ""

    def covers(self, finding: Finding) -> bool:
        return finding.rule.id == self.rule and finding.text == self.text

    def as_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "text": self.text,
            "by": self.by,
            "at": self.at.isoformat(),
            "reason": self.reason,
        }


def parse_override(item: object, where: str) -> Override:
    if not isinstance(item, dict):
        raise InputError(tr("{where}: an override is not a table.").format(where=where), _fix())
    unknown = set(item) - _KEYS
    if unknown:
        raise InputError(
            tr("{where}: an override has unknown keys: {keys}.").format(
                where=where, keys=", ".join(sorted(unknown))
            ),
            _fix(),
        )
    fields = {}
    for key in ("rule", "text", "by"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(
                tr("{where}: an override needs '{key}' as text.").format(where=where, key=key), _fix()
            )
        fields[key] = value.strip()
    at = item.get("at")
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise InputError(
            tr(
                "{where}: override 'at' must be a date and time with its zone, like 2026-12-07T14:05:00Z."
            ).format(where=where),
            _fix(),
        )
    reason = item.get("reason", "")
    if not isinstance(reason, str):
        raise InputError(tr("{where}: override 'reason' must be text.").format(where=where), _fix())
    return Override(fields["rule"], fields["text"], fields["by"], at.astimezone(UTC), reason.strip())


def unresolved(findings: Iterable[Finding], overrides: Iterable[Override]) -> list[Finding]:
    """The findings that no override covers."""
    overrides = tuple(overrides)
    return [f for f in findings if not any(o.covers(f) for o in overrides)]
