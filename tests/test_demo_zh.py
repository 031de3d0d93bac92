"""The Mandarin demo show: ``assets/demo/demo_zh.rundown.toml`` loads through the rundown loader
with its claim check, says what a host says (prices, a brand and model name, a percentage), and
its first line is rendered with Kokoro's Mandarin voice when the voices are fetched."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import av
import pytest

from studio.cli.main import main
from studio.compliance.checker import Checker
from studio.live.rundown import load_rundown
from studio.voice.language import has_cjk
from studio.voice.registry import default_voice_id

pytest_plugins = ["voice_fixtures"]

DEMO_ZH = Path(__file__).resolve().parents[1] / "assets" / "demo" / "demo_zh.rundown.toml"


def test_the_mandarin_demo_loads_with_its_claims_checked_and_no_findings() -> None:
    rundown = load_rundown(DEMO_ZH)  # raises on a claim no override covers
    assert rundown.loop and len(rundown.segments) >= 4
    checker = Checker()
    for segment in rundown.segments:
        assert segment.voice is None, "the voice follows the text: Kokoro's Mandarin once fetched"
        assert not segment.overrides, "a demo needs no override"
        assert checker.check(segment.text) == [], segment.text
        assert has_cjk(segment.text)
    script = " ".join(segment.text for segment in rundown.segments)
    for host_says in ("¥89.90", "¥199", "4.5折", "20%", "30ml", "SoundPro X2"):
        assert host_says in script
    first_round = list(islice(rundown.lines(), 20))  # the show loops: one round and a bit
    assert all(line.voice is None and line.text for line in first_round)


def test_the_demos_first_line_is_rendered_with_kokoros_mandarin_voice(
    kokoro_installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = next(load_rundown(DEMO_ZH).lines()).text
    assert default_voice_id(first) == "kokoro:zf_xiaoxiao"
    out = tmp_path / "first.mp4"
    argv = [
        "render",
        "--avatar",
        "demo",
        "--text",
        first,
        "--out",
        str(out),
        "--size",
        "320x180",
        "--fps",
        "15",
    ]
    assert main(argv) == 0
    said = capsys.readouterr()
    assert "with kokoro:zf_xiaoxiao" in said.out + said.err
    with av.open(str(out)) as container:
        assert "kokoro:zf_xiaoxiao" in " ".join(str(value) for value in container.metadata.values())
        audio = container.streams.audio[0]
        assert audio.duration is not None and float(audio.duration * audio.time_base) > 1.0
