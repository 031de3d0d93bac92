"""IPA phonemes to visemes, and the mouth pose each viseme aims for.

The 15 visemes follow the widely used Oculus/MPEG-4-style set. Their order in ``VISEMES`` is a
public contract: the ONNX lip-sync model's output columns and the CSV exports use it.

The table covers the IPA that espeak-ng and Piper emit for English and for Mandarin (``cmn``).
Symbols are matched greedily, longest first, after folding away marks that do not change the
lip shape (stress, length, tones, aspiration, ties), so both ``"tʃ"`` and ``"t‍ʃ"`` (with a
zero-width joiner, as espeak's ``--ipa=3`` writes it) become one ``CH``. ``docs/VISEMES.md`` is
generated from this module by ``render_markdown()``; a test keeps the two identical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from studio.voice.base import PhonemeTiming

VISEMES = ("sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou")
VISEME_INDEX: Mapping[str, int] = {name: i for i, name in enumerate(VISEMES)}

Pose = tuple[float, float, float, float, float]

# Target (jaw, width, round, close, tuck) per viseme; see mouth.MOUTH_PARAMS for the ranges.
# Drivers blend between these, so they are the shape at the centre of a clearly articulated
# phone, not an average over it.
VISEME_POSES: Mapping[str, Pose] = {
    "sil": (0.00, 0.00, 0.00, 0.30, 0.00),  # resting: jaw shut, lips lightly together
    "PP": (0.04, 0.00, 0.10, 1.00, 0.00),  # lips pressed shut
    "FF": (0.12, 0.10, 0.00, 0.30, 1.00),  # lower lip tucked under the upper teeth
    "TH": (0.20, 0.15, 0.00, 0.00, 0.00),  # tongue tip between the teeth, lips apart
    "DD": (0.20, 0.10, 0.00, 0.00, 0.00),
    "kk": (0.28, 0.00, 0.00, 0.00, 0.00),
    "CH": (0.14, -0.35, 0.55, 0.00, 0.00),  # lips pushed forward, teeth nearly together
    "SS": (0.08, 0.35, 0.00, 0.00, 0.00),  # teeth together, lips spread
    "nn": (0.18, 0.05, 0.00, 0.00, 0.00),
    "RR": (0.20, -0.20, 0.45, 0.00, 0.00),
    "aa": (0.75, 0.10, 0.00, 0.00, 0.00),  # jaw wide open
    "E": (0.45, 0.45, 0.00, 0.00, 0.00),
    "ih": (0.25, 0.55, 0.00, 0.00, 0.00),
    "oh": (0.50, -0.50, 0.70, 0.00, 0.00),
    "ou": (0.20, -0.75, 1.00, 0.00, 0.00),  # tight round pucker
}

# Marker for phones with no lip shape of their own (h, glottal stop): they show the next phone.
NEXT = "next"

# Single phones and affricates. Each entry documents itself in docs/VISEMES.md.
PHONEME_VISEMES: Mapping[str, str] = {
    # bilabials (ɸ β are near-closures, closer to PP than to anything else)
    "p": "PP", "b": "PP", "m": "PP", "ɓ": "PP", "ʙ": "PP", "ɸ": "PP", "β": "PP",
    # labiodentals
    "f": "FF", "v": "FF", "ɱ": "FF", "ʋ": "FF", "pf": "FF",
    # dentals
    "θ": "TH", "ð": "TH",
    # alveolar / retroflex stops and the flap
    "t": "DD", "d": "DD", "ɾ": "DD", "ʈ": "DD", "ɖ": "DD", "ɗ": "DD", "ɽ": "DD",
    # velar, palatal and uvular stops and fricatives (Mandarin h is [x])
    "k": "kk", "ɡ": "kk", "g": "kk", "ŋ": "kk", "x": "kk", "ɣ": "kk", "q": "kk", "ɢ": "kk",
    "χ": "kk", "ʁ": "kk", "c": "kk", "ɟ": "kk", "ç": "kk", "ɰ": "kk",
    # postalveolar, alveolo-palatal (Mandarin j q x) and retroflex (Mandarin zh ch sh) sibilants
    "ʃ": "CH", "ʒ": "CH", "tʃ": "CH", "dʒ": "CH", "ɕ": "CH", "ʑ": "CH", "tɕ": "CH",
    "dʑ": "CH", "ʂ": "CH", "ʈʂ": "CH", "ɖʐ": "CH", "tʂ": "CH", "dʐ": "CH",
    # alveolar sibilants and affricates (Mandarin z c s)
    "s": "SS", "z": "SS", "ts": "SS", "dz": "SS",
    # nasals and laterals that leave the lips alone
    "n": "nn", "l": "nn", "ɫ": "nn", "ɲ": "nn", "ɳ": "nn", "ʎ": "nn", "ɭ": "nn", "ʟ": "nn",
    "ɬ": "nn", "ɮ": "nn",
    # rhotics (Mandarin r is [ʐ] or [ɻ], lightly rounded)
    "ɹ": "RR", "r": "RR", "ɻ": "RR", "ʐ": "RR", "ʀ": "RR", "ɚ": "RR", "ɝ": "RR",
    # open vowels
    "a": "aa", "ɑ": "aa", "ɐ": "aa", "æ": "aa", "ʌ": "aa", "ä": "aa", "ɶ": "aa",
    # mid unrounded vowels (Mandarin e is [ɤ])
    "e": "E", "ɛ": "E", "ə": "E", "ɜ": "E", "ɘ": "E", "ɤ": "E",
    # close unrounded vowels and the palatal glide (ᵻ is espeak's reduced vowel, not silence)
    "i": "ih", "ɪ": "ih", "ɨ": "ih", "ᵻ": "ih", "ɯ": "ih", "j": "ih", "ʝ": "ih",
    # mid rounded vowels
    "o": "oh", "ɔ": "oh", "ɒ": "oh", "ɵ": "oh", "œ": "oh", "ɞ": "oh",
    # close rounded vowels and glides (Mandarin ü is [y], its glide [ɥ])
    "u": "ou", "ʊ": "ou", "ʉ": "ou", "w": "ou", "ʍ": "ou", "y": "ou", "ʏ": "ou", "ø": "ou",
    "ɥ": "ou",
    # no lip shape of their own
    "h": NEXT, "ɦ": NEXT, "ʔ": NEXT, "ħ": NEXT, "ʕ": NEXT, "ʜ": NEXT, "ʢ": NEXT,
}  # fmt: skip

# Diphthongs: onset and offset visemes; the onset gets DIPHTHONG_SPLIT of the duration.
DIPHTHONGS: Mapping[str, tuple[str, str]] = {
    "aɪ": ("aa", "ih"), "aʊ": ("aa", "ou"), "eɪ": ("E", "ih"), "oʊ": ("oh", "ou"),
    "əʊ": ("E", "ou"), "ɔɪ": ("oh", "ih"), "ɪə": ("ih", "E"), "eə": ("E", "E"),
    "ʊə": ("ou", "E"), "ai": ("aa", "ih"), "ei": ("E", "ih"), "au": ("aa", "ou"),
    "ao": ("aa", "ou"), "ou": ("oh", "ou"), "əu": ("E", "ou"), "oɪ": ("oh", "ih"),
}  # fmt: skip
DIPHTHONG_SPLIT = 0.6

VOWELS = frozenset(
    "aɑɐæʌäɶeɛəɜɘɤiɪɨᵻɯoɔɒɵœɞuʊʉyʏøɚɝ"
)  # a segment built from one of these gets vowel undershoot in the driver

# Folded away: stress, length, tones (digits and Chao letters), ties, joiners, syllable breaks.
_FOLD = re.compile(r"[ˈˌːˑ˞ʰʲʷˠˤ˥˦˧˨˩0-9\u200d\u200c\u0361\u035c‿|‖]")
# An h straight after a stop is aspiration (espeak's Mandarin writes "ts.h", "kh"), not a phone.
_ASPIRATION = re.compile(r"(?<=[ptkcqɕʂ])h")
_LANG_SWITCH = re.compile(r"\([^)]*\)")  # espeak's "(en)" / "(cmn)" language-switch markers
# espeak-ng's Mandarin writes retroflex as "<letter>." ("s." for ʂ, "i." for the apical vowel).
_ESPEAK_RETROFLEX = {"ts.": "ʈʂ", "s.": "ʂ", "z.": "ʐ", "i.": "ɨ"}
_PUNCTUATION = frozenset(",.;:!?…—–-()[]\"'«»、，。；：！？")
_STRESS = frozenset("ˈˌ")
_SYMBOL_LENGTHS = sorted({len(k) for k in (*PHONEME_VISEMES, *DIPHTHONGS)}, reverse=True)


@dataclass(frozen=True)
class VisemeTiming:
    """One viseme over ``[start, end)`` seconds. ``vowel`` marks segments that may undershoot."""

    viseme: str
    start: float
    end: float
    vowel: bool = False
    phoneme: str = ""  # the IPA it came from, for debugging and CSV output

    @property
    def duration(self) -> float:
        return self.end - self.start


def clean_ipa(ipa: str) -> str:
    """``ipa`` without marks that do not change the lip shape (stress, length, tone, ties...)."""
    text = _LANG_SWITCH.sub("", ipa.replace("\u200d", ""))
    for dotted, symbol in _ESPEAK_RETROFLEX.items():
        text = text.replace(dotted, symbol)
    text = unicodedata.normalize("NFC", _ASPIRATION.sub("", _FOLD.sub("", text)))
    return "".join(ch for ch in text if not unicodedata.combining(ch) and not ch.isspace())


def _nearest(ch: str) -> str | None:
    """The known symbol closest to an unknown one: its base letter (ã → a, ǚ → y) or lowercase."""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    for candidate in (base, base.lower(), {"ü": "y"}.get(ch.lower(), "")):
        if candidate in PHONEME_VISEMES:
            return candidate
    return None


def segment_ipa(ipa: str) -> list[tuple[str, str, float]]:
    """Split one phoneme string into ``(symbol, viseme, share of duration)`` segments.

    Unknown symbols are mapped to their nearest known base letter or skipped, never raised on.
    A lone diphthong splits 60/40; any other multi-segment token gives its first segment the
    same 1.5x weight, since the first target is the one the listener sees held.
    """
    text = clean_ipa(ipa)
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        for length in _SYMBOL_LENGTHS:
            piece = text[i : i + length]
            if len(piece) == length and piece in DIPHTHONGS:
                onset, offset = DIPHTHONGS[piece]
                found += [(piece[0], onset), (piece[1:], offset)]
                break
            if len(piece) == length and piece in PHONEME_VISEMES:
                found.append((piece, PHONEME_VISEMES[piece]))
                break
        else:
            near = _nearest(text[i])
            if near is not None:
                found.append((near, PHONEME_VISEMES[near]))
            length = 1
        i += length
    if not found:
        return []
    weights = [1.5] + [1.0] * (len(found) - 1) if len(found) > 1 else [1.0]
    total = sum(weights)
    return [(sym, vis, w / total) for (sym, vis), w in zip(found, weights, strict=True)]


def split_ipa(ipa: str) -> list[str]:
    """Split a word's IPA (as ``espeak-ng --ipa`` prints it) into one string per phoneme.

    Diphthongs and affricates stay whole, so the result suits ``phonemes_to_visemes``.
    """
    text = clean_ipa(ipa)
    parts: list[str] = []
    i = 0
    while i < len(text):
        length = next(
            (n for n in _SYMBOL_LENGTHS if text[i : i + n] in PHONEME_VISEMES or
             text[i : i + n] in DIPHTHONGS),
            1,
        )  # fmt: skip
        parts.append(text[i : i + length])
        i += length
    return parts


def phoneme_to_viseme(ipa: str) -> str:
    """The viseme of one phoneme. Pauses and unknown symbols give ``"sil"``.

    h and the glottal stop have no shape of their own; alone they give ``"sil"`` here, while
    ``phonemes_to_visemes`` gives them the next phone's viseme. A diphthong gives its onset.
    """
    for _symbol, viseme, _share in segment_ipa(ipa):
        if viseme != NEXT:
            return viseme
    return "sil"


def _is_pause(raw: str) -> bool:
    stripped = _LANG_SWITCH.sub("", raw).strip()
    return raw == "" or (stripped != "" and all(ch in _PUNCTUATION for ch in stripped))


def phonemes_to_visemes(phonemes: Sequence[PhonemeTiming]) -> list[VisemeTiming]:
    """Turn engine phoneme timings into contiguous, non-overlapping viseme timings.

    - ``""`` and punctuation are pauses (``sil``); gaps between phonemes become ``sil`` too.
    - Tokens that are only marks (Piper's stress, length and space tokens) carry time of their
      own; a stress mark gives it to the next phone, anything else to the previous one.
    - Language-switch markers like ``(en)`` are dropped.
    - Multi-segment tokens split (diphthongs 60/40); h and ʔ take the next phone's viseme.
    """
    items: list[_Item] = []
    pending_start: float | None = None  # time a leading stress mark handed to the next phone
    for ph in sorted(phonemes, key=lambda p: p.start):
        start, end = float(ph.start), max(float(ph.end), float(ph.start))
        if items and start < items[-1].end:  # overlapping engine output: trust the earlier phone
            start = min(items[-1].end, end)
        if _is_pause(ph.phoneme):
            items.append(_Item("sil", start, end, False, ph.phoneme))
            pending_start = None
            continue
        segments = segment_ipa(ph.phoneme)
        if not segments:  # only marks: fold the time into a neighbour
            if ph.phoneme.strip() and set(ph.phoneme.strip()) <= _STRESS:
                pending_start = start if pending_start is None else pending_start
            elif items:
                items[-1].end = end
            else:
                pending_start = start
            continue
        if pending_start is not None:
            start, pending_start = pending_start, None
        t = start
        for symbol, viseme, share in segments:
            seg_end = t + share * (end - start)
            items.append(_Item(viseme, t, seg_end, symbol[0] in VOWELS, ph.phoneme))
            t = seg_end
        items[-1].end = end
    return _finish(items)


@dataclass
class _Item:
    viseme: str
    start: float
    end: float
    vowel: bool
    phoneme: str


def _finish(items: list[_Item]) -> list[VisemeTiming]:
    """Resolve NEXT markers, fill gaps with silence and merge adjacent silences."""
    for i in range(len(items) - 1, -1, -1):  # backwards, so chains like "hʔa" resolve
        if items[i].viseme != NEXT:
            continue
        following = items[i + 1].viseme if i + 1 < len(items) else "sil"
        if following == "sil":  # breath before a pause: hold whatever came before
            following = next((it.viseme for it in reversed(items[:i]) if it.viseme != NEXT), "sil")
        items[i].viseme = following
    out: list[VisemeTiming] = []
    for it in items:
        if out and it.start > out[-1].end + 1e-3:
            if out[-1].viseme == "sil":
                out[-1] = VisemeTiming("sil", out[-1].start, it.start, False, out[-1].phoneme)
            else:
                out.append(VisemeTiming("sil", out[-1].end, it.start))
        if out and it.viseme == "sil" and out[-1].viseme == "sil":
            out[-1] = VisemeTiming("sil", out[-1].start, it.end, False, out[-1].phoneme)
        elif it.end > it.start or it.viseme != "sil":
            out.append(VisemeTiming(it.viseme, it.start, it.end, it.vowel, it.phoneme))
    return out


def pose_matrix() -> np.ndarray:
    """``VISEME_POSES`` as a float32 ``(len(VISEMES), 5)`` array in ``VISEMES`` order."""
    return np.array([VISEME_POSES[v] for v in VISEMES], dtype=np.float32)


def render_markdown() -> str:
    """The text of ``docs/VISEMES.md``: the viseme list, the pose table and the IPA table."""
    lines = [
        "# Visemes",
        "",
        "Generated from `studio/lipsync/visemes.py` by `render_markdown()`; do not edit by hand.",
        "The viseme order is a public contract (ONNX model outputs, CSV columns).",
        "",
        "Marks folded away before lookup: stress `ˈ ˌ`, length `ː ˑ`, tone digits and letters",
        "`˥ ˦ ˧ ˨ ˩`, aspiration `ʰ`, `ʲ ʷ`, ties and joiners, combining diacritics.",
        '`""` and punctuation are pauses (`sil`). `next` means the phone shows the next',
        "phone's viseme (h, glottal stop). espeak's Mandarin `ts.` `s.` `z.` `i.` read as",
        "`ʈʂ ʂ ʐ ɨ`, and an `h` right after a stop is aspiration. Diphthongs split "
        f"{round(DIPHTHONG_SPLIT * 100)}/{round((1 - DIPHTHONG_SPLIT) * 100)}.",
        "",
        "## Poses",
        "",
        "| # | viseme | jaw | width | round | close | tuck |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, name in enumerate(VISEMES):
        cells = " | ".join(f"{x:.2f}" for x in VISEME_POSES[name])
        lines.append(f"| {i} | {name} | {cells} |")
    lines += ["", "## Phonemes", "", "| IPA | codepoints | viseme |", "|---|---|---|"]
    for symbol, viseme in PHONEME_VISEMES.items():
        lines.append(f"| {symbol} | {_codepoints(symbol)} | {viseme} |")
    lines += ["", "## Diphthongs", "", "| IPA | codepoints | onset | offset |", "|---|---|---|---|"]
    for symbol, (onset, offset) in DIPHTHONGS.items():
        lines.append(f"| {symbol} | {_codepoints(symbol)} | {onset} | {offset} |")
    # arpabet builds on this module, so it can only be imported once this one has loaded
    from studio.lipsync.arpabet import render_markdown_arpabet

    return "\n".join(lines) + "\n\n" + render_markdown_arpabet()


def _codepoints(symbol: str) -> str:
    return " ".join(f"U+{ord(ch):04X}" for ch in symbol)
