"""A live show driven by an audio file streams it (``AudioFileSupply``): any length goes live,
memory stays at a few seconds of audio, and the file's end ends the show.

How the supply cuts, decodes and syncs the file is tested in test_live_file_supply.py; here,
that ``LiveShow`` uses it from start to stop."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from audio_files import long_silent_wav, mp3_with_damaged_tail
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.errors import InputError, StudioError
from studio.media.audio import MAX_AUDIO_SECONDS, read_audio, write_wav
from studio.media.clock import frame_count
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings

SETTINGS = RenderSettings(160, 96, Fraction(30), label=LabelSettings(True, "AI-generated", "bottom-left"))
RATE = 48_000  # the show's sample rate


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def _gated_tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    gate = (np.sin(2 * np.pi * 2.7 * t) > 0).astype(np.float32)
    return (0.4 * np.sin(2 * np.pi * 220 * t) * gate).astype(np.float32)


def test_a_file_longer_than_the_whole_file_limit_goes_live_in_bounded_memory(
    avatar: Avatar, tmp_path: Path
) -> None:
    path = tmp_path / "long.wav"
    long_silent_wav(path, MAX_AUDIO_SECONDS + 60)  # 31 minutes
    with pytest.raises(InputError, match="at most 0:30:00"):
        read_audio(path)  # what loading it whole would say
    sink = Sink()
    show = LiveShow(avatar, SETTINGS, LiveOptions(audio=path, duration_s=2.0), extra_outputs=(sink,))
    assert (show.driven_by, show.can_interject) == ("audio file", False)
    supply = show.file_supply
    assert supply is not None
    show.start()
    try:
        assert show.wait(60)
    finally:
        show.stop()
    assert show.error is None and not sink.problems
    assert len(sink.frames) == 60 and sink.audio_samples == 2 * RATE
    # 2 s of a 31-minute file: a few 5 s clips decoded ahead, never the file.
    assert 1 <= supply.clips_made <= 4
    assert supply.held_samples <= 6 * RATE  # a clip and its margins at most
    assert not supply.finished  # the show stopped long before the file's end
    assert show.warnings() == (0, [])


def test_a_short_file_is_streamed_to_its_end_and_ends_the_show(avatar: Avatar, tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    seconds = 7.0  # two of the supply's 5 s clips
    write_wav(path, _gated_tone(seconds, 16_000), 16_000)
    sink = Sink(keep_images=True)
    show = LiveShow(avatar, SETTINGS, LiveOptions(audio=path), extra_outputs=(sink,))
    assert show.file_supply is not None and show.file_supply.clips_made == 1  # the rest as it plays
    show.start()
    try:
        assert show.wait(60), "the file's end did not end the show"
    finally:
        show.stop()
    assert show.error is None and not sink.problems
    assert show.file_supply.clips_made == 2 and show.file_supply.finished
    frames = frame_count(int(seconds * RATE), RATE, SETTINGS.fps)
    assert frames <= len(sink.frames) <= frames + 5  # the whole file, then the show ends
    heard = np.concatenate(sink.audio)
    assert np.abs(heard[: int(seconds * RATE)]).max() > 0.3  # the file's sound, not silence
    assert show.warnings() == (0, [])


def test_a_file_damaged_part_way_ends_the_show_with_one_line_not_as_finished(
    avatar: Avatar, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.mp3"
    mp3_with_damaged_tail(path, seconds=20.0)  # past the first clip: the start goes well
    sink = Sink()
    show = LiveShow(avatar, SETTINGS, LiveOptions(audio=path), extra_outputs=(sink,))
    show.start()
    try:
        assert show.wait(60), "the damage did not end the show"
    finally:
        show.stop()
    # What the CLI raises (one line, exit 2) and the app shows as "The show stopped".
    assert isinstance(show.error, StudioError) and "\n" not in str(show.error)
    assert str(show.error).startswith("The audio file damaged.mp3 stopped playing at 0:")
    assert show.warnings() == (1, [str(show.error)])
    assert len(sink.frames) >= 4 * 30  # the clip before the damage was played
