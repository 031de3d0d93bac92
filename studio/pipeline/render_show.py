"""Render a show's rundown to an MP4 file with each product's card while its segment is said.

``studio render --script show.toml`` says a rundown once through (not its TOML text); with
``--catalog catalog.toml`` the rundown (e.g. from ``studio show
from-catalog``) is said once through, each sentence in its segment's voice, and the frames get the
product card exactly as a live show draws it: the same ``CardTrack`` decides, frame by frame, which
card is on screen and how faded (a segment's product on from its first frame, the old card fading
out before the new one fades in), and the same ``ProductCards`` compositor blends it, below the
avatar's mouth and clear of the AI label.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.avatar.package import Avatar
from studio.commerce.answer import language_of
from studio.commerce.catalog import Catalog
from studio.compliance.disclosure import Disclosure
from studio.lipsync.mouth import MOUTH_PARAMS, LipSyncDriver, MouthTrack
from studio.live.cards import CardTrack
from studio.live.clips import Clip
from studio.live.program import FrameContent
from studio.live.rundown import Rundown
from studio.media.audio import resample
from studio.media.clock import frame_count
from studio.pipeline.render_job import OUTPUT_SAMPLE_RATE, Progress, StageTimes, render_speech
from studio.render.label import Label
from studio.render.photo_renderer import RenderSettings
from studio.render.product_card import MIN_FRAME, ProductCards
from studio.voice import PhonemeTiming, Speech, synthesize
from studio.voice.base import SpeechPieces

RATE = OUTPUT_SAMPLE_RATE
_SILENT = np.zeros(0, np.float32)
Overlay = Callable[[int, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ShowSpeech:
    """A rundown said once through: the speech, where each segment starts, and what was said."""

    speech: Speech
    starts: tuple[tuple[int, int], ...]  # (first sample at RATE, segment number), in order
    said: tuple[tuple[int, str, str], ...]  # (segment, text, voice id); segment 0: the AI notice
    notice: str = ""


def speak_rundown(
    rundown: Rundown, voice: str | None = None, disclosure: Disclosure | None = None
) -> ShowSpeech:
    """Each sentence of ``rundown`` (once, schedule aside) in its segment's voice (``voice`` for
    segments naming none), with its pause; the spoken AI notice first, in the first line's voice
    and language."""
    once = replace(rundown, loop=False, slots=())
    pieces = SpeechPieces(RATE)
    samples = 0
    starts: list[tuple[int, int]] = []
    said: list[tuple[int, str, str]] = []
    voices: list[str] = []
    lines = list(once.lines())
    notice = disclosure.text_for(lines[0].text) if disclosure is not None and lines else ""
    spoken = [(notice, lines[0].voice, 300, 0)] if notice else []
    spoken += [(line.text, line.voice, line.pause_ms, line.segment) for line in lines]
    for text, line_voice, pause_ms, segment in spoken:
        speech = synthesize(text, line_voice or voice)
        audio = resample(speech.audio, speech.sample_rate, RATE).astype(np.float32)
        seconds = len(audio) / RATE
        pause = RATE * pause_ms // 1000
        timings = [t for t in speech.phonemes or [] if t.start < seconds]
        if pause:
            timings.append(PhonemeTiming("", seconds, seconds + pause / RATE))
            audio = np.concatenate([audio, np.zeros(pause, np.float32)])
        if segment and (not starts or starts[-1][1] != segment):
            starts.append((samples, segment))
        pieces.add(audio, timings)
        samples += len(audio)
        said.append((segment, text, speech.voice_id))
        voices += [speech.voice_id] if speech.voice_id not in voices else []
    whole = pieces.speech(", ".join(voices), "\n".join(text for _, text, _ in said), {})
    return ShowSpeech(whole, tuple(starts), tuple(said), notice)


class _SegmentStarts:
    """A ``Source`` that only says, frame by frame, which rundown segment starts there: what
    ``CardTrack`` reads of a live show's frames."""

    delay_samples = 0
    finished = False

    def __init__(self, starts: dict[int, int], fps: Fraction) -> None:
        self._starts = starts
        self._none = MouthTrack(np.zeros((0, len(MOUTH_PARAMS)), np.float32), fps)
        self._mouth = np.zeros(len(MOUTH_PARAMS), np.float32)

    def frame(self, index: int, timeout: float) -> FrameContent | None:
        segment = self._starts.get(index)
        started = None if segment is None else Clip(_SILENT, self._none, "", "rundown", segment=segment)
        return FrameContent(index, 0, _SILENT, self._mouth, "said", started)


def card_overlay(
    show: ShowSpeech,
    rundown: Rundown,
    catalog: Catalog,
    settings: RenderSettings,
    products: Sequence[str | None],
) -> Overlay | None:
    """What draws each frame's product card (asked in frame order), or None when the frame is too
    small for a legible card or no segment names a product."""
    w, h = settings.width, settings.height
    if not any(products) or w < MIN_FRAME[0] or h < MIN_FRAME[1]:
        return None
    fps = Fraction(settings.fps)
    lang = language_of(" ".join(s.text for s in rundown.segments)[:200])
    cards = ProductCards(catalog, lang, w, h, Label(settings.label, w, h).box)
    starts = {frame_count(sample, RATE, fps): segment for sample, segment in show.starts}
    track = CardTrack(_SegmentStarts(starts, fps), products)

    def overlay(index: int, frame: np.ndarray) -> np.ndarray:
        content = track.frame(index, 0.0)
        return frame if content is None or content.card is None else cards.apply(frame, *content.card)

    return overlay


def render_show(
    avatar: Avatar,
    rundown: Rundown,
    catalog: Catalog | None,
    out: Path,
    settings: RenderSettings,
    voice: str | None = None,
    driver: LipSyncDriver | None = None,
    progress: Progress | None = None,
    disclosure: Disclosure | None = None,
    credit_name: bool = False,
) -> tuple[ShowSpeech, StageTimes]:
    """``rundown`` said once through on ``avatar`` into ``out`` (atomically), with a ``catalog``
    each product's card on the frames of its segments (every segment's product must be in it)."""
    from studio.pipeline.live_room import segment_products  # noqa: PLC0415 - the room loads aiohttp

    products = segment_products(rundown, catalog) if catalog is not None else []
    times = StageTimes()
    started = time.perf_counter()
    show = speak_rundown(rundown, voice, disclosure)
    times.tts = time.perf_counter() - started
    overlay = card_overlay(show, rundown, catalog, settings, products) if catalog is not None else None
    render_speech(
        avatar, show.speech, out, settings, driver, progress, times, credit_name=credit_name, overlay=overlay
    )
    times.total += times.tts
    return show, times
