"""``studio catalog import|check``: make a product catalogue from a spreadsheet, or check one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.translation import tr


def register(sub: Any) -> None:
    parser = sub.add_parser("catalog", help=tr("import a product catalogue from CSV, or check one"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    imp = verbs.add_parser(
        "import",
        help=tr("write catalog.toml from a spreadsheet exported as CSV"),
        description=tr(
            "Read a CSV export (UTF-8, one product a row; facts in one cell separated by |, FAQ as "
            "'question => answer' pairs separated by |) and write a checked catalog.toml."
        ),
    )
    imp.add_argument("csv", type=Path, metavar="CSV", help=tr("the spreadsheet export, e.g. products.csv"))
    imp.add_argument("--out", type=Path, required=True, metavar="FILE", help=tr("the catalogue to write"))
    imp.add_argument("--force", action="store_true", help=tr("replace FILE if it exists"))
    imp.add_argument(
        "--language",
        choices=("en", "zh"),
        default="en",
        help=tr(
            "the language of the name, facts and faq columns (default en); the other one's columns "
            "end in _zh or _en"
        ),
    )
    imp.set_defaults(handler=run_import)

    chk = verbs.add_parser("check", help=tr("check a catalogue: format, images, and every fact's claims"))
    chk.add_argument("catalog", type=Path, metavar="FILE", help=tr("catalog.toml"))
    chk.set_defaults(handler=run_check)


def run_import(args: argparse.Namespace) -> int:
    from studio.commerce import save_catalog
    from studio.commerce.catalog_csv import import_csv

    out: Path = args.out
    if out.suffix.lower() != ".toml":
        raise InputError(
            tr("--out {path} must end in .toml.").format(path=out), tr("Name it catalog.toml, for example.")
        )
    if out.exists() and not args.force:
        raise InputError(
            tr("{path} already exists.").format(path=out),
            tr("Choose another --out, or add --force to replace it."),
        )
    catalog = import_csv(args.csv, language=args.language)
    save_catalog(catalog, out)
    facts = sum(len(p.facts) for p in catalog.products)
    wrote = tr("Wrote {path}: {products} products, {facts} facts, all checked for claims.")
    print(wrote.format(path=out, products=len(catalog.products), facts=facts), file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from studio.commerce import load_catalog

    catalog = load_catalog(args.catalog, option="FILE")
    row = tr("{id}\t{name}\t{price}\t{facts} facts\t{faq} FAQ")
    for p in catalog.products:
        print(row.format(id=p.id, name=p.name, price=p.price_text(), facts=len(p.facts), faq=len(p.faq)))
    summary = tr("{path}: {products} products in {languages}; no claims flagged.")
    languages = ", ".join(catalog.languages())
    print(summary.format(path=args.catalog, products=len(catalog.products), languages=languages))
    return 0
