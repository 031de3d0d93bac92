"""Reading a user's UTF-8 text file (a script, a rundown) with one-line errors."""

from __future__ import annotations

from pathlib import Path

from studio.errors import InputError


def read_text(path: Path, what: str = "the script file", option: str = "--script") -> str:
    if path.is_dir():
        raise InputError(f"{option} {path} is a folder.", "Give a UTF-8 text file.")
    if not path.exists():
        raise InputError(f"{what} {path} does not exist.", f"Check the path given to {option}.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not UTF-8 text.", "Save it as UTF-8 and try again.") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}.", "Check its permissions.") from None
