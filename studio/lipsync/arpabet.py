"""ARPAbet phones (as flite and festival print them) to visemes.

Each phone is defined by the IPA it stands for (``ARPABET_IPA``); the viseme then comes from
the IPA table in ``visemes.py``, so ARPAbet and IPA input can never disagree (``er`` is RR like
``ɝ``, ``ax`` is E like ``ə``, ``ah`` is aa like ``ʌ``, ``hh`` takes the next phone's shape).

The phone set is festival's ``radio`` set, which flite's cmulex and festival's kal/ked diphone
and slt HTS voices all use, plus the TIMIT extras (``ix ux axh q``) that labelled corpora
carry. Phones may come upper-case and with cmudict stress digits (``AH0``); both are folded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studio.lipsync.visemes import (
    DIPHTHONG_SPLIT,
    VisemeTiming,
    phonemes_to_visemes,
    segment_ipa,
)
from studio.voice.base import PhonemeTiming

# "" is a pause. Syllabic consonants (el em en) keep only the consonant: the schwa before them
# is too short to show. nx (nasal flap) and dx (flap) are tongue-tip taps, like n and d.
ARPABET_IPA: Mapping[str, str] = {
    "aa": "ɑ", "ae": "æ", "ah": "ʌ", "ao": "ɔ", "aw": "aʊ", "ax": "ə", "axh": "ə", "axr": "ɚ",
    "ay": "aɪ", "eh": "ɛ", "er": "ɝ", "ey": "eɪ", "ih": "ɪ", "ix": "ɨ", "iy": "i", "ow": "oʊ",
    "oy": "ɔɪ", "uh": "ʊ", "uw": "u", "ux": "ʉ",
    "b": "b", "ch": "tʃ", "d": "d", "dh": "ð", "dx": "ɾ", "el": "l", "em": "m", "en": "n",
    "f": "f", "g": "ɡ", "hh": "h", "hv": "ɦ", "jh": "dʒ", "k": "k", "l": "l", "m": "m", "n": "n",
    "ng": "ŋ", "nx": "n", "p": "p", "q": "ʔ", "r": "ɹ", "s": "s", "sh": "ʃ", "t": "t", "th": "θ",
    "v": "v", "w": "w", "y": "j", "z": "z", "zh": "ʒ",
    # pauses: festival/flite "pau", TIMIT "h#" and "epi", festival "brth", HTK "sil"/"sp", "#"
    "pau": "", "h#": "", "#": "", "brth": "", "sil": "", "sp": "", "epi": "",
}  # fmt: skip


def _visemes_of(ipa: str) -> tuple[str, ...]:
    if ipa == "":
        return ("sil",)
    return tuple(viseme for _symbol, viseme, _share in segment_ipa(ipa))


_SEGMENTS = {phone: _visemes_of(ipa) for phone, ipa in ARPABET_IPA.items()}

# Single-target phones; ``next`` marks hh/hv/q, which show the following phone's viseme.
ARPABET_VISEMES: Mapping[str, str] = {p: v[0] for p, v in _SEGMENTS.items() if len(v) == 1}
# Diphthongs: (onset, offset); the onset gets DIPHTHONG_SPLIT of the phone's duration.
ARPABET_DIPHTHONGS: Mapping[str, tuple[str, str]] = {
    p: (v[0], v[1]) for p, v in _SEGMENTS.items() if len(v) == 2
}


def normalize_phone(phone: str) -> str:
    """``phone`` lower-cased without cmudict stress digits (``AH0`` -> ``ah``)."""
    return phone.strip().lower().rstrip("012")


def arpabet_to_ipa(phone: str) -> str:
    """The IPA for one ARPAbet phone; ``""`` for pauses. Unknown phones raise ``KeyError``.

    Raising rather than guessing matters for training data: a phone set we have not mapped
    (a new voice, a different lexicon) should stop a recipe, not quietly become silence.
    """
    key = normalize_phone(phone)
    if key not in ARPABET_IPA:
        raise KeyError(f"unknown ARPAbet phone {phone!r}")
    return ARPABET_IPA[key]


def arpabet_to_visemes(phones: Sequence[tuple[str, float, float]]) -> list[VisemeTiming]:
    """``(phone, start, end)`` spans in seconds to contiguous viseme spans, gaps as ``sil``.

    Goes through the IPA path (``phonemes_to_visemes``), so the diphthong split, h/q taking
    the next phone's shape and pause merging follow exactly one set of rules.
    """
    return phonemes_to_visemes([PhonemeTiming(arpabet_to_ipa(p), s, e) for p, s, e in phones])


def render_markdown_arpabet() -> str:
    """The ARPAbet section of ``docs/VISEMES.md``."""
    split = f"{round(DIPHTHONG_SPLIT * 100)}/{round((1 - DIPHTHONG_SPLIT) * 100)}"
    lines = [
        "## ARPAbet (flite, festival)",
        "",
        "Generated from `studio/lipsync/arpabet.py`. Each phone maps through its IPA, so it",
        "always agrees with the table above. Phones are matched lower-case without stress",
        f'digits (`AH0` is `ah`); `""` is a pause (`sil`). Diphthongs split {split}.',
        "",
        "| ARPAbet | IPA | viseme |",
        "|---|---|---|",
    ]
    for phone, ipa in ARPABET_IPA.items():
        segments = _SEGMENTS[phone]
        viseme = " → ".join(segments) if len(segments) > 1 else segments[0]
        shown = ipa if ipa else '""'
        # the phone in backticks, so "q" or "y" never reads as the IPA row of the same letter
        lines.append(f"| `{phone}` | {shown} | {viseme} |")
    return "\n".join(lines) + "\n"
