"""The GB 45438-2025 labels on what Studio writes, read back from the outside: the implicit
``AIGC`` tag in renders, live recordings and the RTMP stream, and ``studio label-check``
finding the visible label in the pixels (and its absence on a ``--no-label`` render)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import pytest

from studio import GENERATOR
from studio.cli.label_check_cmd import check_source
from studio.cli.main import main
from studio.outputs.aigc_label import AIGC_FIELDS
from studio.outputs.base import StreamFormat
from studio.outputs.rtmp import RtmpOutput, _flv_encoder
from studio.outputs.rtmp_wire import amf_decode

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

REPO = Path(__file__).resolve().parents[1]
TEXT = "Hello there, the bamboo mop is on sale today."
RUNDOWN = """
version = 1
[[segment]]
text = "Welcome to the live room, everyone! Today our face serum is thirty percent off."
voice = "espeak:en-us"
pause_ms = 300
"""


def tags_of(path: Path) -> dict[str, str]:
    with av.open(str(path)) as container:
        return {str(k): str(v) for k, v in container.metadata.items()}


def aigc_of(path: Path) -> dict[str, str]:
    label: dict[str, str] = json.loads(tags_of(path)["AIGC"])
    return label


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("renders")
    made = {}
    for name, extra in (("labelled", []), ("again", []), ("unlabelled", ["--no-label"])):
        out = folder / f"{name}.mp4"
        argv = ["render", "--avatar", "demo", "--text", TEXT, "--out", str(out), "--size", "640x360"]
        assert main([*argv, *extra]) == 0
        made[name] = out
    return made


def test_every_render_carries_the_aigc_label_with_its_own_produce_id(renders: dict[str, Path]) -> None:
    labels = [aigc_of(path) for path in renders.values()]
    for label in labels:
        assert tuple(label) == AIGC_FIELDS, "the standard's fields, in its order"
        assert label["Label"] == "1" and label["ContentProducer"] == GENERATOR
        assert label["ContentPropagator"] == "" and label["PropagateID"] == ""
    assert len({label["ProduceID"] for label in labels}) == len(labels), "one ProduceID per file"
    assert tags_of(renders["labelled"])["ai_generated"] == "true", "our own tag stays"


def test_label_check_finds_both_labels_on_a_render(
    renders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["label-check", str(renders["labelled"])]) == 0
    out = capsys.readouterr().out
    produce_id = aigc_of(renders["labelled"])["ProduceID"]
    assert "implicit label (GB 45438-2025 AIGC metadata): present (AI-generated)" in out
    assert f"ProduceID={produce_id}" in out
    assert "explicit label (visible): present: found on 10 of 10 sampled frames (top-right)" in out


def test_label_check_reports_the_visible_label_missing_on_a_no_label_render(
    renders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The tags of this file still say AI-generated: the pixels decide the explicit label.
    assert main(["label-check", str(renders["unlabelled"])]) == 1
    out = capsys.readouterr().out
    assert "implicit label (GB 45438-2025 AIGC metadata): present" in out
    assert "explicit label (visible): MISSING: found on 0 of 10 sampled frames" in out


def test_a_live_recording_and_its_rtmp_push_carry_the_label_and_a_player_sees_both(
    tmp_path: Path, rtmp_server: RtmpServer
) -> None:
    rundown = tmp_path / "show.rundown.toml"
    rundown.write_text(RUNDOWN, encoding="utf-8")
    out = tmp_path / "live.mp4"
    url = rtmp_server.url("labelkey")
    argv = ["live", "--avatar", "demo", "--script", str(rundown), "--record", str(out)]
    argv += ["--rtmp", url, "--duration", "12", "--size", "480x270"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    show = subprocess.Popen(
        [sys.executable, "-m", "studio", *argv], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        # Join as a player once the publish has begun (nginx records each publish to a file).
        for _ in range(600):
            if rtmp_server.recordings("labelkey") or show.poll() is not None:
                break
            time.sleep(0.05)
        live = check_source(url, seconds=2.0)
        _, err = show.communicate(timeout=60)
    finally:
        if show.poll() is None:
            show.kill()
            show.wait()
    assert show.returncode == 0, err
    # The server relays Studio's own onMetaData ("meta copy", tests/rtmp_server.py): a player
    # reads both labels from the stream, as label-check does on a platform that relays it.
    assert live.explicit, f"the visible label on {len(live.found)} of {live.sampled} frames"
    assert live.implicit is not None and live.implicit["Label"] == "1", live.implicit
    recorded = aigc_of(out)
    assert recorded["Label"] == "1" and recorded["ContentProducer"] == GENERATOR
    assert tags_of(out)["ai_generated"] == "true"


def test_the_rtmp_streams_onmetadata_carries_the_label_with_one_id_per_show() -> None:
    shows = [RtmpOutput("rtmp://127.0.0.1/live/key"), RtmpOutput("rtmp://127.0.0.1/live/key")]
    sent = []
    for show in shows:
        # The FLV tags the publisher sends (as @setDataFrame): the first is the script data.
        container, _, sink = _flv_encoder(
            StreamFormat(320, 180, Fraction(30)), 500_000, "veryfast", show.metadata
        )
        container.close()
        tag_type, _, payload = sink.tags()[0]
        assert tag_type == 18
        name, meta = amf_decode(payload)
        assert name == "onMetaData" and meta["ai_generated"] == "true"
        sent.append(json.loads(meta["AIGC"]))
    assert all(label["Label"] == "1" and tuple(label) == AIGC_FIELDS for label in sent)
    assert sent[0]["ProduceID"] != sent[1]["ProduceID"], "each show has its own id"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["{tmp}/missing.mp4"], "is not a file"),
        (["{tmp}/notes.txt"], "cannot read"),
        (["rtmp://host-only"], "no app"),
        (["http://example.com/a.mp4"], "cannot be checked"),
        (["{tmp}/notes.txt", "--seconds", "-1"], "--seconds"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a video\n", encoding="utf-8")
    assert main(["label-check", *(a.format(tmp=tmp_path) for a in args)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studio: error: ") and problem in lines[0], captured.err
    assert captured.out == ""
