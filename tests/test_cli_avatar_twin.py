"""``studio avatar create --video``: a twin from real footage, and every video a twin cannot be
made from refused in one line, exit code 2, the library untouched.

Each clip is made once per session from the real footage; the refusals are on short clips
(the analysis refuses before any slow step), so the whole file stays quick."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from cli_output import one_error_line
from footage import footage
from twin_footage_clips import decoded, remade, side_by_side, trimmed, write_video

from studio.avatar.library import AvatarLibrary
from studio.cli.main import main

pytest_plugins = ["twin_fixtures", "avatar_fixtures"]

# Franck's longest closed-mouth stretch in his first minute (frames 511-772 at 25 fps, as the
# idle loop finds it): lips shut, breathing and blinking, never a word.
CLOSED_START_S, CLOSED_S = 20.5, 10.3


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("twin_cli_clips")


def _no_face(clips: Path) -> Path:
    # The top-left corner of franck's picture: his blue background, nobody in it.
    return remade(footage("franck.webm"), clips / "wall.mp4", lambda rgb: rgb[:96, :96].copy(), seconds=2.0)


def _second_person(clips: Path) -> Path:
    return side_by_side(footage("franck.webm"), footage("jwpIntro.mp4"), clips / "two.mp4", seconds=3.0)


def _too_short(clips: Path) -> Path:
    return trimmed(footage("franck.webm"), clips / "franck10.webm", 10.0)


def _closed_only(clips: Path) -> Path:
    """17 s of franck with his mouth shut: the closed stretch played forward, then back."""
    frames = list(decoded(footage("franck.webm"), CLOSED_S, CLOSED_START_S))
    looped = frames + frames[::-1][1 : 425 - len(frames) + 1]
    return write_video(clips / "closed17.mp4", looped, 25)


def _too_dark(clips: Path) -> Path:
    dark = lambda rgb: (rgb * 0.2).astype(np.uint8)  # noqa: E731
    return remade(footage("franck.webm"), clips / "dark.mp4", dark, seconds=3.0)


def _undecodable(clips: Path) -> Path:
    path = clips / "notes.mp4"
    path.write_text("not a video\n" * 100, encoding="utf-8")
    return path


def _audio_only(clips: Path) -> Path:
    """jwp's own voice, its packets copied into an audio-only file."""
    path = clips / "jwp_voice.m4a"
    with av.open(str(footage("jwpIntro.mp4"))) as src, av.open(str(path), "w") as out:
        stream = out.add_stream_from_template(src.streams.audio[0])
        for packet in src.demux(src.streams.audio[0]):
            if packet.dts is None:
                continue
            packet.stream = stream
            out.mux(packet)
    return path


# refusal -> (how the clip is made, what the one line says)
REFUSALS = {
    "no face": (_no_face, "no face found in wall.mp4"),
    "a second person": (_second_person, "a second person is in view in two.mp4"),
    "too short": (_too_short, "a twin needs at least 15 s"),
    "too few mouth shapes": (_closed_only, "closed17.mp4 has too few mouth shapes for a twin: missing"),
    "too dark": (_too_dark, "dark.mp4 is too dark"),
    "undecodable": (_undecodable, "notes.mp4"),
    "audio only": (_audio_only, "jwp_voice.m4a"),
}


def _create(video: Path, library: Path, name: str = "Franck") -> int:
    return main(["avatar", "create", "--video", str(video), "--name", name,
                 "--consent-by", "Franck Example", "--library", str(library)])  # fmt: skip


def test_a_video_builds_a_twin_the_list_shows(
    library: AvatarLibrary, franck20: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert _create(franck20, library.root) == 0
    out, _err = capfd.readouterr()
    assert out.startswith("created twin 'Franck' in ") and "mouth units" in out
    avatar = library.load("Franck")
    assert avatar.manifest.kind == "twin" and avatar.manifest.consent.name == "Franck Example"
    assert main(["avatar", "list", "--library", str(library.root)]) == 0
    rows = {line.split()[0]: line.split()[1] for line in capfd.readouterr()[0].splitlines()[1:]}
    assert rows == {"Ana": "photo", "Franck": "twin"}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_video_no_twin_can_come_from_is_one_line(
    library: AvatarLibrary,
    clips: Path,
    library_state: Callable[[Path], object],
    refusal: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    make, says = REFUSALS[refusal]
    video = make(clips)
    capfd.readouterr()
    before = library_state(library.root)
    assert _create(video, library.root) == 2, refusal
    line = one_error_line(capfd)
    print(f"{refusal}: {line}")
    assert says in line, line
    assert library_state(library.root) == before
