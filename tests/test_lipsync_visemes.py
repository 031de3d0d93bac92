"""The phoneme -> viseme table, its normalisation rules and its generated documentation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from studio.lipsync.mouth import CLOSE, JAW, ROUND, TUCK, WIDTH
from studio.lipsync.visemes import (
    DIPHTHONGS,
    NEXT,
    PHONEME_VISEMES,
    VISEME_POSES,
    VISEMES,
    phoneme_to_viseme,
    phonemes_to_visemes,
    pose_matrix,
    render_markdown,
    segment_ipa,
    split_ipa,
)
from studio.voice.base import PhonemeTiming as P

DOC = Path(__file__).resolve().parents[1] / "docs" / "VISEMES.md"
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def espeak_ipa(text: str, voice: str) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", voice, text],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return result.stdout


def test_viseme_order_is_the_public_contract() -> None:
    assert VISEMES == (
        "sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou",
    )  # fmt: skip
    assert list(VISEME_POSES) == list(VISEMES)
    assert pose_matrix().shape == (15, 5)


def test_poses_are_in_range_and_mean_what_they_say() -> None:
    for pose in VISEME_POSES.values():
        jaw, width, rnd, close, tuck = pose
        assert all(0 <= x <= 1 for x in (jaw, rnd, close, tuck)) and -1 <= width <= 1
    sil, pp, ff, aa = (VISEME_POSES[v] for v in ("sil", "PP", "FF", "aa"))
    assert sil[JAW] == 0 and 0.2 <= sil[CLOSE] <= 0.4
    assert pp[CLOSE] == 1.0 and pp[JAW] <= 0.1
    assert ff[TUCK] == 1.0
    assert aa[JAW] == max(p[JAW] for p in VISEME_POSES.values())
    for rounded in ("oh", "ou"):
        assert VISEME_POSES[rounded][ROUND] >= 0.7 and VISEME_POSES[rounded][WIDTH] < 0
    for spread in ("E", "ih"):
        assert VISEME_POSES[spread][WIDTH] > 0.3


def test_table_values_are_visemes() -> None:
    assert set(PHONEME_VISEMES.values()) <= set(VISEMES) | {NEXT}
    assert {v for pair in DIPHTHONGS.values() for v in pair} <= set(VISEMES)


@pytest.mark.parametrize(
    ("ipa", "viseme"),
    [
        ("p", "PP"), ("b", "PP"), ("m", "PP"), ("f", "FF"), ("v", "FF"), ("θ", "TH"),
        ("ð", "TH"), ("t", "DD"), ("ɾ", "DD"), ("k", "kk"), ("ɡ", "kk"), ("ŋ", "kk"),
        ("tʃ", "CH"), ("dʒ", "CH"), ("t\u0361ʃ", "CH"), ("t\u200dʃ", "CH"), ("ʃ", "CH"),
        ("s", "SS"), ("z", "SS"), ("n", "nn"), ("l", "nn"), ("ɹ", "RR"), ("ɚ", "RR"),
        ("ɑː", "aa"), ("ɐ", "aa"), ("æ", "aa"), ("ʌ", "aa"), ("ə", "E"), ("ɜː", "E"),
        ("ɛ", "E"), ("ɪ", "ih"), ("iː", "ih"), ("ᵻ", "ih"), ("ɔː", "oh"), ("ɒ", "oh"),
        ("ʊ", "ou"), ("uː", "ou"), ("w", "ou"), ("ˈaɪ", "aa"), ("aʊ", "aa"), ("eɪ", "E"),
        ("oʊ", "oh"), ("ɔɪ", "oh"), ("ˌoʊ", "oh"),
        # Mandarin, espeak cmn style: aspiration, tones and retroflex dots fold away
        ("tɕ", "CH"), ("tɕʰ", "CH"), ("ɕ", "CH"), ("ʂ", "CH"), ("s.", "CH"), ("ts.h", "CH"),
        ("ʈʂʰ", "CH"), ("ʐ", "RR"), ("ts", "SS"), ("tsʰ", "SS"), ("ɤ", "E"), ("y", "ou"),
        ("a5", "aa"), ("i˥˩", "ih"), ("ma˨˩˦", "PP"), ("x", "kk"), ("ʲˈy2", "ou"),
        # pauses, marks only, unknown symbols: never a crash
        ("", "sil"), ("ˈ", "sil"), ("(en)", "sil"), ("☃", "sil"), ("ã", "aa"), ("ɔ̃", "oh"),
        ("h", "sil"), ("ʔ", "sil"),
    ],
)  # fmt: skip
def test_phoneme_to_viseme(ipa: str, viseme: str) -> None:
    assert phoneme_to_viseme(ipa) == viseme


def test_diphthong_splits_sixty_forty() -> None:
    out = phonemes_to_visemes([P("aɪ", 1.0, 2.0)])
    assert [(v.viseme, v.vowel) for v in out] == [("aa", True), ("ih", True)]
    assert out[0].start == 1.0 and out[0].end == pytest.approx(1.6) and out[1].end == 2.0
    assert [v.viseme for v in phonemes_to_visemes([P("o\u200dʊ", 0, 1)])] == ["oh", "ou"]


def test_h_and_glottal_stop_take_the_next_phones_viseme() -> None:
    out = phonemes_to_visemes([P("h", 0, 0.1), P("ˈɔː", 0.1, 0.3)])
    assert [v.viseme for v in out] == ["oh", "oh"] and not out[0].vowel
    out = phonemes_to_visemes([P("ʌ", 0, 0.1), P("ʔ", 0.1, 0.15), P("oʊ", 0.15, 0.4)])
    assert [v.viseme for v in out] == ["aa", "oh", "oh", "ou"]
    # h before a pause keeps the previous shape rather than inventing one
    out = phonemes_to_visemes([P("uː", 0, 0.2), P("h", 0.2, 0.3), P("", 0.3, 0.6)])
    assert [v.viseme for v in out] == ["ou", "ou", "sil"]


def test_reduced_vowel_is_a_vowel_not_silence() -> None:
    (seg,) = phonemes_to_visemes([P("ᵻ", 0, 0.1)])
    assert seg.viseme == "ih" and seg.vowel


def test_pauses_gaps_marks_and_language_switches() -> None:
    out = phonemes_to_visemes(
        [
            P("(en)", 0.0, 0.0),
            P("m", 0.0, 0.1),
            P("ˈ", 0.1, 0.12),  # Piper: stress carries time, handed to the next phone
            P("ɑ", 0.12, 0.3),
            P("ː", 0.3, 0.35),  # length mark: folded into the vowel before it
            P("", 0.35, 0.5),
            P(",", 0.5, 0.6),
            P("m", 0.8, 0.9),  # the gap 0.6-0.8 is silence too
        ]
    )
    assert [(v.viseme, v.start, v.end) for v in out] == [
        ("PP", 0.0, 0.1),
        ("aa", 0.1, 0.35),
        ("sil", 0.35, 0.8),
        ("PP", 0.8, 0.9),
    ]


def test_output_is_contiguous_even_for_overlapping_input() -> None:
    out = phonemes_to_visemes([P("s", 0, 0.2), P("iː", 0.15, 0.4), P("z", 0.4, 0.4)])
    for a, b in zip(out, out[1:], strict=False):
        assert b.start >= a.end - 1e-9
    assert out[-1].viseme == "SS"  # a zero-length phone is kept, the driver may skip it


def test_multi_segment_tokens_split() -> None:
    assert [s[1] for s in segment_ipa("ɑːɹ")] == ["aa", "RR"]
    assert split_ipa("mˈɑːmɐ") == ["m", "ɑ", "m", "ɐ"]
    assert split_ipa("tʃˈɪɹz") == ["tʃ", "ɪ", "ɹ", "z"]
    assert split_ipa("hˈaʊ") == ["h", "aʊ"]


@needs_espeak
@pytest.mark.parametrize(
    ("voice", "text"),
    [
        ("en-us", "The quick brown fox jumps over the lazy dog, while thirty birds sing."),
        ("en-us", "Hello world, how are you? I'm measuring the voice, she said, oh boy!"),
        ("en-gb", "Our leisure, your choice: a thousand thick wooden chairs."),
        ("cmn", "我是中国人，学习汉语。你好，谢谢，欢迎，绿色的鱼，吃饭，日本，四十。"),
    ],
)
def test_every_espeak_symbol_is_covered(voice: str, text: str) -> None:
    words = espeak_ipa(text, voice).split()
    assert words
    for word in words:
        for phone in split_ipa(word):
            segments = segment_ipa(phone)
            assert segments, f"{phone!r} in {word!r} ({voice}) maps to nothing"


def test_docs_match_the_code() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert doc == render_markdown(), "regenerate docs/VISEMES.md with render_markdown()"
    rows = {line.split("|")[1].strip(): line for line in doc.splitlines() if line.startswith("| ")}
    for i, name in enumerate(VISEMES):
        assert f"| {i} | {name} |" in doc
        cells = " | ".join(f"{x:.2f}" for x in VISEME_POSES[name])
        assert f"| {name} | {cells} |" in doc
    for symbol, viseme in PHONEME_VISEMES.items():
        assert rows[symbol].rstrip().endswith(f"| {viseme} |"), symbol
    for symbol, (onset, offset) in DIPHTHONGS.items():
        assert rows[symbol].rstrip().endswith(f"| {onset} | {offset} |"), symbol
