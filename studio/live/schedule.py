"""A rundown's day: time slots that say which products are presented when, the rest rotating.

    [[slot]]
    from = "20:00"        # local time, 24 h
    to = "22:00"          # a slot may cross midnight: from = "23:00", to = "01:00"
    products = ["mug"]    # only these products' segments are said in the slot

Outside every slot the rundown rotates through all its segments. Slots are looked at in order and
the first that covers the time wins; ``from`` equal to ``to`` covers the whole day. The choice is a
pure function of the clock time (``segments_at``), asked again before each segment, so a show
running overnight changes products at the slot's minute, one sentence later at most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from studio.errors import InputError
from studio.translation import tr

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _fix() -> str:
    return tr('A slot is [[slot]] from = "20:00", to = "22:00", products = ["mug"].')


@dataclass(frozen=True)
class Slot:
    start: time
    end: time
    products: tuple[str, ...]

    def covers(self, now: time) -> bool:
        if self.start < self.end:
            return self.start <= now < self.end
        if self.start > self.end:  # across midnight
            return now >= self.start or now < self.end
        return True

    def as_toml(self) -> list[str]:
        products = ", ".join(f'"{p}"' for p in self.products)
        return [f'from = "{self.start:%H:%M}"', f'to = "{self.end:%H:%M}"', f"products = [{products}]"]


def _clock(value: object, key: str, where: str) -> time:
    match = _HHMM.match(value) if isinstance(value, str) else None
    if match is None:
        raise InputError(
            tr("{where}: '{key}' must be a time of day like \"20:00\".").format(where=where, key=key),
            _fix(),
        )
    return time(int(match[1]), int(match[2]))


def parse_slots(items: object, known: Sequence[str | None], source: str) -> tuple[Slot, ...]:
    """The ``[[slot]]`` tables of a rundown; each product a slot names must have segments."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise InputError(
            tr("{source}: 'slot' must be a list of [[slot]] tables.").format(source=source), _fix()
        )
    slots = []
    for number, item in enumerate(items, 1):
        where = tr("{source}, slot {number}").format(source=source, number=number)
        if not isinstance(item, dict) or set(item) - {"from", "to", "products"}:
            raise InputError(tr("{where} must have only from, to and products.").format(where=where), _fix())
        products = item.get("products")
        if not isinstance(products, list) or not products or not all(isinstance(p, str) for p in products):
            raise InputError(tr("{where}: 'products' must list product ids.").format(where=where), _fix())
        missing = sorted(set(products) - {p for p in known if p})
        if missing:
            raise InputError(
                tr("{where} names {products}, which no segment presents.").format(
                    where=where, products=", ".join(missing)
                ),
                tr(
                    'Give those segments product = "id" (studio show from-catalog writes it), '
                    "or fix the slot."
                ),
            )
        slots.append(Slot(_clock(item.get("from"), "from", where), _clock(item.get("to"), "to", where),
                          tuple(products)))  # fmt: skip
    return tuple(slots)


def segments_at(products: Sequence[str | None], slots: Sequence[Slot], now: time) -> list[int]:
    """The segments (1-based) to say at ``now``: those of the first slot covering it, else all."""
    slot = next((s for s in slots if s.covers(now)), None)
    if slot is None:
        return list(range(1, len(products) + 1))
    return [n for n, product in enumerate(products, 1) if product in slot.products]
