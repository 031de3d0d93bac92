"""The microphone: blocks of mono samples, each stamped with when its first sample was heard.

The stamp is on ``time.monotonic()``, the clock the live engine schedules by, so speech can be
placed on the show's timeline however late the callback runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from studio.outputs.base import OutputError
from studio.outputs.sound_devices import (
    MIC_OPTION,
    SoundDevice,
    load_sounddevice,
    pick_device,
    query_sound_devices,
)
from studio.translation import tr

Consumer = Callable[[np.ndarray, float], None]

# A capture time more than this before the callback is not believed: some drivers report
# garbage rather than 0 when they have no timestamp.
_MAX_BELIEVABLE_DELAY = 1.0


def capture_time(now: float, stream_now: float, adc_time: float, frames: int, sample_rate: int) -> float:
    """When the block's first sample was captured, on ``time.monotonic()``.

    ``stream_now`` and ``adc_time`` are the callback's ``currentTime`` and
    ``inputBufferAdcTime`` on PortAudio's stream clock; only their difference is used, so the
    two clocks need not share an origin. PortAudio reports 0 where the host API cannot tell,
    and then the block is taken to have just finished. When PortAudio splits one host buffer
    into several callbacks it may stamp the later ones a little in the future; a sample
    cannot be captured after the callback that delivers it, so those are taken as now.
    """
    delay = stream_now - adc_time
    if adc_time <= 0 or stream_now <= 0 or delay > _MAX_BELIEVABLE_DELAY:
        return now - frames / sample_rate
    return now - max(delay, 0.0)


class Microphone:
    name = "microphone"

    def __init__(self, device: str | None = None, sample_rate: int = 48000, block: int = 480) -> None:
        self.device = device
        self.sample_rate = sample_rate
        self.block = block
        self.device_label = ""
        self.consumer_errors = 0
        self.last_error = ""
        self._consumer: Consumer | None = None
        self._stream: Any = None

    def start(self, consumer: Consumer) -> None:
        if self._stream is not None:
            raise RuntimeError("the microphone is already started")
        sd = load_sounddevice()
        chosen = pick_device(query_sound_devices(sd), self.device, "input")
        self.device_label = chosen.label
        self._consumer = consumer
        stream = self._open(sd, chosen)
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close()
            raise OutputError(
                tr("The microphone '{device}' would not start: {error}.").format(
                    device=chosen.label, error=exc
                ),
                tr("Close other apps using it, or choose another with {option}.").format(option=MIC_OPTION),
            ) from exc
        self._stream = stream

    def _open(self, sd: Any, chosen: SoundDevice) -> Any:
        error: Exception | None = None
        # Mono first; a device that insists on more channels is downmixed in the callback.
        for channels in dict.fromkeys((1, min(2, chosen.max_input_channels))):
            try:
                return sd.InputStream(
                    samplerate=self.sample_rate,
                    blocksize=self.block,
                    device=chosen.index,
                    channels=channels,
                    dtype="float32",
                    callback=self._callback,
                )
            except (sd.PortAudioError, ValueError) as exc:
                error = exc
        raise OutputError(
            tr("Cannot open the microphone '{device}' at {rate} Hz: {error}.").format(
                device=chosen.label, rate=self.sample_rate, error=error
            ),
            tr(
                "Close other apps using it, or choose another on the app's Settings page or with {option} "
                "(see 'studio devices')."
            ).format(option=MIC_OPTION),
        )

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        now = time.monotonic()
        when = capture_time(
            now, time_info.currentTime, time_info.inputBufferAdcTime, frames, self.sample_rate
        )
        # PortAudio reuses indata's memory for the next block: the consumer gets its own copy.
        samples = indata[:, 0].copy() if indata.shape[1] == 1 else indata.mean(axis=1, dtype=np.float32)
        consumer = self._consumer
        if consumer is None:
            return
        try:
            consumer(samples, when)
        except Exception as exc:  # noqa: BLE001 - one bad block must not end the capture
            self.consumer_errors += 1
            self.last_error = str(exc) or type(exc).__name__
