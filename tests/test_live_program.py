"""The program: which sound and mouth each frame gets, exactly, across clips and interjections."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from studio.lipsync.mouth import MouthTrack
from studio.live.clips import Clip
from studio.live.program import REST, Program
from studio.media.clock import frame_count, frame_start_sample
from studio.outputs.base import StreamFormat

NTSC = Fraction(30000, 1001)  # 1601.6 samples a frame: where rounding errors would pile up


def clip(samples: int, fmt: StreamFormat, value: float, kind: str = "rundown", label: str = "") -> Clip:
    """A clip whose sample n is value + n * 1e-6 (so any slip of one sample shows) and whose
    mouth track is frame numbers (so any slip of one frame shows)."""
    audio = (value + np.arange(samples) * 1e-6).astype(np.float32)
    frames = frame_count(samples, fmt.sample_rate, fmt.fps)
    track = np.repeat(np.arange(frames, dtype=np.float32)[:, None], 5, axis=1)
    return Clip(audio, MouthTrack(track, fmt.fps), label or f"clip {value}", kind)


class ListSupply:
    def __init__(self, clips: list[Clip]) -> None:
        self.clips = clips

    def take(self, timeout: float = 0.0) -> Clip | None:
        return self.clips.pop(0) if self.clips else None

    @property
    def finished(self) -> bool:
        return not self.clips


@pytest.mark.parametrize("fps", [Fraction(30), NTSC, Fraction(25)])
def test_clips_play_back_to_back_sample_exact_and_start_on_frames(fps: Fraction) -> None:
    fmt = StreamFormat(64, 64, fps)
    clips = [clip(48_000 + 37 * k, fmt, float(k + 1)) for k in range(3)]
    program = Program(fmt, ListSupply(list(clips)), end_when_done=True)
    frames = [program.frame(i) for i in range(200)]
    assert program.finished
    audio = np.concatenate([f.audio for f in frames])
    assert len(audio) == frame_start_sample(200, fmt.sample_rate, fps)  # no sample lost or added
    assert [f.pts for f in frames] == [frame_start_sample(i, fmt.sample_rate, fps) for i in range(200)]
    starts = [f.index for f in frames if f.started is not None]
    assert len(starts) == 3 and starts[0] == 0
    for k, (first, c) in enumerate(zip(starts, clips, strict=True)):
        begin = frames[first].pts
        np.testing.assert_array_equal(audio[begin : begin + len(c.audio)], c.audio)
        # The rest of the clip's last frame is silence, and the next clip starts on the next frame.
        end = frame_start_sample(first + c.frames, fmt.sample_rate, fps)
        assert not audio[begin + len(c.audio) : end].any()
        if k + 1 < len(starts):
            assert starts[k + 1] == first + c.frames
        mouths = [frames[first + j].mouth[0] for j in range(c.frames)]
        assert mouths == list(range(c.frames))  # track frame j on the clip's frame j
    idle = frames[starts[2] + clips[2].frames :]
    assert idle and all(f.label == "" and not f.audio.any() and (f.mouth == REST).all() for f in idle)


def test_an_interjection_follows_the_current_sentence() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    first, second = clip(16_000, fmt, 1.0), clip(16_000, fmt, 2.0)
    program = Program(fmt, ListSupply([first, second]))
    frames = [program.frame(i) for i in range(3)]
    program.interject(clip(8_000, fmt, 9.0, "interjection", "interjection: hi"), interrupt=False)
    frames += [program.frame(i) for i in range(3, 40)]
    order = [f.started.label for f in frames if f.started is not None]
    assert order == ["clip 1.0", "interjection: hi", "clip 2.0"]
    assert frames[first.frames].started is not None and frames[first.frames].label == "interjection: hi"


def test_an_interrupt_fades_the_sentence_out_in_one_frame_then_speaks() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    long = clip(96_000, fmt, 0.5)
    program = Program(fmt, ListSupply([long]))
    for i in range(10):
        program.frame(i)
    program.interject(clip(8_000, fmt, 9.0, "interjection", "now"), interrupt=True)
    fade = program.frame(10)
    assert fade.label == long.label and fade.started is None
    assert fade.audio[0] == pytest.approx(long.audio[fade.pts], abs=1e-3)  # continues where it was...
    assert fade.audio[-1] == pytest.approx(0.0, abs=1e-6)  # ...and ends silent: no click
    assert np.all(np.diff(np.abs(fade.audio)) <= 1e-4)
    after = program.frame(11)
    assert after.started is not None and after.label == "now" and after.audio[0] == pytest.approx(9.0)
    # The interrupted sentence is dropped, not resumed.
    rest = [program.frame(i) for i in range(12, 40)]
    assert all(f.label in ("now", "") for f in rest)


def test_an_interrupt_while_idle_starts_on_the_next_frame() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    program = Program(fmt)
    assert program.frame(0).label == ""
    program.interject(clip(8_000, fmt, 3.0, "interjection", "now"), interrupt=True)
    assert program.frame(1).label == "now"
