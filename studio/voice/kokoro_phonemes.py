"""Kokoro's phoneme alphabet: English text into it, its symbols into IPA, and token ids.

Kokoro v1.0 was trained on misaki's symbol set: IPA with a few single letters for diphthongs
and affricates ("A" = eɪ, "I" = aɪ, "ʧ" = tʃ, "ꭧ" = ʈʂ ...) and Mandarin tones as arrows
(→ ↗ ↓ ↘ = tones 1-4). Every symbol is one model token with a duration of its own.

English comes from espeak-ng's IPA, rewritten into misaki's set with misaki's own table
(``misaki.espeak.EspeakFallback``, Apache-2.0); that is how other Kokoro ONNX runners read
English too, and it needs no spaCy model.
"""

from __future__ import annotations

import re

from studio.voice import espeak_lib

MAX_TOKENS = 510  # the model's positional limit, without the two pad tokens
TONES = frozenset("→↗↓↘")
STRESS = frozenset("ˈˌ")
# Marks that belong to the phoneme before them (length, aspiration, palatal, nasal).
ATTACHED = frozenset("ːʰʲ\u0303") | TONES
PAUSE_SYMBOLS = frozenset(';:,.!?—…"()“”')
_ESPEAK_TIE = "\u200d"

# misaki.espeak.EspeakFallback.E2M, longest first ('^' is the tie between two letters).
_E2M = sorted(
    {
        "ʔˌn\u0329": "ʔn",
        "ʔn\u0329": "ʔn",
        "a^ɪ": "I",
        "a^ʊ": "W",
        "d^ʒ": "ʤ",
        "e^ɪ": "A",
        "e": "A",
        "t^ʃ": "ʧ",
        "ɔ^ɪ": "Y",
        "ə^l": "ᵊl",
        "ʲo": "jo",
        "ʲə": "jə",
        "ʲ": "",
        "ɚ": "əɹ",
        "r": "ɹ",
        "x": "k",
        "ç": "k",
        "ɐ": "ə",
        "ɬ": "l",
        "\u0303": "",
    }.items(),
    key=lambda kv: -len(kv[0]),
)
# misaki letters and ligatures -> the IPA the viseme table knows.
_TO_IPA = {
    "A": "eɪ",
    "I": "aɪ",
    "O": "oʊ",
    "Q": "əʊ",
    "W": "aʊ",
    "Y": "ɔɪ",
    "ʤ": "dʒ",
    "ʧ": "tʃ",
    "ʦ": "ts",
    "ʣ": "dz",
    "ʨ": "tɕ",
    "ʥ": "dʑ",
    "ꭧ": "ʈʂ",
    "ᵊ": "ə",
    "T": "ɾ",
    "ᵻ": "ɨ",
}
# espeak-ng names British English "en" (its "en-gb" is only a language, not a voice).
_ESPEAK_VOICES = {"en-us": "en-us", "en-gb": "en"}


def english_phonemes(text: str, language: str = "en-US") -> str:
    """``text`` in misaki's symbols, through espeak-ng (American unless ``language`` is en-GB)."""
    british = language.strip().lower().replace("_", "-") == "en-gb"
    voice = _ESPEAK_VOICES["en-gb" if british else "en-us"]
    ps = espeak_lib.text_to_ipa(text, voice, keep_ties=True).replace(_ESPEAK_TIE, "^")
    ps = re.sub(r"\([a-z-]+\)", "", ps)  # espeak's language-switch flags, e.g. "(zh)"
    for old, new in _E2M:
        ps = ps.replace(old, new)
    ps = re.sub(r"(\S)\u0329", r"ᵊ\1", ps).replace("\u0329", "")
    if british:
        ps = ps.replace("e^ə", "ɛː").replace("iə", "ɪə").replace("ə^ʊ", "Q")
    else:
        ps = ps.replace("o^ʊ", "O").replace("ɜːɹ", "ɜɹ").replace("ɜː", "ɜɹ").replace("ɪə", "iə")
        ps = ps.replace("ː", "")
    ps = ps.replace("o", "ɔ")  # espeak-ng before 1.52 writes o where misaki has ɔ
    ps = ps.replace("ɾ", "T").replace("ʔ", "t")
    return ps.replace("^", "")


def to_ipa(symbol: str) -> str:
    """One misaki phoneme (with its attached marks) as IPA without tone or stress marks."""
    return "".join(_TO_IPA.get(ch, ch) for ch in symbol if ch not in TONES and ch not in STRESS)


def tokenize(phonemes: str, vocab: dict[str, int]) -> list[str]:
    """``phonemes`` as model symbols, one per token; symbols the model never saw are dropped."""
    return [ch for ch in phonemes if ch in vocab]


def split_tokens(symbols: list[str], limit: int = MAX_TOKENS) -> list[list[str]]:
    """``symbols`` in runs of at most ``limit``, each ending at the last pause symbol that fits
    (else the last space, else at the limit), so a long sentence breaks where a speaker would."""
    runs: list[list[str]] = []
    rest = symbols
    while len(rest) > limit:
        window = rest[:limit]
        cut = next((i + 1 for i in range(limit - 1, 0, -1) if window[i] in PAUSE_SYMBOLS), 0)
        if not cut:
            cut = next((i + 1 for i in range(limit - 1, 0, -1) if window[i] == " "), limit)
        runs.append(rest[:cut])
        rest = rest[cut:]
        while rest and rest[0] == " ":
            rest = rest[1:]
    if rest:
        runs.append(rest)
    return runs
