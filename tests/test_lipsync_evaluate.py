"""Lip-sync metrics on hand-computed cases, and the energy baseline on real speech."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.energy_driver import EnergyDriver
from studio.lipsync.evaluate import GROUPS, Scores, energy_baseline, format_report, score
from studio.lipsync.labels import frame_count, frame_labels, write_viseme_csv
from studio.lipsync.mouth import JAW
from studio.lipsync.visemes import VISEME_INDEX, VISEMES, VisemeTiming, phonemes_to_visemes, pose_matrix
from studio.media.audio import resample
from studio.voice.base import Speech
from studio.voice.espeak_lib import synth_with_events

SR = 16000
N = len(VISEMES)


def frames(*runs: tuple[str, int]) -> np.ndarray:
    return np.concatenate([np.full(n, VISEME_INDEX[v]) for v, n in runs]).astype(np.int64)


def one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(N)[labels]


# 35 frames, 6 changes of viseme, every run at least 5 frames long
WORD = frames(("sil", 5), ("PP", 5), ("aa", 5), ("SS", 5), ("E", 5), ("ou", 5), ("sil", 5))


def shifted(labels: np.ndarray, by: int) -> np.ndarray:
    """The labels ``by`` frames late, the start filled with silence."""
    return np.concatenate([np.zeros(by, np.int64), labels[:-by]])


def test_groups_partition_the_visemes() -> None:
    assert len(GROUPS) == 7
    assert sorted(v for g in GROUPS for v in g) == sorted(VISEMES)
    assert ("TH", "DD", "kk", "CH", "SS", "nn", "RR") in GROUPS and ("E", "ih") in GROUPS


def test_perfect_prediction_scores_one_everywhere() -> None:
    s = score([one_hot(WORD)], [WORD])
    assert s.frames == 35
    for value in (s.accuracy, s.accuracy_tol2, s.group_accuracy, s.pp_recall, s.pp_event_recall):
        assert value == 1.0
    assert s.jaw_correlation == pytest.approx(1.0)
    present = {VISEMES[i] for i in WORD}
    assert all(s.per_viseme_recall[v] == 1.0 for v in present)
    assert all(math.isnan(s.per_viseme_recall[v]) for v in set(VISEMES) - present)
    assert s.viseme_frames["sil"] == 10 and s.viseme_frames["PP"] == 5 and s.viseme_frames["FF"] == 0


def test_two_frame_shift_is_within_tolerance() -> None:
    s = score([one_hot(shifted(WORD, 2))], [WORD])
    assert s.accuracy == pytest.approx(23 / 35)  # 2 frames wrong after each of 6 changes
    assert s.accuracy_tol2 == 1.0
    assert s.pp_recall == pytest.approx(3 / 5) and s.pp_event_recall == 1.0
    assert s.per_viseme_recall["aa"] == pytest.approx(3 / 5)


def test_three_frame_shift_lowers_the_tolerant_accuracy() -> None:
    s = score([one_hot(shifted(WORD, 3))], [WORD])
    assert s.accuracy == pytest.approx(17 / 35)
    # the third frame after each change predicts a viseme that ended 3 frames before
    assert s.accuracy_tol2 == pytest.approx(29 / 35)


def test_group_accuracy_forgives_lookalikes() -> None:
    labels = frames(("SS", 4), ("ih", 4))
    s = score([one_hot(frames(("DD", 4), ("E", 4)))], [labels])
    assert s.accuracy == 0.0 and s.group_accuracy == 1.0
    s = score([one_hot(frames(("FF", 4), ("aa", 4)))], [labels])
    assert s.group_accuracy == 0.0


def test_pp_frame_and_event_recall() -> None:
    labels = frames(("sil", 5), ("PP", 4), ("aa", 11), ("PP", 3), ("sil", 7))  # PP at 5-8 and 20-22
    pred = np.zeros(30, np.int64)
    pred[[6, 7]] = VISEME_INDEX["PP"]  # half of the first closure
    pred[23] = VISEME_INDEX["PP"]  # one frame after the second: still that closure
    s = score([one_hot(pred)], [labels])
    assert s.pp_recall == pytest.approx(2 / 7)
    assert s.pp_event_recall == 1.0
    pred[23], pred[24] = 0, VISEME_INDEX["PP"]  # two frames after: missed
    s = score([one_hot(pred)], [labels])
    assert s.pp_event_recall == pytest.approx(0.5)
    assert s.per_viseme_recall["PP"] == pytest.approx(2 / 7)


def test_prediction_is_the_argmax_and_jaw_uses_all_weights() -> None:
    labels = frames(("sil", 3), ("aa", 3), ("sil", 3))
    soft = np.zeros((9, N))
    soft[:, VISEME_INDEX["sil"]] = 0.4
    soft[:, VISEME_INDEX["E"]] = 0.3
    soft[:, VISEME_INDEX["aa"]] = 0.3
    soft[3:6] = np.roll(soft[3:6], VISEME_INDEX["aa"] - VISEME_INDEX["sil"], axis=1)  # aa 0.4 there
    s = score([soft], [labels])
    assert s.accuracy == 1.0
    assert s.jaw_correlation == pytest.approx(1.0)  # jaw is higher exactly on the aa frames
    flat = score([np.full((9, N), 1.0 / N)], [labels])
    assert math.isnan(flat.jaw_correlation)  # a constant jaw correlates with nothing


def test_length_mismatch_trims_or_pads_with_silence() -> None:
    labels = frames(("sil", 2), ("aa", 4), ("sil", 4))
    short = score([one_hot(labels[:7])], [labels])  # the missing tail is taken as rest: right
    assert short.frames == 10 and short.accuracy == 1.0
    short_wrong = score([one_hot(labels[:4])], [labels])  # the missing aa frames: wrong
    assert short_wrong.accuracy == pytest.approx(8 / 10)
    long = score([one_hot(np.concatenate([labels, frames(("aa", 5))]))], [labels])
    assert long.frames == 10 and long.accuracy == 1.0


def test_spans_as_labels_and_pooling_over_files() -> None:
    spans = [VisemeTiming("sil", 0.0, 0.05), VisemeTiming("oh", 0.05, 0.1)]
    right = one_hot(frame_labels(spans, 10))
    wrong = one_hot(frames(("aa", 30)))
    s = score([right, wrong], [spans, frames(("ih", 30))])
    assert s.frames == 40
    assert s.accuracy == pytest.approx(10 / 40)
    assert s.per_viseme_recall["oh"] == 1.0 and s.per_viseme_recall["ih"] == 0.0
    assert math.isnan(s.pp_recall) and math.isnan(s.pp_event_recall)
    empty = score([], [])
    assert empty.frames == 0 and math.isnan(empty.accuracy)
    with pytest.raises(ValueError):
        score([right], [])
    with pytest.raises(ValueError):
        score([np.ones((3, 14))], [frames(("sil", 3))])


def test_report_is_a_fixed_width_table() -> None:
    model = score([one_hot(WORD)], [WORD])
    base = score([one_hot(shifted(WORD, 3))], [WORD])
    report = format_report([("model", model), ("energy baseline", base)])
    lines = report.splitlines()
    table = lines[: lines.index("")]
    assert len({len(line) for line in table if not line.startswith("-")}) == 1
    assert "model" in table[0] and "energy baseline" in table[0]
    assert any(line.startswith("accuracy +-2 frames") and line.endswith("0.829") for line in table)
    assert any(line.startswith("jaw correlation (r)") for line in table)
    sil_line = next(line for line in lines if line.startswith("  sil (10 frames)"))
    assert sil_line.split()[-2:] == ["1.000", "0.700"]  # the shifted one misses 3 of the last 5
    assert next(line for line in lines if line.startswith("  TH")).split()[-2:] == ["n/a", "n/a"]
    assert isinstance(model, Scores)


@pytest.fixture(scope="module")
def sentence() -> tuple[np.ndarray, np.ndarray]:
    """16 kHz espeak speech and its per-frame viseme labels from espeak's own phoneme timings."""
    synth = synth_with_events("Buy one, get one free. Amazing!", "en-us")
    audio = resample(synth.audio, synth.sample_rate, SR)
    labels = frame_labels(phonemes_to_visemes(synth.phonemes), frame_count(len(audio)))
    return audio, labels


def test_energy_baseline_on_real_speech(sentence: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    audio, labels = sentence
    weights = energy_baseline(audio, SR)
    assert weights.shape == (frame_count(len(audio)), N) == (len(labels), N)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-9)
    assert weights.min() >= 0.0
    pred = weights.argmax(axis=1)
    silent = labels == VISEME_INDEX["sil"]
    assert silent.sum() > 30 and (~silent).sum() > 150  # the sentence has three real pauses
    assert np.mean(pred[silent] == VISEME_INDEX["sil"]) > 0.8
    assert np.mean(pred[~silent] != VISEME_INDEX["sil"]) > 0.8
    assert {VISEMES[p] for p in pred} <= {"sil", "ih", "E", "aa"}  # loudness cannot tell consonants

    s = score([weights], [labels])
    assert s.jaw_correlation > 0.3
    assert s.pp_recall == 0.0  # a closure is quiet, so the baseline opens less, never closes
    assert 0.2 < s.accuracy < s.accuracy_tol2 < 1.0

    # its jaw is the energy driver's, frame for frame
    driver_jaw = EnergyDriver().drive(Speech(audio, SR), Fraction(100), len(labels)).values[:, JAW]
    np.testing.assert_allclose(weights @ pose_matrix()[:, JAW], driver_jaw, atol=1e-6)

    path = tmp_path / "baseline.csv"
    write_viseme_csv(path, weights)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "t,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou"
    assert len(lines) == len(labels) + 1
    assert all(sum(Decimal(c) for c in line.split(",")[1:]) == 1 for line in lines[1:])


def test_energy_baseline_in_silence_and_at_other_rates() -> None:
    quiet = energy_baseline(np.zeros(SR // 2, np.float32), SR)
    assert quiet.shape == (50, N) and np.all(quiet.argmax(axis=1) == VISEME_INDEX["sil"])
    assert energy_baseline(np.zeros(0, np.float32), SR).shape == (0, N)
    t = np.arange(22050) / 22050
    tone = (0.3 * np.sin(2 * np.pi * 220 * t) * (t > 0.5)).astype(np.float32)
    at_22k = energy_baseline(tone, 22050)
    assert at_22k.shape == (100, N)
    assert np.all(at_22k[:40].argmax(axis=1) == VISEME_INDEX["sil"])
    assert np.all(at_22k[60:].argmax(axis=1) != VISEME_INDEX["sil"])
