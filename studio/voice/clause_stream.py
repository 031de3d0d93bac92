"""A line spoken a clause at a time: the first clause's sound is ready long before the line's.

A typed interjection is split at clause punctuation (English ``, ; : . ! ?`` followed by a
space, Chinese ``，。！？；：、``), the punctuation staying with its clause so the voice still
hears it (a comma's rising tone, a full stop's fall). An over-long first clause is cut once more
at a phrase boundary, so the first piece, the one the listener waits for, stays a few words long.
Later clauses too short to be worth a model run of their own ride with the next one.

Each piece is synthesised on its own by whatever engine speaks the line (Kokoro, Piper, eSpeak,
an online voice: the same path), so each comes with the engine's own silence before and after
it, which differs by engine (Kokoro keeps 0.1 s before and 0.3 s after, eSpeak about 10 ms and
up to 65 ms). ``fit_edges`` replaces that silence with a fixed amount, so the pause at each
join is what the punctuation there asks for, whichever engine spoke, faded to exact zero at both
ends (a join between two silent samples cannot click).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from studio.voice.base import PhonemeTiming, Speech, WordTiming
from studio.voice.chunking import MAX_CHUNK_CHARS, split_long

# Silence between two pieces' sounds, by what ends the first. Measured in whole lines spoken by
# Kokoro, Piper and eSpeak on this machine: an English comma 100-490 ms (eSpeak 150-210, Kokoro
# 100-400, Piper 200-490), a Chinese one shorter, a sentence end 220-430 ms; the enumeration
# comma 、 is the shortest; a cut between two words of one clause should sound like no pause.
PAUSE_AFTER_SENTENCE_S = 0.35
PAUSE_AFTER_CLAUSE_S = 0.2
PAUSE_AFTER_CJK_CLAUSE_S = 0.15  # Kokoro's Mandarin 125-140 ms at ， eSpeak's 150-200 ms
PAUSE_AFTER_LIST_COMMA_S = 0.12
PAUSE_INSIDE_CLAUSE_S = 0.05
LEAD_S = 0.02  # silence kept before each piece's sound (part of the pause before it)
FADE_S = 0.005  # the kept silence at each edge fades to exact zero over this long
TAIL_S = 0.1  # after the last piece: the caller adds the pause that follows the line
SILENT_DB = -40.0  # below the piece's loudest 5 ms by this much counts as silence
_WINDOW_S = 0.005

# The first piece is cut at a phrase boundary when its clause is longer than this.
FIRST_MAX_WORDS = 5
FIRST_MAX_HAN = 8
# A later clause shorter than this is spoken with the next one (one model run fewer).
MIN_WORDS, MIN_HAN = 3, 4

# Sentence and clause ends: Latin punctuation followed by a space ("3,000" and "12:30" stay
# whole), CJK punctuation without one. The break falls after the punctuation (and closing quotes).
_BREAK = re.compile(r"(?:[.!?\u2026,;:\u2013\u2014]+[\"')\]]*(?=\s))|(?:[。！？；：，、]+[”’」』）]*)")
_SENTENCE_END = re.compile(r"[.!?\u2026。！？]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPEAKABLE = re.compile(r"\w")
# Words that open a phrase in English: a cut before one falls where a speaker could breathe.
_PHRASE_OPENERS = frozenset(
    {
        "and",
        "but",
        "or",
        "so",
        "because",
        "if",
        "when",
        "while",
        "that",
        "which",
        "who",
        "where",
        "with",
        "for",
        "to",
        "in",
        "on",
        "at",
        "from",
        "as",
        "after",
        "before",
        "until",
        "than",
        "then",
        "since",
        "although",
        "though",
        "unless",
    }
)


@dataclass(frozen=True)
class Piece:
    text: str
    pause_after_s: float  # silence between this piece's sound and the next one's


def pause_after(text: str) -> float:
    """The pause that the end of ``text`` asks for (``PAUSE_INSIDE_CLAUSE_S`` with none)."""
    end = text.rstrip().rstrip("\"')]”’」』）")
    if not end:
        return PAUSE_INSIDE_CLAUSE_S
    if _SENTENCE_END.match(end[-1]):
        return PAUSE_AFTER_SENTENCE_S
    if end[-1] == "、":
        return PAUSE_AFTER_LIST_COMMA_S
    if end[-1] in "，；：":
        return PAUSE_AFTER_CJK_CLAUSE_S
    if _BREAK.search(end[-1] + " "):
        return PAUSE_AFTER_CLAUSE_S
    return PAUSE_INSIDE_CLAUSE_S


def clauses(text: str) -> list[str]:
    """``text`` cut after each clause or sentence punctuation; whitespace at the cuts dropped."""
    out: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        piece = text[start : match.end()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _size(text: str) -> tuple[int, int]:
    """(Latin words, Han characters) in ``text``."""
    han = len(_HAN.findall(text))
    words = len(re.findall(r"[^\W\d_]*[A-Za-z0-9][\w'-]*", _HAN.sub(" ", text)))
    return words, han


def _short(text: str) -> bool:
    words, han = _size(text)
    return words < MIN_WORDS and han < MIN_HAN


def cut_first(text: str) -> list[str]:
    """An over-long first clause in two at a phrase boundary (else ``[text]``): English before
    a word that opens a phrase (after 3 to 5 words), or after the 4th word; Chinese at a word
    boundary (jieba's) after 4 to 8 characters."""
    words, han = _size(text)
    if han > FIRST_MAX_HAN:
        return _cut_han(text)
    tokens = text.split()
    if han == 0 and words > FIRST_MAX_WORDS and len(tokens) > 2:
        openers = [
            i for i in (3, 4, 5, 2) if i < len(tokens) and tokens[i].lower().strip("\"'(") in _PHRASE_OPENERS
        ]
        cut = openers[0] if openers else min(4, len(tokens) - 1)
        return [" ".join(tokens[:cut]), " ".join(tokens[cut:])]
    return [text]


def _cut_han(text: str) -> list[str]:
    try:
        import jieba  # the Mandarin front end's word splitter
    except ImportError:
        return [text]
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are not for users
    ends, han = [], 0
    position = 0
    for word in jieba.lcut(text):
        position += len(word)
        han += len(_HAN.findall(word))
        if 4 <= han <= FIRST_MAX_HAN and _SPEAKABLE.search(text[position:]):
            ends.append(position)
    if not ends:
        return [text]
    cut = ends[-1] if len(ends) == 1 else min(ends, key=lambda e: abs(len(_HAN.findall(text[:e])) - 6))
    return [text[:cut].strip(), text[cut:].strip()]


def stream_pieces(text: str) -> list[Piece]:
    """``text`` as the pieces to speak one after another, each with the pause that follows it.
    Pieces with nothing speakable (a lone dash) join their neighbour; none is longer than
    ``chunking.MAX_CHUNK_CHARS``."""
    parts: list[str] = []
    for clause in clauses(text.strip()):
        for piece in split_long(clause, MAX_CHUNK_CHARS):
            if parts and not _SPEAKABLE.search(piece):
                parts[-1] = _join(parts[-1], piece)
            else:
                parts.append(piece)
    if not parts:
        return []
    first, *rest = cut_first(parts[0])
    merged = [first, *rest]
    for part in parts[1:]:
        # A short clause waits for the next one; the first piece is exempt (short is its point).
        if len(merged) > 1 and _short(merged[-1]) and len(_join(merged[-1], part)) <= MAX_CHUNK_CHARS:
            merged[-1] = _join(merged[-1], part)
        else:
            merged.append(part)
    if len(merged) > 2 and _short(merged[-1]) and len(_join(merged[-2], merged[-1])) <= MAX_CHUNK_CHARS:
        merged[-2:] = [_join(merged[-2], merged[-1])]  # a short last clause joins the one before
    return [Piece(p, pause_after(p)) for p in merged]


def _join(a: str, b: str) -> str:
    glue = "" if _HAN.search(a[-1:]) or _HAN.search(b[:1]) or a[-1:] in "，。！？；：、" else " "
    return a + glue + b


def sound_span(audio: np.ndarray, sample_rate: int) -> tuple[int, int] | None:
    """First and last+1 sample of the sound: of the 5 ms windows, at every sample, louder than
    ``SILENT_DB`` below the loudest. Sliding the window a sample at a time makes the edges
    independent of where the audio starts and of its sample rate: a breathy tail near the
    threshold measured in fixed windows moved the end by up to 40 ms with a shift of a few
    samples, so a pause fitted at the engine's rate was not the pause heard after resampling."""
    window = max(1, int(sample_rate * _WINDOW_S))
    if len(audio) < window:
        return None
    total = np.concatenate([[0.0], np.cumsum(np.square(audio.astype(np.float64)))])
    power = (total[window:] - total[:-window]) / window  # power[i]: the window starting at i
    peak = power.max()
    if peak <= 0:
        return None
    loud = np.flatnonzero(power > peak * 10.0 ** (SILENT_DB / 10.0))
    return int(loud[0]), min(len(audio), int(loud[-1]) + window)


def fit_edges(speech: Speech, lead_s: float, trail_s: float) -> Speech:
    """``speech`` with exactly ``lead_s`` of silence before its sound and ``trail_s`` after: the
    engine's own silence is cut (or zeros added) and what is kept fades to zero at both ends.
    Timings move with the audio; the pauses at the ends cover the new silence."""
    rate = speech.sample_rate
    audio = np.asarray(speech.audio, dtype=np.float32)
    span = sound_span(audio, rate)
    if span is None:
        return speech
    first, last = span
    lead, trail = int(round(lead_s * rate)), int(round(trail_s * rate))
    fade = int(FADE_S * rate)
    begin, stop = max(0, first - lead), min(len(audio), last + trail)  # the engine's audio kept
    kept = audio[begin:stop].copy()
    # Fade over the kept silence, and into the sound where too little silence was kept.
    fade_in = min(max(first - begin, fade), len(kept))
    kept[:fade_in] *= np.linspace(0.0, 1.0, fade_in + 1, dtype=np.float32)[:-1]
    fade_out = min(max(stop - last, fade), len(kept) - fade_in)
    if fade_out > 0:
        kept[len(kept) - fade_out :] *= np.linspace(1.0, 0.0, fade_out + 1, dtype=np.float32)[1:]
    before = np.zeros(lead - (first - begin), np.float32)
    after = np.zeros(trail - (stop - last), np.float32)
    out = np.concatenate([before, kept, after])
    shift = (lead - first) / rate  # seconds the sound moved (negative: earlier)
    duration = len(out) / rate
    return replace(
        speech,
        audio=out,
        phonemes=_moved(speech.phonemes, shift, duration) if speech.phonemes is not None else None,
        words=[
            WordTiming(w.word, _clamp(w.start + shift, duration), _clamp(w.end + shift, duration))
            for w in speech.words
        ]
        if speech.words is not None
        else None,
    )


def _clamp(t: float, duration: float) -> float:
    return min(max(t, 0.0), duration)


def _moved(timings: list[PhonemeTiming], shift: float, duration: float) -> list[PhonemeTiming]:
    """Timings moved by ``shift`` and clipped to [0, duration], with pauses filling both ends."""
    out: list[PhonemeTiming] = []
    for t in timings:
        start, end = _clamp(t.start + shift, duration), _clamp(t.end + shift, duration)
        if end > start:
            out.append(PhonemeTiming(t.phoneme, start, end))
    if not out:
        return [PhonemeTiming("", 0.0, duration)]
    if out[0].start > 0:
        out.insert(0, PhonemeTiming("", 0.0, out[0].start))
    if out[-1].end < duration:
        if out[-1].phoneme == "":
            out[-1] = PhonemeTiming("", out[-1].start, duration)
        else:
            out.append(PhonemeTiming("", out[-1].end, duration))
    return out


def speak_clauses(
    text: str, synthesize: Callable[[str], Speech], skip: int = 0
) -> Iterator[tuple[Speech, bool]]:
    """``text`` spoken a piece at a time by ``synthesize`` (one engine call per piece), each
    piece yielded as soon as it is made (with whether it is the last), its edges fitted so that
    the pieces played back to back pause as their punctuation asks (``LEAD_S`` before each
    sound, the rest of the pause after). ``skip``: the first pieces were made already (an
    answer prepared before its approval), so only the ones after them are made."""
    pieces = stream_pieces(text)
    for number, piece in enumerate(pieces):
        if number < skip:
            continue
        last = number == len(pieces) - 1
        trail = TAIL_S if last else max(piece.pause_after_s - LEAD_S, 0.0)
        yield fit_edges(synthesize(piece.text), LEAD_S, trail), last
