"""The voice on a sound card: the output whose callback is the show's master clock.

PortAudio asks for samples when the device needs them; the callback answers from a buffer
addressed by pts, so the engine may hand audio over early, late or out of order and each
sample still plays at its place on the clock. ``position()`` tells the engine how far the
device has got, which is what the live engine paces the video by.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from studio.outputs.base import AudioChunk, OutputError, OutputStats, StreamFormat, VideoFrame
from studio.outputs.null_sink import SINK_DESCRIPTION, SINK_NAME, names_voice_sink, send_own_playback_to
from studio.outputs.sound_devices import SPEAKER_OPTION, load_sounddevice, pick_device, query_sound_devices
from studio.translation import tr

# Ten seconds of speech queued ahead is already far more than a live show should hold; past
# that, the engine is running away from the device and old audio is the least useful.
BUFFER_SECONDS = 10


class PtsBuffer:
    """Audio chunks kept by pts until the device reaches them; thread-safe.

    ``read`` is called from the audio callback, so it does bounded work under a short lock
    and never allocates more than the block it returns.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self._capacity = capacity
        self._starts: list[int] = []  # sorted pts, parallel to _chunks, for bisect
        self._chunks: list[np.ndarray] = []
        self._stored = 0
        self._lock = threading.Lock()
        self._playing = False
        self.dropped_samples = 0  # pushed out by the capacity bound, never played
        self.underrun_samples = 0  # played as silence after playback had begun

    def put(self, pts: int, samples: np.ndarray) -> None:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if samples.size == 0:
            return
        with self._lock:
            at = bisect.bisect_right(self._starts, pts)
            self._starts.insert(at, pts)
            self._chunks.insert(at, samples)
            self._stored += samples.size
            while self._stored > self._capacity and len(self._chunks) > 1:
                self._starts.pop(0)
                dropped = self._chunks.pop(0)
                self._stored -= dropped.size
                self.dropped_samples += dropped.size

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``start .. start + count`` (pts), silence where none arrived."""
        out = np.zeros(count, dtype=np.float32)
        end = start + count
        first_filled = count  # offset of the first sample found in this block
        filled = 0
        with self._lock:
            i = 0
            while i < len(self._chunks):
                pts, chunk = self._starts[i], self._chunks[i]
                if pts >= end:
                    break  # sorted: everything after starts later still
                chunk_end = pts + chunk.size
                lo, hi = max(pts, start), min(chunk_end, end)
                if hi > lo:
                    out[lo - start : hi - start] = chunk[lo - pts : hi - pts]
                    first_filled = min(first_filled, lo - start)
                    filled += hi - lo  # chunks do not overlap when the engine sends a clock
                if chunk_end <= end:  # fully played, or arrived after its time had passed
                    del self._starts[i], self._chunks[i]
                    self._stored -= chunk.size
                else:
                    i += 1
            # Silence before the first sound is the show not having begun, not an underrun.
            if not self._playing and filled:
                self._playing = True
                self.underrun_samples += count - first_filled - filled
            elif self._playing:
                self.underrun_samples += count - filled
        return out

    def __len__(self) -> int:
        with self._lock:
            return self._stored


def offset_samples(offset_ms: float, sample_rate: int) -> int:
    return round(offset_ms * sample_rate / 1000)


def following_offset(device: int, master: float, delay: int, current: int | None, tolerance: int) -> int:
    """The offset that plays pts ``p`` when another device's clock (``master``, e.g. the
    microphone's) reaches ``p + delay``; kept while within ``tolerance`` of that, so the two
    crystals' drift is corrected now and then instead of jittering every chunk."""
    wanted = round(device - master + delay)
    return wanted if current is None or abs(wanted - current) > tolerance else current


FOLLOW_TOLERANCE_MS = 20.0  # wider than a callback period, so periods cause no realignment
HANG_S = 0.2  # a callback this much later than its period means the card hung
STALL_S = 1.0  # a card that took nothing for this long is shown as stalled


class AudioDeviceOutput:
    """Plays the voice on a sound device; at device position ``p`` it plays pts ``p - offset``.

    A positive ``offset_ms`` delays the voice, to line up with a video path (a virtual camera
    and the app that shows it) that is slower than the sound card.
    """

    name = "audio"

    def __init__(
        self,
        device: str | None = None,
        offset_ms: float = 0.0,
        latency: str | float = "low",
        hang_s: float | None = HANG_S,
    ) -> None:
        self.device = device
        self.offset_ms = offset_ms
        self.latency = latency
        self.hang_s = hang_s  # None: play on where the card stopped (tests that stall it on purpose)
        self.first_callback_at: float | None = None  # time.monotonic(): when the card started
        self.stats = OutputStats()
        self.device_label = ""
        self._offset = 0
        self._buffer = PtsBuffer(BUFFER_SECONDS * 48000)
        self._stream: Any = None
        self._handed = 0  # written only by the callback
        self._clock: tuple[int, float] = (0, time.monotonic())
        self._callback_error = ""
        self._follow: tuple[Callable[[], float], int] | None = None
        self._followed: int | None = None
        self._rate = 48000
        self.realigned = 0  # times the followed clocks drifted apart and were lined up again

    # -- the Output interface -------------------------------------------------------------
    def start(self, fmt: StreamFormat) -> None:
        sd = load_sounddevice()
        # Studio Voice (Linux) is no PortAudio device: play through the sound server's "pulse"
        # device, then move that stream to the sink other apps record from.
        to_sink = names_voice_sink(self.device)
        try:
            chosen = pick_device(query_sound_devices(sd), "pulse" if to_sink else self.device, "output")
        except OutputError as exc:
            if not to_sink:
                raise
            raise OutputError(
                tr(
                    "{sink} is reached through the sound server's 'pulse' audio device, "
                    "which PortAudio does not list."
                ).format(sink=SINK_DESCRIPTION),
                tr(
                    "Install ALSA's PulseAudio plugin (sudo apt install libasound2-plugins), "
                    "then start again."
                ),
            ) from exc
        self.device_label = chosen.label
        self._offset = offset_samples(self.offset_ms, fmt.sample_rate)
        self._rate = fmt.sample_rate
        self._buffer = PtsBuffer(BUFFER_SECONDS * fmt.sample_rate)
        self._handed = 0
        self._clock = (0, time.monotonic())
        self.first_callback_at = None
        try:
            # Stereo where the device has it (mono duplicated): many hw devices refuse one channel.
            stream = sd.OutputStream(
                samplerate=fmt.sample_rate,
                device=chosen.index,
                channels=min(2, chosen.max_output_channels),
                dtype="float32",
                latency=self.latency,
                callback=self._callback,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise OutputError(
                tr("Cannot open the audio output '{device}' at {rate} Hz: {error}.").format(
                    device=chosen.label, rate=fmt.sample_rate, error=exc
                ),
                tr(
                    "Close other apps using it, or choose another device on the app's Live page or with "
                    "{option} (see 'studio devices')."
                ).format(option=SPEAKER_OPTION),
            ) from exc
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close()
            raise OutputError(
                tr("The audio output '{device}' would not start: {error}.").format(
                    device=chosen.label, error=exc
                ),
                tr("Close other apps using it, or choose another device with {option}.").format(
                    option=SPEAKER_OPTION
                ),
            ) from exc
        self._stream = stream
        if to_sink:
            try:
                send_own_playback_to(SINK_NAME)
            except OutputError:
                self.close()
                raise
            self.device_label = SINK_DESCRIPTION
        self.stats.state = "running"

    def send_video(self, frame: VideoFrame) -> None:
        """A sound card shows no pictures."""

    def follow(self, master: Callable[[], float], delay_samples: int) -> None:
        """Play each chunk ``delay_samples`` after its pts on another device's clock (the
        microphone's, when the creator's voice is passed through), instead of this device's."""
        self._follow = (master, delay_samples)

    def send_audio(self, chunk: AudioChunk) -> None:
        if self._stream is None:
            return
        if self._follow is not None:
            master, delay = self._follow
            tolerance = offset_samples(FOLLOW_TOLERANCE_MS, self._rate)
            handed, at = self._clock
            # Between callbacks the card moves on; what it takes is heard a latency later.
            heard = handed + (time.monotonic() - at) * self._rate - self.device_latency * self._rate
            offset = following_offset(round(heard), master(), delay, self._followed, tolerance)
            if offset != self._followed:
                self.realigned += self._followed is not None
                self._followed = offset
                self._offset = offset + offset_samples(self.offset_ms, self._rate)
        self._buffer.put(chunk.pts, chunk.samples)
        self.stats.audio_chunks += 1
        # The operator must see a card that stopped taking sound (the show itself goes on).
        quiet = time.monotonic() - self._clock[1]
        if self.stats.state.startswith(("running", "stalled")):
            self.stats.state = f"stalled: no sound taken for {quiet:.0f} s" if quiet > STALL_S else "running"

    def close(self) -> OutputStats:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()
        self.stats.underrun_samples = self._buffer.underrun_samples
        if self._callback_error:
            self.stats.errors += 1
            self.stats.last_error = self._callback_error
            self.stats.state = f"failed: {self._callback_error}"
        elif self.stats.state == "running":
            self.stats.state = "closed"
        return self.stats

    # -- the clock --------------------------------------------------------------------------
    def position(self) -> tuple[int, float]:
        """(samples handed to the device so far, ``time.monotonic()`` at the callback that
        handed the last of them). Before the first callback: (0, the time ``start`` began)."""
        return self._clock

    @property
    def offset(self) -> int:
        """The offset in samples: device position ``p`` plays pts ``p - offset``."""
        return self._offset

    @property
    def device_latency(self) -> float:
        """Seconds between a callback and its first sample being heard, as PortAudio reports."""
        stream = self._stream
        return float(stream.latency) if stream is not None else 0.0

    @property
    def dropped_samples(self) -> int:
        """Samples pushed out unplayed because more than ``BUFFER_SECONDS`` were queued."""
        return self._buffer.dropped_samples

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread: no allocation beyond the block, no logging, and no exception
        # may escape (it would abort the stream and silence the show without a word).
        try:
            handed = self._handed
            now = time.monotonic()
            gap = now - self._clock[1] - frames / self._rate
            if self._handed and self.hang_s is not None and gap > self.hang_s:
                # The card hung and is back: what it would have played meanwhile is stale, so
                # skip it rather than play the voice late against the picture from now on.
                handed += round(gap * self._rate)
            block = self._buffer.read(handed - self._offset, frames)
            outdata[:] = block[:, np.newaxis]
        except Exception as exc:  # noqa: BLE001
            outdata.fill(0)
            self._callback_error = self._callback_error or (str(exc) or type(exc).__name__)
        if self.first_callback_at is None:
            self.first_callback_at = now
        self._handed = handed + frames
        self._clock = (self._handed, now)
