"""The live-commerce room's core: the product catalogue, shows made from it, and answers to viewers
given only from its facts.

``load_catalog(path)`` reads and checks ``catalog.toml``; ``show_from_catalog`` writes a rundown from
user-editable templates; ``answer(catalog, question)`` is what the host says to a viewer's question,
with the facts it used, so the live engine and ``studio ask`` say the same thing.
"""

from __future__ import annotations

from studio.commerce.catalog import (
    CATALOG_VERSION,
    Catalog,
    Faq,
    Localized,
    Product,
    claims_in,
    format_catalog,
    load_catalog,
    parse_catalog,
    save_catalog,
)

__all__ = [
    "CATALOG_VERSION",
    "Catalog",
    "Faq",
    "Localized",
    "Product",
    "claims_in",
    "format_catalog",
    "load_catalog",
    "parse_catalog",
    "save_catalog",
]
