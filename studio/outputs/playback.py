"""Play one clip on a sound device without waiting for it: how the app previews a voice.

Unlike the live show's audio output there is no clock to follow: the clip is handed to
PortAudio block by block from its callback and the stream stops itself after the last one.
The caller gets a ``Playback`` at once and may stop it, wait for it or poll ``done``.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from studio.media.audio import resample
from studio.outputs.base import OutputError
from studio.outputs.sound_devices import load_sounddevice, pick_device, query_sound_devices
from studio.translation import tr


def _choose() -> str:
    return tr("Close other apps using it, or choose another output device (see 'studio devices').")


class Playback:
    """One clip playing on one device. ``stop`` and ``wait`` may be called from any thread
    but PortAudio's own; both release the device."""

    def __init__(self, audio: np.ndarray, sample_rate: int, device_label: str, sd: Any) -> None:
        self.sample_rate = sample_rate  # the rate played at (the device's, when it refused the clip's)
        self.device_label = device_label
        self.frames = int(audio.size)
        self._audio = audio
        self._position = 0  # written only by the callback
        self._stop_signal = sd.CallbackStop  # raised from the callback: "this was the last block"
        self._portaudio_error = sd.PortAudioError
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._stream: Any = None

    @property
    def position(self) -> int:
        """Frames handed to the device so far."""
        return self._position

    @property
    def done(self) -> bool:
        """True once the whole clip has played or ``stop`` was called."""
        if self._finished.is_set():
            self._release(abort=False)
            return True
        return False

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the clip has played (or ``timeout`` seconds); True when it is done."""
        return self._finished.wait(timeout) and self.done

    def stop(self) -> None:
        """Silence the clip now (a no-op once it is done)."""
        self._release(abort=True)
        self._finished.set()

    def _release(self, abort: bool) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            if abort and not self._finished.is_set():
                stream.abort()
        except self._portaudio_error:
            pass  # it ended by itself in the meantime: there is nothing left to silence
        finally:
            stream.close()

    # -- PortAudio's thread -----------------------------------------------------------------
    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        start = self._position
        block = self._audio[start : start + frames]
        outdata[: block.size] = block[:, np.newaxis]
        outdata[block.size :] = 0
        self._position = start + block.size
        if block.size < frames:
            raise self._stop_signal  # PortAudio plays this block, then ends the stream

    def _on_finished(self) -> None:
        self._finished.set()


def check_output_device(device: str = "") -> str:
    """The label of the output ``device`` ("" = the system's default) that ``play_clip`` would
    use; ``OutputError`` saying what to do when there is none or PortAudio is missing. Quick
    (a device query, no stream), so a preview can fail before making speech nobody can hear."""
    sd = load_sounddevice()
    return pick_device(query_sound_devices(sd), device.strip() or None, "output").label


def play_clip(samples: np.ndarray, sample_rate: int, device: str = "") -> Playback:
    """Start playing mono ``samples`` (float, [-1, 1]) on ``device`` ("" = the system's default
    output) and return at once. Raises ``OutputError`` saying what to do when there is no
    usable device or PortAudio is missing."""
    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim == 2:  # (frames, channels): a preview is mono
        audio = audio.mean(axis=1, dtype=np.float32)
    audio = np.ascontiguousarray(np.clip(audio.reshape(-1), -1.0, 1.0))
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, not {sample_rate}")
    sd = load_sounddevice()
    chosen = pick_device(query_sound_devices(sd), device.strip() or None, "output")
    # Stereo where the device has it (mono duplicated): many hw devices refuse one channel.
    channels = min(2, chosen.max_output_channels)
    rate = sample_rate
    try:
        sd.check_output_settings(device=chosen.index, channels=channels, dtype="float32", samplerate=rate)
    except (sd.PortAudioError, ValueError):
        # Voices speak at 22.05 or 24 kHz; a device that plays only its own rate gets that.
        rate = int(chosen.default_samplerate)
        audio = resample(audio, sample_rate, rate)
    playback = Playback(audio, rate, chosen.label, sd)
    try:
        stream = sd.OutputStream(
            samplerate=rate,
            device=chosen.index,
            channels=channels,
            dtype="float32",
            callback=playback._callback,
            finished_callback=playback._on_finished,
        )
    except (sd.PortAudioError, ValueError) as exc:
        raise OutputError(
            tr("Cannot open the audio output '{device}' at {rate} Hz: {error}.").format(
                device=chosen.label, rate=rate, error=exc
            ),
            _choose(),
        ) from exc
    playback._stream = stream
    try:
        stream.start()
    except sd.PortAudioError as exc:
        playback._release(abort=False)
        raise OutputError(
            tr("The audio output '{device}' would not start: {error}.").format(
                device=chosen.label, error=exc
            ),
            _choose(),
        ) from exc
    return playback
