"""The forced aligner (studio.lipsync.align) and the real-speech evaluation sets it labelled."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.align import (
    align_posteriors,
    boundary_error,
    labels_to_spans,
    transcript_visemes,
    word_visemes,
)
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate
from studio.lipsync.labels import frame_labels, read_labels_tsv
from studio.lipsync.visemes import VISEME_INDEX, VISEMES
from studio.media.audio import read_audio
from studio.pipeline.lipsync_eval import eval_pairs

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "assets" / "lipsync_eval"
PIPER_TEXT = ROOT / "training" / "lipsync" / "texts" / "eval_en.txt"


def _idx(*names: str) -> np.ndarray:
    return np.array([VISEME_INDEX[n] for n in names])


def test_word_visemes_follow_the_ipa_table() -> None:
    # h takes the next vowel's shape, a diphthong gives two, equal neighbours merge (m b -> one PP)
    assert word_visemes(["bˈɑːb", "hˈæt", "ˈaɪ", "ˈæmbəl"]) == [
        ["PP", "aa", "PP"],
        ["aa", "DD"],
        ["aa", "ih"],
        ["aa", "PP", "E", "nn"],
    ]


def test_transcript_visemes_through_espeak() -> None:
    words = transcript_visemes("map the fee")
    assert words[0] == ["PP", "aa", "PP"]
    assert words[1][0] == "TH" and words[2][0] == "FF"


def _noisy_posteriors(labels: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    post = rng.uniform(0.0, 0.3, size=(len(labels), len(VISEMES)))
    post[np.arange(len(labels)), labels] += 0.6
    # a third of frames have the right viseme only second-best: the transcript must carry them
    hard = rng.random(len(labels)) < 0.33
    post[hard, labels[hard]] -= 0.45
    return post / post.sum(axis=1, keepdims=True)


def test_alignment_recovers_the_timing_the_posteriors_carry() -> None:
    words = [["PP", "aa", "PP"], ["SS", "E", "nn"]]
    truth = _idx(*["sil"] * 5, *["PP"] * 4, *["aa"] * 9, *["PP"] * 6, *["sil"] * 7,
                 *["SS"] * 6, *["E"] * 8, *["nn"] * 5, *["sil"] * 6)  # fmt: skip
    aligned = align_posteriors(_noisy_posteriors(truth, 3), words)
    assert (aligned == truth).mean() >= 0.95
    # the chain is kept: every word's visemes appear in order, even on its hard frames
    runs = [VISEMES[s] for s in aligned[np.flatnonzero(np.diff(aligned, prepend=-1))]]
    assert runs == ["sil", "PP", "aa", "PP", "sil", "SS", "E", "nn", "sil"]


def test_pause_between_words_is_optional() -> None:
    words = [["PP", "aa"], ["nn", "E"]]
    truth = _idx(*["PP"] * 4, *["aa"] * 8, *["nn"] * 5, *["E"] * 9)
    aligned = align_posteriors(_noisy_posteriors(truth, 5), words)
    assert VISEME_INDEX["sil"] not in set(aligned.tolist())


def test_too_short_audio_falls_back_to_silence() -> None:
    post = np.full((3, len(VISEMES)), 1 / len(VISEMES))
    assert (align_posteriors(post, [["PP", "aa", "PP", "aa"]]) == VISEME_INDEX["sil"]).all()


def test_spans_round_trip_through_frame_labels() -> None:
    labels = _idx("sil", "sil", "PP", "aa", "aa", "aa", "SS", "sil")
    assert np.array_equal(frame_labels(labels_to_spans(labels), len(labels)), labels)


def test_boundary_error_sees_a_one_frame_late_shift() -> None:
    ref = _idx(*["sil"] * 5, *["PP"] * 5, *["aa"] * 10, *["SS"] * 5, *["sil"] * 5)
    late = np.concatenate([ref[:1], ref[:-1]])
    err = boundary_error(late, ref)
    assert err.matched == err.boundaries == 4
    assert err.mean_signed_ms == pytest.approx(10.0) and err.median_abs_ms == pytest.approx(10.0)
    assert err.frame_agreement == pytest.approx(26 / 30)


def test_aligner_on_the_piper_voice_agrees_with_its_duration_labels() -> None:
    """Measured on all 35 sentences: frame agreement 0.73, signed bias 0 ms; here on 6 of them."""
    from studio.inference.lipsync_model import LipSyncModel

    model = LipSyncModel(threads=1)
    lines = [s.strip() for s in PIPER_TEXT.read_text(encoding="utf-8").splitlines() if s.strip()]
    aligned, refs = [], []
    for i in range(1, 7):
        audio, rate = read_audio(EVAL / "piper-joe" / f"{i:03d}.wav")
        mono = to_model_rate(audio, rate)
        refs.append(frame_labels(read_labels_tsv(EVAL / "piper-joe" / f"{i:03d}.tsv"), num_frames(len(mono))))
        aligned.append(align_posteriors(model.predict(mono, SAMPLE_RATE), transcript_visemes(lines[i - 1])))
    err = boundary_error(np.concatenate(aligned), np.concatenate(refs))
    assert err.frame_agreement >= 0.65
    assert err.matched >= 0.85 * err.boundaries
    assert abs(err.mean_signed_ms) <= 5.0
    # against a transcript of other words the same audio aligns far worse
    wrong = align_posteriors(model.predict(mono, SAMPLE_RATE), transcript_visemes(lines[0]))
    assert (wrong == refs[-1]).mean() < err.frame_agreement - 0.15


@pytest.mark.parametrize("name", ["real-independent", "real-aligned"])
def test_real_speech_sets_are_well_formed(name: str) -> None:
    folder = EVAL / name
    pairs = eval_pairs(folder)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+) \| ([^|]+) \| [\d.]+ \|", readme, re.M))
    assert {a.stem for a, _ in pairs} == set(rows)  # every file in the table, every row a file
    per_speaker: dict[str, float] = {}
    for audio_path, tsv in pairs:
        assert audio_path.suffix == ".flac"
        audio, rate = read_audio(audio_path)
        assert rate == SAMPLE_RATE and audio.ndim == 1
        spans = read_labels_tsv(tsv)
        assert spans[0].start == 0.0
        assert all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False)), tsv.name
        assert {s.viseme for s in spans} <= set(VISEMES), tsv.name
        assert abs(spans[-1].end - len(audio) / rate) <= 0.011, tsv.name
        assert {s.viseme for s in spans} - {"sil"}, tsv.name  # speech, not only silence
        speaker = rows[audio_path.stem]
        per_speaker[speaker] = per_speaker.get(speaker, 0.0) + len(audio) / rate
    seconds = sum(per_speaker.values())
    summary = f"Real recorded speech, {seconds:.1f} s in {len(pairs)} files from {len(per_speaker)} speakers"
    assert summary in readme
    assert "Sources and licences" in readme
    if name == "real-aligned":
        assert seconds >= 480 and len(per_speaker) >= 10
        # LJSpeech (TTS 0.0.15.1's tests/data): Linda Johnson, 32 clips of LJ001
        assert per_speaker["ljspeech"] >= 220 and sum(s.startswith("ljspeech-") for s in rows) == 32
        assert "`TTS` 0.0.15.1 (pypi): public domain" in readme
    else:
        assert seconds >= 83 and len(per_speaker) >= 4
        assert 3.0 <= per_speaker["arctic-slt"] <= 3.2  # CMU ARCTIC slt a0009
        assert "Carnegie Mellon University" in readme


def test_arctic_labels_come_from_the_hts_phone_times(tmp_path: Path) -> None:
    """HTS full-context labels (100 ns units, centre phone of ll^l-c+r=rr) become viseme frames
    through the ARPAbet path, and the shipped a0009 labels are what its phone times give."""
    sys.path.insert(0, str(ROOT / "tools"))
    from lipsync_aligner_check import phones_to_frames
    from lipsync_realspeech_sources import read_hts_phones

    lab = tmp_path / "a.lab"
    lab.write_text(
        "0 1300000 x^x-sil+hh=iy@x_x/A:0_0_0\n"
        "1300000 2050000 x^sil-hh+iy=t@1_2/A:0_0_0\n"
        "2050000 2700000 sil^hh-iy+t=er@2_1/A:0_0_0\n"
        "2700000 3000000 hh^iy-pau+x=x@x_x/A:0_0_0\n",
        encoding="utf-8",
    )
    phones = read_hts_phones(lab)
    assert phones == [(0.0, 0.13, "sil"), (0.13, 0.205, "hh"), (0.205, 0.27, "iy"), (0.27, 0.3, "pau")]
    labels = phones_to_frames(phones, 30)
    assert list(labels[:13]) == [VISEME_INDEX["sil"]] * 13 and labels[-1] == VISEME_INDEX["sil"]
    assert set(labels[14:26]) == {VISEME_INDEX["ih"]}  # hh takes iy's shape
    spans = read_labels_tsv(EVAL / "real-independent" / "arctic-slt-a0009.tsv")
    # "He turned sharply, and faced Gregson across the table." starts at 0.13 s, ends at 2.925 s
    assert (spans[0].viseme, spans[0].end) == ("sil", 0.13)
    assert (spans[-1].viseme, spans[-1].start) == ("sil", 2.92)
    assert [s.viseme for s in spans if s.viseme in ("PP", "FF")] == ["PP", "FF", "PP"]  # sharPly Faced taBle


def test_pocketsphinx_and_parselmouth_audio_is_not_used() -> None:
    sources = (ROOT / "tools" / "lipsync_realspeech_sources.py").read_text(encoding="utf-8")
    registered = re.findall(r'Package\(\s*"(?:pypi|npm)",\s*"([^"]+)"', sources)
    assert registered and not {"pocketsphinx", "praat-parselmouth"} & set(registered)
