"""A show's rundown made from the catalogue and user-editable templates (``studio show from-catalog``).

Each product gets four segments, in order: intro, features (one sentence per fact), the offer, and a
call to action. The words come from a template file per language (``templates/en.toml``,
``templates/zh.toml``, or the user's own folder); the facts and prices come only from the catalogue.
Every generated line is checked as the looping show will say it: a template whose line would make
a prohibited claim is refused, naming the template, the product and the finding.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from studio.commerce.catalog import Catalog, Product
from studio.commerce.wording import price_words
from studio.compliance import Checker, check_segments
from studio.errors import InputError, printable
from studio.live.rundown import Rundown, Segment
from studio.storage.text_file import parse_toml, read_text
from studio.translation import tr

TEMPLATE_VERSION = 1
# Each template line, and the placeholders it may use.
PARTS = {
    "intro": ("name", "price"),
    "feature": ("name", "fact"),
    "offer": ("name", "price"),
    "offer_with_promotion": ("name", "price", "promotion"),
    "call_to_action": ("name", "price"),
}


def _fix() -> str:
    return tr("See studio/commerce/templates/en.toml for a template file.")


@dataclass(frozen=True)
class Templates:
    language: str
    lines: dict[str, str]
    source: str


def load_templates(lang: str, folder: Path | None = None) -> Templates:
    """The template for ``lang``: ``folder/<lang>.toml``, or Studio's own when ``folder`` is None."""
    if folder is None:
        text = resources.files("studio.commerce").joinpath(f"templates/{lang}.toml").read_text("utf-8")
        source = tr("Studio's {lang}.toml template").format(lang=lang)
    else:
        path = folder / f"{lang}.toml"
        if not folder.is_dir():
            raise InputError(
                tr("--templates {folder} is not a folder.").format(folder=folder),
                tr("Give a folder holding {lang}.toml.").format(lang=lang),
            )
        if not path.exists():
            raise InputError(
                tr("--templates {folder} has no {lang}.toml.").format(folder=folder, lang=lang),
                tr("Copy studio/commerce/templates/ there."),
            )
        text, source = read_text(path, tr("the template"), "--templates"), str(path)
    data = parse_toml(text, tr("template {source}").format(source=source), tr("template"), _fix())
    return Templates(lang, _lines(data, source), source)


def _lines(data: dict[str, object], source: str) -> dict[str, str]:
    if data.get("version") != TEMPLATE_VERSION:
        raise InputError(
            tr("template {source} is not version {version}.").format(source=source, version=TEMPLATE_VERSION),
            _fix(),
        )
    unknown = set(data) - set(PARTS) - {"version"}
    if unknown:
        raise InputError(
            tr("template {source} has unknown keys: {keys}.").format(
                source=source, keys=", ".join(sorted(unknown))
            ),
            _fix(),
        )
    lines = {}
    for key, allowed in PARTS.items():
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(
                tr("template {source}: '{key}' is missing or not text.").format(source=source, key=key),
                _fix(),
            )
        try:
            fields = [
                (f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value) if f is not None
            ]
        except ValueError as exc:
            raise InputError(
                tr("template {source}: '{key}' has a broken placeholder ({reason}).").format(
                    source=source, key=key, reason=exc
                ),
                _fix(),
            ) from None
        names = {f for f, _, _ in fields}
        for f, spec, conv in fields:
            if spec or conv:  # a width of 10**9 would fill memory, a bad spec raise: a sentence needs none
                raise InputError(
                    tr(
                        "template {source}: '{key}' formats {{{field}}}; write it plain, as {{{field}}}."
                    ).format(source=source, key=key, field=f),
                    _fix(),
                )
        bad = sorted(names - set(allowed))
        if bad:
            raise InputError(
                tr("template {source}: '{key}' uses {{{field}}}; it may use {allowed}.").format(
                    source=source, key=key, field=bad[0], allowed=", ".join("{" + a + "}" for a in allowed)
                ),
                _fix(),
            )
        lines[key] = value.strip()
    return lines


def show_from_catalog(
    catalog: Catalog, templates: Templates, loop: bool = True, checker: Checker | None = None
) -> Rundown:
    """The rundown for every product of ``catalog`` in the templates' language, every line checked."""
    lang = templates.language
    parts: list[tuple[Product, str, str]] = []  # (product, template key, text)
    for product in catalog.products:
        values = {"name": product.name_in(lang), "price": price_words(product, lang)}
        promotion = product.promotion_in(lang)
        offer = "offer_with_promotion" if promotion else "offer"
        features = ("" if lang == "zh" else " ").join(
            templates.lines["feature"].format(fact=f, **values) for f in product.facts_in(lang)
        )
        parts += [
            (product, "intro", templates.lines["intro"].format(**values)),
            (product, "feature", features),
            (product, offer, templates.lines[offer].format(promotion=promotion, **values)),
            (product, "call_to_action", templates.lines["call_to_action"].format(**values)),
        ]
    for number, finding in check_segments([(text, 1) for _, _, text in parts], loop, checker or Checker()):
        product, key, _ = parts[number - 1]
        raise InputError(
            tr("template {source}: '{key}' makes a flagged line for product \"{id}\": {finding}.").format(
                source=templates.source, key=key, id=product.id, finding=printable(finding.describe())
            ),
            tr("Reword the template line (or the fact in the catalogue) and run it again."),
        )
    segments = tuple(
        Segment(text, title=f"{product.id}: {key.replace('_with_promotion', '')}", product=product.id)
        for product, key, text in parts
    )
    return Rundown(segments, loop, catalog.source)
