"""Forced alignment of a transcript to speech with the lip-sync model's own viseme posteriors.

The transcript becomes a chain of viseme tokens (espeak-ng phonemises it, the IPA table of
``studio.lipsync.visemes`` maps each phone, equal neighbours merge, and an optional pause may sit
between words and at both ends). Viterbi then finds the path through that chain that best
explains the model's per-frame posteriors, with a minimum number of frames per token. The
result is a viseme label track on the model's 10 ms grid, used to label real recorded speech
that comes with a transcript but no timings (``tools/build_lipsync_realspeech.py``).

The aligner can only be as good as the posteriors: its boundary error is measured against
speech with known timings (``tools/lipsync_aligner_check.py``) before its labels are trusted,
and scores of the same model on labels it aligned itself are optimistic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.lipsync.labels import FRAME_RATE
from studio.lipsync.visemes import (
    DIPHTHONGS,
    PHONEME_VISEMES,
    VISEME_INDEX,
    VISEMES,
    VisemeTiming,
    phonemes_to_visemes,
    split_ipa,
)
from studio.voice.base import PhonemeTiming

_SIL = VISEME_INDEX["sil"]
_VOWEL_VISEMES = frozenset({"aa", "E", "ih", "oh", "ou"})
_FLOOR = 1e-4  # posterior floor: one confident wrong frame must not veto a whole path
_NEG = -1e30
_PAUSES = frozenset(",.;:!?…—–-()[]\"'«»、，。；：！？")  # clause punctuation espeak keeps


@dataclass(frozen=True)
class AlignConfig:
    """Knobs of the aligner, chosen on speech with known timings (see the module docstring)."""

    min_vowel_frames: int = 3
    min_consonant_frames: int = 2
    pause_penalty: float = 2.0  # log-score cost of entering an optional pause between words
    prior_power: float = 0.0  # divide posteriors by priors**power (0: use posteriors as they are)
    shift_frames: int = 0  # move every boundary this many frames later (a measured bias)
    emission_scale: float = 1.0  # < 1 flattens the posteriors: the transcript counts for more


def word_visemes(words_ipa: Sequence[str]) -> list[list[str]]:
    """Each word's IPA (as espeak-ng writes it) as its chain of visemes, equal neighbours merged.

    h and the glottal stop take the next phone's shape and diphthongs give two visemes, exactly
    as ``phonemes_to_visemes`` decides for timed phonemes. Words with no phone are dropped.
    """
    out: list[list[str]] = []
    for word in words_ipa:
        phones = split_ipa(word)
        timed = [PhonemeTiming(p, float(i), float(i + 1)) for i, p in enumerate(phones)]
        chain: list[str] = []
        for span in phonemes_to_visemes(timed):
            if span.viseme != "sil" and (not chain or chain[-1] != span.viseme):
                chain.append(span.viseme)
        if chain:
            out.append(chain)
    return out


def transcript_ipa(text: str, voice: str = "en-us") -> list[str]:
    """Each word of ``text`` as espeak-ng's IPA, read with ``voice``.

    Han text in Mandarin (``cmn``) goes through ``espeak_lib.voice_for``, which picks the pinyin
    variant where this espeak-ng reads the plain voice's tone digits as English numbers; that
    variant writes one syllable per word.
    """
    from studio.voice import espeak_lib
    from studio.voice.language import has_cjk

    mandarin = has_cjk(text, han_only=True)
    if mandarin:
        voice = espeak_lib.voice_for(voice, text)
    words = [w for w in espeak_lib.text_to_ipa(text, voice).split() if w.strip()]
    return [mandarin_ipa(w) for w in words] if mandarin else words


def mandarin_ipa(word: str) -> str:
    """espeak-ng's Mandarin IPA with its two leftovers of ASCII notation made IPA.

    It writes the vowel of 的/和/可 (pinyin e, [ɤ]) as ``o-``, which would read as a rounded
    ``o``, and the digit 3 of its tone names as ``ɜ`` (停 ``thˈiɜŋ``, 十 ``s.ˈi.ɜ``), which would
    read as a vowel; its phoneme events (the timings) have ``ɤ`` and no tone at all.
    """
    return word.replace("o-", "ɤ").replace("ɜ", "")


def transcript_visemes(text: str, voice: str = "en-us") -> list[list[str]]:
    """The viseme chain of every word of ``text``, phonemised by espeak-ng with ``voice``."""
    return word_visemes(transcript_ipa(text, voice))


def unmapped_phones(words_ipa: Sequence[str]) -> dict[str, int]:
    """Phones of ``words_ipa`` that the IPA table does not name, with how often each occurs.

    ``split_ipa`` keeps such a phone as one symbol and ``segment_ipa`` maps it to its nearest
    known base letter or drops it; a phone listed here is one the viseme labels may get wrong.
    """
    counts: dict[str, int] = {}
    for word in words_ipa:
        for phone in split_ipa(word):
            if phone in _PAUSES:
                continue
            if phone not in PHONEME_VISEMES and phone not in DIPHTHONGS:
                counts[phone] = counts.get(phone, 0) + 1
    return counts


@dataclass(frozen=True)
class _Graph:
    viseme: np.ndarray  # (S,) viseme index of each state
    loops: np.ndarray  # (S,) bool: the state may repeat
    skippable: np.ndarray  # (S,) bool: an optional pause, which the path may jump over
    token: np.ndarray  # (S,) token number (for reading the path back)


def _graph(words: Sequence[Sequence[str]], cfg: AlignConfig) -> _Graph:
    viseme: list[int] = []
    loops: list[bool] = []
    skip: list[bool] = []
    token: list[int] = []
    count = 0

    def pause() -> None:
        nonlocal count
        viseme.append(_SIL)
        loops.append(True)
        skip.append(True)
        token.append(count)
        count += 1

    pause()
    for word in words:
        for name in word:
            frames = cfg.min_vowel_frames if name in _VOWEL_VISEMES else cfg.min_consonant_frames
            for k in range(max(frames, 1)):
                viseme.append(VISEME_INDEX[name])
                loops.append(k == max(frames, 1) - 1)
                skip.append(False)
                token.append(count)
            count += 1
        pause()
    return _Graph(np.array(viseme), np.array(loops), np.array(skip), np.array(token))


def viterbi_states(log_emit: np.ndarray, graph: _Graph, pause_penalty: float) -> np.ndarray:
    """The best state per frame through a left-to-right chain; ``log_emit`` is ``(frames, S)``.

    A state is entered from itself (if it loops), from the state before it, or from two before
    when the one between is a skippable pause. The path starts in the first pause or the first
    real state and ends in the last pause or the last real state.
    """
    frames, states = log_emit.shape
    enter_cost = np.where(graph.skippable, -pause_penalty, 0.0)
    score = np.full(states, _NEG)
    score[0] = log_emit[0, 0] + enter_cost[0]
    if states > 1:
        score[1] = log_emit[0, 1] + enter_cost[1]
    back = np.zeros((frames, states), np.int32)
    idx = np.arange(states)
    skip_from = np.zeros(states, bool)
    skip_from[2:] = graph.skippable[1:-1]
    for t in range(1, frames):
        stay = np.where(graph.loops, score, _NEG)
        step = np.concatenate([[_NEG], score[:-1]]) + enter_cost
        jump = np.where(skip_from, np.concatenate([[_NEG, _NEG], score[:-2]]), _NEG) + enter_cost
        choices = np.stack([stay, step, jump])
        best = np.argmax(choices, axis=0)
        back[t] = idx - best
        score = choices[best, idx] + log_emit[t]
    end = states - 1 if states < 2 or score[-1] >= score[-2] else states - 2
    path = np.empty(frames, np.int64)
    path[-1] = end
    for t in range(frames - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def align_posteriors(
    posteriors: np.ndarray,
    words: Sequence[Sequence[str]],
    cfg: AlignConfig | None = None,
    priors: np.ndarray | None = None,
) -> np.ndarray:
    """Per-frame viseme indices: the word chains aligned to ``(frames, 15)`` posteriors.

    Falls back to all ``sil`` when the transcript has more tokens than the audio has frames.
    """
    cfg = cfg or AlignConfig()
    post = np.asarray(posteriors, np.float64)
    if post.ndim != 2 or post.shape[1] != len(VISEMES):
        raise ValueError(f"posteriors must have shape (frames, {len(VISEMES)}), got {post.shape}")
    frames = len(post)
    graph = _graph(words, cfg)
    if frames == 0 or int((~graph.skippable).sum()) > frames:
        return np.full(frames, _SIL, np.int64)
    log_post = np.log(np.maximum(post, _FLOOR))
    if priors is not None and cfg.prior_power:
        log_post -= cfg.prior_power * np.log(np.maximum(np.asarray(priors, np.float64), _FLOOR))
    path = viterbi_states(cfg.emission_scale * log_post[:, graph.viseme], graph, cfg.pause_penalty)
    labels = graph.viseme[path].astype(np.int64)
    if cfg.shift_frames > 0:
        labels = np.concatenate([np.full(cfg.shift_frames, labels[0]), labels[: -cfg.shift_frames]])
    elif cfg.shift_frames < 0:
        labels = np.concatenate([labels[-cfg.shift_frames :], np.full(-cfg.shift_frames, labels[-1])])
    return labels


def labels_to_spans(labels: np.ndarray) -> list[VisemeTiming]:
    """Per-frame viseme indices as contiguous spans on frame edges (``frame_labels`` inverts it)."""
    spans: list[VisemeTiming] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            spans.append(VisemeTiming(VISEMES[int(labels[start])], start / FRAME_RATE, i / FRAME_RATE))
            start = i
    return spans


@dataclass(frozen=True)
class BoundaryError:
    """How far an alignment's viseme boundaries lie from reference ones, in milliseconds."""

    boundaries: int  # reference boundaries
    matched: int  # reference boundaries with a same-kind aligned boundary within the window
    median_abs_ms: float
    mean_signed_ms: float  # > 0: the alignment's boundaries come later than the reference's
    within_20ms: float  # share of reference boundaries matched within 20 ms
    frame_agreement: float  # share of frames with the same viseme


def _boundaries(labels: np.ndarray) -> list[tuple[int, int, int]]:
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    return [(int(i), int(labels[i - 1]), int(labels[i])) for i in change]


def boundary_error(aligned: np.ndarray, reference: np.ndarray, window_frames: int = 10) -> BoundaryError:
    """Compare two per-frame label tracks of one recording (or several laid end to end).

    Each reference boundary (a change from viseme a to b) is matched to the nearest aligned
    boundary from a to b within ``window_frames``.
    """
    n = min(len(aligned), len(reference))
    a, r = np.asarray(aligned[:n]), np.asarray(reference[:n])
    found: dict[tuple[int, int], list[int]] = {}
    for i, x, y in _boundaries(a):
        found.setdefault((x, y), []).append(i)
    errors: list[int] = []
    ref = _boundaries(r)
    for i, x, y in ref:
        near = [j - i for j in found.get((x, y), []) if abs(j - i) <= window_frames]
        if near:
            errors.append(min(near, key=abs))
    ms = np.array(errors, np.float64) * 1000 / FRAME_RATE
    return BoundaryError(
        boundaries=len(ref),
        matched=len(errors),
        median_abs_ms=float(np.median(np.abs(ms))) if len(ms) else float("nan"),
        mean_signed_ms=float(ms.mean()) if len(ms) else float("nan"),
        within_20ms=float((np.abs(ms) <= 20).sum() / len(ref)) if ref else float("nan"),
        frame_agreement=float((a == r).mean()) if n else float("nan"),
    )
