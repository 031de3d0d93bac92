"""What the report's sections share: a log record, the section's interface, and how times and
texts are written."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from studio.errors import printable

Record = dict[str, Any]


def clock(seconds: Any) -> str:
    finite = isinstance(seconds, int | float) and math.isfinite(seconds)  # JSON allows Infinity, NaN
    s = int(seconds) if finite else 0
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


def _at(record: Record) -> str:
    """When on the show clock (and the wall clock): "0:01:05 (16:58:03Z)"."""
    wall = str(record.get("t", ""))[11:19]
    return f"{clock(record['pts_s'])} ({wall}Z)" if "pts_s" in record else f"{wall}Z"


def _text(value: Any, limit: int = 80) -> str:
    return printable(str(value), limit)


@dataclass
class Section:
    """A part of the report: fed each record, then asked for its lines (and, for the HTML page,
    a figure)."""

    title: str = ""
    lines: list[str] = field(default_factory=list)

    def take(self, record: Record) -> None:
        raise NotImplementedError

    def finish(self) -> list[str]:
        return self.lines

    def figure(self) -> str:
        """Inline SVG for the HTML page, or "" for none."""
        return ""
