"""Avatar names: what a new name may be.

A name becomes a folder name, so its limits are those of a file name on disk: 255 *bytes*
per path component on every common file system, less the room the library needs for the
hidden siblings it writes beside a package (``.NAME.xxxxxxxx.deleting.partial``).

Names and consent text read from a package on disk may hold anything, including terminal
escape sequences and bidi overrides that would rewrite what a terminal shows;
``studio.errors.printable`` escapes them before they are printed.
"""

from __future__ import annotations

import re
import unicodedata

from studio.errors import InputError, printable
from studio.translation import tr

DEMO_NAME = "demo"
MAX_NAME_LENGTH = 64
# 255 bytes per file name, less ".NAME.12345678.deleting.partial" (27 bytes beyond the name),
# with margin: 64 letters of any script in the Basic Multilingual Plane (3 bytes each) fit.
MAX_NAME_BYTES = 200
# Letters (any script) and digits, plus space, '-' and '_'. ``[^\W_]`` is "word character
# but not underscore", i.e. a Unicode letter or digit.
_NAME_RE = re.compile(r"(?:[^\W_]|[ _-])+")
# Folder names Windows refuses whatever the extension; a library must be portable.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def name_rules() -> str:
    """What an avatar name may be, in the user's language."""
    return tr("Use 1-{n} letters, digits, spaces, '-' or '_'.").format(n=MAX_NAME_LENGTH)


def normalize_name(name: str) -> str:
    """Return the canonical form of an avatar name or raise ``InputError`` explaining why not.

    Surrounding spaces are dropped and the name is NFC-normalised (macOS would otherwise
    store "é" decomposed and the same name could appear twice).
    """
    clean = unicodedata.normalize("NFC", name.strip())
    if not clean:
        raise InputError(tr("the avatar name is empty."), name_rules())
    if len(clean) > MAX_NAME_LENGTH:
        raise InputError(tr("the avatar name is {n} characters long.").format(n=len(clean)), name_rules())
    if not _NAME_RE.fullmatch(clean):
        bad = sorted({ch for ch in clean if not _NAME_RE.fullmatch(ch)})
        shown = " ".join(repr(ch) for ch in bad)
        raise InputError(
            tr("the avatar name '{name}' contains {characters}.").format(
                name=printable(clean), characters=shown
            ),
            name_rules(),
        )
    if clean.casefold() in _WINDOWS_RESERVED:
        raise InputError(
            tr("'{name}' cannot be used as an avatar name on Windows.").format(name=clean), name_rules()
        )
    return clean


def check_new_name(name: str) -> str:
    """``normalize_name`` plus the names a user may not create: 'demo', and names too long
    for a folder name once encoded (existing avatars keep working whatever their length)."""
    clean = normalize_name(name)
    if clean.casefold() == DEMO_NAME:
        raise InputError(
            tr("the avatar name 'demo' is reserved for the built-in demo avatar."), tr("Pick another name.")
        )
    size = len(clean.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise InputError(
            tr(
                "the avatar name '{name}' takes {size} bytes on disk; at most {limit} fit in a folder name."
            ).format(name=clean, size=size, limit=MAX_NAME_BYTES),
            tr("Use a shorter name (letters outside the Basic Multilingual Plane take 4 bytes each)."),
        )
    return clean
