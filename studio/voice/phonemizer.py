"""Text to phonemes in any eSpeak NG language, for lip sync from word timings alone.

The grouping comes from espeak-ng itself: it ties the letters of one phoneme together
("t‍ʃ", "a‍ɪ" with U+200D), so affricates and diphthongs come out whole without a viseme table.
That keeps the dependency one way: ``studio.lipsync`` uses this module, never the reverse.
"""

from __future__ import annotations

import re
import unicodedata

from studio.errors import StudioError
from studio.voice import espeak_lib

_ZWJ = "\u200d"
_LANG_SWITCH = re.compile(r"\([^)]*\)")  # "(en)" ... "(cmn)": espeak switching language mid-text
# espeak-ng 1.51's Mandarin writes some phonemes in ASCII with a dot ("s." for ʂ, "i." for ɨ);
# clean_phoneme() turns them into IPA. A dot before a space or the end is clause punctuation.
_DOTTED = frozenset(k[:-1] for k in ("s.", "z.", "ts.", "i."))


def phonemize(text: str, language: str) -> list[str]:
    """IPA phonemes of ``text`` read in eSpeak NG ``language`` ("en-us", "cmn", "ja"...).

    One string per phoneme (``["tʃ", "ɜː", "tʃ"]`` for "church"); stress, tones, punctuation
    and language-switch markers are dropped. Mandarin on Han text gets the same workaround as
    the espeak voice. Never raises: an unknown language or a missing library gives ``[]``.
    """
    try:
        voice = espeak_lib.voice_for(language, text)
        ipa = espeak_lib.text_to_ipa(text, voice, keep_ties=True)
    except StudioError:  # InputError (no such language) is one too
        return []
    return group_ipa(ipa)


def group_ipa(ipa: str) -> list[str]:
    """espeak IPA written with ties (``text_to_ipa(..., keep_ties=True)``) as one string per phoneme."""
    text = _LANG_SWITCH.sub(" ", ipa)
    tokens: list[str] = []
    open_token = False  # whether the next mark may still join tokens[-1]
    join_next = False
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch == _ZWJ:
            join_next = open_token
        elif ch.isspace() or ch in espeak_lib.STRESS_MARKS:
            open_token = join_next = False
        elif category == "Nd":
            continue  # a tone number: not a segment, and it does not end the syllable's phoneme
        elif ch == "." and open_token and tokens[-1] in _DOTTED and text[i + 1 : i + 2].strip():
            tokens[-1] += ch
        elif ch == "-" and open_token and tokens[-1] == "o":
            tokens[-1] += ch  # Mandarin "o-" is ɤ (unrounded), not o followed by a hyphen
        elif category in ("Mn", "Lm", "Sk"):  # length marks, diacritics, modifier letters
            if open_token:
                tokens[-1] += ch
        elif category[0] in "PS":
            open_token = join_next = False
        else:
            if join_next:
                tokens[-1] += ch
            else:
                tokens.append(ch)
            open_token, join_next = True, False
    return [symbol for token in tokens if (symbol := espeak_lib.clean_phoneme(token))]
