"""The checks on each value of a catalogue (ids, texts, prices, images), worded for the user."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from studio.errors import InputError, control_characters
from studio.live.rundown import toml_string
from studio.storage.input_file import MIB, check_input_file
from studio.translation import mark, tr

__all__ = [
    "FIX",
    "LANG_CODE",
    "check_image",
    "fix_hint",
    "id_text",
    "optional_text",
    "price_value",
    "text_list",
    "toml_string",
]


FIX = mark("See assets/demo_catalog/catalog.toml for a working example.")


def fix_hint() -> str:
    """``FIX`` in the user's language (``FIX`` itself stays English for the app, which words it)."""
    return tr("See assets/demo_catalog/catalog.toml for a working example.")


LANG_CODE = re.compile(r"^[a-z]{2}$")
MAX_PRICE = Decimal(10_000_000)
MAX_TEXT_CHARS = 500  # one fact or answer: a few sentences the host says in one go
MAX_FACTS = 100
MAX_IMAGE_BYTES = 20 * MIB
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def id_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        shown = f'"{value}"' if isinstance(value, str) else tr("missing") if value is None else repr(value)
        raise InputError(
            tr("{where} is {shown}; an id is 1 to 40 lower-case letters, digits, - or _.").format(
                where=where, shown=shown
            ),
            tr('Give each product a short id such as "mug".'),
        )
    return value


def optional_text(value: object, where: str, required: bool = False) -> str:
    """A one-line text of at most ``MAX_TEXT_CHARS``, stripped; ``""`` when absent and not required."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problem = tr("{where} must be text.") if value is not None else tr("{where} is missing.")
        raise InputError(problem.format(where=where), fix_hint())
    bad = control_characters(value)
    if bad:
        raise InputError(
            tr("{where} holds control characters ({characters}).").format(
                where=where, characters=", ".join(bad)
            ),
            tr("Retype it as plain text."),
        )
    if len(value) > MAX_TEXT_CHARS:
        raise InputError(
            tr("{where} is {count} characters; a catalogue text is at most {limit}.").format(
                where=where, count=len(value), limit=MAX_TEXT_CHARS
            ),
            tr("Split it into several facts."),
        )
    return " ".join(value.split())


def text_list(value: object, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise InputError(
            tr('{where} must be a list of sentences, like ["Holds 350 ml."].').format(where=where), fix_hint()
        )
    if len(value) > MAX_FACTS:
        raise InputError(
            tr("{where} has {count} entries; at most {limit}.").format(
                where=where, count=len(value), limit=MAX_FACTS
            ),
            tr("Keep the ones viewers ask about."),
        )
    return tuple(
        optional_text(item, tr("{where} entry {number}").format(where=where, number=n), required=True)
        for n, item in enumerate(value, 1)
    )


def price_value(value: object, where: str) -> Decimal:
    """A price as written (``19.99``), from a TOML number read as ``Decimal`` or an int."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        shown = tr("missing") if value is None else repr(value)
        raise InputError(
            tr("{where} is {shown}; it must be a number such as 19.99.").format(where=where, shown=shown),
            fix_hint(),
        )
    price = Decimal(value)
    if not price.is_finite() or price < 0 or price > MAX_PRICE:
        raise InputError(
            tr("{where} is {value}; a price is from 0 to {limit}.").format(
                where=where, value=value, limit=MAX_PRICE
            ),
            fix_hint(),
        )
    exponent = price.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InputError(
            tr("{where} is {value}; a price has at most two decimals.").format(where=where, value=value),
            tr("Round it to cents."),
        )
    return price


def check_image(path: Path, where: str) -> None:
    """An image the product card can show: an existing regular file of a known type, at most 20 MB."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise InputError(
            tr("{where}: {name} is not a PNG, JPEG or WebP image.").format(where=where, name=path.name),
            tr("Give a .png, .jpg or .webp file."),
        )
    if not path.exists():
        raise InputError(
            tr("{where}: {path} does not exist.").format(where=where, path=path),
            tr("Put the image beside catalog.toml, or fix its name."),
        )
    check_input_file(
        path, tr("product image"), tr("an image file"), tr("Use a PNG, JPEG or WebP image."), MAX_IMAGE_BYTES
    )
