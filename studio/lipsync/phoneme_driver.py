"""Lip sync from phoneme timings: visemes become keyframes, keyframes become a smooth track.

How a track is made:

1. Phonemes become contiguous viseme segments (``visemes.phonemes_to_visemes``), padded with
   silence before and after.
2. Each segment gets a target pose. Short vowels undershoot towards a neutral, slightly open
   mouth, as real speech does: the jaw has no time to travel the whole way. Pauses shorter
   than ``rest_after`` only half relax; longer ones rest fully closed.
3. Each segment becomes two keyframes, "target reached" and "target held until". The move to
   the next shape starts ``lead`` seconds before the acoustic boundary (anticipatory
   coarticulation: lips round for an "oo" before it sounds). Bilabials are the exception that
   viewers check: the lips are fully shut *at* the acoustic onset of p/b/m and stay shut to
   its release.
4. Between keyframes the pose eases along a smoothstep; the curve is then sampled at each frame
   centre with Gaussian weights, which both softens corners and keeps phones shorter than a
   frame from being skipped or aliased.
5. Frames inside a p/b/m (or f/v) are forced to their closure (or lip tuck); a phone too short
   to hold a frame centre forces the frame nearest its middle. Then every parameter's
   per-frame change is bounded. The bound keeps peaks of ``close`` and ``tuck``, so it moves
   the approach earlier instead of shaving the closure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from studio.lipsync.energy_driver import EnergyDriver, check_frames, frame_centres, limit_rate
from studio.lipsync.mouth import CLOSE, MOUTH_PARAMS, ROUND, TUCK, WIDTH, LipSyncDriver, MouthTrack
from studio.lipsync.visemes import (
    VISEME_POSES,
    VisemeTiming,
    phonemes_to_visemes,
    split_ipa,
)
from studio.voice.base import PhonemeTiming, Speech, WordTiming

Phonemizer = Callable[[str, str], list[str]]  # (text, language) -> IPA phonemes

_SIL = np.array(VISEME_POSES["sil"], dtype=np.float64)
# Where an undershooting vowel falls back to: jaw a little open, lips apart and relaxed.
_NEUTRAL = np.array((0.12, 0.0, 0.0, 0.0, 0.0), dtype=np.float64)
# Visemes whose defining contact must be visible in at least one frame: (column, value).
_MUST_REACH = {"PP": (CLOSE, 1.0), "FF": (TUCK, 0.9)}
# Consonants made with the tongue leave the lips free, so the lips already take the rounding or
# spreading of the nearest vowel ("t" in "two" is rounded, in "tea" spread); weight of the vowel.
_LIP_FREE = frozenset({"DD", "kk", "nn", "SS", "TH"})
_LIP_BORROW = 0.7
_LIPS = [WIDTH, ROUND]
_LOW = np.array([0.0, -1.0, 0.0, 0.0, 0.0])
_HIGH = np.ones(len(MOUTH_PARAMS))
_TAPS = np.linspace(-2.5, 2.5, 11)  # Gaussian quadrature offsets, in sigmas


class PhonemeDriver:
    """A ``LipSyncDriver`` that follows phoneme timings with coarticulation.

    ``phonemize`` (text, language) -> phonemes is used when the speech has word timings but no
    phoneme timings; each word's phonemes are spread evenly over the word. Without either, the
    ``fallback`` driver (the energy driver by default) makes the track from the audio alone.
    """

    name = "phonemes"

    def __init__(
        self,
        phonemize: Phonemizer | None = None,
        *,
        language: str = "en-us",
        fallback: LipSyncDriver | None = None,
        lead: float = 0.05,
        smoothing: float = 0.012,
        max_speed: float = 12.0,
        rest_after: float = 0.15,
        full_vowel: float = 0.10,
        min_vowel_scale: float = 0.45,
    ) -> None:
        self.phonemize = phonemize
        self.language = language  # used when speech.meta has no "language"
        self.fallback: LipSyncDriver = fallback if fallback is not None else EnergyDriver()
        self.lead = lead  # seconds the next shape is anticipated before its acoustic onset
        self.smoothing = smoothing  # Gaussian sigma, seconds
        self.max_speed = max_speed  # largest change of any parameter per second
        self.rest_after = rest_after  # pauses at least this long rest fully closed
        self.full_vowel = full_vowel  # vowels at least this long reach their full target
        self.min_vowel_scale = min_vowel_scale  # the shortest vowels still travel this far

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack:
        check_frames(fps, num_frames)
        visemes = self.timings(speech)
        if visemes is None:
            return self.fallback.drive(speech, fps, num_frames)
        return self.track(visemes, fps, num_frames)

    def timings(self, speech: Speech) -> list[VisemeTiming] | None:
        """Viseme timings for ``speech``, or None when it carries nothing to time them by."""
        if speech.phonemes:
            return phonemes_to_visemes(speech.phonemes)
        if speech.words and self.phonemize is not None:
            language = speech.meta.get("language", self.language)
            return phonemes_to_visemes(self._estimate(speech.words, language))
        return None

    def _estimate(self, words: Sequence[WordTiming], language: str) -> list[PhonemeTiming]:
        assert self.phonemize is not None
        out: list[PhonemeTiming] = []
        for word in words:
            phones = [p for raw in self.phonemize(word.word, language) for p in split_ipa(raw)]
            phones = phones or ["ə"]  # a word the phonemizer cannot read still moves the mouth
            step = (word.end - word.start) / len(phones)
            out += [
                PhonemeTiming(p, word.start + i * step, word.start + (i + 1) * step)
                for i, p in enumerate(phones)
            ]
        return out

    def track(self, visemes: Sequence[VisemeTiming], fps: Fraction, num_frames: int) -> MouthTrack:
        """The mouth track for viseme timings, sampled at the centres of ``num_frames`` frames."""
        check_frames(fps, num_frames)
        fps = Fraction(fps)
        if num_frames == 0:
            return MouthTrack(np.zeros((0, len(MOUTH_PARAMS)), np.float32), fps)
        segments = self._padded(visemes, num_frames / float(fps))
        poses = self._poses(segments)
        times, values = self._keyframes(segments, poses)
        centres = frame_centres(fps, num_frames)
        sigma = max(self.smoothing, 0.3 / float(fps))  # never narrower than the frame spacing
        weights = np.exp(-0.5 * _TAPS**2)
        weights /= weights.sum()
        out = np.empty((num_frames, len(MOUTH_PARAMS)))
        for lo in range(0, num_frames, 4096):  # chunks keep memory flat for hour-long speech
            taps = centres[lo : lo + 4096, None] + sigma * _TAPS[None, :]
            out[lo : lo + 4096] = np.einsum("ftp,t->fp", _ease(times, values, taps), weights)
        for seg in segments:
            if seg.viseme in _MUST_REACH:
                column, target = _MUST_REACH[seg.viseme]
                lo, hi = _frames_of(seg, centres, fps)
                out[lo:hi, column] = np.maximum(out[lo:hi, column], target)
        step = self.max_speed / float(fps)
        for j in range(len(MOUTH_PARAMS)):
            out[:, j] = limit_rate(out[:, j], step, keep_peaks=j in (CLOSE, TUCK))
        return MouthTrack(np.clip(out, _LOW, _HIGH).astype(np.float32), fps)

    @staticmethod
    def _padded(visemes: Sequence[VisemeTiming], duration: float) -> list[VisemeTiming]:
        """Segments with rest before the first and after the last, covering all frames."""
        first = visemes[0].start if visemes else 0.0
        last = visemes[-1].end if visemes else 0.0
        # One second of padding is "long silence" to every rule below.
        segments = [VisemeTiming("sil", min(first, 0.0) - 1.0, first)]
        segments += [v for v in visemes if v.viseme != "sil" or v.end > v.start]
        segments.append(VisemeTiming("sil", last, max(last, duration) + 1.0))
        merged: list[VisemeTiming] = []
        for seg in segments:
            if merged and seg.viseme == "sil" and merged[-1].viseme == "sil":
                merged[-1] = VisemeTiming("sil", merged[-1].start, seg.end)
            else:
                merged.append(seg)
        return merged

    def _poses(self, segments: Sequence[VisemeTiming]) -> np.ndarray:
        base = np.array([VISEME_POSES.get(s.viseme, VISEME_POSES["sil"]) for s in segments])
        poses = base.astype(np.float64)
        for i, seg in enumerate(segments):
            if seg.vowel:
                scale = np.clip(seg.duration / self.full_vowel, self.min_vowel_scale, 1.0)
                poses[i] = _NEUTRAL + scale * (base[i] - _NEUTRAL)
            elif seg.viseme == "sil" and seg.duration < self.rest_after:
                # A short pause between words relaxes partway towards rest, no further.
                prev = base[i - 1] if i > 0 else _SIL
                nxt = base[i + 1] if i + 1 < len(segments) else _SIL
                relax = 0.5 + 0.5 * seg.duration / self.rest_after
                poses[i] = relax * _SIL + (1.0 - relax) * 0.5 * (prev + nxt)
        for i, seg in enumerate(segments):
            vowel = _nearest_vowel(segments, i) if seg.viseme in _LIP_FREE else None
            if vowel is not None:
                lips = poses[vowel, _LIPS]
                poses[i, _LIPS] = _LIP_BORROW * lips + (1 - _LIP_BORROW) * base[i, _LIPS]
        return poses

    def _keyframes(
        self, segments: Sequence[VisemeTiming], poses: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Two keyframes per segment, "reached" and "held until"; times never decrease."""
        times = np.empty(2 * len(segments))
        for i, seg in enumerate(segments):
            start, end = seg.start, max(seg.end, seg.start)
            if seg.viseme == "PP":
                reached = start  # shut at the acoustic onset, held to the release
                held = end
            else:
                # Vowels take longer to reach their target than consonants do.
                attack = min(0.4 * (end - start), 0.06) if seg.vowel else min(0.5 * (end - start), 0.03)
                reached = start + attack
                held = max(reached, end - self.lead)
            times[2 * i], times[2 * i + 1] = reached, held
        # Engine timings may overlap slightly; keyframes must not go back in time.
        times = np.maximum.accumulate(times)
        return times, np.repeat(poses, 2, axis=0)


def _frames_of(seg: VisemeTiming, centres: np.ndarray, fps: Fraction) -> tuple[int, int]:
    """The frames whose centres fall inside ``seg``; for a segment shorter than a frame that
    holds no centre, the one frame nearest its middle (none if it lies outside the track)."""
    lo, hi = (int(i) for i in np.searchsorted(centres, (seg.start, seg.end)))
    if hi > lo:
        return lo, hi
    middle = 0.5 * (seg.start + seg.end)
    if not 0.0 <= middle < len(centres) / float(fps):
        return lo, lo
    nearest = min(int(middle * float(fps)), len(centres) - 1)  # the frame holding the middle
    return nearest, nearest + 1


def _nearest_vowel(segments: Sequence[VisemeTiming], i: int) -> int | None:
    """The vowel the lips of lip-free consonant ``i`` anticipate (or, word-finally, keep)."""
    for direction in (1, -1):
        j = i + direction
        while 0 <= j < len(segments) and segments[j].viseme in _LIP_FREE:
            j += direction
        if 0 <= j < len(segments) and segments[j].vowel:
            return j
    return None


def _ease(times: np.ndarray, values: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Smoothstep interpolation of keyframes ``(times, values)`` at times ``t`` (any shape)."""
    idx = np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 2)
    t0, t1 = times[idx], times[idx + 1]
    span = t1 - t0
    u = np.clip((t - t0) / np.where(span > 0, span, 1.0), 0.0, 1.0)
    u = np.where(span > 0, u, 1.0)
    w = (u * u * (3.0 - 2.0 * u))[..., None]
    return values[idx] + w * (values[idx + 1] - values[idx])
