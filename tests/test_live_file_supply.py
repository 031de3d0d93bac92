"""An audio file played live is decoded as the show plays, in frame-aligned clips."""

from __future__ import annotations

import os
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from audio_files import mp3_with_damaged_tail

from studio.errors import InputError, StudioError
from studio.lipsync.energy_driver import EnergyDriver
from studio.lipsync.mouth import MouthTrack
from studio.live.clips import Clip
from studio.live.file_supply import AudioFileSupply
from studio.live.program import Program
from studio.media.audio import read_audio, resample, write_wav
from studio.media.clock import frame_count
from studio.outputs.base import StreamFormat
from studio.voice.base import Speech

FMT = StreamFormat(64, 64, Fraction(30), 48000)


def _speechlike(seconds: float, rate: int) -> np.ndarray:
    """A tone switched on and off a few times a second, so a mouth track has shape."""
    t = np.arange(int(seconds * rate)) / rate
    gate = (np.sin(2 * np.pi * 2.7 * t) > 0).astype(np.float32)
    return (0.4 * np.sin(2 * np.pi * 220 * t) * gate).astype(np.float32)


def _play(program: Program, frames: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    audio, mouth, labels = [], [], []
    for index in range(frames):
        content = program.frame(index, timeout=5.0)
        audio.append(content.audio)
        mouth.append(content.mouth)
        labels.append(content.label)
    return np.concatenate(audio), np.stack(mouth), labels


def test_a_file_plays_whole_and_in_sync_through_clips(tmp_path: Path) -> None:
    path = tmp_path / "voice.wav"
    source_rate = 44100  # not the show's rate: the stream resamples on the way
    write_wav(path, _speechlike(7.3, source_rate), source_rate)
    driver = EnergyDriver()
    supply = AudioFileSupply(path, FMT, driver, clip_seconds=1.0, margin_s=0.5)
    supply.start()
    try:
        program = Program(FMT, supply, end_when_done=True, wait_for_speech_s=5.0)
        whole = resample(read_audio(path)[0], source_rate, FMT.sample_rate)
        frames = frame_count(len(whole), FMT.sample_rate, FMT.fps)
        audio, mouth, labels = _play(program, frames)
        assert program.gaps == 0 and program.idle_frames == 0
        after = program.frame(frames, timeout=5.0)  # the file is over: idle, and the show ends
        assert after.label == "" and program.finished
    finally:
        supply.close()
    assert supply.clips_made == 8 and not supply.warnings.errors
    assert set(labels) == {"audio file voice.wav"}
    # Every sample once, in order: the clips tile the file with nothing lost at the joins.
    assert len(audio) >= len(whole) and not np.any(audio[len(whole) + 2 :])
    inner = slice(2000, len(whole) - 2000)
    # (two resamplers differ a little at the gate's hard edges, never by a shift)
    assert np.sqrt(np.mean((audio[inner] - whole[inner]) ** 2)) < 0.002
    # The mouth matches the mouth made from the whole file, joins included.
    from studio.voice.base import Speech

    expected = driver.drive(Speech(whole, FMT.sample_rate), FMT.fps, frames).values
    assert np.max(np.abs(mouth[:-2] - expected[:-2])) < 0.05
    assert np.ptp(mouth[:, 0]) > 0.2  # the mouth really moves with the gated tone


def test_memory_stays_bounded_for_a_long_file(tmp_path: Path) -> None:
    """Whatever the length, the supply holds at most a clip and its margins plus a few clips."""
    path = tmp_path / "long.wav"
    write_wav(path, _speechlike(60.0, 16000), 16000)
    supply = AudioFileSupply(path, FMT, EnergyDriver(), clip_seconds=1.0, margin_s=0.5, ahead_clips=2)
    held = [supply.held_samples]
    first = supply.take()  # made when the supply opened, so a start error shows at once
    assert first is not None
    total = len(first.audio)
    while True:
        clip = supply._make_clip()  # the decoder thread's step, driven here to watch it
        if clip is None:
            break
        held.append(supply.held_samples)
        total += len(clip.audio)
    assert supply.clips_made == 60
    assert total == pytest.approx(60 * FMT.sample_rate, abs=2)
    # between clips: the margins either side of the join (0.5 s each) and at most one decoded
    # block (a tenth of a clip) past them; never more as the file goes on
    assert max(held) <= int(1.1 * FMT.sample_rate) and held[-2] <= held[1]
    assert supply._queue.maxsize == 2


def test_opening_problems_are_one_line_at_the_start(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        AudioFileSupply(tmp_path / "missing.wav", FMT, EnergyDriver())
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio\n" * 40)
    with pytest.raises(InputError, match="Cannot decode"):
        AudioFileSupply(junk, FMT, EnergyDriver())


def test_the_lip_sync_model_hears_across_the_joins(tmp_path: Path) -> None:
    """With the model a live file show uses, the streamed mouth is the whole file's mouth."""
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.model_driver import ModelDriver
    from studio.voice.base import Speech
    from studio.voice.espeak import EspeakEngine

    engine = EspeakEngine()
    voice = next(v for v in engine.voices() if v.id == "espeak:en-us")
    speech = engine.synthesize("My mother bought a big map, please pass the bread and the butter.", voice)
    path = tmp_path / "speech.wav"
    write_wav(path, speech.audio, speech.sample_rate)
    driver = ModelDriver(LipSyncModel(provider="cpu"))
    supply = AudioFileSupply(path, FMT, driver, clip_seconds=0.7, margin_s=0.5)
    supply.start()
    try:
        program = Program(FMT, supply, end_when_done=True, wait_for_speech_s=5.0)
        whole = resample(read_audio(path)[0], speech.sample_rate, FMT.sample_rate)
        frames = frame_count(len(whole), FMT.sample_rate, FMT.fps)
        _, mouth, _ = _play(program, frames)
    finally:
        supply.close()
    assert supply.clips_made >= 5
    expected = driver.drive(Speech(whole, FMT.sample_rate), FMT.fps, frames).values
    assert np.ptp(expected[:, 0]) > 0.2
    assert np.max(np.abs(mouth[:-3] - expected[:-3])) < 0.1


class FailingModel:
    """The lip-sync model boundary: the real energy driver until call ``fail_at``, then an error
    from inside the model (as onnxruntime raises one)."""

    name = "failing model"

    def __init__(self, fail_at: int, error: Exception) -> None:
        self._driver, self.calls, self.fail_at, self.error = EnergyDriver(), 0, fail_at, error

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack:
        self.calls += 1
        if self.calls >= self.fail_at:
            raise self.error
        return self._driver.drive(speech, fps, num_frames)


def _take_all(supply: AudioFileSupply) -> tuple[list[Clip], StudioError | None]:
    clips: list[Clip] = []
    deadline = time.monotonic() + 60
    while not supply.finished:
        assert time.monotonic() < deadline, "the supply neither finished nor failed"
        try:
            clip = supply.take(timeout=0.2)
        except StudioError as exc:
            return clips, exc
        if clip is not None:
            clips.append(clip)
    return clips, None


def _open_fds(path: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path.resolve()))


@pytest.mark.parametrize("error", [RuntimeError("ORT session run failed"), MemoryError()])
def test_a_lip_sync_failure_mid_file_is_said_and_ends_the_show_with_an_error(
    tmp_path: Path, error: Exception
) -> None:
    path = tmp_path / "voice.wav"
    write_wav(path, _speechlike(6.0, 16000), 16000)
    supply = AudioFileSupply(path, FMT, FailingModel(3, error), clip_seconds=1.0)
    supply.start()
    try:
        clips, failure = _take_all(supply)
    finally:
        supply.close()
    assert len(clips) == 2  # made before the model failed: played, not lost
    assert failure is not None and not supply.finished  # never "the file has ended"
    assert str(failure).startswith("The audio file voice.wav stopped playing at 0:02: ")
    assert type(error).__name__ in failure.problem and "\n" not in str(failure)
    assert supply.warnings.snapshot() == (1, [str(failure)])
    with pytest.raises(StudioError):  # asked again, it says so again
        supply.take()


def test_a_damaged_stretch_of_the_file_is_said_and_ends_the_show_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.mp3"
    mp3_with_damaged_tail(path)
    supply = AudioFileSupply(path, FMT, EnergyDriver(), clip_seconds=1.0)
    supply.start()
    try:
        clips, failure = _take_all(supply)
    finally:
        supply.close()
    assert failure is not None and isinstance(failure, StudioError)
    assert 2 <= len(clips) <= 5  # the part before the damage played
    assert failure.problem.startswith("The audio file damaged.mp3 stopped playing at 0:0")
    assert "Cannot decode audio from" in failure.problem and failure.hint.startswith("Use a valid")
    assert supply.warnings.errors == [str(failure)]
    assert _open_fds(path) == 0  # the decoder closed the file as it stopped


def test_closing_the_supply_closes_its_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "voice.wav"
    write_wav(path, _speechlike(20.0, 16000), 16000)
    supply = AudioFileSupply(path, FMT, EnergyDriver(), clip_seconds=1.0)
    assert _open_fds(path) == 1
    supply.start()
    assert supply.take(timeout=5.0) is not None
    supply.close()  # mid-file, with the supply still referenced: nothing waits for the GC
    assert _open_fds(path) == 0
    never_started = AudioFileSupply(path, FMT, EnergyDriver())
    never_started.close()
    assert _open_fds(path) == 0
