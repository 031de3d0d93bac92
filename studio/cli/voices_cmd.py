"""``studio voices``: list the voices Studio can speak with."""

from __future__ import annotations

import argparse
from typing import Any

# espeak-ng names Chinese languages without the macrolanguage code users reach for first.
_ALSO_MATCHES = {"zh": ("cmn", "yue", "hak")}
# What each engine's voices may be used for; docs/voices.md has the details and attributions.
_LICENCES = {
    "kokoro": "Kokoro-82M: Apache-2.0 weights (hexgrad), MIT int8 export; see docs/voices.md",
    "piper": "Piper joe: MIT package, but fine-tuned from lessac (research-only data): "
    "not for a paid product",
    "espeak": "eSpeak NG: GPL-3.0-or-later",
    "edge": "Microsoft Edge online voices: Microsoft's service terms",
}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "voices",
        help="list the voices",
        description="List the voices Studio can speak with.",
    )
    parser.add_argument(
        "--language",
        metavar="PREFIX",
        default="",
        help="only voices whose language starts with PREFIX, e.g. en, zh, cmn",
    )
    parser.add_argument("--offline", action="store_true", help="hide voices that need the network")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.voice import all_voices

    prefix = str(args.language or "").casefold()
    prefixes = (prefix, *_ALSO_MATCHES.get(prefix, ()))
    voices = [
        v for v in all_voices(offline_only=bool(args.offline)) if v.language.casefold().startswith(prefixes)
    ]
    rows = [("ID", "ENGINE", "LANGUAGE", "NETWORK")]
    rows += [(v.id, v.engine, v.language, "yes" if v.needs_network else "no") for v in voices]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if not voices:
        print(f"No voice matches language '{args.language}'.")
    engines = list(dict.fromkeys(v.engine for v in voices))
    if engines:
        print("Licences:")
        for engine in engines:
            print(f"  {engine}: {_LICENCES.get(engine, 'see docs/voices.md')}")
    from studio.voice.kokoro_files import FETCH_COMMAND, installed

    if not installed():
        print(f"The natural Mandarin and English voices (Kokoro) are not installed: '{FETCH_COMMAND}'.")
    return 0
