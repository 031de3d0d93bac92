"""``studio show from-catalog``: write a show's rundown from the product catalogue and templates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.translation import tr


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help=tr("make a show's rundown from the product catalogue"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    fc = verbs.add_parser(
        "from-catalog",
        help=tr("write a rundown: intro, features, offer and call to action for each product"),
        description=tr(
            "Write a rundown (the file `studio live --script` plays) with an intro, the facts, the "
            "offer and a call to action for every product, from template files you can edit. Every "
            "line is checked for prohibited claims."
        ),
    )
    fc.add_argument("catalog", type=Path, metavar="CATALOG", help=tr("catalog.toml"))
    fc.add_argument("--lang", choices=("en", "zh"), default="en", help=tr("the show's language (default en)"))
    fc.add_argument("--out", type=Path, metavar="FILE", help=tr("write the rundown here (default: print it)"))
    fc.add_argument("--force", action="store_true", help=tr("replace --out if it exists"))
    fc.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help=tr("a folder with your own en.toml / zh.toml (copy studio/commerce/templates/ to start)"),
    )
    fc.add_argument("--no-loop", action="store_true", help=tr("play the products once instead of looping"))
    fc.set_defaults(handler=run_from_catalog)


def run_from_catalog(args: argparse.Namespace) -> int:
    from studio.commerce import load_catalog
    from studio.commerce.show_script import load_templates, show_from_catalog
    from studio.live.rundown import format_rundown, save_rundown

    out: Path | None = args.out
    if out is not None and out.suffix.lower() != ".toml":
        raise InputError(
            tr("--out {path} must end in .toml.").format(path=out), tr("Name it show.toml, for example.")
        )
    if out is not None and out.exists() and not args.force:
        raise InputError(
            tr("{path} already exists.").format(path=out),
            tr("Choose another --out, or add --force to replace it."),
        )
    catalog = load_catalog(args.catalog, option="CATALOG")
    rundown = show_from_catalog(catalog, load_templates(args.lang, args.templates), loop=not args.no_loop)
    if out is None:
        sys.stdout.write(format_rundown(rundown))
        return 0
    try:
        save_rundown(rundown, out)
    except OSError as exc:  # a read-only folder, a full disk, a file where the folder should be
        raise InputError(
            tr("could not write {path} ({reason}).").format(path=out, reason=exc.strerror or exc),
            tr("Choose another --out, or free some space."),
        ) from None
    wrote = tr("Wrote {path}: {products} products, {segments} segments, every line checked for claims.")
    print(
        wrote.format(path=out, products=len(catalog.products), segments=len(rundown.segments)),
        file=sys.stderr,
    )
    return 0
