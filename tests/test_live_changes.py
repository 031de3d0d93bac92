"""A running show changes without stopping: a withdrawn face leaves every output at the next
frame, outputs join and leave, and a rundown with a voice that is not installed never starts."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import deque
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from live_fixtures import Sink, demo_renderers

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.errors import InputError
from studio.live.clock import FreeRunClock
from studio.live.engine import EngineConfig, LiveEngine
from studio.live.program import Program
from studio.live.renderers import SLATE_RGB, SlateRenderer, renderers_for
from studio.live.rundown import Rundown, Segment
from studio.outputs.base import AudioChunk, StreamFormat, ThreadedOutput, VideoFrame
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings

pytest_plugins = ["voice_fixtures"]

FPS = Fraction(30)
FMT = StreamFormat(160, 96, FPS)
SETTINGS = RenderSettings(160, 96, FPS, label=LabelSettings(True, "AI-generated", "bottom-left"))
RUNDOWN = Rundown((Segment("Hello there, welcome to the show.", pause_ms=200),), loop=True)


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def negative(avatar: Avatar) -> Avatar:
    """Another person, as far as pixels go: the demo's photo in negative, same landmarks."""
    return dataclasses.replace(avatar, image=(255 - avatar.image).astype(np.uint8))


class SwapAt(Sink):
    """Keeps images; at frame ``at`` (on the engine's presenter thread) calls ``swap``."""

    def __init__(self, at: int, swap: object) -> None:
        super().__init__("swap", keep_images=True)
        self.at, self.swap = at, swap

    def send_video(self, frame: VideoFrame) -> None:
        super().send_video(frame)
        if frame.index == self.at:
            self.swap()  # type: ignore[operator]


def test_the_slate_is_a_plain_frame_that_keeps_the_ai_label() -> None:
    frame = SlateRenderer(SETTINGS).render(0, np.zeros(5, np.float32))
    assert frame.shape == (96, 160, 3) and frame.dtype == np.uint8
    plain = np.all(frame == np.array(SLATE_RGB, np.uint8), axis=2)
    assert 0.6 < plain.mean() < 0.99  # mostly plain, with the label's box in a corner
    rows, cols = np.nonzero(~plain)
    assert rows.min() > 96 // 2 and cols.min() < 160 // 4  # bottom-left, as the settings say


def test_frames_rendered_before_a_withdrawal_never_reach_an_output() -> None:
    slate = SlateRenderer(SETTINGS)
    engine: LiveEngine

    def withdraw() -> None:
        engine.replace_renderers([slate, slate], stale=slate.frame)

    sink = SwapAt(30, withdraw)
    engine = LiveEngine(
        FMT,
        Program(FMT),
        demo_renderers(160, 96, FPS),
        [sink],
        FreeRunClock(48_000),
        EngineConfig(duration_s=3.0),
    )
    engine.start()
    assert engine.wait(60)
    engine.stop()
    assert engine.error is None and not sink.problems and len(sink.images) == 90
    # The renderers run a lead of frames ahead, so frames 31.. were drawn with the face
    # already: none of them is shown, every one after the swap is the slate.
    assert all(np.array_equal(image, slate.frame) for image in sink.images[31:])
    assert not any(np.array_equal(image, slate.frame) for image in sink.images[:31])


def test_a_show_swaps_to_the_replacement_avatar_with_nothing_of_the_old_face(avatar: Avatar) -> None:
    deleted, replacement = negative(avatar), avatar
    faces = {
        "deleted": renderers_for(deleted, SETTINGS, 1).workers[0],
        "replacement": renderers_for(replacement, SETTINGS, 1).workers[0],
    }
    sink = Sink("watch", keep_images=True)
    show = LiveShow(
        deleted, SETTINGS, LiveOptions(rundown=RUNDOWN, voice="espeak:en-us"), extra_outputs=(sink,)
    )
    show.start()
    try:
        _wait_for(lambda: len(sink.images) >= 15)
        show.change_avatar(replacement)
        swapped_at = len(sink.images)
        _wait_for(lambda: len(sink.images) >= swapped_at + 20)
    finally:
        show.stop()
    assert show.error is None and show.avatar is replacement and not show.withdrawn

    def nearest(image: np.ndarray, index: int) -> str:
        still = np.zeros(5, np.float32)
        distance = {k: np.abs(image.astype(int) - r.render(index, still)).mean() for k, r in faces.items()}
        return min(distance, key=distance.__getitem__)

    before = [
        nearest(img, i) for i, img in zip(sink.frames[:swapped_at], sink.images[:swapped_at], strict=True)
    ]
    assert before[:10] == ["deleted"] * 10
    # Every frame sent after the call returns is the slate (while the replacement's renderers
    # are made) or the replacement: not one more frame of the withdrawn face.
    slate = SlateRenderer(SETTINGS).frame
    after = list(zip(sink.frames[swapped_at:], sink.images[swapped_at:], strict=True))
    for index, image in after:
        assert np.array_equal(image, slate) or nearest(image, index) == "replacement"
    assert nearest(after[-1][1], after[-1][0]) == "replacement"


def test_withdrawing_without_a_replacement_leaves_the_slate_on_air(avatar: Avatar) -> None:
    sink = Sink("watch", keep_images=True)
    show = LiveShow(
        avatar, SETTINGS, LiveOptions(rundown=RUNDOWN, voice="espeak:en-us"), extra_outputs=(sink,)
    )
    show.start()
    try:
        _wait_for(lambda: len(sink.images) >= 10)
        show.change_avatar(None)
        swapped_at = len(sink.images)
        _wait_for(lambda: len(sink.images) >= swapped_at + 10)
    finally:
        show.stop()
    assert show.withdrawn
    slate = SlateRenderer(SETTINGS).frame
    assert all(np.array_equal(image, slate) for image in sink.images[swapped_at:])


def test_outputs_join_and_leave_a_running_show(tmp_path: Path, avatar: Avatar) -> None:
    main = Sink("main")
    show = LiveShow(
        avatar, SETTINGS, LiveOptions(rundown=RUNDOWN, voice="espeak:en-us"), extra_outputs=(main,)
    )
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    show.start()
    try:
        _wait_for(lambda: len(main.frames) >= 20)
        show.add_output("record", first)
        assert show.recording == first and show.targets()["record"] == str(first)
        _wait_for(lambda: len(main.frames) >= 50)
        stats = show.remove_output("record")
        assert stats is not None and stats.frames > 0 and show.recording is None
        assert "record" not in show.targets()
        show.add_output("record", second)
        _wait_for(lambda: len(main.frames) >= 80)
    finally:
        final = show.stop()
    assert show.error is None and not main.problems  # the other output never missed a frame
    assert main.frames == list(range(len(main.frames)))
    assert [p for p, _ in show.recordings] == [first, second] and final["record"].frames > 0
    for path, recorded in show.recordings:
        with av.open(str(path)) as container:
            video = container.streams.video[0]
            frames = list(container.decode(video))
            assert frames[0].pts == 0  # each file starts at its own time 0, not the show's
            assert len(frames) >= recorded.frames - 1
            assert container.streams.audio  # and carries the voice


class ClosedBetweenReads(ThreadedOutput):
    """An output whose ``close`` (on another thread) lands right after the engine's thread has
    read ``_thread`` once: the interleaving that removing an output mid-show can produce."""

    name = "closing"

    def __init__(self) -> None:
        self._held: threading.Thread | None = None
        self.started: threading.Thread | None = None
        super().__init__()

    @property  # type: ignore[override]
    def _thread(self) -> threading.Thread | None:
        thread, self._held = self._held, None  # the first read sees it, the next one None
        return thread

    @_thread.setter
    def _thread(self, thread: threading.Thread | None) -> None:
        self._held = thread
        self.started = thread or self.started

    def _open(self, fmt: StreamFormat) -> None:
        pass

    def _write_video(self, frame: VideoFrame) -> None:
        pass

    def _write_audio(self, chunk: AudioChunk) -> None:
        pass

    def _close(self) -> None:
        pass


def test_an_output_closed_while_the_engine_sends_to_it_does_not_fail_the_show() -> None:
    output = ClosedBetweenReads()
    output.start(FMT)
    thread = output.started
    assert thread is not None and thread.is_alive()
    try:
        output._thread = thread  # the engine's next read sees it; close() clears it after that
        output.send_video(VideoFrame(0, 0, np.zeros((96, 160, 3), np.uint8)))  # no AttributeError
        output.send_audio(AudioChunk(0, np.zeros(1600, np.float32)))  # closed now: not taken
        assert output._audio == deque()
    finally:
        output._stop.set()
        output._wake.set()
        thread.join(5)


def test_an_output_of_the_same_kind_cannot_join_twice(avatar: Avatar, tmp_path: Path) -> None:
    show = LiveShow(
        avatar, SETTINGS, LiveOptions(rundown=RUNDOWN, voice="espeak:en-us", record=tmp_path / "a.mp4")
    )
    with pytest.raises(ValueError, match="already has an output named 'record'"):
        show.add_output("record", tmp_path / "b.mp4")
    with pytest.raises(ValueError, match="cannot leave"):
        show.remove_output("audio")
    assert show.remove_output("rtmp") is None


@pytest.mark.parametrize(
    ("kokoro_state", "english", "chinese"),
    [
        ("kokoro", "kokoro:af_heart", "kokoro:zf_xiaoxiao"),
        ("no-kokoro", "piper:en_US-joe-medium", "espeak:cmn"),
    ],
    indirect=["kokoro_state"],
)
def test_a_segment_with_a_voice_that_is_not_installed_is_refused_at_start(
    kokoro_state: str, english: str, chinese: str, avatar: Avatar
) -> None:
    rundown = Rundown((Segment("Hello."), Segment("Welcome!", voice="piper:xx_XX-nobody", title="Intro")))
    with pytest.raises(InputError) as caught:
        LiveShow(avatar, SETTINGS, LiveOptions(rundown=rundown))
    problem, hint = caught.value.problem, caught.value.hint
    assert problem == "segment 2 (Intro) uses the voice 'piper:xx_XX-nobody', which is not installed here."
    assert f"e.g. {english} " in hint  # the default voice for the text, as it is installed
    # One check for the CLI, the app and the show editor (voice_problems): every such segment
    # counted, an installed voice that reads the text offered, whatever engine was misnamed.
    rundown = Rundown((Segment("你好，欢迎！", voice="espeak:nobody"), Segment("Hi.", voice="edge:nobody")))
    with pytest.raises(InputError) as caught:
        LiveShow(avatar, SETTINGS, LiveOptions(rundown=rundown))
    problem, hint = caught.value.problem, caught.value.hint
    assert problem == (
        "segment 1 uses the voice 'espeak:nobody', which is not installed here (1 more segment too)."
    )
    assert hint == f"Pick an installed voice for it, e.g. {chinese} ('studio voices' lists them)."


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
