"""Training-side label corrections, the boundary-tolerant loss and warm starts (training/lipsync)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.visemes import VISEME_INDEX, VISEMES
from training.lipsync.label_fix import (
    CONSONANT_ONSET_FRAMES,
    anticipate_consonant_onsets,
    correct_labels,
    shift_consonant_onsets,
)

ROOT = Path(__file__).resolve().parents[1]


def _idx(*names: str) -> np.ndarray:
    return np.array([VISEME_INDEX[n] for n in names], np.uint8)


def _names(labels: np.ndarray) -> list[str]:
    return [VISEMES[int(i)] for i in labels]


def test_vowel_to_consonant_boundaries_move_later_and_keep_a_consonant_frame() -> None:
    labels = _idx("sil", "sil", "aa", "aa", "PP", "PP", "PP", "E", "SS", "SS", "sil")
    shifted = shift_consonant_onsets(labels, 2)
    assert _names(shifted) == ["sil", "sil", "aa", "aa", "aa", "aa", "PP", "E", "E", "SS", "sil"]
    assert shifted.dtype == labels.dtype and not np.shares_memory(shifted, labels)


def test_anticipated_closures_start_earlier_and_keep_a_vowel_frame() -> None:
    labels = _idx("sil", "aa", "aa", "aa", "PP", "PP", "E", "SS", "ou", "ou", "kk", "sil")
    early = anticipate_consonant_onsets(labels, 2)
    # aa->PP moves two frames back; E->SS and ou->kk keep the vowel's one frame or more; the
    # consonant->vowel and to-silence boundaries stay where they were.
    assert _names(early) == ["sil", "aa", "PP", "PP", "PP", "PP", "E", "SS", "ou", "kk", "kk", "sil"]
    assert np.array_equal(anticipate_consonant_onsets(labels, 0), labels)
    assert early.dtype == labels.dtype and not np.shares_memory(early, labels)


def test_other_boundaries_stay() -> None:
    # consonant -> vowel, silence -> consonant and vowel -> silence are not what the engines misplace
    labels = _idx("sil", "SS", "SS", "aa", "aa", "sil", "sil", "PP", "PP", "ou", "ou")
    assert np.array_equal(shift_consonant_onsets(labels, 3), labels)


def test_corrections_by_voice_family() -> None:
    labels = _idx("aa", "aa", "aa", "kk", "kk", "kk", "kk", "kk", "kk", "kk")
    assert _names(correct_labels(labels, "festival:kal"))[:8] == ["aa"] * 8
    assert np.array_equal(correct_labels(labels, "espeak"), labels)  # espeak is already exact
    assert "piper:joe" not in CONSONANT_ONSET_FRAMES  # the evaluation voice is never corrected


def test_tolerant_loss_forgives_one_frame_at_boundaries_only() -> None:
    torch = pytest.importorskip("torch")
    from training.lipsync.label_fix import tolerant_loss

    labels = torch.from_numpy(_idx("aa", "aa", "aa", "PP", "PP", "PP").astype(np.int64)[None])
    weight = torch.ones(len(VISEMES))

    def confident(names: list[str]) -> torch.Tensor:
        logits = torch.full((1, len(names), len(VISEMES)), -10.0)
        for t, n in enumerate(names):
            logits[0, t, VISEME_INDEX[n]] = 10.0
        return logits

    exact = tolerant_loss(confident(["aa", "aa", "aa", "PP", "PP", "PP"]), labels, weight)
    one_early = tolerant_loss(confident(["aa", "aa", "PP", "PP", "PP", "PP"]), labels, weight)
    two_early = tolerant_loss(confident(["aa", "PP", "PP", "PP", "PP", "PP"]), labels, weight)
    assert float(exact) < 1e-3 and float(one_early) < 1e-3
    assert float(two_early) > 1.0  # two frames off is an error again


def test_warm_start_computes_what_the_shipped_model_does() -> None:
    torch = pytest.importorskip("torch")
    ort = pytest.importorskip("onnxruntime")
    from training.lipsync.model import LipSyncNet, NetConfig, _Probabilities
    from training.lipsync.warm_start import freeze_norms, load_onnx_weights

    path = ROOT / "onnx_models" / "lipsync.onnx"
    net = LipSyncNet(NetConfig(), torch.zeros(80), torch.ones(80))
    load_onnx_weights(net, path)
    net.train()
    freeze_norms(net)
    net.eval()  # dropout off; the norms stay frozen either way
    x = np.random.default_rng(0).normal(-5, 3, (1, 120, 80)).astype(np.float32)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    expected = session.run(None, {session.get_inputs()[0].name: x})[0]
    got = _Probabilities(net)(torch.from_numpy(x)).detach().numpy()
    assert np.abs(expected - got).max() < 1e-4
    assert not any(p.requires_grad for m in net.modules() if isinstance(m, torch.nn.BatchNorm1d)
                   for p in m.parameters())  # fmt: skip
