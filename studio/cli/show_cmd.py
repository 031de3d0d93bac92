"""``studio show from-catalog``: write a show's rundown from the product catalogue and templates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.errors import InputError


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help="make a show's rundown from the product catalogue")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    fc = verbs.add_parser(
        "from-catalog",
        help="write a rundown: intro, features, offer and call to action for each product",
        description=(
            "Write a rundown (the file `studio live --rundown` plays) with an intro, the facts, the "
            "offer and a call to action for every product, from template files you can edit. Every "
            "line is checked for prohibited claims."
        ),
    )
    fc.add_argument("catalog", type=Path, metavar="CATALOG", help="catalog.toml")
    fc.add_argument("--lang", choices=("en", "zh"), default="en", help="the show's language (default en)")
    fc.add_argument("--out", type=Path, metavar="FILE", help="write the rundown here (default: print it)")
    fc.add_argument("--force", action="store_true", help="replace --out if it exists")
    fc.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="a folder with your own en.toml / zh.toml (copy studio/commerce/templates/ to start)",
    )
    fc.add_argument("--no-loop", action="store_true", help="play the products once instead of looping")
    fc.set_defaults(handler=run_from_catalog)


def run_from_catalog(args: argparse.Namespace) -> int:
    from studio.commerce import load_catalog
    from studio.commerce.show_script import load_templates, show_from_catalog
    from studio.live.rundown import format_rundown, save_rundown

    out: Path | None = args.out
    if out is not None and out.suffix.lower() != ".toml":
        raise InputError(f"--out {out} must end in .toml.", "Name it show.toml, for example.")
    if out is not None and out.exists() and not args.force:
        raise InputError(f"{out} already exists.", "Choose another --out, or add --force to replace it.")
    catalog = load_catalog(args.catalog)
    rundown = show_from_catalog(catalog, load_templates(args.lang, args.templates), loop=not args.no_loop)
    if out is None:
        sys.stdout.write(format_rundown(rundown))
        return 0
    try:
        save_rundown(rundown, out)
    except OSError as exc:  # a read-only folder, a full disk, a file where the folder should be
        raise InputError(
            f"could not write {out} ({exc.strerror or exc}).", "Choose another --out, or free some space."
        ) from None
    print(
        f"Wrote {out}: {len(catalog.products)} products, {len(rundown.segments)} segments, "
        "every line checked for claims.",
        file=sys.stderr,
    )
    return 0
