"""The show editor's voice preview: check the speakers, make a sample, play it.

All of it runs on the preview's worker thread: the device check, the speech and opening the
sound stream (PortAudio can take hundreds of milliseconds to query devices and open a
stream, which would freeze the window). The Qt thread only gets the ``Playback`` back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QPushButton, QWidget

from studio.tasks import Cancelled, CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.dialogs import run_with_progress, show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.show_voice_names import preview_error, voice_label
from studio.voice.base import VoiceInfo

PlayFn = Callable[[np.ndarray, int], object]
CheckFn = Callable[[], object]
_WHAT = QT_TRANSLATE_NOOP("show_preview", "the voice preview")


def play_on_speakers(samples: np.ndarray, sample_rate: int) -> object:
    """The default ``play``: the system's default output device."""
    from studio.outputs.playback import play_clip

    return play_clip(samples, sample_rate)


def check_default_output() -> object:
    """The default ``check_output``: an ``OutputError`` when there is no default output device."""
    from studio.outputs.playback import check_output_device

    return check_output_device()


class VoicePreview(QObject):
    """Previews one voice at a time from ``button``. ``play(samples, rate)`` starts a clip
    and returns something with ``stop()``; ``check_output()`` raises (``OutputError``) when
    ``play`` would have no device. Both are called on the worker thread, so the main window
    can bind them to the same output device."""

    def __init__(self, parent: QWidget, button: QPushButton, play: PlayFn, check_output: CheckFn) -> None:
        super().__init__(parent)
        self._parent = parent
        self._button = button
        self._play = play
        self._check_output = check_output
        self.runner = TaskRunner(self)
        # Busy from the click until the runner's ``finished`` arrives here (after the worker
        # ends): a new preview must not start while the last one's dialog is still closing.
        self._busy = False
        self.runner.finished.connect(self._ended)
        self._lock = threading.Lock()
        self._playback: object | None = None  # written by the worker, stopped by either thread

    @property
    def running(self) -> bool:
        """True from ``start`` until the preview has played, failed or been cancelled."""
        return self._busy

    def _ended(self) -> None:
        self._busy = False

    def start(self, voice_id: str, voice: VoiceInfo | None, voices: Sequence[VoiceInfo], text: str) -> bool:
        """Preview ``voice_id`` ("" = the default voice for ``text``; ``voice`` is its entry in
        the list, for naming it); False while a preview is being made."""
        if self._busy or self.runner.running:
            return False
        from studio.pipeline.voice_preview import synthesize_preview

        label = voice_label(voice) if voice is not None else ""

        def work(progress: ProgressFn, token: CancelToken) -> object:
            self.stop()  # the last sample, if it is still playing
            progress(0.0, QCoreApplication.translate("VoicePreview", "Checking the speakers…"))
            # Before the speech: no one should wait for a sample that cannot be heard.
            self._check_output()
            token.check(translated("show_preview", _WHAT))
            speech = synthesize_preview(voice_id, None, progress, token, label=label)
            token.check(translated("show_preview", _WHAT))
            playback = self._play(speech.audio, speech.sample_rate)
            with self._lock:
                self._playback = playback
            if token.cancelled:  # cancelled while the stream opened: say nothing
                self.stop()
                raise Cancelled(_WHAT)
            return playback

        def failed(exc: BaseException) -> None:
            box = show_error(self._parent, preview_error(exc, voice, voices, text), self.tr("Voice preview"))
            # Back to the button that was pressed, not the next field in the tab order.
            box.finished.connect(lambda _result: self._button.setFocus())

        self._busy = True
        run_with_progress(
            self._parent, self.runner, self.tr("Voice preview"), work, lambda _playback: None, failed
        )
        return True

    def stop(self) -> None:
        """Silence the sample that is playing (from any thread)."""
        with self._lock:
            playback, self._playback = self._playback, None
        stop = getattr(playback, "stop", None)
        if callable(stop):
            stop()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel a preview being made, join its worker and silence what plays."""
        self.runner.cancel()
        self.runner.wait(timeout)
        self.stop()
