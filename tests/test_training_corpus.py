"""The data recipe's shards: what is stored is what the model reads, one label per frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.lipsync.features import N_MELS
from studio.lipsync.visemes import VISEMES
from training.lipsync.corpus import Job, _make_shard, load_corpus


def test_a_shard_round_trips_features_labels_and_voices(tmp_path: Path) -> None:
    jobs = [
        Job("espeak", "en-us+m3", "en", "Buy one, get one free.", 1.0, 1.0, "train", 11),
        Job("flite", "slt", "en", "Mmm, warm bread.", 1.2, 1.0, "val", 12),
        Job("espeak", "cmn", "zh", "欢迎来到直播间。", 0.9, 1.1, "train", 13),
    ]
    _make_shard((0, jobs, str(tmp_path)))
    found = load_corpus(tmp_path)
    assert [u.voice for u in found] == ["en-us+m3", "slt", "cmn"]
    assert [u.split for u in found] == ["train", "val", "train"]
    assert [u.family for u in found] == ["espeak", "flite:slt", "espeak"]
    for u in found:
        assert u.feats.shape == (len(u.labels), N_MELS) and u.feats.dtype == np.float16
        assert np.isfinite(u.feats.astype(np.float32)).all()
        assert u.labels.max() < len(VISEMES)
        assert u.labels[0] == VISEMES.index("sil")  # every utterance starts in silence
    # "Mmm" opens the second one: a closure within its first half second.
    assert (found[1].labels[:50] == VISEMES.index("PP")).any()


def test_the_same_job_gives_the_same_shard(tmp_path: Path) -> None:
    job = Job("flite", "awb", "en", "Prices drop at nine.", 1.0, 1.0, "train", 5)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _make_shard((0, [job], str(tmp_path / name)))
    a, b = load_corpus(tmp_path / "a")[0], load_corpus(tmp_path / "b")[0]
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.feats, b.feats)  # augmentation is seeded per utterance
