"""Finding the catalogue passage (a fact or an FAQ entry) that answers a viewer's question, offline.

Text becomes terms that match across wording and language:

- English words, stemmed crudely (``drinks``, ``drink``; ``charging``, ``charge``), with typos put
  right against the catalogue's own words (``batery`` is ``battery``);
- Chinese as character bigrams and single characters, so no segmenter is needed
  (``热水能保温多久`` shares 保温 with ``热饮保温6小时``);
- numbers as written;
- concepts from ``synonyms.toml``: ``coffee``, ``tea`` and ``饮`` are all ``drink``, ``how long``,
  ``hours`` and ``多久`` are all ``duration``, so paraphrases and the other language meet.

Passages are ranked with BM25 (``k1 = 1.2``, ``b = 0.75``); the best one's *coverage*, the share of the
question's weight it matches, is the confidence: a question whose words the catalogue does not have
(``toddler``, ``pocket``, 产地) gets a low one and is not answered.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from studio.compliance.normalize import fold

K1, B = 1.2, 0.75
# How much each kind of term says about what a question asks: a shared concept most, a single
# Chinese character little (的, 是 and 有 are everywhere; 厚 and 重 come in as concepts).
WEIGHT = {"c": 2.0, "w": 1.0, "n": 1.0, "b": 1.0, "u": 0.4}
# A Chinese bigram no passage has is mostly a pair across a word boundary (温多 in 保温多久), not a
# topic the catalogue lacks; an English word or a concept no passage has is.
UNSEEN_NGRAM = 0.3
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|\d+(?:\.\d+)?")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_STOP_EN_WORDS = """
a an the is are am was were be been being do does did doing done it its it's this that these those i
i'm me my mine you your yours we our they them their he she him her of for to in on at by with and
or but if so can could will would should shall may might must have has had having get got there here
what whats what's which who whom how when where why any some very just also too not no don't doesn't
doesnt dont isn't isnt please hi hello hey thanks thank ok okay still after before about up out as
from into than then does is it yes really much many more most lot lots one ones thing things want
need know tell question u ur pls plz gonna wanna like
"""
_STOP_EN = frozenset(_STOP_EN_WORDS.split())
_STOP_ZH = frozenset(
    "的了吗呢吧啊呀哦嘛么是有这那个们在和与就都也还会能可以要不没我你他她它请问下一样怎什多少几哪些吧"
)


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str  # "", "price", "health" or "product"
    en: tuple[tuple[str, ...], ...]  # stemmed word sequences
    zh: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    """A text's terms (``c:duration``, ``w:keep``, ``n:6``, ``b:保温``, ``u:热``) and its concepts."""

    counts: Counter[str]
    concepts: frozenset[str]

    def unique(self) -> frozenset[str]:
        return frozenset(self.counts)


def stem(word: str) -> str:
    """A crude English stem, the same for the forms a viewer and a fact use (holds/hold, charging/charge)."""
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@cache
def concepts() -> tuple[Concept, ...]:
    text = resources.files("studio.commerce").joinpath("synonyms.toml").read_text(encoding="utf-8")
    out = []
    for item in tomllib.loads(text)["concept"]:
        en = tuple(tuple(stem(w) for w in _WORD.findall(fold(p).text)) for p in item.get("en", []))
        zh = tuple(fold(z).text for z in item.get("zh", []))
        out.append(Concept(item["id"], item.get("kind", ""), tuple(e for e in en if e), zh))
    return tuple(out)


def analyse(text: str, vocabulary: frozenset[str] = frozenset()) -> Terms:
    """The terms of ``text``. With ``vocabulary`` (the catalogue's words), an English word that is
    not in it is read as the closest one that is, when one is close (a typo)."""
    folded = fold(text).text
    raw = _WORD.findall(folded)
    words = [stem(w) for w in raw]
    if vocabulary:
        words = [_corrected(w, vocabulary) for w in words]
    counts: Counter[str] = Counter()
    found: Counter[str] = Counter()
    used = [False] * len(words)
    for concept, phrase in _en_phrases():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if words[i : i + n] == list(phrase) and not any(used[i : i + n]):
                used[i : i + n] = [True] * n
                found[concept] += 1
    for original, word, in_concept in zip(raw, words, used, strict=True):
        if word[0].isdigit():
            counts[f"n:{word}"] += 1
        elif original not in _STOP_EN and word not in _STOP_EN and len(word) > 1 and not in_concept:
            counts[f"w:{word}"] += 1  # a word of a concept counts as the concept only
    taken = [False] * len(folded)
    for concept, surface in _zh_strings():  # Chinese strings, some with Latin letters (t恤, type-c)
        at = folded.find(surface)
        while at >= 0:
            if not any(taken[at : at + len(surface)]):
                taken[at : at + len(surface)] = [True] * len(surface)
                found[concept] += 1
            at = folded.find(surface, at + 1)
    for run in _CJK_RUN.finditer(folded):
        # Characters a concept took count as the concept only, as English words do; a pair with a
        # function character (什么, 没有, 多少) is the question's frame, not its topic.
        free = [i for i in range(run.start(), run.end()) if not taken[i]]
        counts.update(f"u:{folded[i]}" for i in free if folded[i] not in _STOP_ZH)
        pairs = (folded[i : i + 2] for i in free if i + 1 in free)
        counts.update(f"b:{pair}" for pair in pairs if not set(pair) & _STOP_ZH)
    counts.update(f"c:{c}" for c in found)
    return Terms(counts, frozenset(found))


@cache
def _en_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every concept's English phrases, longest first, so ``cup holder`` is read before ``cup``."""
    pairs = [(c.id, phrase) for c in concepts() for phrase in c.en]
    return tuple(sorted(pairs, key=lambda p: -len(p[1])))


@cache
def _zh_strings() -> tuple[tuple[str, str], ...]:
    pairs = [(c.id, s) for c in concepts() for s in c.zh if s and _CJK_RUN.search(s)]
    return tuple(sorted(pairs, key=lambda p: -len(p[1])))


@cache
def concept_words() -> frozenset[str]:
    return frozenset(w for c in concepts() for phrase in c.en for w in phrase)


def _corrected(word: str, vocabulary: frozenset[str]) -> str:
    """``word``, or the catalogue word it is a typo of: one letter off in a word of five or more
    letters, or two letters swapped in a four-letter one (``lnog``). Shorter words are left alone:
    too many real words are one letter apart (``kind``, ``kid``)."""
    if len(word) < 4 or word in vocabulary or word in _STOP_EN or word[0].isdigit():
        return word
    if len(word) == 4:
        swapped = [v for v in vocabulary if len(v) == 4 and sorted(v) == sorted(word)]
        return swapped[0] if len(swapped) == 1 else word
    close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
    return close[0] if close else word


def kinds(concept_ids: frozenset[str]) -> dict[str, str]:
    by_id = {c.id: c.kind for c in concepts()}
    return {c: by_id.get(c, "") for c in concept_ids}


class Index:
    """BM25 over passages; ``idf`` counts documents over the whole catalogue."""

    def __init__(self, docs: list[Terms]) -> None:
        self.docs = docs
        self.df: Counter[str] = Counter(t for d in docs for t in d.unique())
        self.avg_len = sum(sum(d.counts.values()) for d in docs) / max(len(docs), 1)

    def idf(self, term: str) -> float:
        n, df = len(self.docs), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def weight(self, term: str) -> float:
        kind = term[0]
        w = WEIGHT.get(kind, 1.0) * self.idf(term)
        return w * UNSEEN_NGRAM if kind in "bu" and term not in self.df else w

    def bm25(self, query: frozenset[str], doc: int) -> float:
        d = self.docs[doc]
        length = sum(d.counts.values())
        score = 0.0
        for term in query & d.unique():
            tf = d.counts[term]
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg_len))
            score += WEIGHT.get(term[0], 1.0) * self.idf(term) * norm
        return score

    def coverage(self, query: frozenset[str], doc: int) -> float:
        total = sum(self.weight(t) for t in query)
        return sum(self.weight(t) for t in query & self.docs[doc].unique()) / total if total else 0.0
