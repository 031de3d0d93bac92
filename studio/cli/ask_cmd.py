"""``studio ask``: answer a viewer's question from the product catalogue's facts only."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    pass
