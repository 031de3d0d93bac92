"""What the host says to a viewer's question: only the catalogue's own words, or an honest "I'll check".

``answer(catalog, question, product=None)`` is pure (the catalogue and the question in, an ``Answer``
out), so the live engine, ``studio ask`` and the benchmark all say the same thing. An answer is one
of the catalogue's facts or FAQ answers verbatim, or its price and promotion, in the question's
language; nothing is composed, so no number or claim can appear that the merchant did not enter
(and the catalogue's texts passed the claims checker when it was loaded).

- A price question is answered with the price exactly as the catalogue writes it.
- A question nothing in the catalogue answers well enough gets "Good question, I'll check and come
  back to you." (kind ``none``): never a guess.
- A health or safety question (babies, allergies, toxic, eyes, …) is answered only by a passage
  that speaks of exactly that; otherwise it is declined (kind ``declined``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from studio.commerce.catalog import Catalog, Product
from studio.commerce.retrieval import Index, Terms, analyse, concepts, kinds
from studio.commerce.wording import price_words

# Share of the question's weight the best passage must match to be given as the answer; set on the
# benchmark's dev questions (benchmarks/bench_ask.py).
MIN_COVERAGE = 0.42
# A health or safety question needs more: the passage must speak of what was asked, nearly all of it.
MIN_HEALTH_COVERAGE = 0.6
# A viewer's comment longer than this is read only this far: the work per comment stays bounded.
MAX_QUESTION_CHARS = 500
KINDS = ("price", "shipping", "faq", "fact", "declined", "none")
NOT_ANSWERED = {
    "en": "Good question, I'll check and come back to you.",
    "zh": "好问题，我确认一下再回复你。",
}
DECLINED = {
    "en": (
        "Good question. I can only tell you what the product information says, and it doesn't cover "
        "that, so please check with a professional."
    ),
    "zh": "好问题。我只能按商品资料回答，资料里没有写到这一点，请咨询专业人士。",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Answer:
    text: str
    kind: str  # one of KINDS
    facts: tuple[str, ...] = ()  # the catalogue's words the answer rests on
    sources: tuple[str, ...] = ()  # where they are: "mug/fact/2", "mug/faq/1", "mug/price"
    confidence: float = 0.0  # 0..1: the share of the question the passage matched
    product: str | None = None
    language: str = "en"
    phrasing: str = "catalogue"  # "llm" when a language model worded it (studio.commerce.phrasing)

    @property
    def answered(self) -> bool:
        return self.kind not in ("none", "declined")


@dataclass(frozen=True)
class _Passage:
    product: Product
    ref: str  # "mug/fact/2"
    kind: str  # "fact" or "faq"
    number: int  # 1-based


def language_of(question: str) -> str:
    return "zh" if _CJK.search(question) else "en"


def answer(catalog: Catalog, question: str, product: str | None = None) -> Answer:
    """The answer to ``question``, from ``catalog`` only. ``product``: the product on screen (its id),
    used when the question does not name one."""
    question = question[:MAX_QUESTION_CHARS]
    lang = language_of(question)
    index, passages, vocabulary = _index(catalog)
    terms = analyse(question, vocabulary)
    current = [catalog.product(product)] if product else []
    named = _named_products(catalog, terms, kinds_only=bool(current))
    only = list(catalog.products) if len(catalog.products) == 1 else []
    candidates = named or current or only
    # The words that name the product say which product, not what is asked about it; a concept in
    # a name (bamboo: material) still is a topic when the product's passages speak of it.
    named_by = set().union(*(_name_terms(catalog, p) for p in candidates or catalog.products))
    ignore = {t for t in named_by if t[0] in "wbun" or kinds(frozenset([t[2:]])).get(t[2:]) == "product"}
    frames = {f"c:{c}" for c, k in kinds(terms.concepts).items() if k == "frame"}
    query = frozenset(t for t in terms.unique() if t not in ignore and t not in frames)
    concept_kinds = kinds(frozenset(t[2:] for t in query if t.startswith("c:")))
    health = {c for c, k in concept_kinds.items() if k == "health"}
    topics = {c for c, k in concept_kinds.items() if k == "" and f"c:{c}" not in named_by}
    wants_price = "price" in concept_kinds.values() or ("howmuch" in terms.concepts and not query)
    if wants_price and not topics and not health:
        if len(candidates) == 1:
            return _price(candidates[0], lang)
        return Answer(NOT_ANSWERED[lang], "none", language=lang)
    pool = [i for i, p in enumerate(passages) if not candidates or p.product in candidates]
    if not query or not pool:
        return _none(lang, health)
    best = max(pool, key=lambda i: (index.bm25(query, i), -i))
    coverage = index.coverage(query, best)
    if index.bm25(query, best) <= 0 or coverage < MIN_COVERAGE:
        return _none(lang, health, coverage)
    if health and (coverage < MIN_HEALTH_COVERAGE or not health <= index.docs[best].concepts):
        return _none(lang, health, coverage)
    return _from_passage(passages[best], index.docs[best], lang, coverage, catalog.language)


def _none(lang: str, health: set[str], coverage: float = 0.0) -> Answer:
    if health:
        return Answer(DECLINED[lang], "declined", confidence=coverage, language=lang)
    return Answer(NOT_ANSWERED[lang], "none", confidence=coverage, language=lang)


def _price(product: Product, lang: str) -> Answer:
    price = price_words(product, lang)
    name = product.name_in(lang)
    text = f"{name}的价格是{price}。" if lang == "zh" else f"The {name} is {price}."
    promotion = product.promotion_in(lang)
    facts = (product.price_text(), promotion) if promotion else (product.price_text(),)
    text = f"{text}{promotion}" if lang == "zh" else f"{text} {promotion}".strip()
    return Answer(text, "price", facts, (f"{product.id}/price",), 1.0, product.id, lang)


def _from_passage(passage: _Passage, doc: Terms, lang: str, coverage: float, base: str) -> Answer:
    product = passage.product
    if passage.kind == "faq":
        said = product.faq[passage.number - 1].answer(lang, base)
        text = said
    else:
        said = product.facts_in(lang)[passage.number - 1]
        text = f"{product.name_in(lang)}：{said}" if lang == "zh" else f"{product.name_in(lang)}: {said}"
    kind = "shipping" if "shipping" in doc.concepts else passage.kind
    return Answer(text, kind, (said,), (passage.ref,), round(coverage, 3), product.id, lang)


@lru_cache(maxsize=4)
def _index(catalog: Catalog) -> tuple[Index, list[_Passage], frozenset[str]]:
    docs: list[Terms] = []
    passages: list[_Passage] = []
    for product in catalog.products:
        langs = catalog.languages()
        for n in range(1, len(product.facts) + 1):
            text = " ".join(product.facts_in(lang)[n - 1] for lang in langs)
            docs.append(analyse(text))
            passages.append(_Passage(product, f"{product.id}/fact/{n}", "fact", n))
        for n, faq in enumerate(product.faq, 1):
            asked = analyse(" ".join(faq.question(lang, catalog.language) for lang in langs))
            said = analyse(" ".join(faq.answer(lang, catalog.language) for lang in langs))
            docs.append(_faq_terms(asked, said))
            passages.append(_Passage(product, f"{product.id}/faq/{n}", "faq", n))
    vocabulary = frozenset(t[2:] for d in docs for t in d.counts if t.startswith("w:"))
    vocabulary |= frozenset(w for c in concepts() for phrase in c.en for w in phrase)
    for product in catalog.products:
        vocabulary |= frozenset(t[2:] for t in _name_terms(catalog, product) if t.startswith("w:"))
    return Index(docs), passages, vocabulary


@lru_cache(maxsize=4096)
def _name_terms(catalog: Catalog, product: Product) -> frozenset[str]:
    names = " ".join([product.id, *(product.name_in(lang) for lang in catalog.languages())])
    return analyse(names).unique()


@lru_cache(maxsize=4096)
def _passage_terms(catalog: Catalog, product: Product) -> frozenset[str]:
    index, passages, _ = _index(catalog)
    return frozenset(
        t for i, p in enumerate(passages) if p.product == product for t in index.docs[i].unique()
    )


def _named_products(catalog: Catalog, terms: Terms, kinds_only: bool) -> list[Product]:
    """The products the question names: by a name term (a word, a bigram, or a kind of product such as
    cup or 台灯) that no other product's name has. ``kinds_only``: by a kind of product only, when a
    product is on screen (a name's describing word, "foldable", is no reason to switch products)."""
    product_kinds = {f"c:{c.id}" for c in concepts() if c.kind == "product"}
    names = {
        p.id: {t for t in _name_terms(catalog, p) if t in product_kinds or (t[0] in "wb" and not kinds_only)}
        for p in catalog.products
    }
    found = []
    for product in catalog.products:
        others = set().union(*(n for pid, n in names.items() if pid != product.id))
        distinctive = names[product.id] - others
        if distinctive & terms.unique():
            found.append(product)
    return found


def _faq_terms(asked: Terms, said: Terms) -> Terms:
    """An FAQ entry's terms: its question's twice, its answer's once. The question says what the
    entry is about; the answer's asides (the steel body in "must not go in the microwave") count
    less, so "what is it made of?" finds the material fact first."""
    counts = asked.counts + asked.counts + said.counts
    return Terms(counts, asked.concepts | said.concepts)
