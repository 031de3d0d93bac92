"""Reading a user's UTF-8 text file (a script, a rundown) and its TOML with one-line errors."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.storage.input_file import MAX_TEXT_BYTES, read_input_bytes
from studio.translation import tr


def read_text(path: Path, what: str = "", option: str = "--script", max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The text of ``path``; only a regular file of at most ``max_bytes`` is read at all.
    ``what`` names the file in a sentence, translated by the caller ("the script file" when
    empty)."""
    what = what or tr("the script file")
    if path.is_dir():
        raise InputError(
            tr("{option} {path} is a folder.").format(option=option, path=path), tr("Give a UTF-8 text file.")
        )
    if not path.exists():
        raise InputError(
            tr("{what} {path} does not exist.").format(what=what, path=path),
            tr("Check the path given to {option}.").format(option=option),
        )
    noun = what.removeprefix("the ")
    data = read_input_bytes(path, noun, tr("a UTF-8 text file"), max_bytes, allow_empty=True)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            tr("{what} {path} is not UTF-8 text.").format(what=what, path=path),
            tr("Save it as UTF-8 and try again."),
        ) from None


def parse_toml(
    text: str, source: str, kind: str, fix: str, parse_float: Callable[[str], Any] = float
) -> dict[str, Any]:
    """``text`` as TOML; else one line naming ``source`` (e.g. "rundown show.toml") and saying
    why it is no ``kind`` (e.g. "rundown"), with ``fix`` as the hint."""
    try:
        return tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            tr("{source} is not valid TOML: {error}.").format(source=source, error=exc), fix
        ) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise InputError(
            tr("{source} has values nested too deeply to be a {kind}.").format(source=source, kind=kind), fix
        ) from None
