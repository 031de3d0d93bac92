"""The core's message catalogue (gettext, ``studio/locale/``): extract, update, compile, check.

    python tools/i18n_catalogue.py update [--part NAME --paths studio/cli ...]
    python tools/i18n_catalogue.py compile
    python tools/i18n_catalogue.py check

``update`` extracts every ``tr("...")``, ``tr_n("...", "...", n)`` and ``mark("...")`` from the
core (``studio/`` without ``studio/ui``, which has its own Qt catalogue) and merges them into
the zh_CN catalogue: known translations are kept, new sentences arrive untranslated and
sentences no longer in the code are dropped. With ``--part`` it writes only the sentences of
``--paths`` to ``parts/NAME.po``, so several people can translate different parts at once.
``compile`` joins ``studio.po`` and the parts into the ``studio.mo`` that Studio reads.
``check`` lists untranslated sentences and translations whose ``{fields}`` differ from the
English, and exits 1 when there are any (tests/test_core_translation.py runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "studio"
LANGUAGE = "zh_CN"
MESSAGES_DIR = CORE / "locale" / LANGUAGE / "LC_MESSAGES"
MAIN_PO = MESSAGES_DIR / "studio.po"
MO = MESSAGES_DIR / "studio.mo"
PARTS_DIR = CORE / "locale" / LANGUAGE / "parts"
KEYWORDS = {"tr": None, "mark": None, "tr_n": (1, 2)}
# argparse's own sentences (usage, errors, --help's headings) are looked up in this catalogue
# too (studio.translation routes argparse's gettext through tr); they are listed here because
# they are not in Studio's code.
ARGPARSE = (
    "usage: ",
    "options",
    "positional arguments",
    "show this help message and exit",
    "show program's version number and exit",
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "invalid %(type)s value: %(value)r",
    "expected one argument",
    "expected at most one argument",
    "expected at least one argument",
    "not allowed with argument %s",
    "ambiguous option: %(option)s could match %(matches)s",
    "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s",
    "one of the arguments %s is required",
    "unexpected option string: %s",
    "ignored explicit argument %r",
)
ARGPARSE_PLURAL = (("expected %s argument", "expected %s arguments"),)
HEADER = (
    "# Studio's messages in Simplified Chinese: the CLI and the core (the app: studio/ui/translations).\n#"
)
_FIELD = re.compile(r"(?<!\{)\{([^{}:!]*)[^{}]*\}(?!\})|%\(?\w*\)?[srd]")


def core_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if "ui" not in file.relative_to(CORE).parts[:1]:
                yield file


def extract(paths: Iterable[Path], with_argparse: bool) -> Catalog:
    catalogue = _catalogue()
    for file in core_files(paths):
        for lineno, message, comments, _context in extract_from_file(
            "python", str(file), keywords=KEYWORDS, comment_tags=("i18n:",), strip_comment_tags=True
        ):
            location = (str(file.relative_to(ROOT)), lineno)
            catalogue.add(message, locations=[location], auto_comments=comments)
    if with_argparse:
        for text in ARGPARSE:
            catalogue.add(text, auto_comments=["argparse"])
        for pair in ARGPARSE_PLURAL:
            catalogue.add(pair, auto_comments=["argparse"])
    return catalogue


def _catalogue() -> Catalog:
    return Catalog(
        locale=LANGUAGE,
        project="Studio",
        charset="utf-8",
        header_comment=HEADER,
        fuzzy=False,
        copyright_holder="Studio",
        last_translator="Studio",
        language_team="Studio",
    )


def read(path: Path) -> Catalog:
    if not path.exists():
        return _catalogue()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=LANGUAGE)
    catalogue.header_comment = HEADER
    return catalogue


def write(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False, sort_output=False)


def merged() -> Catalog:
    """studio.po and every part, first translation of a sentence winning."""
    result = read(MAIN_PO)
    for part in sorted(PARTS_DIR.glob("*.po")):
        for message in read(part):
            if not message.id:
                continue
            known = result.get(message.id)
            if known is None or not all(_strings(known)):
                if known is not None:  # a blank entry: Catalog.__setitem__ would keep its blank string
                    del result[message.id]
                result[message.id] = message
    return result


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _ids(message: Message) -> tuple[str, ...]:
    value = message.id
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _fields(text: str) -> list[str]:
    return sorted(
        match.group(0) if match.group(1) is None else match.group(1) for match in _FIELD.finditer(text)
    )


def problems(catalogue: Catalog, wanted: Catalog) -> list[str]:
    found: list[str] = []
    for message in wanted:
        if not message.id:
            continue
        have = catalogue.get(message.id)
        where = ", ".join(f"{file}:{line}" for file, line in message.locations) or "argparse"
        if have is None or not all(_strings(have)):
            found.append(f"untranslated ({where}): {_ids(message)[0]!r}")
            continue
        if have.fuzzy:
            found.append(f"fuzzy ({where}): {_ids(message)[0]!r}")
        english = _fields(_ids(message)[0])
        for text in _strings(have):
            if _fields(text) != english:
                found.append(f"fields differ ({where}): {_ids(message)[0]!r} -> {text!r}")
    return found


def update(part: str | None, paths: list[Path]) -> Path:
    target = PARTS_DIR / f"{part}.po" if part else MAIN_PO
    fresh = extract(paths or [CORE], with_argparse=part is None)
    old = read(target)
    known = merged()
    for message in fresh:
        if not message.id:
            continue
        previous = old.get(message.id) or known.get(message.id)
        if previous is not None and any(_strings(previous)):
            message.string = previous.string
    write(fresh, target)
    return target


def compile_catalogue() -> Path:
    MESSAGES_DIR.mkdir(parents=True, exist_ok=True)
    catalogue = merged()
    with MO.open("wb") as handle:
        write_mo(handle, catalogue, use_fuzzy=False)
    return MO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "compile", "check"))
    parser.add_argument("--part", help="write parts/NAME.po with only --paths' sentences")
    parser.add_argument("--paths", nargs="*", type=Path, default=[])
    args = parser.parse_args(argv)
    if args.command == "update":
        print(f"wrote {update(args.part, [p.resolve() for p in args.paths]).relative_to(ROOT)}")
        return 0
    if args.command == "compile":
        print(f"wrote {compile_catalogue().relative_to(ROOT)}")
        return 0
    found = problems(merged(), extract([CORE], with_argparse=True))
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
