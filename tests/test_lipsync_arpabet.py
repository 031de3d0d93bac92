"""The ARPAbet table: agrees with the IPA table, and covers what flite and festival really print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from studio.lipsync.arpabet import (
    ARPABET_DIPHTHONGS,
    ARPABET_IPA,
    ARPABET_VISEMES,
    arpabet_to_ipa,
    arpabet_to_visemes,
    normalize_phone,
    render_markdown_arpabet,
)
from studio.lipsync.visemes import (
    DIPHTHONG_SPLIT,
    DIPHTHONGS,
    NEXT,
    PHONEME_VISEMES,
    VISEMES,
    render_markdown,
)

# Pangrams and a few hard words, so every phone of the lexicons turns up at least once.
RICH_TEXT = (
    "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. "
    "The beige hue on the waters of the loch impressed all, including the French queen, "
    "before she heard that symphony again, just as young Arthur wanted. "
    "Button, bottle, rhythm, prism, water, butter, vision, thought, noise, about, higher."
)


def test_every_phone_maps_to_a_viseme_of_the_ipa_table() -> None:
    assert set(ARPABET_VISEMES) | set(ARPABET_DIPHTHONGS) == set(ARPABET_IPA)
    for phone, viseme in ARPABET_VISEMES.items():
        assert viseme in VISEMES or viseme == NEXT, phone
        ipa = ARPABET_IPA[phone]
        assert viseme == (PHONEME_VISEMES[ipa] if ipa else "sil"), phone
    assert set(ARPABET_DIPHTHONGS) == {"aw", "ay", "ey", "ow", "oy"}
    for phone, pair in ARPABET_DIPHTHONGS.items():
        assert DIPHTHONGS[ARPABET_IPA[phone]] == pair, phone


@pytest.mark.parametrize(
    ("phone", "viseme"),
    [
        ("er", "RR"), ("axr", "RR"), ("ax", "E"), ("ah", "aa"), ("aa", "aa"), ("ao", "oh"),
        ("uw", "ou"), ("w", "ou"), ("y", "ih"), ("hh", NEXT), ("hv", NEXT), ("b", "PP"),
        ("em", "PP"), ("f", "FF"), ("dh", "TH"), ("dx", "DD"), ("ng", "kk"), ("jh", "CH"),
        ("zh", "CH"), ("z", "SS"), ("el", "nn"), ("r", "RR"), ("pau", "sil"), ("h#", "sil"),
    ],
)  # fmt: skip
def test_phones_follow_their_ipa(phone: str, viseme: str) -> None:
    assert ARPABET_VISEMES[phone] == viseme


def test_stress_digits_and_case_are_folded_and_unknown_phones_raise() -> None:
    assert normalize_phone("AH0") == "ah" and normalize_phone(" ER1 ") == "er"
    assert arpabet_to_ipa("EY2") == "eɪ"
    with pytest.raises(KeyError, match="xq"):
        arpabet_to_ipa("xq")
    with pytest.raises(KeyError):
        arpabet_to_visemes([("pau", 0.0, 0.1), ("xq", 0.1, 0.2)])


def test_spans_are_contiguous_with_diphthongs_split_and_h_taking_the_next_shape() -> None:
    spans = [("pau", 0.0, 0.1), ("hh", 0.1, 0.15), ("ay", 0.15, 0.35), ("m", 0.4, 0.5), ("pau", 0.5, 0.6)]
    out = arpabet_to_visemes(spans)
    assert [v.viseme for v in out] == ["sil", "aa", "aa", "ih", "sil", "PP", "sil"]
    assert out[0].start == 0.0 and out[-1].end == pytest.approx(0.6)
    assert all(a.end == pytest.approx(b.start) for a, b in zip(out, out[1:], strict=False))
    onset, offset = out[2], out[3]
    assert onset.duration == pytest.approx(DIPHTHONG_SPLIT * 0.2) and offset.end == pytest.approx(0.35)
    assert onset.vowel and not out[1].vowel


def test_markdown_lists_every_phone_and_is_part_of_the_visemes_doc() -> None:
    section = render_markdown_arpabet()
    for phone in ARPABET_IPA:
        assert f"| `{phone}` |" in section
    assert "| `aw` | aʊ | aa → ou |" in section
    assert section in render_markdown()
    doc = Path(__file__).resolve().parents[1] / "docs" / "VISEMES.md"
    assert section in doc.read_text(encoding="utf-8")


def _flite_phones(voice: str) -> set[str]:
    out = subprocess.run(
        ["flite", "-voice", voice, "-psdur", "-t", RICH_TEXT, "-o", "none"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return {token.rpartition(":")[0] for token in out.split()}


@pytest.mark.skipif(shutil.which("flite") is None, reason="needs flite")
def test_flite_prints_only_known_phones() -> None:
    phones = _flite_phones("slt") | _flite_phones("kal")
    assert {"ax", "ah", "er", "hh", "pau", "aw", "oy", "zh", "dh", "ng"} <= phones
    assert phones <= set(ARPABET_IPA), phones - set(ARPABET_IPA)


@pytest.mark.skipif(shutil.which("festival") is None, reason="needs festival")
@pytest.mark.parametrize("voice", ["kal_diphone", "cmu_us_slt_arctic_hts"])
def test_festival_prints_only_known_phones(voice: str, tmp_path: Path) -> None:
    if not any(
        Path(root, lang, voice).is_dir()
        for root in ("/usr/share/festival/voices",)
        for lang in ("english", "us")
    ):
        pytest.skip(f"festival voice {voice} is not installed")
    segs = tmp_path / "out.segs"
    script = tmp_path / "say.scm"
    script.write_text(
        f'(voice_{voice})\n(set! u (utt.synth (Utterance Text "{RICH_TEXT}")))\n(utt.save.segs u "{segs}")\n'
    )
    subprocess.run(["festival", "-b", str(script)], check=True, capture_output=True, timeout=60)
    phones = {line.split()[2] for line in segs.read_text().splitlines()[1:] if len(line.split()) == 3}
    assert {"ax", "er", "hh", "pau", "aw", "oy", "zh", "dh", "ng"} <= phones
    assert phones <= set(ARPABET_IPA), phones - set(ARPABET_IPA)
