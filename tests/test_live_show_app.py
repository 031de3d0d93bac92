"""What the app needs from ``LiveShow``: a rundown object, its own outputs (the preview), a
start that reports progress and can be cancelled, and what to show about a running show."""

from __future__ import annotations

from fractions import Fraction

import pytest
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.errors import InputError
from studio.live.rundown import Rundown, Segment
from studio.outputs.preview import PreviewOutput
from studio.pipeline.live_show import PREPARING, LiveOptions, LiveShow, with_default_voice
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.tasks import Cancelled, CancelToken

SETTINGS = RenderSettings(160, 96, Fraction(30), label=LabelSettings(True, "AI-generated", "bottom-left"))
LINE = "Hello there, welcome to the show."
RUNDOWN = Rundown((Segment(LINE, pause_ms=200, title="Hi"),), loop=True)


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def test_a_rundown_object_drives_the_show_into_the_extra_outputs(avatar: Avatar) -> None:
    preview, sink = PreviewOutput(), Sink()
    options = LiveOptions(rundown=RUNDOWN, voice="espeak:en-us", duration_s=2.0)
    show = LiveShow(avatar, SETTINGS, options, extra_outputs=(preview, sink))
    assert show.engine.outputs[-2:] == [preview, sink]
    assert (show.driven_by, show.can_interject, show.label) == ("script", True, SETTINGS.label)
    progress: list[tuple[float, str]] = []
    show.start(lambda f, m: progress.append((f, m)), CancelToken())
    try:
        assert show.wait(30)
        said = show.status().saying
    finally:
        stats = show.stop()
    assert show.error is None and not sink.problems
    assert said == LINE  # the sentence of the rundown it was handed
    assert len(sink.frames) == 60 and sink.audio_samples == 2 * 48_000
    latest = preview.latest()
    assert latest is not None and latest.index == sink.frames[-1]
    assert stats["preview"].frames == 60
    messages = [m for _, m in progress]
    assert messages[0] == PREPARING and messages[-1] == "Starting the outputs…"
    fractions = [f for f, _ in progress]
    assert fractions == sorted(fractions) and fractions[0] >= 0.0 and fractions[-1] == 1.0


def test_the_default_voice_goes_to_segments_that_name_none() -> None:
    rundown = Rundown((Segment("One."), Segment("Two.", voice="espeak:de")))
    voiced = with_default_voice(rundown, "espeak:en-us")
    assert [s.voice for s in voiced.segments] == ["espeak:en-us", "espeak:de"]
    assert with_default_voice(rundown, None) is rundown


def test_a_show_takes_exactly_one_driver(avatar: Avatar, tmp_path) -> None:  # noqa: ANN001
    script = tmp_path / "s.txt"
    script.write_text("Hello.\n", encoding="utf-8")
    for options in (
        LiveOptions(),
        LiveOptions(rundown=RUNDOWN, script=script),
        LiveOptions(rundown=RUNDOWN, mic=True),
    ):
        with pytest.raises(InputError, match="exactly one"):
            LiveShow(avatar, SETTINGS, options)


def test_cancelling_while_the_first_sentence_is_prepared_leaves_nothing_running(avatar: Avatar) -> None:
    sink = Sink()
    show = LiveShow(
        avatar, SETTINGS, LiveOptions(rundown=RUNDOWN, voice="espeak:en-us"), extra_outputs=(sink,)
    )
    token = CancelToken()
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        if message == PREPARING:
            token.cancel()  # as the user pressing Cancel on the progress dialog

    with pytest.raises(Cancelled, match="going live was cancelled"):
        show.start(progress, token)
    assert seen == [PREPARING]
    assert not sink.started and sink.closed  # never started, yet closed: stop ran
    assert show.supply is not None and not show.supply._threads
    # (the test policy fails the test if any speech or engine thread were still running)


def test_targets_and_status_text_never_show_the_stream_key(avatar: Avatar, tmp_path) -> None:  # noqa: ANN001
    key = "live_123456789_abcdefghijkl"
    record = tmp_path / "show.mp4"
    options = LiveOptions(rundown=RUNDOWN, rtmp=f"rtmp://127.0.0.1:1/live/{key}", record=record)
    show = LiveShow(avatar, SETTINGS, options)
    try:
        targets = show.targets()
        assert targets["record"] == str(record) and show.recording == record
        assert targets["rtmp"] == "rtmp://127.0.0.1:1/live/live****"
        assert key not in show.redact(f"server said: bad key {key}")
        assert "live****" in show.redact(f"server said: bad key {key}")
    finally:
        show.stop()
    mic = LiveShow(avatar, SETTINGS, LiveOptions(mic=True, record=record))
    try:
        assert (mic.driven_by, mic.can_interject, mic.interject("hi")) == ("microphone", False, False)
    finally:
        mic.stop()
