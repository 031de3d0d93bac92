"""``studio voices``: list the voices Studio can speak with."""

from __future__ import annotations

import argparse
from typing import Any

from studio.cli.text_width import display_width, pad
from studio.translation import tr

# espeak-ng names Chinese languages without the macrolanguage code users reach for first.
_ALSO_MATCHES = {"zh": ("cmn", "yue", "hak")}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "voices",
        help=tr("list the voices"),
        description=tr("List the voices Studio can speak with."),
    )
    parser.add_argument(
        "--language",
        metavar="PREFIX",
        default="",
        help=tr("only voices whose language starts with PREFIX, e.g. en, zh, cmn"),
    )
    parser.add_argument("--offline", action="store_true", help=tr("hide voices that need the network"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.voice import all_voices

    prefix = str(args.language or "").casefold()
    prefixes = (prefix, *_ALSO_MATCHES.get(prefix, ()))
    voices = [
        v for v in all_voices(offline_only=bool(args.offline)) if v.language.casefold().startswith(prefixes)
    ]
    rows = [(tr("ID"), tr("ENGINE"), tr("LANGUAGE"), tr("NETWORK"))]
    rows += [(v.id, v.engine, v.language, tr("yes") if v.needs_network else tr("no")) for v in voices]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if not voices:
        print(tr("No voice matches language '{language}'.").format(language=args.language))
    engines = list(dict.fromkeys(v.engine for v in voices))
    if engines:
        licences = _licences()
        print(tr("Licences:"))
        for engine in engines:
            licence = licences.get(engine) or tr("see docs/voices.md")
            print(f"  {engine}: {licence}")
    from studio.voice.kokoro_files import FETCH_COMMAND, installed

    if not installed():
        missing = tr("The natural Mandarin and English voices (Kokoro) are not installed: '{command}'.")
        print(missing.format(command=FETCH_COMMAND))
    return 0


def _licences() -> dict[str, str]:
    """What each engine's voices may be used for; docs/voices.md has the details and attributions."""
    return {
        "kokoro": tr("Kokoro-82M: Apache-2.0 weights (hexgrad), MIT int8 export; see docs/voices.md"),
        "piper": tr(
            "Piper joe: MIT package, but fine-tuned from lessac (research-only data): not for a paid product"
        ),
        "espeak": tr("eSpeak NG: GPL-3.0-or-later"),
        "edge": tr("Microsoft Edge online voices: Microsoft's service terms"),
    }
