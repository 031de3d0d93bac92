"""The watchdog: a show whose renderer stops returning is restarted at the line it was on, the
outputs go on, and the session log says what happened."""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from datetime import time as day_time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.live.rundown import Rundown, Segment
from studio.live.schedule import Slot
from studio.live.watchdog import RESTART, STALL, Cue, resume_at, resumed
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings

SETTINGS = RenderSettings(160, 96, Fraction(30), label=LabelSettings(True, "AI-generated", "bottom-left"))
RUNDOWN = Rundown(
    (
        Segment("Welcome to the room. Our first product is a mug.", product="mug"),
        Segment("The mug holds coffee. It keeps it hot. It has a lid.", product="mug"),
        Segment("Now the lamp. It is bright.", product="lamp"),
    ),
    loop=True,
)


def texts(rundown: Rundown, cue: Cue | None, n: int) -> list[tuple[int, str]]:
    return [(line.segment, line.text) for line in itertools.islice(resume_at(rundown.lines(), cue), n)]


def test_the_lines_resume_at_the_cue_and_loop_on() -> None:
    assert texts(RUNDOWN, Cue(2, "It keeps it hot."), 4) == [
        (2, "It keeps it hot."), (2, "It has a lid."), (3, "Now the lamp."), (3, "It is bright."),
    ]  # fmt: skip
    assert texts(RUNDOWN, Cue(3, "It is bright."), 2) == [(3, "It is bright."), (1, "Welcome to the room.")]
    assert texts(RUNDOWN, None, 1) == [(1, "Welcome to the room.")]
    # A line that is no longer in the rundown: the next segment, never more than a lap passed over.
    assert texts(RUNDOWN, Cue(2, "Gone now."), 1) == [(3, "Now the lamp.")]


def test_a_cue_outside_the_slot_on_now_gives_the_slot_s_lines() -> None:
    lamp_all_day = (Slot(day_time(0, 0), day_time(0, 0), ("lamp",)),)
    day = resumed(
        Rundown(RUNDOWN.segments, slots=lamp_all_day, day_clock=lambda: day_time(12, 0)), Cue(2, "x")
    )
    assert [line.segment for line in itertools.islice(day.lines(), 5)] == [3, 3, 3, 3, 3]
    with pytest.raises(ValueError, match="never end"):
        list(day.lines())  # the resumed rundown is as endless as the rundown


class Stuck:
    """A renderer that stops returning (a driver hang) until the test lets it go."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.entered = threading.Event()

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        self.entered.set()
        self.release.wait()
        return np.zeros((96, 160, 3), np.uint8)


def wait_for(condition: object, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def records(show: LiveShow) -> list[dict]:
    return [json.loads(line) for path in show.log.parts for line in path.read_text().splitlines()]


def test_a_stalled_renderer_is_restarted_at_the_line_it_was_on_and_the_outputs_go_on(tmp_path: Path) -> None:
    avatar = load_avatar(demo_package_path(), "")
    sink = Sink("watch")
    options = LiveOptions(rundown=RUNDOWN, voice="espeak:en-us", log_dir=tmp_path, watchdog_s=1.5)
    show = LiveShow(avatar, SETTINGS, options, extra_outputs=(sink,))
    said: list[tuple[str, int, str]] = []
    release = threading.Event()
    stuck = Stuck(release)
    show.start()
    try:
        show.on_said(lambda clip: said.append((clip.kind, clip.segment, clip.label)))
        wait_for(lambda: any(s[:2] == ("rundown", 2) for s in said))
        assert show.watchdog is not None and show.watchdog.cue is not None
        waited: list[bool] = []  # a caller waiting for the show's end sees it go on through the restart
        waiter = threading.Thread(target=lambda: waited.append(show.wait(600)), daemon=True)
        waiter.start()
        show.engine.replace_renderers([stuck] * options.render_threads)
        assert stuck.entered.wait(30)
        stalled_at = len(sink.frames)
        wait_for(lambda: show.watchdog is not None and show.watchdog.restarts == 1)
        wait_for(lambda: len(sink.frames) > stalled_at + 60)  # two seconds of show after it
        wait_for(lambda: sum(s[0] == "rundown" for s in said) >= 5)
        assert not waited
    finally:
        stats = show.stop()
        release.set()
    waiter.join(30)
    assert waited == [True]
    log = records(show)
    assert show.error is None and show.watchdog.restarts == 1
    stall = next(r for r in log if r["type"] == STALL)
    restart = next(r for r in log if r["type"] == RESTART)
    assert stall["stage"] == "frames" and stall["seconds"] >= 1.5
    # The line on air when the renderer stuck is said again first (after the AI notice).
    assert (restart["segment"], restart["text"]) == (stall["segment"], stall["text"])
    assert stall["segment"] in (2, 3)
    after = [r for r in log if r["type"] == "said" and r["seq"] > restart["seq"] and r["kind"] == "rundown"]
    assert (after[0]["segment"], after[0]["text"]) == (stall["segment"], stall["text"])
    assert after[0]["pts_s"] >= restart["pts_s"] > stall["pts_s"] - 2
    # The output went on: frames in order across the restart, the sound with one gap forward.
    assert not [p for p in sink.problems if p.startswith("frame")]
    gaps = [p for p in sink.problems if p.startswith("audio")]
    assert len(gaps) == 1
    at, expected = map(int, re.findall(r"\d+", gaps[0]))
    assert at > expected  # a gap, never sound sent twice
    assert sink.frames[-1] > stalled_at + 60 and stats["watch"].frames == len(sink.frames)
    # The frames lost in the stall count as skipped, in one count for the whole show.
    status = show.status()
    assert status.skipped >= 30 and status.frames + status.skipped >= sink.frames[-1]


def test_a_stuck_voice_is_restarted_at_the_line_it_was_on(tmp_path: Path) -> None:
    """The voice engine stops returning (here: eSpeak's own lock held, as a hung engine holds it):
    the frames go on in silence, so the watchdog goes by the sentences that reach the air."""
    from studio.voice import espeak_lib

    avatar = load_avatar(demo_package_path(), "")
    # A first lap of sentences not yet made (a rundown's clips are cached once made): the voice is
    # asked for new ones while it hangs.
    colours = ["red", "blue", "green", "grey", "black", "white", "pink", "brown", "gold", "teal"]
    long_segment = Segment(" ".join(f"It also comes in {c}." for c in colours))
    rundown = Rundown((Segment("Welcome to the room."), long_segment), loop=True)
    options = LiveOptions(rundown=rundown, voice="espeak:en-us", log_dir=tmp_path, watchdog_s=30.0)
    show = LiveShow(avatar, SETTINGS, options, extra_outputs=(Sink("watch"),))
    assert show.watchdog is not None
    show.watchdog.voice_stall_s = 2.0
    said: list[tuple[str, int, str]] = []
    hung = threading.Event()

    def hang_the_voice() -> None:
        with espeak_lib._LOCK:  # noqa: SLF001 - the engine's own lock: every synthesis waits on it
            hung.set()
            wait_for(lambda: any('"type":"stall"' in p.read_text() for p in show.log.parts))

    show.start()
    try:
        show.on_said(lambda clip: said.append((clip.kind, clip.segment, clip.label)))
        wait_for(lambda: any(s[:2] == ("rundown", 2) for s in said))
        hanger = threading.Thread(target=hang_the_voice, daemon=True)
        hanger.start()
        assert hung.wait(30)
        wait_for(lambda: show.watchdog is not None and show.watchdog.restarts == 1)
        count = len(said)
        wait_for(lambda: sum(s[0] == "rundown" for s in said[count:]) >= 2)
        hanger.join(30)
    finally:
        show.stop()
    log = records(show)
    stall = next(r for r in log if r["type"] == STALL)
    restart = next(r for r in log if r["type"] == RESTART)
    assert stall["stage"] == "voice" and stall["seconds"] >= 2.0
    assert (restart["segment"], restart["text"]) == (stall["segment"], stall["text"])
    assert stall["segment"] == 2 and stall["text"].startswith("It also comes in")
    after = [r for r in log if r["type"] == "said" and r["seq"] > restart["seq"] and r["kind"] == "rundown"]
    assert (after[0]["segment"], after[0]["text"]) == (stall["segment"], stall["text"])
    # The frames never stopped: the show idled in silence, and the count has no gap.
    status = show.status()
    assert show.error is None and status.frames + status.skipped >= 30 * after[-1]["pts_s"] - 30


def test_a_voice_hung_for_good_is_restarted_less_and_less_often(tmp_path: Path) -> None:
    """Each restart of a voice that never comes back leaves its stuck thread behind: the watchdog
    waits twice as long before each next one, so a night of it cannot pile up threads."""
    from studio.voice import espeak_lib

    avatar = load_avatar(demo_package_path(), "")
    options = LiveOptions(rundown=RUNDOWN, voice="espeak:en-us", log_dir=tmp_path, watchdog_s=30.0)
    show = LiveShow(avatar, SETTINGS, options)
    assert show.watchdog is not None
    show.watchdog.voice_stall_s = 1.0
    release, hung = threading.Event(), threading.Event()

    def hang_the_voice() -> None:
        with espeak_lib._LOCK:  # noqa: SLF001 - the engine's own lock: every synthesis waits on it
            hung.set()
            release.wait(120)

    show.start()
    hanger = threading.Thread(target=hang_the_voice, daemon=True)
    try:
        hanger.start()
        assert hung.wait(30)
        wait_for(lambda: show.watchdog is not None and show.watchdog.restarts >= 3, timeout=100)
    finally:
        release.set()
        show.stop()
        hanger.join(30)
    stalls = [r["seconds"] for r in records(show) if r["type"] == STALL]
    assert len(stalls) >= 3 and all(
        r == "voice" for r in (s["stage"] for s in records(show) if s["type"] == STALL)
    )
    assert stalls[1] >= 2.0 and stalls[2] >= 4.0  # each wait twice the one before
