"""The Live page with the demo avatar and a real (offline) voice: Start, preview, status strip,
interjections, Stop; recording to a file; errors as dialogs; Cancel while preparing."""

from __future__ import annotations

import platform
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.live.rundown import Rundown, Segment
from studio.media.audio import read_audio, resample
from studio.outputs.base import OutputError, OutputStats, StreamFormat, VideoFrame
from studio.outputs.devices import AudioDevice, DeviceList, linux_video_devices, list_devices
from studio.outputs.file_microphone import FileMicrophone
from studio.outputs.vcam import virtual_camera_fix
from studio.pipeline.live_show import PREPARING, LiveShow
from studio.settings.app_settings import AppSettings, OutputSettings
from studio.ui.live_interject import LIVE_TIP, NOT_LIVE, ON_MIC
from studio.ui.live_outputs import LOCKED_TIP
from studio.ui.live_panel import LivePanel

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

REPO = Path(__file__).resolve().parents[1]
SETTINGS = AppSettings(width=320, height=240, fps=30)
ONE_LINE = Rundown((Segment("Hello there, and welcome to the live room.", "espeak:en-us", pause_ms=200),))
SPEAKERS = DeviceList(audio_outputs=[AudioDevice("Test Speakers", "ALSA", 2, True)])
LIVE_S = 20_000  # ms to go live: the voice may load its model first


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


@pytest.fixture
def make_panel(qtbot: QtBot, avatar: Avatar) -> Iterator[Callable[..., LivePanel]]:
    panels: list[LivePanel] = []

    def make(settings: AppSettings = SETTINGS, rundown: Rundown = ONE_LINE, **options: Any) -> LivePanel:
        panel = LivePanel(list_devices=lambda: SPEAKERS, **options)
        qtbot.addWidget(panel)
        panel.set_settings(settings)
        panel.set_avatar(avatar)
        panel.set_rundown_source(lambda: rundown)
        panel.resize(1100, 700)
        panel.show()
        qtbot.waitUntil(lambda: panel.outputs_box.audio_combo.count() == 2)  # devices listed on a worker
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.shutdown()


def error_dialogs(panel: LivePanel) -> list[QMessageBox]:
    return [box for box in panel.findChildren(QMessageBox, "errorDialog") if box.isVisible()]


def go_live(qtbot: QtBot, panel: LivePanel) -> LiveShow:
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "live" or bool(error_dialogs(panel)), timeout=LIVE_S)
    assert panel.state == "live", [d.text() for d in error_dialogs(panel)]
    show = panel.current_show
    assert show is not None
    return show


def stop(qtbot: QtBot, panel: LivePanel) -> None:
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)


def saying(show: LiveShow, text: str) -> Callable[[], bool]:
    return lambda: show.status().saying == f"interjection: {text}"


def test_start_preview_status_interjections_and_stop(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel()
    box = panel.interjection_box
    assert not box.edit.isEnabled() and box.edit.toolTip() == NOT_LIVE
    assert panel.preview.placeholder == "Press Start to preview demo" and not panel.preview.showing_frame
    placeholder = panel.preview.grab().toImage()

    show = go_live(qtbot, panel)
    assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
    assert not panel.outputs_box.record_check.isEnabled()
    assert panel.outputs_box.record_check.toolTip() == LOCKED_TIP
    # The preview pulls frames at the show's rate: many distinct frames within a few seconds.
    qtbot.waitUntil(lambda: panel.preview.frames_shown >= 30, timeout=5_000)
    first = panel.preview.grab().toImage()
    assert first.size() == placeholder.size()  # the preview keeps its place when the show starts
    qtbot.wait(200)
    later = panel.preview.grab().toImage()
    assert first != placeholder and later != first
    assert first.size() == panel.preview.size()
    # The strip: the show's own figures.
    strip = panel.status_strip
    qtbot.waitUntil(lambda: strip.fps.text().endswith(" fps") and float(strip.fps.text().split()[0]) >= 10)
    assert strip.provider.text() == "lip sync: phonemes"
    assert strip.label.text() == "AI label: on (top right)"
    assert re.fullmatch(r"late \d+ \(\d+\.\d%\)", strip.late.text())
    assert strip.latency.text().startswith("A/V ")
    assert strip.state.text().startswith("● LIVE 0:00:0")
    assert strip.outputs.text() == "outputs: preview only"

    # Enter queues a line after the current sentence; Ctrl+Enter says one now.
    assert box.edit.isEnabled() and box.edit.toolTip() == LIVE_TIP
    qtbot.keyClicks(box.edit, "Thanks for the follow!")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert box.edit.text() == "" and box.entries() == ["queued · Thanks for the follow!"]
    qtbot.waitUntil(saying(show, "Thanks for the follow!"), timeout=10_000)
    qtbot.keyClicks(box.edit, "Sorry, one moment please.")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert box.entries()[-1] == "interrupt · Sorry, one moment please."
    qtbot.waitUntil(saying(show, "Sorry, one moment please."), timeout=10_000)
    qtbot.waitUntil(lambda: "Sorry, one moment please." in strip.saying.text(), timeout=2_000)
    assert re.search(r"last line \d+ ms", strip.latency.text())

    stop(qtbot, panel)
    assert panel.current_show is None and panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert not panel.preview.showing_frame
    qtbot.waitUntil(lambda: panel.preview.grab().toImage() == placeholder, timeout=1_000)
    assert not box.edit.isEnabled() and panel.outputs_box.record_check.isEnabled()
    assert show.engine.error is None and show.status().frames > 60
    assert not error_dialogs(panel)
    # (the test policy fails the test if any engine, speech or output thread is left running)


def test_a_show_is_recorded_to_a_new_file_and_streamed_without_showing_the_key(
    qtbot: QtBot, make_panel: Callable[..., LivePanel], tmp_path: Path, rtmp_server: RtmpServer
) -> None:
    folder = tmp_path / "recordings"  # made at Start
    key = "live_0123456789_secretkey"
    panel = make_panel()
    changes: list[AppSettings] = []
    panel.settings_changed.connect(changes.append)
    qtbot.mouseClick(panel.outputs_box.record_check, Qt.MouseButton.LeftButton)
    panel.outputs_box.set_record_dir(folder)
    assert changes[-1].outputs == OutputSettings(record=True, record_dir=str(folder))
    panel.outputs_box.rtmp_check.setChecked(True)
    panel.outputs_box.rtmp_url.setText(rtmp_server.url(key))
    panel.outputs_box.rtmp_url.editingFinished.emit()
    assert changes[-1].outputs.rtmp_url == rtmp_server.url(key) and panel.settings == changes[-1]
    assert panel.outputs_box.rtmp_hint.text() == f"Streams to {rtmp_server.url('live****')}"

    go_live(qtbot, panel)
    name = panel.outputs_box.record_file.text()
    assert re.fullmatch(r"Recording to studio-\d{8}-\d{6}\.mp4", name), name
    strip, shown = panel.status_strip, []

    def both_running() -> bool:
        shown.append(strip.outputs.text() + strip.outputs.toolTip() + strip.warning.text())
        return strip.outputs.text() == "record running · rtmp running"

    qtbot.waitUntil(both_running, timeout=5_000)
    qtbot.wait(2_000)
    stop(qtbot, panel)
    assert "rtmp → rtmp://" in shown[-1] and "live****" in shown[-1]
    assert not [text for text in shown if key in text]

    (path,) = folder.glob("studio-*.mp4")
    assert path.name == name.removeprefix("Recording to ")
    assert strip.outputs.text().startswith("Recorded ") and str(path) in strip.outputs.text()
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (320, 240)
        assert container.metadata.get("ai_generated") == "true"
        duration = float(container.duration or 0) / av.time_base
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    assert 1.5 < duration < 10 and len(frames) > 30
    assert frames[-1].std() > 10  # the avatar, not a blank frame
    assert np.abs(sound).max() > 0.05  # the voice, not silence
    (pushed,) = rtmp_server.recordings(key)
    with av.open(str(pushed)) as container:
        assert len(container.streams.video) == 1 and len(container.streams.audio) == 1
    assert not error_dialogs(panel)


@pytest.mark.skipif(bool(list_devices(camera_indices=range(0)).audio_outputs), reason="has a sound output")
def test_no_audio_device_is_a_dialog(qtbot: QtBot, make_panel: Callable[..., LivePanel]) -> None:
    panel = make_panel(settings=AppSettings(width=320, height=240, outputs=OutputSettings(audio_out=True)))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=LIVE_S)
    (dialog,) = error_dialogs(panel)
    assert dialog.text().startswith(("No audio output device found", "The audio library PortAudio"))
    qtbot.waitUntil(lambda: panel.state == "stopped")
    assert panel.current_show is None


@pytest.mark.skipif(
    platform.system() != "Linux" or bool(linux_video_devices()[1]),
    reason="needs a machine certain to have no virtual camera: Linux without v4l2loopback",
)
def test_no_virtual_camera_is_a_dialog_naming_the_fix_and_nothing_runs(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel(settings=AppSettings(width=320, height=240, outputs=OutputSettings(vcam=True)))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=LIVE_S)
    (dialog,) = error_dialogs(panel)
    assert "virtual camera" in dialog.text()
    assert dialog.informativeText() == virtual_camera_fix(platform.system())
    qtbot.waitUntil(lambda: panel.state == "stopped")
    assert panel.current_show is None and panel.start_button.isEnabled()


def test_a_bad_stream_address_is_a_dialog_before_anything_starts(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    key = "secret-stream-key-12345"
    outputs = OutputSettings(rtmp=True, rtmp_url=f"http://example.com/live/{key}")
    panel = make_panel(settings=AppSettings(width=320, height=240, outputs=outputs))
    assert key not in panel.outputs_box.rtmp_hint.text() and "rtmp://" in panel.outputs_box.rtmp_hint.text()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    (dialog,) = error_dialogs(panel)
    assert "rtmp://" in dialog.text() and key not in dialog.text() + dialog.informativeText()
    assert panel.state == "stopped" and not panel.start_runner.running


def test_cancel_while_preparing_the_first_sentence_leaves_nothing_running(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel()
    messages: list[str] = []

    def on_progress(_fraction: float, message: str) -> None:
        # Runs on the worker as it reports, so the cancel lands while it is preparing.
        messages.append(message)
        if message == PREPARING:
            panel.start_runner.cancel()

    panel.start_runner.progress.connect(on_progress, Qt.ConnectionType.DirectConnection)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.state == "starting"
    assert not panel.start_button.isEnabled()
    assert isinstance(panel.progress_dialog, QProgressDialog)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=LIVE_S)
    assert PREPARING in messages
    assert "Starting the outputs…" not in messages
    assert panel.current_show is None
    assert panel._starting is None
    assert not error_dialogs(panel)
    assert not [d for d in panel.findChildren(QProgressDialog) if d.isVisible()]  # closed, and going
    assert not panel.start_runner.running and panel.start_button.isEnabled()


class FailingCard:
    """A capture card that goes away mid-show (the device boundary)."""

    name = "card"

    def __init__(self, after: int) -> None:
        self.after, self.frames = after, 0

    def start(self, fmt: StreamFormat) -> None:
        pass

    def send_video(self, frame: VideoFrame) -> None:
        self.frames += 1
        if self.frames > self.after:
            raise OutputError("The capture card went away.", "Plug it back in, then start again.")

    def send_audio(self, chunk: object) -> None:
        pass

    def close(self) -> OutputStats:
        return OutputStats(frames=self.frames, state="closed")


def test_an_engine_failing_mid_show_stops_it_cleanly_and_says_why(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    def make_show(*args: Any, extra_outputs: tuple[Any, ...] = (), **kwargs: Any) -> LiveShow:
        return LiveShow(*args, extra_outputs=(*extra_outputs, FailingCard(after=20)), **kwargs)

    panel = make_panel(make_show=make_show)
    go_live(qtbot, panel)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=10_000)
    (dialog,) = error_dialogs(panel)
    assert (dialog.text(), dialog.informativeText()) == (
        "The capture card went away.",
        "Plug it back in, then start again.",
    )
    assert panel.current_show is None and panel.start_button.isEnabled()


def test_speech_warnings_show_in_the_strip_and_once_as_a_dialog(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    rundown = Rundown((ONE_LINE.segments[0], Segment("This voice does not exist.", "espeak:no-such-voice")))
    panel = make_panel(rundown=rundown)
    show = go_live(qtbot, panel)
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=10_000)
    (dialog,) = error_dialogs(panel)
    assert "no voice 'espeak:no-such-voice'" in dialog.text()
    qtbot.waitUntil(lambda: show.warnings()[0] >= 2, timeout=10_000)  # it keeps failing, each loop
    qtbot.wait(600)
    assert len(error_dialogs(panel)) == 1  # later ones only in the strip
    strip = panel.status_strip
    assert strip.warning.isVisible() and "no-such-voice" in strip.warning.text()
    assert "earlier)" in strip.warning.text()
    stop(qtbot, panel)


def test_the_microphone_drives_the_preview_and_typed_lines_are_off(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    speech = read_audio(next((REPO / "assets" / "lipsync_eval" / "piper-joe").glob("*.wav")))[0]
    audio = np.tile(resample(speech, 16000, 48000), 3)

    def make_show(*args: Any, **kwargs: Any) -> LiveShow:
        return LiveShow(*args, microphone=FileMicrophone(audio), **kwargs)

    panel = make_panel(make_show=make_show)
    on_indicator = QPoint(8, panel.drive_mic.height() // 2)
    qtbot.mouseClick(panel.drive_mic, Qt.MouseButton.LeftButton, pos=on_indicator)
    assert panel.interjection_box.edit.toolTip() == ON_MIC
    go_live(qtbot, panel)
    qtbot.waitUntil(lambda: panel.preview.frames_shown >= 15, timeout=5_000)
    qtbot.waitUntil(lambda: "mic→frame" in panel.status_strip.latency.text(), timeout=5_000)
    assert panel.status_strip.provider.text().startswith("lip sync: model on ")
    assert not panel.interjection_box.edit.isEnabled() and panel.interjection_box.edit.toolTip() == ON_MIC
    assert not panel.interject("Hello")
    assert not panel.drive_script.isEnabled()
    stop(qtbot, panel)


def test_shutdown_while_live_stops_the_show(qtbot: QtBot, make_panel: Callable[..., LivePanel]) -> None:
    panel = make_panel()
    show = go_live(qtbot, panel)
    panel.shutdown()
    assert show.wait(0)  # the engine has ended; the test policy checks its threads are gone
    assert panel.current_show is None
