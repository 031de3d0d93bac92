"""Label conventions moved to the acoustics, and a loss that forgives a frame at boundaries.

flite and festival open a consonant after a vowel 15-55 ms before the audio does (the vowel
runs on into it); the per-voice offsets are the ones measured in ``training.lipsync.engines``
(vowel->s and vowel->closure, audio event minus label). ``shift_consonant_onsets`` moves every
vowel->consonant boundary of an utterance of that voice family later by its offset in frames,
never past the consonant's last frame. espeak-ng needs none (its closures are already moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from studio.lipsync.visemes import VISEMES

if TYPE_CHECKING:
    import torch

# Family -> frames (10 ms) by which a consonant after a vowel starts late relative to its label:
# the middle of the measured vowel->s and closure ranges, rounded to whole frames.
CONSONANT_ONSET_FRAMES: dict[str, int] = {
    "flite:slt": 2,  # vowel->s +17..+26 ms, closure +25..+27
    "flite:awb": 2,  # +16..+19, +9..+24
    "flite:rms": 1,  # +12..+13, +10..+19
    "flite:kal": 3,  # +31..+33, +29..+32
    "festival:kal": 5,  # +55..+57, +39..+44
    "festival:ked": 2,  # +21..+27, +17..+20
    "festival:slt": 3,  # +32..+33, +19..+22
}
_VOWEL = np.zeros(len(VISEMES), bool)
_VOWEL[[VISEMES.index(v) for v in ("aa", "E", "ih", "oh", "ou")]] = True
_CONSONANT = np.ones(len(VISEMES), bool)
_CONSONANT[_VOWEL] = False
_CONSONANT[VISEMES.index("sil")] = False


def shift_consonant_onsets(labels: np.ndarray, frames: int) -> np.ndarray:
    """``labels`` with each vowel->consonant boundary moved ``frames`` later (the vowel extended),
    keeping at least one frame of the consonant."""
    out = np.asarray(labels).copy()
    if frames <= 0 or len(out) < 2:
        return out
    change = np.flatnonzero(out[1:] != out[:-1]) + 1
    ends = np.append(change[1:], len(out))
    for start, end in zip(change, ends, strict=True):
        if _VOWEL[out[start - 1]] and _CONSONANT[out[start]]:
            stop = min(start + frames, end - 1)
            out[start:stop] = out[start - 1]
    return out


def anticipate_consonant_onsets(labels: np.ndarray, frames: int) -> np.ndarray:
    """``labels`` with each vowel->consonant boundary moved ``frames`` earlier (the consonant
    extended back), keeping at least one frame of the vowel: the lips start a closure before
    its sound does, and a model trained on acoustic boundaries closes them late on real speech
    (about a frame against MFA's phone boundaries)."""
    out = np.asarray(labels).copy()
    if frames <= 0 or len(out) < 2:
        return out
    change = np.flatnonzero(out[1:] != out[:-1]) + 1
    starts = np.insert(change[:-1], 0, 0)
    for begin, boundary in zip(starts, change, strict=True):
        if _VOWEL[out[boundary - 1]] and _CONSONANT[out[boundary]]:
            first = max(boundary - frames, begin + 1)
            out[first:boundary] = out[boundary]
    return out


def correct_labels(labels: np.ndarray, family: str) -> np.ndarray:
    return shift_consonant_onsets(labels, CONSONANT_ONSET_FRAMES.get(family, 0))


def tolerant_loss(
    logits: torch.Tensor, labels: torch.Tensor, weight: torch.Tensor, tolerance: int = 1
) -> torch.Tensor:
    """Cross-entropy where a frame counts as right if it names any viseme labelled within
    ``tolerance`` frames: ``-log`` of the summed probability of that set, class-weighted by the
    frame's own label. Away from boundaries the set is one viseme and this is plain CE."""
    import torch
    from torch.nn import functional as F

    batch, frames, classes = logits.shape
    allowed = F.one_hot(labels, classes).bool()
    for shift in range(1, tolerance + 1):
        allowed[:, shift:] |= F.one_hot(labels[:, :-shift], classes).bool()
        allowed[:, :-shift] |= F.one_hot(labels[:, shift:], classes).bool()
    log_p = torch.log_softmax(logits, dim=-1)
    picked = torch.logsumexp(log_p.masked_fill(~allowed, -1e9), dim=-1)
    w = weight[labels]
    return -(picked * w).sum() / w.sum()
