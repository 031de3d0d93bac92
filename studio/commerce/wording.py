"""How a catalogue value is said: a price in words of the viewer's language, digits exactly as written."""

from __future__ import annotations

from studio.commerce.catalog import Product

_SYMBOL_BEFORE = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥"}
_ZH_UNIT = {"CNY": "元", "USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "HKD": "港币"}


def price_words(product: Product, lang: str) -> str:
    """``$19.99`` / ``19.99美元``: the catalogue's digits unchanged (never rounded or reformatted),
    with the currency as a listener of ``lang`` says it."""
    digits = format(product.price, "f")
    if lang == "zh":
        return f"{digits}{_ZH_UNIT.get(product.currency, ' ' + product.currency)}"
    symbol = _SYMBOL_BEFORE.get(product.currency)
    return f"{symbol}{digits}" if symbol else f"{digits} {product.currency}"
