"""Where a rundown sentence may be cut for an approved answer: the pauses at its clause boundaries.

An answer used to wait for the sentence on air to end, pause included (2 to 4 s). It now goes on
air at the sentence's next pause at a clause boundary (English ``, ; :``, Chinese ``，；：、``, or a
full stop inside the clip), or at the end of the sentence's sound, whichever comes first; the
program says the rest of the sentence after the answer (``live.program``).

A pause is found from the voice's timings and checked against the audio:

* eSpeak gives each word's span: the pause is between the word before the punctuation and the word
  after it (each word is found in the text in order, so a word is never matched out of place);
* Piper and Kokoro give no words, but their phoneme timings turn punctuation into pauses ("") and
  word spaces into sound: the pauses inside the clip are matched one to one with the punctuation
  inside the text, and only when their numbers agree (else nothing but the sentence's end is used);
* the place is then taken only where the audio is silent (every 5 ms window more than
  ``SILENT_DB`` below the clip's loudest), grown to the whole silent run, so a timing that is a
  little off never cuts a word.

A cut is a span of sample offsets into the clip, ``(first, last)``: the program cuts at the first
frame boundary inside it. ``KEEP_BEFORE_S`` of the pause is kept before the answer (with the
answer's own lead-in of ``clause_stream.LEAD_S``), so the clause does not run into the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from studio.voice.base import PhonemeTiming, Speech, WordTiming
from studio.voice.clause_stream import SILENT_DB

Cut = tuple[int, int]  # the first and last sample offset (inclusive) at which a clip may be cut

# Punctuation after which a sentence may be cut: clause marks and a full stop inside the clip.
BOUNDARY_MARKS = frozenset(",;:，；：、.!?…。！？")
# Punctuation that Piper and Kokoro turn into a pause (the marks above, and a few that are not
# boundaries): counted to match the pauses in their phoneme timings with the text.
_PAUSING = re.compile(r"[,;:，；：、.!?…。！？\u2013\u2014()\"“”]+")
_WORDY = re.compile(r"\w")
KEEP_BEFORE_S = 0.1  # of the pause, heard before the answer's own lead-in
KEEP_AFTER_S = 0.01  # a cut stays this far from the sound after the pause
_WINDOW_S = 0.005


def clause_cuts(speech: Speech, text: str, audio: np.ndarray, rate: int) -> tuple[Cut, ...]:
    """Where ``audio`` (``speech`` at ``rate``, the pause after the sentence appended) may be cut,
    in order: its clause pauses, then the end of its sound."""
    silent, window = _silent_windows(audio, rate)
    if silent is None:
        return ()
    gaps = _word_gaps(speech.words, text) if speech.words else None
    if gaps is None:
        gaps = _pause_gaps(speech.phonemes or [], text)
    keep_before, keep_after = round(KEEP_BEFORE_S * rate), round(KEEP_AFTER_S * rate)
    cuts: list[Cut] = []
    for start_s, end_s in gaps:
        run = _silent_run(silent, int(start_s * rate) // window, int(np.ceil(end_s * rate / window)))
        if run is None or run[1] >= len(silent):
            continue  # not silent there, or silent to the end (the sentence's end, below)
        first, last = run[0] * window + keep_before, run[1] * window - keep_after
        if first <= last and (not cuts or first > cuts[-1][1]):
            cuts.append((first, last))
    # The end of the sentence: where its sound ends, the pause after it kept for after the answer.
    loud = np.flatnonzero(~silent)
    if len(loud):
        first = (int(loud[-1]) + 1) * window + keep_before
        if first < len(audio) and (not cuts or first > cuts[-1][1]):
            cuts.append((first, len(audio) - 1))
    return tuple(cuts)


def _silent_windows(audio: np.ndarray, rate: int) -> tuple[np.ndarray | None, int]:
    """Per 5 ms window, whether it is silent; a last part window counts by its own samples."""
    window = max(1, round(rate * _WINDOW_S))
    count = -(-len(audio) // window)
    if count == 0:
        return None, window
    padded = np.zeros(count * window, np.float64)
    padded[: len(audio)] = audio
    power = np.square(padded).reshape(count, window).mean(axis=1)
    if power.max() <= 0:
        return None, window
    return power <= power.max() * 10.0 ** (SILENT_DB / 10.0), window


def _silent_run(silent: np.ndarray, lo: int, hi: int) -> tuple[int, int] | None:
    """The longest run of silent windows meeting windows [lo, hi), grown to the whole silent run
    around it: (first window, first window after it)."""
    lo, hi = max(0, lo), min(len(silent), max(hi, lo + 1))
    inside = np.flatnonzero(silent[lo:hi])
    if not len(inside):
        return None
    best: tuple[int, int] | None = None
    for index in inside + lo:
        if best is not None and best[0] <= index < best[1]:
            continue
        begin, end = int(index), int(index) + 1
        while begin > 0 and silent[begin - 1]:
            begin -= 1
        while end < len(silent) and silent[end]:
            end += 1
        if best is None or end - begin > best[1] - best[0]:
            best = (begin, end)
    return best


def _word_gaps(words: Sequence[WordTiming], text: str) -> list[tuple[float, float]] | None:
    """The spans between two words with boundary punctuation between them in ``text``; None when
    the words cannot be found in the text in order (then the phonemes are used)."""
    places: list[tuple[int, int]] = []
    position = 0
    for word in words:
        found = text.find(word.word.strip(), position)
        if not word.word.strip() or found < 0:
            return None
        places.append((found, found + len(word.word.strip())))
        position = found + len(word.word.strip())
    gaps = []
    for (place, word), (next_place, next_word) in pairwise(zip(places, words, strict=True)):
        if BOUNDARY_MARKS.intersection(text[place[1] : next_place[0]]):
            gaps.append((word.end, max(next_word.start, word.end)))
    return gaps


def _pause_gaps(phonemes: Sequence[PhonemeTiming], text: str) -> list[tuple[float, float]]:
    """The pauses inside the phoneme timings matched with the punctuation inside ``text``, those at
    a boundary kept; none when the two counts differ (a voice that pauses elsewhere too)."""
    inner = [p for p in phonemes[1:-1] if p.phoneme == ""]
    stripped = text.strip()
    marks = [m for m in _PAUSING.finditer(stripped) if _WORDY.search(stripped[m.end() :])]
    if len(inner) != len(marks):
        return []
    return [
        (p.start, p.end) for p, m in zip(inner, marks, strict=True) if BOUNDARY_MARKS.intersection(m.group())
    ]
