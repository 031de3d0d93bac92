"""A catalogue from a spreadsheet exported as CSV (``studio catalog import``).

One product a row, a header row naming the columns (any order, any case)::

    id,name,price,currency,facts,image,promotion,faq,name_zh,facts_zh,promotion_zh,faq_zh
    mug,Travel mug,19.99,USD,Holds 350 ml.|Keeps drinks hot for 6 hours.,mug.png,,Microwave? => No.,…

- ``facts``: all of a product's facts in one cell, separated by ``|`` (a spreadsheet keeps one
  product on one row that way, however many facts it has);
- ``faq``: question ``=>`` answer pairs, separated by ``|``; ``faq_zh`` the same pairs in the same
  order in the second language (likewise ``facts_zh``, one translation per fact);
- ``price``: a plain number (``19.99``; a leading ``$ ¥ € £`` is dropped);
- only ``id``, ``name``, ``price``, ``currency`` and ``facts`` are required; ``image`` names a file
  beside the catalogue written;
- a sheet written in Chinese is imported with ``language="zh"`` (``--language zh``): its second
  language columns are then ``name_en``, ``facts_en``, ``promotion_en`` and ``faq_en``.

The file is UTF-8, with or without the byte-order mark Excel writes ("CSV UTF-8"); commas,
semicolons or tabs separate the cells. Everything is then checked as ``catalog.toml`` is,
claims included, so a spreadsheet cannot bring in what the file could not.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from studio.commerce.catalog import MAX_CATALOG_BYTES, Catalog, parse_catalog, refuse_claims
from studio.compliance import Checker
from studio.errors import InputError
from studio.storage.text_file import read_text
from studio.translation import tr, tr_n

REQUIRED = ("id", "name", "price", "currency", "facts")
OPTIONAL = ("image", "promotion", "faq")
SECOND_LANGUAGE = ("name", "facts", "promotion", "faq")


def _fix() -> str:
    return tr("See the header of assets/demo_catalog/products.csv for the columns.")


def import_csv(path: Path, checker: Checker | None = None, language: str = "en") -> Catalog:
    """The catalogue in the spreadsheet export ``path``, checked, claims included. Images are not
    looked for: they are checked against the folder the catalogue is saved in."""
    text = read_text(path, tr("the spreadsheet"), "CSV", MAX_CATALOG_BYTES)
    rows = _rows(text, path)
    header = [cell.strip().lower() for cell in rows[0]]
    other = "en" if language == "zh" else "zh"
    _check_header(header, path, other)
    products = []
    for number, cells in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank row a spreadsheet left at the end
        if len(cells) > len(header):
            raise InputError(
                tr("{path}, row {number} has {cells} cells for {columns} columns.").format(
                    path=path, number=number, cells=len(cells), columns=len(header)
                ),
                _fix(),
            )
        row = dict(zip(header, [c.strip() for c in cells] + [""] * (len(header) - len(cells)), strict=True))
        products.append(_product(row, tr("{path}, row {number}").format(path=path, number=number), other))
    if not products:
        raise InputError(
            tr("{path} has a header but no products.").format(path=path), tr("Add one product a row.")
        )
    catalog = parse_catalog({"version": 1, "language": language, "product": products}, str(path), None)
    refuse_claims(catalog, checker)
    return catalog


def _rows(text: str, path: Path) -> list[list[str]]:
    if not text.strip():
        raise InputError(
            tr("{path} is empty.").format(path=path), tr("Export the product sheet as CSV UTF-8.")
        )
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InputError(
            tr("{path} is not a readable CSV file: {reason}.").format(path=path, reason=exc),
            tr("Export it again as CSV UTF-8."),
        ) from None
    return rows


def _check_header(header: list[str], path: Path, other: str) -> None:
    second = [f"{key}_{other}" for key in SECOND_LANGUAGE]
    known = set(REQUIRED + OPTIONAL + tuple(second))
    unknown = [name for name in header if name not in known]
    if unknown:
        raise InputError(
            tr_n("{path}: unknown column {names}.", "{path}: unknown columns {names}.", len(unknown)).format(
                path=path, names=", ".join(repr(u) for u in unknown)
            ),
            tr("The columns are {names}.").format(names=", ".join(REQUIRED + OPTIONAL + tuple(second))),
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(
            tr("{path}: no {names} column in the header row.").format(path=path, names=", ".join(missing)),
            _fix(),
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise InputError(
            tr("{path}: the column {name} appears twice.").format(path=path, name=twice[0]), tr("Keep one.")
        )


def _product(row: dict[str, str], where: str, other: str) -> dict[str, object]:
    price_cell = row["price"].lstrip("$¥€£ ").replace(" ", "")
    try:
        price: object = Decimal(price_cell)
    except InvalidOperation:
        raise InputError(
            tr('{where}: price "{price}" is not a number.').format(where=where, price=row["price"]),
            tr("Write it as a plain number such as 19.99."),
        ) from None
    product: dict[str, object] = {
        "id": row["id"],
        "name": row["name"],
        "price": price,
        "currency": row["currency"].upper(),
        "facts": _split(row["facts"]),
    }
    for key in ("image", "promotion", f"name_{other}", f"promotion_{other}"):
        if row.get(key):
            product[key] = row[key]
    if row.get(f"facts_{other}"):
        product[f"facts_{other}"] = _split(row[f"facts_{other}"])
    faq = _pairs(row.get("faq", ""), f"{where}, faq")
    translated = _pairs(row.get(f"faq_{other}", ""), f"{where}, faq_{other}")
    if translated and len(translated) != len(faq):
        raise InputError(
            tr("{where}: faq_{lang} has {count} questions and faq has {expected}.").format(
                where=where, lang=other, count=len(translated), expected=len(faq)
            ),
            tr("Give faq_{lang} one translation per question, in the same order.").format(lang=other),
        )
    product["faq"] = [
        {
            "q": q,
            "a": a,
            **({f"q_{other}": translated[i][0], f"a_{other}": translated[i][1]} if translated else {}),
        }
        for i, (q, a) in enumerate(faq)
    ]
    return product


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _pairs(cell: str, where: str) -> list[tuple[str, str]]:
    pairs = []
    for n, part in enumerate(_split(cell), 1):
        q, arrow, a = part.partition("=>")
        if not arrow or not q.strip() or not a.strip():
            raise InputError(
                tr("{where} entry {number} is not 'question => answer'.").format(where=where, number=n),
                tr("Separate question and answer with =>, and entries with |."),
            )
        pairs.append((q.strip(), a.strip()))
    return pairs
