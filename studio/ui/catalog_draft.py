"""The Catalogue page's editable copy of a catalogue: each product's fields as the user typed them.

No widgets here. A draft is turned into a ``Catalog`` by the core's own parser (``parse_catalog``),
so the page refuses exactly what ``catalog.toml`` would, with the same one-line message; every
spoken text is then checked by the claims checker (``claims_in``) and a blocked one is named, with
its rule's reason, before anything is written. Saving goes through ``save_catalog`` (atomic).

A file is opened without refusing its claims (``open_draft``), so a catalogue with a blocked fact
can be opened and fixed here; it cannot be saved until it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from studio.commerce.catalog import (
    MAX_CATALOG_BYTES,
    Catalog,
    Product,
    claims_in,
    parse_catalog,
    save_catalog,
)
from studio.commerce.catalog_values import FIX, check_image
from studio.compliance import Checker
from studio.errors import InputError
from studio.storage.atomic import atomic_write_bytes
from studio.storage.text_file import parse_toml, read_text
from studio.translation import tr as core_tr


@dataclass(frozen=True)
class FaqDraft:
    q: str = ""
    a: str = ""
    q_second: str = ""
    a_second: str = ""


@dataclass(frozen=True)
class ProductDraft:
    """One product as typed: texts, one fact a line; ``*_second``: the catalogue's second language."""

    id: str = ""
    name: str = ""
    price: str = ""
    currency: str = "USD"
    promotion: str = ""
    facts: tuple[str, ...] = ()
    image: str = ""
    name_second: str = ""
    promotion_second: str = ""
    facts_second: tuple[str, ...] = ()
    faq: tuple[FaqDraft, ...] = ()


@dataclass(frozen=True)
class Blocked:
    """A text the claims checker refuses: which product and field, and the rule's reason."""

    product: str
    field: str
    text: str
    reason: str

    def describe(self) -> str:
        return f'"{self.product}", {self.field}: {self.reason}'


@dataclass(frozen=True)
class CatalogDraft:
    products: tuple[ProductDraft, ...] = ()
    language: str = "en"
    path: Path | None = None  # where it was opened from or last saved to
    extra_languages: tuple[str, ...] = field(default=())

    @property
    def second(self) -> str:
        return second_language(self.language)


def second_language(language: str) -> str:
    """The second language the page edits: Chinese for an English catalogue, else English."""
    return "zh" if language != "zh" else "en"


def lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of ``text``, stripped: one fact a line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def draft_of(product: Product, language: str) -> ProductDraft:
    second = second_language(language)
    local = next((loc for loc in product.local if loc.language == second), None)
    return ProductDraft(
        id=product.id,
        name=product.name,
        price=format(product.price, "f"),
        currency=product.currency,
        promotion=product.promotion,
        facts=product.facts,
        image=product.image.as_posix() if product.image is not None else "",
        name_second=local.name if local else "",
        promotion_second=local.promotion if local else "",
        facts_second=local.facts if local else (),
        faq=tuple(
            FaqDraft(
                f.q,
                f.a,
                next((q for lg, q, _ in f.local if lg == second), ""),
                next((a for lg, _, a in f.local if lg == second), ""),
            )
            for f in product.faq
        ),
    )


def draft_catalog(catalog: Catalog, path: Path | None) -> CatalogDraft:
    others = tuple(lang for lang in catalog.languages()[1:] if lang != second_language(catalog.language))
    products = tuple(draft_of(p, catalog.language) for p in catalog.products)
    return CatalogDraft(products, catalog.language, path, others)


def open_draft(path: Path) -> CatalogDraft:
    """The catalogue in ``path`` for editing: everything checked as ``load_catalog`` does but the
    claims and the pictures, which the page shows on the fields to be fixed there."""
    the_catalogue = QCoreApplication.translate("catalog_draft", "the catalogue")
    text = read_text(path, the_catalogue, the_catalogue, MAX_CATALOG_BYTES)
    source = QCoreApplication.translate("catalog_draft", "catalogue {path}").format(path=path)
    kind = QCoreApplication.translate("catalog_draft", "catalogue")
    data = parse_toml(text, source, kind, core_tr(FIX), parse_float=Decimal)
    return draft_catalog(parse_catalog(data, str(path), None), path)


def _price(text: str) -> object:
    """The typed price as the TOML reader gives it (a ``Decimal``), or as typed for the core's message."""
    typed = text.strip().lstrip("$¥€£").replace(",", "")
    try:
        return Decimal(typed) if typed else None
    except InvalidOperation:
        return text.strip()


def product_data(draft: ProductDraft, language: str) -> dict[str, object]:
    """``draft`` as one ``[[product]]`` table of ``catalog.toml``, empty optional fields left out."""
    second = second_language(language)
    item: dict[str, object] = {
        "id": draft.id.strip(),
        "name": draft.name,
        "price": _price(draft.price),
        "currency": draft.currency.strip().upper(),
        "facts": list(draft.facts),
    }
    optional = {
        "promotion": draft.promotion,
        "image": draft.image.strip(),
        f"name_{second}": draft.name_second,
        f"promotion_{second}": draft.promotion_second,
    }
    item.update({key: value for key, value in optional.items() if value.strip()})
    if draft.facts_second:
        item[f"facts_{second}"] = list(draft.facts_second)
    faq = []
    for entry in draft.faq:
        row = {"q": entry.q, "a": entry.a}
        if entry.q_second.strip() or entry.a_second.strip():
            row.update({f"q_{second}": entry.q_second, f"a_{second}": entry.a_second})
        faq.append(row)
    if faq:
        item["faq"] = faq
    return item


def to_catalog(draft: CatalogDraft, path: Path | None = None) -> Catalog:
    """``draft`` as a ``Catalog``, checked field by field by the core's parser (``InputError``,
    one line naming the product and field). Images are looked for beside ``path`` (or the draft's)."""
    where = path or draft.path
    data = {
        "version": 1,
        "language": draft.language,
        "product": [product_data(p, draft.language) for p in draft.products],
    }
    return parse_catalog(data, str(where) if where else "the catalogue", where.parent if where else None)


def blocked_claims(catalog: Catalog) -> list[Blocked]:
    """Every text of ``catalog`` the claims checker refuses, with the rule's reason."""
    return [
        Blocked(pid, field_name, finding.text, finding.describe())
        for pid, field_name, finding in claims_in(catalog)
    ]


def blocked_in_draft(draft: CatalogDraft) -> list[Blocked]:
    """Every text of ``draft`` the claims checker refuses, named as ``claims_in`` names them, even
    while the draft is not yet a whole catalogue (a field missing, facts not yet translated)."""
    checker = Checker()
    second = draft.second
    found = []
    for p in draft.products:
        texts = [("name", p.name), ("promotion", p.promotion), (f"name_{second}", p.name_second)]
        texts += [(f"promotion_{second}", p.promotion_second)]
        texts += [(f"facts[{i}]", fact) for i, fact in enumerate(p.facts, 1)]
        texts += [(f"facts_{second}[{i}]", fact) for i, fact in enumerate(p.facts_second, 1)]
        for n, faq in enumerate(p.faq, 1):
            texts += [(f"faq {n} 'a'", faq.a), (f"faq {n} 'a_{second}'", faq.a_second)]
        for field_name, text in texts:
            found += [
                Blocked(p.id, field_name, f.text, f.describe()) for f in checker.check(text, True) if text
            ]
    return found


def save_draft(draft: CatalogDraft, path: Path) -> tuple[CatalogDraft, list[Blocked]]:
    """Write ``draft`` to ``path`` (atomically, by ``save_catalog``) unless a text is blocked: then
    nothing is written and the blocked texts are returned. ``InputError`` for any other problem."""
    if draft.extra_languages:  # saved from here, their texts would be lost
        raise InputError(
            QCoreApplication.translate(
                "catalog_draft",
                "this catalogue also has texts in {languages}, which this page does not edit.",
            ).format(languages=", ".join(draft.extra_languages)),
            QCoreApplication.translate(
                "catalog_draft", "Edit that catalogue's file in a text editor, so those texts are kept."
            ),
        )
    catalog = to_catalog(draft, path)
    blocked = blocked_claims(catalog)
    if blocked:
        return draft, blocked
    save_catalog(catalog, path)
    return replace(draft, path=path), []


def new_product_id(draft: CatalogDraft) -> str:
    taken = {p.id for p in draft.products}
    number = 1
    while f"product-{number}" in taken:
        number += 1
    return f"product-{number}"


def require_saved(draft: CatalogDraft) -> Path:
    if draft.path is None:
        raise InputError(
            QCoreApplication.translate("catalog_draft", "the catalogue is not saved yet."),
            QCoreApplication.translate("catalog_draft", "Save it first, then try again."),
        )
    return draft.path


def adopt_picture(draft: CatalogDraft, picture: Path) -> str:
    """The name of ``picture`` beside the saved catalogue, copied there (atomically) if it is
    elsewhere: the catalogue names pictures in its own folder, so it moves with them."""
    folder = require_saved(draft).parent
    check_image(picture, "the picture")
    target = folder / picture.name
    if picture.resolve() == target.resolve():
        return picture.name
    if target.exists():
        raise InputError(
            QCoreApplication.translate("catalog_draft", "{folder} already has a file named {name}.").format(
                folder=folder, name=picture.name
            ),
            QCoreApplication.translate(
                "catalog_draft", "Rename the picture, or choose the one in the catalogue's folder."
            ),
        )
    try:
        atomic_write_bytes(target, picture.read_bytes())
    except OSError as exc:
        raise InputError(
            QCoreApplication.translate("catalog_draft", "could not copy {name} to {folder} ({why}).").format(
                name=picture.name, folder=folder, why=exc.strerror or exc
            ),
            QCoreApplication.translate(
                "catalog_draft", "Check that the folder is writable and the disk is not full."
            ),
        ) from None
    return picture.name
