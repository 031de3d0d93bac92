"""The Mandarin real-speech evaluation set (assets/lipsync_eval/real-zh) and the aligner's Mandarin."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from studio.lipsync.align import transcript_ipa, transcript_visemes, unmapped_phones
from studio.lipsync.features import SAMPLE_RATE, num_frames
from studio.lipsync.labels import frame_labels, read_labels_tsv
from studio.media.audio import read_audio
from studio.pipeline.lipsync_eval import eval_pairs

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "assets" / "lipsync_eval" / "real-zh"
sys.path.insert(0, str(ROOT / "tools"))

import build_lipsync_real_zh as builder  # noqa: E402


def test_the_set_loads_and_its_labels_cover_the_audio() -> None:
    pairs = eval_pairs(FOLDER)
    assert {p.stem for p, _ in pairs} == {rec.key for rec in builder.RECORDINGS}
    for audio_path, tsv in pairs:
        assert audio_path.suffix == ".flac"
        audio, rate = read_audio(audio_path)
        assert rate == SAMPLE_RATE and audio.ndim == 1 and len(audio) > SAMPLE_RATE
        spans = read_labels_tsv(tsv)
        assert spans[0].start == 0.0
        for before, after in zip(spans, spans[1:], strict=False):
            assert abs(before.end - after.start) < 1e-6, tsv.name  # no gap, no overlap
        assert abs(spans[-1].end - len(audio) / rate) <= 0.011, tsv.name
        labels = frame_labels(spans, num_frames(len(audio)))
        assert len(labels) == num_frames(len(audio))
        speech = [s for s in spans if s.viseme != "sil"]
        assert sum(s.duration for s in speech) > 0.5 * len(audio) / rate, tsv.name  # mostly speech


def test_the_readme_names_a_source_and_licence_for_each_file() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    sources = readme.split("## Sources and licences", 1)[1]
    for rec in builder.RECORDINGS:
        spec = builder.PACKAGES[rec.package]
        row = next(line for line in readme.splitlines() if line.startswith(f"| {rec.key} |"))
        assert f"{spec.name} {spec.version}" in row and rec.path in row and rec.transcript in row
        bullet = next(line for line in sources.splitlines() if line.startswith(f"- `{rec.key}`"))
        assert spec.filename in bullet and "Licence: " in bullet and "Apache-2.0" in bullet
        assert rec.sha256[:16] in bullet and spec.sha256[:16] in bullet


def test_sources_are_pinned_and_not_the_held_back_packages() -> None:
    for spec in builder.PACKAGES.values():
        assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256) and spec.version in spec.filename
        assert spec.name not in {"pocketsphinx", "praat-parselmouth"}
    for rec in builder.RECORDINGS:
        assert re.fullmatch(r"[0-9a-f]{64}", rec.sha256) and rec.package in builder.PACKAGES


def test_mandarin_transcripts_use_the_pinyin_voice_and_real_vowels() -> None:
    # espeak-ng's ASCII leftovers: "o-" is the unrounded vowel of 的/和/可, "ɜ" a tone digit
    words = transcript_ipa("可和停十", "cmn")
    assert len(words) == 4 and not any("o-" in w or "ɜ" in w or "(en)" in w for w in words)
    assert transcript_visemes("可和停十", "cmn") == [
        ["kk", "E"],
        ["kk", "E"],
        ["DD", "ih", "kk"],
        ["CH", "ih"],
    ]


def test_the_viseme_table_names_every_phone_of_the_transcripts() -> None:
    words = [w for rec in builder.RECORDINGS for w in transcript_ipa(rec.transcript, "cmn")]
    assert words and unmapped_phones(words) == {}
    assert unmapped_phones(["qʘa"]) == {"ʘ": 1}
