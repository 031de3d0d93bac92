"""The isolated-syllable Mandarin evaluation set (assets/lipsync_eval/real-zh-syllables)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.features import SAMPLE_RATE, num_frames
from studio.lipsync.labels import frame_labels, read_labels_tsv
from studio.lipsync.visemes import VISEME_INDEX
from studio.media.audio import read_audio
from studio.pipeline.lipsync_eval import eval_pairs

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "assets" / "lipsync_eval" / "real-zh-syllables"
sys.path.insert(0, str(ROOT / "tools"))

import build_lipsync_real_zh_syllables as builder  # noqa: E402


def _manifest() -> dict:
    return json.loads((FOLDER / "sources.json").read_text(encoding="utf-8"))


def test_the_set_holds_three_minutes_of_one_speaker_and_its_labels_cover_the_audio() -> None:
    manifest = _manifest()
    assert manifest["speaker"] == builder.SPEAKER  # one speaker for the whole set
    pairs = eval_pairs(FOLDER)
    assert {p.stem for p, _ in pairs} == {f["file"] for f in manifest["files"]}
    total = 0.0
    for audio_path, tsv in pairs:
        audio, rate = read_audio(audio_path)
        assert audio_path.suffix == ".flac" and rate == SAMPLE_RATE and audio.ndim == 1
        seconds = len(audio) / rate
        assert 10.0 <= seconds <= 20.0, audio_path.name
        assert float(np.abs(audio).max()) > 0.1, audio_path.name  # not a silent file
        total += seconds
        spans = read_labels_tsv(tsv)
        assert spans[0].start == 0.0
        for before, after in zip(spans, spans[1:], strict=False):
            assert abs(before.end - after.start) < 1e-6, tsv.name  # no gap, no overlap
        assert abs(spans[-1].end - seconds) <= 0.011, tsv.name
        labels = frame_labels(spans, num_frames(len(audio)))
        assert len(labels) == num_frames(len(audio))
        # every syllable has speech frames inside its own recording
        entry = next(f for f in manifest["files"] if f["file"] == audio_path.stem)
        assert len(entry["syllables"]) == len(entry["transcript"].split())
        for syl in entry["syllables"]:
            window = labels[int(syl["start"] * 100) : int(np.ceil(syl["end"] * 100))]
            assert (window != VISEME_INDEX["sil"]).sum() >= 5, (audio_path.name, syl["pinyin"])
    assert total >= 180.0


def test_every_syllable_is_pinned_and_its_pinyin_is_the_conversion_of_its_folder() -> None:
    manifest = _manifest()
    assert manifest["package"]["sha256"] == builder.DEB.sha256
    assert re.fullmatch(r"[0-9a-f]{64}", builder.DEB.sha256)
    syllables = [s for f in manifest["files"] for s in f["syllables"]]
    assert len(syllables) == 1158 - len(builder.LEFT_OUT)
    assert len({s["zhuyin"] for s in syllables}) == len(syllables)
    for syl in syllables:
        assert re.fullmatch(r"[0-9a-f]{64}", syl["sha256"])
        assert syl["path"] == f"{builder.OGG_DIR}/{syl['zhuyin']}/5.ogg"  # never 3.ogg
        assert syl["pinyin"] == builder.zhuyin_to_pinyin(syl["zhuyin"])
        assert syl["zhuyin"] not in builder.LEFT_OUT
    assert [builder.zhuyin_to_pinyin(z) for z in builder.LEFT_OUT] == ["hou2", "hou3", "hou4"]


def test_the_readme_names_licence_attribution_and_what_the_set_is() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "CC-BY-3.0" in readme and "creativecommons.org/licenses/by/3.0" in readme
    assert "羅竺" in readme and "Chu Lo" in readme and "徵音梅林" in readme
    assert builder.DEB.sha256 in readme and builder.DEB.version in readme
    assert "not connected speech" in readme and "self-aligned" in readme
    assert "tools/build_lipsync_real_zh_syllables.py" in readme
    for zhuyin in builder.LEFT_OUT:
        assert f"`{zhuyin}`" in readme


@pytest.mark.parametrize(
    ("zhuyin", "pinyin"),
    [
        ("ㄓㄨㄥ", "zhong1"),
        ("ㄐㄩ", "ju1"),
        ("ㄦ", "er1"),
        ("ㄅㄚ", "ba1"),
        ("ㄉㄜ1", "de5"),  # gcin's tone 1 is the neutral tone ˙
        ("ㄇㄚ3", "ma3"),
        ("ㄌㄩ4", "lü4"),
        ("ㄋㄩㄝ4", "nüe4"),
        ("ㄑㄩㄢ2", "quan2"),
        ("ㄒㄩㄥ2", "xiong2"),
        ("ㄩㄥ3", "yong3"),
        ("ㄩㄝ4", "yue4"),
        ("ㄧ", "yi1"),
        ("ㄧㄡ2", "you2"),
        ("ㄌㄧㄡ2", "liu2"),
        ("ㄨ3", "wu3"),
        ("ㄨㄥ", "weng1"),
        ("ㄍㄨㄟ4", "gui4"),
        ("ㄉㄨㄣ", "dun1"),
        ("ㄓ", "zhi1"),
        ("ㄙ4", "si4"),
        ("ㄖ4", "ri4"),
        ("ㄅㄛ2", "bo2"),
        ("ㄈㄥ", "feng1"),
        ("ㄐㄩㄣ4", "jun4"),
    ],
)
def test_zhuyin_to_pinyin(zhuyin: str, pinyin: str) -> None:
    assert builder.zhuyin_to_pinyin(zhuyin) == pinyin


@pytest.mark.parametrize("name", ["ㄅ", "ㄇ1", "ㄅㄚ5", "", "ㄅㄩㄛ", "ba"])
def test_zhuyin_to_pinyin_refuses_what_is_no_syllable(name: str) -> None:
    with pytest.raises(ValueError):
        builder.zhuyin_to_pinyin(name)


def test_every_transcript_syllable_is_one_espeak_word_with_known_phones() -> None:
    from studio.lipsync.align import unmapped_phones
    from studio.voice import espeak_lib

    voice = espeak_lib.voice_for(builder.PINYIN_VOICE)
    for entry in _manifest()["files"]:
        words = espeak_lib.text_to_ipa(entry["transcript"], voice).split()
        assert len(words) == len(entry["syllables"])
        assert unmapped_phones([builder.mandarin_ipa(w) for w in words]) == {}
    assert builder.pinyin_visemes("ba1 zhong1 de5") == [["PP", "aa"], ["CH", "oh", "nn", "kk"], ["DD", "E"]]
