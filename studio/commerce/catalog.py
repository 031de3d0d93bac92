"""The product catalogue: what the host may say about each product, and nothing else.

``catalog.toml`` is written by hand, by the app, or by ``studio catalog import`` from a
spreadsheet::

    version = 1
    language = "en"                       # the language of name, facts and faq (default en)
    [[product]]
    id = "mug"
    name = "Ceramic travel mug"
    name_zh = "陶瓷随行杯"                  # a second language: name_zh, facts_zh, promotion_zh, q_zh, a_zh
    price = 19.99                         # quoted exactly as written here
    currency = "USD"
    promotion = "Free shipping today."    # optional, for the offer line and the product card
    facts = ["Holds 350 ml.", "Keeps drinks hot for 6 hours.", "The lid is dishwasher safe."]
    facts_zh = ["容量350毫升。", "保温6小时。", "杯盖可以放进洗碗机。"]   # one per fact, same order
    image = "mug.png"                     # optional, beside catalog.toml, for the product card
    [[product.faq]]
    q = "Is it microwave safe?"
    a = "No, the steel lining must not go in the microwave."
    q_zh = "可以放微波炉吗？"
    a_zh = "不可以，不锈钢内胆不能放进微波炉。"

Every fact, promotion and FAQ answer passes the claims checker (``studio.compliance``) when the
catalogue is loaded or saved: the catalogue is the only source of what the host says about a
product, so a claim refused here can never reach a viewer.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

from studio.commerce.catalog_values import (
    LANG_CODE,
    check_image,
    fix_hint,
    id_text,
    optional_text,
    price_value,
    text_list,
    toml_string,
)
from studio.compliance import Checker, Finding
from studio.errors import InputError, printable
from studio.storage.atomic import atomic_write_bytes
from studio.storage.text_file import parse_toml, read_text
from studio.translation import tr

CATALOG_VERSION = 1
MAX_CATALOG_BYTES = 2 * 1024 * 1024
MAX_PRODUCTS = 500
_PRODUCT_KEYS = {"id", "name", "price", "currency", "facts", "image", "promotion", "faq"}
_LOCAL_KEY = re.compile(r"^(name|facts|promotion)_([a-z]{2})$")
_FAQ_LOCAL_KEY = re.compile(r"^([qa])_([a-z]{2})$")


@dataclass(frozen=True)
class Faq:
    q: str
    a: str
    local: tuple[tuple[str, str, str], ...] = ()  # (language, q, a) in other languages

    def question(self, lang: str, base: str) -> str:
        return self.q if lang == base else next((q for lg, q, _ in self.local if lg == lang), self.q)

    def answer(self, lang: str, base: str) -> str:
        return self.a if lang == base else next((a for lg, _, a in self.local if lg == lang), self.a)


@dataclass(frozen=True)
class Localized:
    """A product's name, facts and promotion in one more language (facts in the same order)."""

    language: str
    name: str = ""
    facts: tuple[str, ...] = ()
    promotion: str = ""


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    price: Decimal
    currency: str
    facts: tuple[str, ...]
    faq: tuple[Faq, ...] = ()
    image: Path | None = None
    promotion: str = ""
    local: tuple[Localized, ...] = ()

    def _in(self, lang: str) -> Localized | None:
        return next((loc for loc in self.local if loc.language == lang), None)

    def name_in(self, lang: str) -> str:
        loc = self._in(lang)
        return loc.name if loc and loc.name else self.name

    def facts_in(self, lang: str) -> tuple[str, ...]:
        loc = self._in(lang)
        return loc.facts if loc and loc.facts else self.facts

    def promotion_in(self, lang: str) -> str:
        loc = self._in(lang)
        return loc.promotion if loc and loc.promotion else self.promotion

    def price_text(self) -> str:
        """The price exactly as the catalogue writes it, with its currency: ``19.99 USD``."""
        return f"{format(self.price, 'f')} {self.currency}"


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]
    language: str = "en"
    source: str = ""

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        known = ", ".join(p.id for p in self.products)
        raise InputError(
            tr("{source} has no product '{id}'.").format(
                source=self.source or tr("the catalogue"), id=product_id
            ),
            tr("Its ids: {known}.").format(known=known),
        )

    def languages(self) -> tuple[str, ...]:
        extra = sorted({loc.language for p in self.products for loc in p.local} - {self.language})
        return (self.language, *extra)


def load_catalog(path: Path, checker: Checker | None = None, option: str = "--catalog") -> Catalog:
    """The catalogue in ``path``, refused (one line naming file, product and field) when anything in
    it is wrong or a fact, promotion or answer makes a prohibited claim. ``option`` is how the user
    gave the path (an option or a positional argument's name), for the hint when it is missing."""
    text = read_text(path, tr("the catalogue"), option, MAX_CATALOG_BYTES)
    # Decimal: 19.99 stays 19.99, never 19.990000000001
    data = parse_toml(
        text, tr("catalogue {path}").format(path=path), tr("catalogue"), fix_hint(), parse_float=Decimal
    )
    catalog = parse_catalog(data, str(path), path.parent)
    refuse_claims(catalog, checker, text)
    return catalog


def parse_catalog(data: dict[str, object], source: str, folder: Path | None = None) -> Catalog:
    """``data`` (as ``tomllib`` read it, floats as ``Decimal``) as a catalogue. ``folder``: where
    images are looked for; ``None`` skips the image check (a catalogue not yet saved anywhere)."""
    version = data.get("version")
    if version != CATALOG_VERSION:
        shown = tr("missing") if version is None else f"{version!r}"
        raise InputError(
            tr("{source}: catalogue version is {shown}; this Studio reads version {version}.").format(
                source=source, shown=shown, version=CATALOG_VERSION
            ),
            tr("Put version = {version} at the top, or update Studio.").format(version=CATALOG_VERSION),
        )
    unknown = set(data) - {"version", "language", "product"}
    if unknown:
        raise InputError(
            tr("{source} has unknown keys: {keys}.").format(source=source, keys=", ".join(sorted(unknown))),
            fix_hint(),
        )
    language = data.get("language", "en")
    if not isinstance(language, str) or not LANG_CODE.match(language):
        raise InputError(
            tr('{source}: \'language\' must be a two-letter code such as "en" or "zh".').format(
                source=source
            ),
            fix_hint(),
        )
    items = data.get("product")
    if not isinstance(items, list) or not items:
        raise InputError(tr("{source} has no [[product]] entries.").format(source=source), fix_hint())
    if len(items) > MAX_PRODUCTS:
        raise InputError(
            tr("{source} has {count} products; Studio takes at most {limit}.").format(
                source=source, count=len(items), limit=MAX_PRODUCTS
            ),
            fix_hint(),
        )
    products: list[Product] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        where = tr("{source}, product {number}").format(source=source, number=number)
        product = _product(item, where, folder, language, source)
        if product.id in seen:
            raise InputError(
                tr('{source}: two products have the id "{id}".').format(source=source, id=product.id),
                tr("Give each its own id."),
            )
        seen.add(product.id)
        products.append(product)
    return Catalog(tuple(products), language, source)


def _product(item: object, where: str, folder: Path | None, base: str, source: str | None = None) -> Product:
    """``where`` names the item by its number; ``source`` (the file), when given, replaces it once
    the product's id is known (a spreadsheet's row keeps its row number)."""
    if not isinstance(item, dict):
        raise InputError(tr("{where} is not a table.").format(where=where), fix_hint())
    product_id = id_text(item.get("id"), _field(where, "id"))
    where = tr('{where}, product "{id}"').format(where=where if source is None else source, id=product_id)
    local_fields: dict[str, dict[str, object]] = {}
    for key in item:
        match = _LOCAL_KEY.match(key)
        if match and match.group(2) != base:
            local_fields.setdefault(match.group(2), {})[match.group(1)] = item[key]
        elif key not in _PRODUCT_KEYS:
            raise InputError(
                tr("{where} has an unknown key '{key}'.").format(where=where, key=key), fix_hint()
            )
    name = optional_text(item.get("name"), _field(where, "name"), required=True)
    price = price_value(item.get("price"), _field(where, "price"))
    currency = item.get("currency")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise InputError(
            tr('{where}: \'currency\' must be a three-letter code such as "USD" or "CNY".').format(
                where=where
            ),
            fix_hint(),
        )
    facts = text_list(item.get("facts"), _field(where, "facts"))
    image = item.get("image")
    if image is not None:
        if not isinstance(image, str) or not image.strip():
            raise InputError(
                tr("{where}: 'image' must be a file name, like \"mug.png\".").format(where=where), fix_hint()
            )
        pure = PurePosixPath(image.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in image:  # ":" is a Windows drive
            raise InputError(
                tr("{where}: 'image' {image} must be a file inside the catalogue's folder.").format(
                    where=where, image=printable(image)
                ),
                tr('Copy the picture beside catalog.toml and give its name, like "mug.png".'),
            )
        if folder is not None:
            check_image(folder / image, _field(where, "image"))
    promotion = optional_text(item.get("promotion"), _field(where, "promotion"))
    faq_items = item.get("faq", [])
    if not isinstance(faq_items, list):
        raise InputError(
            tr("{where}: 'faq' must be a list of [[product.faq]] tables.").format(where=where), fix_hint()
        )
    faq = tuple(
        _faq(f, tr("{where}, faq {number}").format(where=where, number=n), base)
        for n, f in enumerate(faq_items, 1)
    )
    local = []
    for lang, fields in sorted(local_fields.items()):
        facts_local = text_list(fields.get("facts", []), _field(where, f"facts_{lang}"), allow_empty=True)
        if facts_local and len(facts_local) != len(facts):
            raise InputError(
                tr("{where}: 'facts_{lang}' has {count} facts and 'facts' has {expected}.").format(
                    where=where, lang=lang, count=len(facts_local), expected=len(facts)
                ),
                tr("Give facts_{lang} one translation per fact, in the same order.").format(lang=lang),
            )
        local.append(
            Localized(
                lang,
                optional_text(fields.get("name"), _field(where, f"name_{lang}")),
                facts_local,
                optional_text(fields.get("promotion"), _field(where, f"promotion_{lang}")),
            )
        )
    return Product(
        product_id,
        name,
        price,
        currency,
        facts,
        faq,
        Path(image) if isinstance(image, str) else None,
        promotion,
        tuple(local),
    )


def _field(where: str, key: str) -> str:
    """``where`` and a key of it, as a message names a value: ``catalog.toml, product "mug": 'price'``."""
    return tr("{where}: '{key}'").format(where=where, key=key)


def _faq(item: object, where: str, base: str) -> Faq:
    if not isinstance(item, dict):
        raise InputError(
            tr("{where} is not a table.").format(where=where),
            tr('Write it as [[product.faq]] with q = "…" and a = "…".'),
        )
    local: dict[str, dict[str, str]] = {}
    for key, value in item.items():
        match = _FAQ_LOCAL_KEY.match(key)
        if match and match.group(2) != base:
            local.setdefault(match.group(2), {})[match.group(1)] = optional_text(value, _field(where, key))
        elif key not in ("q", "a"):
            raise InputError(
                tr("{where} has an unknown key '{key}'.").format(where=where, key=key),
                tr("A faq entry has q, a, q_zh and a_zh."),
            )
    q = optional_text(item.get("q"), _field(where, "q"), required=True)
    a = optional_text(item.get("a"), _field(where, "a"), required=True)
    for lang, pair in local.items():
        if bool(pair.get("q")) != bool(pair.get("a")):
            raise InputError(
                tr("{where}: give both q_{lang} and a_{lang}, or neither.").format(where=where, lang=lang),
                fix_hint(),
            )
    return Faq(q, a, tuple((lang, pair["q"], pair["a"]) for lang, pair in sorted(local.items())))


def spoken_texts(catalog: Catalog) -> list[tuple[str, str, str]]:
    """``(product id, field, text)`` for everything the host may say from the catalogue."""
    out: list[tuple[str, str, str]] = []
    for p in catalog.products:
        out += [(p.id, "name", p.name)]
        out += [(p.id, f"facts[{i}]", fact) for i, fact in enumerate(p.facts, 1)]
        out += [(p.id, "promotion", p.promotion)] if p.promotion else []
        for loc in p.local:
            out += [(p.id, f"name_{loc.language}", loc.name)] if loc.name else []
            out += [(p.id, f"facts_{loc.language}[{i}]", f) for i, f in enumerate(loc.facts, 1)]
            out += [(p.id, f"promotion_{loc.language}", loc.promotion)] if loc.promotion else []
        for n, faq in enumerate(p.faq, 1):
            out.append((p.id, f"faq {n} 'a'", faq.a))
            out += [(p.id, f"faq {n} 'a_{lang}'", a) for lang, _, a in faq.local]
    return out


def claims_in(catalog: Catalog, checker: Checker | None = None) -> list[tuple[str, str, Finding]]:
    """Every prohibited claim in the catalogue, as ``(product id, field, finding)``. Facts are
    checked as a looping show says them: a catalogue line is spoken again and again."""
    checker = checker or Checker()
    return [(pid, field, f) for pid, field, text in spoken_texts(catalog) for f in checker.check(text, True)]


def refuse_claims(catalog: Catalog, checker: Checker | None = None, raw: str = "") -> None:
    """Raise ``InputError`` for the first prohibited claim. With ``raw`` (the file's text) the line
    starts with the claim's ``FILE:LINE:COL``, as ``studio check`` writes it."""
    for product_id, field, finding in claims_in(catalog, checker)[:1]:
        where = catalog.source or tr("catalogue")
        placed = _place(raw, product_id, finding.text) if raw else None
        where = f"{where}:{placed[0]}:{placed[1]}:" if placed else tr("{where},").format(where=where)
        raise InputError(
            tr('{where} product "{id}", {field}: {finding}.').format(
                where=where, id=product_id, field=field, finding=printable(finding.describe())
            ),
            tr("Rephrase the fact as something you can show, or remove it."),
        )


def _place(raw: str, product_id: str, words: str) -> tuple[int, int] | None:
    """The 1-based line and column of ``words`` in the product's part of the file, if written as is."""
    header = re.search(rf"""^[ \t]*id[ \t]*=[ \t]*["']{re.escape(product_id)}["']""", raw, re.MULTILINE)
    start = raw.rfind("[[product]]", 0, header.start()) if header else -1
    at = raw.find(words, max(start, 0))
    if at < 0:
        return None
    line_start = raw.rfind("\n", 0, at) + 1
    return raw.count("\n", 0, at) + 1, at - line_start + 1


def format_catalog(catalog: Catalog) -> str:
    """The catalogue as TOML that ``load_catalog`` reads back to an equal catalogue."""
    lines = ["# Studio product catalogue", f"version = {CATALOG_VERSION}"]
    if catalog.language != "en":
        lines.append(f"language = {toml_string(catalog.language)}")
    for p in catalog.products:
        lines += ["", "[[product]]", f"id = {toml_string(p.id)}", f"name = {toml_string(p.name)}"]
        lines += [f"name_{loc.language} = {toml_string(loc.name)}" for loc in p.local if loc.name]
        lines += [f"price = {format(p.price, 'f')}", f"currency = {toml_string(p.currency)}"]
        if p.promotion:
            lines.append(f"promotion = {toml_string(p.promotion)}")
        lines += [
            f"promotion_{loc.language} = {toml_string(loc.promotion)}" for loc in p.local if loc.promotion
        ]
        lines.append(f"facts = [{', '.join(toml_string(f) for f in p.facts)}]")
        for loc in p.local:
            if loc.facts:
                lines.append(f"facts_{loc.language} = [{', '.join(toml_string(f) for f in loc.facts)}]")
        if p.image is not None:
            lines.append(f"image = {toml_string(p.image.as_posix())}")
        for faq in p.faq:
            lines += ["[[product.faq]]", f"q = {toml_string(faq.q)}", f"a = {toml_string(faq.a)}"]
            for lang, q, a in faq.local:
                lines += [f"q_{lang} = {toml_string(q)}", f"a_{lang} = {toml_string(a)}"]
    return "\n".join(lines) + "\n"


def save_catalog(catalog: Catalog, path: Path, checker: Checker | None = None) -> None:
    """Write ``catalog`` to ``path`` atomically (a kill or a full disk leaves the old file), after
    checking every line for claims and that the text reads back to the same catalogue."""
    refuse_claims(catalog, checker)
    text = format_catalog(catalog)
    folder = path.parent
    back = parse_catalog(tomllib.loads(text, parse_float=Decimal), str(path), None)
    if back.products != catalog.products or back.language != catalog.language:
        raise InputError(
            tr("the catalogue for {path} does not read back as written.").format(path=path),
            tr("Check its text fields."),
        )
    for product in catalog.products:
        if product.image is not None:
            check_image(
                folder / product.image,
                _field(tr('{where}, product "{id}"').format(where=path, id=product.id), "image"),
            )
    if len(text.encode("utf-8")) > MAX_CATALOG_BYTES:
        raise InputError(
            tr("the catalogue for {path} is over {size} KB.").format(
                path=path, size=MAX_CATALOG_BYTES // 1024
            ),
            tr("Split it."),
        )
    try:
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:  # a full disk, a read-only folder, a file where the folder should be
        raise InputError(
            tr("could not save the catalogue to {path} ({reason}).").format(
                path=path, reason=exc.strerror or exc
            ),
            tr("Check that the folder is writable and the disk is not full, then try again."),
        ) from None
