"""Render an avatar speaking a script to an MP4 file.

Stages run in order: speech (TTS), lip-sync driver, then frames rendered on this
thread while the encoder's worker thread compresses the previous ones, so the
two cores overlap. Every frame's pts comes from the audio sample clock.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio import GENERATOR
from studio.avatar.package import Avatar
from studio.errors import InputError
from studio.lipsync.mouth import LipSyncDriver, MouthTrack
from studio.lipsync.phoneme_driver import PhonemeDriver
from studio.media.audio import read_audio, resample
from studio.media.clock import frame_count, frame_start_sample
from studio.media.encoder import Mp4Writer
from studio.outputs.aigc_label import aigc_metadata, parse_aigc
from studio.render.factory import renderers_for
from studio.render.photo_renderer import RenderSettings
from studio.translation import tr
from studio.voice import Speech, phonemize, synthesize

OUTPUT_SAMPLE_RATE = 48000
# A talking head on a still background is cheap to encode: "veryfast" keeps up with the
# renderer on two cores at a third of "superfast"'s bitrate (docs/BENCHMARKS.md).
DEFAULT_PRESET = "veryfast"
Progress = Callable[[int, int], None]


@dataclass
class StageTimes:
    """Seconds spent per stage, for ``studio bench`` and the closing summary."""

    tts: float = 0.0
    driver: float = 0.0
    setup: float = 0.0
    render: float = 0.0
    encode_wait: float = 0.0
    total: float = 0.0
    frames: int = 0
    audio_seconds: float = 0.0
    produce_id: str = ""  # the GB 45438 implicit label's id written into the file

    @property
    def realtime_factor(self) -> float:
        return self.audio_seconds / self.total if self.total > 0 else 0.0


DRIVERS = ("model", "phonemes")


def default_driver() -> LipSyncDriver:
    return PhonemeDriver(phonemize=phonemize)


def make_driver(name: str, provider: str | None = None) -> LipSyncDriver:
    """``"phonemes"``: the TTS engine's timings; ``"model"``: our ONNX model on the audio."""
    if name == "phonemes":
        return default_driver()
    if name == "model":
        from studio.inference.lipsync_model import LipSyncModel
        from studio.lipsync.model_driver import ModelDriver

        return ModelDriver(LipSyncModel(provider=provider))
    raise ValueError(f"unknown lip-sync driver {name!r}; expected one of {DRIVERS}")


def describe_driver(driver: LipSyncDriver) -> str:
    """What a user is told drove the mouth, with where the model ran (read back from onnxruntime)."""
    provider = getattr(getattr(driver, "model", None), "provider", None)
    return f"{driver.name} on {provider}" if provider else driver.name


def speech_from_file(path: Path) -> Speech:
    """A recorded or downloaded voice as ``Speech``: audio only, no phoneme timings."""
    audio, rate = read_audio(path)  # mono already, and never empty
    return Speech(audio, rate, voice_id=f"file:{path.name}")


def output_metadata(
    avatar: Avatar, label_text: str, voice: str | None = None, live: bool = False, credit_name: bool = False
) -> dict[str, str]:
    """The file's AI-generated labels, for renders (one voice) and live shows (any voices).

    Files travel: the consenting person's full legal name goes into them only when the user
    asks (``credit_name``); otherwise ``consent_by`` names the avatar whose package holds the
    consent record. Each call makes a new GB 45438-2025 ``AIGC`` label with its own ProduceID,
    so call it once per file."""
    said = f" Voice: {voice}." if voice else " Live show."
    meta = {
        "title": f"{avatar.name} (AI-generated digital human{', live' if live else ''})",
        "comment": f"AI-generated video: a synthetic digital human made with {GENERATOR}.",
        "description": f"{label_text}. Avatar: {avatar.name}.{said}",
        "ai_generated": "true",
        "generator": GENERATOR,
        "avatar": avatar.name,
    }
    if voice:
        meta["voice"] = voice
    meta["consent_by"] = avatar.manifest.consent.name if credit_name else f"avatar:{avatar.name}"
    meta.update(aigc_metadata())  # the national standard's implicit label, beside our own tags
    return meta


def render_speech(
    avatar: Avatar,
    speech: Speech,
    out: Path,
    settings: RenderSettings,
    driver: LipSyncDriver | None = None,
    progress: Progress | None = None,
    times: StageTimes | None = None,
    preset: str = DEFAULT_PRESET,
    credit_name: bool = False,
    overlay: Callable[[int, np.ndarray], np.ndarray] | None = None,
) -> StageTimes:
    """Render ``speech`` on ``avatar`` into ``out`` (written atomically). ``overlay(i, frame)``
    draws over each frame in order (the product card: ``render_show.card_overlay``)."""
    times = times or StageTimes()
    start = time.perf_counter()
    fps = Fraction(settings.fps)
    audio = resample(speech.audio, speech.sample_rate, OUTPUT_SAMPLE_RATE)
    frames = frame_count(len(audio), OUTPUT_SAMPLE_RATE, fps)
    if frames == 0:
        raise InputError(
            tr("the voice produced no audio for this script."), tr("Give the voice some words to say.")
        )
    # Pad the audio with silence to the end of the last frame, so both streams end together.
    end = frame_start_sample(frames, OUTPUT_SAMPLE_RATE, fps)
    audio = np.concatenate([audio, np.zeros(end - len(audio), np.float32)])
    times.frames, times.audio_seconds = frames, len(audio) / OUTPUT_SAMPLE_RATE

    t = time.perf_counter()
    track: MouthTrack = (driver or default_driver()).drive(speech, fps, frames)
    times.driver += time.perf_counter() - t

    t = time.perf_counter()
    renderers = renderers_for(avatar, settings)
    renderer = renderers.workers[0]
    # The whole track is known: what depends on the frames around each one is decided at once.
    planned = renderers.planner.plan_track(np.stack([track.frame(i) for i in range(frames)]))
    times.setup += time.perf_counter() - t

    metadata = output_metadata(avatar, settings.label.text, speech.voice_id, credit_name=credit_name)
    times.produce_id = (parse_aigc(metadata) or {}).get("ProduceID", "")
    with (
        contextlib.closing(renderers),
        Mp4Writer(
            out,
            settings.width,
            settings.height,
            fps,
            OUTPUT_SAMPLE_RATE,
            metadata,
            preset=preset,
            threaded=True,
        ) as writer,
    ):
        for i in range(frames):
            t = time.perf_counter()
            frame = renderer.render(i, planned[i])
            if overlay is not None:
                frame = overlay(i, frame)
            t2 = time.perf_counter()
            # Audio goes in frame by frame, so the file interleaves the two streams evenly.
            a0, a1 = (
                frame_start_sample(i, OUTPUT_SAMPLE_RATE, fps),
                frame_start_sample(i + 1, OUTPUT_SAMPLE_RATE, fps),
            )
            writer.write_audio(audio[a0:a1], a0)
            writer.write_video(frame, i)
            times.render += t2 - t
            times.encode_wait += time.perf_counter() - t2
            if progress:
                progress(i + 1, frames)
        t = time.perf_counter()
    times.encode_wait += time.perf_counter() - t
    times.total += time.perf_counter() - start
    return times


def render_text(
    avatar: Avatar,
    text: str,
    out: Path,
    settings: RenderSettings,
    voice: str | None = None,
    driver: LipSyncDriver | None = None,
    progress: Progress | None = None,
    credit_name: bool = False,
) -> tuple[Speech, StageTimes]:
    times = StageTimes()
    t = time.perf_counter()
    speech = synthesize(text, voice)
    times.tts = time.perf_counter() - t
    render_speech(avatar, speech, out, settings, driver, progress, times, credit_name=credit_name)
    times.total += times.tts
    return speech, times
