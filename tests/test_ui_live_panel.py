"""The Live page with the demo avatar and a real (offline) voice: Start, preview, status strip,
interjections, Stop; recording to a file; errors as dialogs; Cancel while preparing. The sound
card is the fake boundary: the panel is handed the device list."""

from __future__ import annotations

import platform
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.errors import NetworkError
from studio.live.rundown import Rundown, Segment
from studio.live.stats import LiveStatus
from studio.media.audio import read_audio, resample
from studio.outputs.base import OutputError, OutputStats, StreamFormat, VideoFrame
from studio.outputs.devices import AudioDevice, DeviceList, linux_video_devices, list_devices
from studio.outputs.file_microphone import FileMicrophone
from studio.outputs.vcam import virtual_camera_fix
from studio.pipeline.live_show import PREPARING, LiveShow
from studio.render.label import LabelSettings
from studio.settings.app_settings import AppSettings, OutputSettings, save_settings
from studio.ui.live_interject import LIVE_TIP, NOT_LIVE, ON_MIC, InterjectionBox
from studio.ui.live_notices import clear_spot, global_rect
from studio.ui.live_outputs import AUDIO_LIVE_TIP, NO_AUDIO_TIP
from studio.ui.live_panel import LivePanel
from studio.ui.live_plan import RTMP_FORM
from studio.ui.live_status import StatusStrip
from studio.ui.live_words import VoiceWords, provider_text

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

REPO = Path(__file__).resolve().parents[1]
# The audio device switched off by the user: this machine may have no sound card to open.
SETTINGS = AppSettings(width=320, height=240, fps=30, outputs=OutputSettings(audio_out=False))
SENTENCE = "Hello there, and welcome to the live room."
ONE_LINE = Rundown((Segment(SENTENCE, "espeak:en-us", pause_ms=200, title="Welcome"),))
SPEAKERS = DeviceList(audio_outputs=[AudioDevice("Test Speakers", "ALSA", 2, True)])
LIVE_S = 20_000  # ms to go live: the voice may load its model first


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


@pytest.fixture
def make_panel(qtbot: QtBot, avatar: Avatar) -> Iterator[Callable[..., LivePanel]]:
    panels: list[LivePanel] = []

    def make(
        settings: AppSettings = SETTINGS,
        rundown: Rundown = ONE_LINE,
        devices: DeviceList = SPEAKERS,
        **options: Any,
    ) -> LivePanel:
        panel = LivePanel(list_devices=lambda: devices, **options)
        qtbot.addWidget(panel)
        panel.set_settings(settings)
        panel.set_avatar(avatar)
        panel.set_rundown_source(lambda: rundown)
        panel.resize(1100, 700)
        panel.show()
        qtbot.waitUntil(lambda: panel.outputs_box.audio_found is not None)  # listed on a worker
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


def assert_clear_of_controls(panel: LivePanel, dialog: QMessageBox) -> None:
    """The notice covers none of the controls beside the preview, and stays in its column."""
    spot = dialog.frameGeometry()
    for control in (panel.start_button, panel.stop_button, panel.outputs_box, panel.drive_box):
        assert not spot.intersects(global_rect(control)), control.objectName()
    column = global_rect(panel.preview)
    assert column.left() <= spot.left() and spot.right() <= column.right()


def saying(show: LiveShow, text: str) -> Callable[[], bool]:
    return lambda: show.status().saying == f"interjection: {text}"


def said_or_saying(text: str) -> tuple[str, str]:
    return (f"saying · {text}", f"said · {text}")


def test_start_preview_status_interjections_and_stop(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel()
    box = panel.interjection_box
    assert not box.edit.isEnabled() and box.edit.toolTip() == NOT_LIVE
    assert panel.preview.placeholder == "Press Start to preview demo" and not panel.preview.showing_frame
    placeholder = panel.preview.grab().toImage()

    outputs = panel.outputs_box
    assert not outputs.locked_note.isVisible()
    show = go_live(qtbot, panel)
    assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
    # While live the camera, Record and RTMP switch on and off; the sound device, which keeps
    # the show's time, looks disabled and says why.
    assert (
        outputs.record_check.isEnabled() and outputs.rtmp_check.isEnabled() and outputs.vcam_check.isEnabled()
    )
    assert not outputs.audio_check.isEnabled() and outputs.audio_check.toolTip() == AUDIO_LIVE_TIP
    assert not outputs.locked_note.isVisible()
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
    assert strip.provider.text() == "Lip sync: voice timing"
    assert strip.label.text() == "AI label: on (top right)"
    assert re.fullmatch(r"late frames \d+\.\d%", strip.late.text())
    assert re.fullmatch(r"sync [+-]\d+ ms", strip.sync.text())
    assert not strip.mic_delay.isVisible() and not strip.reply_delay.isVisible()  # nothing to show yet
    # Nothing leaves the computer: a preview, not "LIVE".
    assert strip.state.text().startswith("● PREVIEW 0:00:0")
    assert strip.outputs.full_text() == "Preview only: nothing goes out"
    # What is being said is the sentence itself, not the segment's title.
    qtbot.waitUntil(lambda: strip.saying.full_text() == f"Saying: “{SENTENCE}”", timeout=5_000)

    # Enter queues a line after the current sentence; Ctrl+Enter says one now.
    assert box.edit.isEnabled() and box.edit.toolTip() == LIVE_TIP
    qtbot.keyClicks(box.edit, "Thanks for the follow!")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert box.edit.text() == "" and box.entries() == ["queued · Thanks for the follow!"]
    qtbot.waitUntil(saying(show, "Thanks for the follow!"), timeout=10_000)
    # The strip says the sentence, never the engine's kind of clip.
    qtbot.waitUntil(lambda: strip.saying.full_text() == "Saying: “Thanks for the follow!”", timeout=2_000)
    # The list follows the show: the line is marked once the show says it.
    qtbot.waitUntil(lambda: box.entries()[0] in said_or_saying("Thanks for the follow!"), timeout=2_000)
    qtbot.keyClicks(box.edit, "Sorry, one moment please.")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert box.entries()[-1] == "now · Sorry, one moment please."
    qtbot.waitUntil(saying(show, "Sorry, one moment please."), timeout=10_000)
    qtbot.waitUntil(lambda: "Sorry, one moment please." in strip.saying.full_text(), timeout=2_000)
    assert box.entries()[0] == "said · Thanks for the follow!"  # a later line has started
    assert re.fullmatch(r"reply delay \d+\.\d s", strip.reply_delay.text()) and strip.reply_delay.isVisible()

    stop(qtbot, panel)
    assert box.entries() == ["said · Thanks for the follow!", "said · Sorry, one moment please."]
    assert not outputs.locked_note.isVisible()
    assert panel.current_show is None and panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert not panel.preview.showing_frame
    qtbot.waitUntil(lambda: panel.preview.grab().toImage() == placeholder, timeout=1_000)
    assert not box.edit.isEnabled() and panel.outputs_box.record_check.isEnabled()
    assert show.engine.error is None and show.status().frames > 60
    assert not error_dialogs(panel)
    # (the test policy fails the test if any engine, speech or output thread is left running)


def test_a_show_is_recorded_to_a_new_file_and_streamed_without_showing_the_key(
    qtbot: QtBot,
    make_panel: Callable[..., LivePanel],
    tmp_path: Path,
    rtmp_server: RtmpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STUDIO_SESSION_LOGS", str(tmp_path / "logs"))
    folder = tmp_path / "recordings"  # made at Start
    key = "live_0123456789_secretkey"
    panel = make_panel()
    changes: list[AppSettings] = []
    panel.settings_changed.connect(changes.append)
    qtbot.mouseClick(panel.outputs_box.record_check, Qt.MouseButton.LeftButton)
    panel.outputs_box.set_record_dir(folder)
    assert changes[-1].outputs == OutputSettings(audio_out=False, record=True, record_dir=str(folder))
    panel.outputs_box.rtmp_check.setChecked(True)
    panel.outputs_box.rtmp_url.setText(rtmp_server.url(key))
    panel.outputs_box.rtmp_url.editingFinished.emit()
    assert changes[-1].outputs.rtmp_url == rtmp_server.url(key) and panel.settings == changes[-1]
    assert panel.outputs_box.rtmp_hint.text() == f"Streams to {rtmp_server.url('live****')}"

    panel.notices.stream_grace_s = 2.0  # a stream that connects never gets "Not live yet"
    go_live(qtbot, panel)
    name = panel.outputs_box.recording.record_file.text()
    assert re.fullmatch(r"Recording to studio-\d{8}-\d{6}\.mp4", name), name
    strip, shown = panel.status_strip, []

    def both_running() -> bool:
        shown.append(strip.outputs.full_text() + strip.outputs.toolTip() + strip.warning.full_text())
        return strip.outputs.full_text() == "Recording on · Stream on"

    qtbot.waitUntil(both_running, timeout=5_000)
    assert strip.state.text().startswith("● LIVE 0:00:")  # on air: the stream goes out
    qtbot.wait(2_000)
    assert strip.state.text().startswith("● LIVE 0:00:") and not panel.notices.stream_dialog_shown
    stop(qtbot, panel)
    assert "Stream → rtmp://" in shown[-1] and "live****" in shown[-1]
    assert not [text for text in shown if key in text]

    (path,) = folder.glob("studio-*.mp4")
    assert path.name == name.removeprefix("Recording to ")
    assert strip.outputs.full_text().startswith("Recorded ") and str(path) in strip.outputs.full_text()
    (log,) = (tmp_path / "logs").glob("*.jsonl")  # the show's session log, named where it ended
    assert f"Session log: {log}" in strip.outputs.full_text() and key not in log.read_text(encoding="utf-8")
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


def test_streaming_without_the_visible_label_needs_a_name_in_the_settings(
    qtbot: QtBot, make_panel: Callable[..., LivePanel], rtmp_server: RtmpServer
) -> None:
    outputs = OutputSettings(audio_out=False, rtmp=True, rtmp_url=rtmp_server.url("k"))
    panel = make_panel(settings=replace(SETTINGS, label_enabled=False, outputs=outputs))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=LIVE_S)
    (dialog,) = error_dialogs(panel)
    assert "visible AI label is off" in dialog.text() and "Settings" in dialog.informativeText()
    qtbot.waitUntil(lambda: panel.state == "stopped")
    assert panel.current_show is None and not rtmp_server.recordings("k")


def test_a_stream_address_without_its_scheme_is_said_so_and_can_be_read_back(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel()
    outputs = panel.outputs_box
    qtbot.mouseClick(outputs.rtmp_check, Qt.MouseButton.LeftButton)
    typed = "live.example.com/app/sk_secret_0123456789"
    outputs.rtmp_url.setText(typed)
    outputs.rtmp_url.editingFinished.emit()
    assert outputs.rtmp_hint.text() == RTMP_FORM and outputs.rtmp_hint.isVisible()
    # Hidden by default (the key), shown in full on asking, to find the typo.
    assert outputs.rtmp_url.echoMode() != QLineEdit.EchoMode.Normal
    assert outputs.rtmp_show.text() == "Show" and outputs.rtmp_show.isEnabled()
    qtbot.mouseClick(outputs.rtmp_show, Qt.MouseButton.LeftButton)
    assert (
        outputs.rtmp_url.echoMode() == QLineEdit.EchoMode.Normal and outputs.rtmp_url.displayText() == typed
    )
    assert outputs.rtmp_show.text() == "Hide" and "Hide the address" in outputs.rtmp_show.toolTip()
    qtbot.mouseClick(outputs.rtmp_show, Qt.MouseButton.LeftButton)
    assert outputs.rtmp_url.displayText() != typed
    # An address was typed: the dialog says what is wrong with it, not that there is none.
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    (dialog,) = error_dialogs(panel)
    assert dialog.text() == "The stream address must start with rtmp:// or rtmps://."
    assert "rtmp://" in dialog.informativeText() and "sk_secret" not in dialog.informativeText()
    assert panel.state == "stopped" and not panel.start_runner.running


def test_a_stream_server_that_refuses_is_connecting_not_live_and_said_once_in_plain_words(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    from rtmp_server import free_port  # noqa: PLC0415 - the plugin's module, loaded by pytest

    port, key = free_port(), "sk_live_0123456789_secret"  # nothing listens there: refused
    outputs = OutputSettings(audio_out=False, rtmp=True, rtmp_url=f"rtmp://127.0.0.1:{port}/live/{key}")
    panel = make_panel(settings=replace(SETTINGS, outputs=outputs))
    assert panel.notices.stream_grace_s == 10.0
    panel.notices.stream_grace_s = 2.0  # the test's patience, not the app's
    go_live(qtbot, panel)
    strip, seen = panel.status_strip, []

    def told() -> bool:
        seen.append(strip.state.text())
        return bool(error_dialogs(panel))

    qtbot.waitUntil(told, timeout=15_000)
    assert all(text.startswith("● CONNECTING… 0:00:") for text in seen), seen
    assert "#8a5a00" in strip.state.styleSheet()  # amber, never the red of LIVE
    (dialog,) = error_dialogs(panel)
    assert " ".join(dialog.text().split()) == (
        f"Not live yet: the stream server at 127.0.0.1:{port} refused the connection."
    )
    assert " ".join(dialog.informativeText().split()) == (
        "Check the stream address and your network. Studio keeps trying every 30 s; press Stop to give up."
    )
    assert key not in dialog.text() + dialog.informativeText()
    dialog_text = dialog.text()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert_clear_of_controls(panel, dialog)
    qtbot.wait(1_500)
    assert len(error_dialogs(panel)) == 1  # once per show
    assert strip.state.text().startswith("● CONNECTING…")
    stop(qtbot, panel)  # Stop works with the notice open
    dialog.close()
    qtbot.waitUntil(lambda: not error_dialogs(panel))
    go_live(qtbot, panel)  # the next show tells again, once
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=15_000)
    (again,) = error_dialogs(panel)
    assert again.text() == dialog_text and panel.notices.stream_dialog is again
    stop(qtbot, panel)


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


ONLINE_VOICE = "edge:en-US-AriaNeural"


def offline(make_show: Callable[..., LiveShow]) -> Callable[..., LiveShow]:
    """Shows whose online voice finds no network (the network boundary, faked): each of its
    sentences falls back to the offline voice, every loop."""

    def make(*args: Any, **kwargs: Any) -> LiveShow:
        show = make_show(*args, **kwargs)
        assert show.supply is not None
        synthesize = show.supply._synthesize

        def no_network(text: str, voice: str | None) -> Any:
            if voice == ONLINE_VOICE:
                raise NetworkError(
                    f"the online voice {ONLINE_VOICE} needs the network, and its service could not be "
                    "reached (ClientConnectorError)."
                )
            return synthesize(text, voice)

        show.supply._synthesize = no_network
        return show

    return make


def test_speech_warnings_show_in_the_strip_once_per_cause_and_once_per_session_as_a_dialog(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    rundown = Rundown((ONE_LINE.segments[0], Segment("This voice needs the internet.", ONLINE_VOICE)))
    panel = make_panel(rundown=rundown, make_show=offline(LiveShow))
    show = go_live(qtbot, panel)
    assert panel.interject("Thanks for the follow!")
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=10_000)
    (dialog,) = error_dialogs(panel)
    said = " ".join(dialog.text().split())  # in short lines, to fit beside the picture
    assert said.startswith("Segment 2: ") and "Aria (online) could not reach its service: no network." in said
    assert "edge:" not in said and "ClientConnectorError" not in said
    # In the preview's column, never over Start, Stop or the outputs; and Stop stays usable.
    assert_clear_of_controls(panel, dialog)
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    supply = show.supply
    assert supply is not None
    qtbot.waitUntil(lambda: supply.synthesised >= 5, timeout=30_000)  # the rundown has looped
    qtbot.wait(600)
    assert len(error_dialogs(panel)) == 1  # later ones only in the strip
    assert show.warnings()[0] == 1  # the same cause, every loop: said once
    strip = panel.status_strip
    assert strip.warning.isVisible() and "Aria (online)" in strip.warning.full_text()
    assert "earlier)" not in strip.warning.full_text()
    # On its own line, whole in the tooltip, and a click shows it all.
    latest = strip.warning_full
    assert latest.startswith("Segment 2: ") and strip.warning.toolTip().startswith(latest)
    qtbot.mouseClick(strip.warning, Qt.MouseButton.LeftButton)
    details = strip.details_box
    assert details is not None and details.isVisible() and details.text() == latest
    assert details.informativeText() == "The show goes on."
    details.close()
    dialog.close()
    stop(qtbot, panel)
    assert panel.interjection_box.entries()  # the last show's lines stay readable until the next

    # The next show starts clean: no old warning, no old lines, and no second dialog.
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not strip.warning.isVisible() and strip.warning.full_text() == ""
    assert panel.interjection_box.entries() == []
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_S)
    qtbot.waitUntil(strip.warning.isVisible, timeout=10_000)
    qtbot.wait(600)
    assert not error_dialogs(panel)
    stop(qtbot, panel)


def test_a_voice_that_is_not_installed_is_refused_at_start_in_the_apps_words(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    rundown = Rundown(
        (ONE_LINE.segments[0], Segment("Nobody says this.", "espeak:no-such-voice", title="Deals"))
    )
    panel = make_panel(rundown=rundown)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_dialogs(panel)), timeout=LIVE_S)
    (dialog,) = error_dialogs(panel)
    assert (
        dialog.text()
        == "Segment 2 (Deals) uses the voice 'espeak:no-such-voice', which is not installed here."
    )
    hint = dialog.informativeText()
    assert hint.startswith("Pick an installed voice for it, e.g. ") and "the Show page lists" in hint
    assert "studio voices" not in hint and "espeak:" not in hint  # the app's words and voice names
    assert panel.state == "stopped" and panel.current_show is None


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
    strip = panel.status_strip
    qtbot.waitUntil(
        lambda: re.fullmatch(r"mic delay \d+ ms", strip.mic_delay.text()) is not None, timeout=5_000
    )
    assert strip.mic_delay.isVisible() and strip.mic_delay.toolTip().startswith("From your voice")
    assert re.fullmatch(r"Lip sync: AI model on (CPU|GPU \(\w+\))", panel.status_strip.provider.text())
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


def test_a_notice_goes_under_the_picture_else_over_its_lower_part_never_beside_it() -> None:
    column, box = QRect(0, 100, 700, 700), QSize(360, 180)
    picture = QRect(0, 100, 700, 394)  # 16:9: the page under it has room
    assert clear_spot(box, picture, column) == QPoint(170, 100 + 394 - 1 + 16)
    picture = QRect(0, 100, 700, 525)  # 4:3: no room under it, so over its lower part
    assert clear_spot(box, picture, column) == QPoint(170, 100 + 525 - 16 - 180)
    narrow = QRect(0, 100, 300, 700)  # wider than the column: held to its left edge, not beside it
    assert clear_spot(box, QRect(0, 100, 300, 169), narrow).x() == 0
    assert clear_spot(QSize(200, 900), picture, column).y() == 100  # taller than the page: from its top


def test_without_a_sound_output_the_toggle_is_off_and_the_show_runs_silently(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    chosen_on = AppSettings(width=320, height=240, outputs=OutputSettings(audio_out=True))
    panel = make_panel(settings=chosen_on, devices=DeviceList())
    check = panel.outputs_box.audio_check
    assert not check.isChecked() and not check.isEnabled()
    assert check.text() == "Audio device (none found)" and check.toolTip() == NO_AUDIO_TIP
    assert panel.settings.outputs.audio_out is True  # the user's choice, kept for when one is plugged in
    show = go_live(qtbot, panel)
    assert show.options.audio_out is None and "audio" not in show.targets()
    assert not error_dialogs(panel)
    stop(qtbot, panel)


def test_the_voice_is_heard_by_default_where_a_sound_output_exists(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    never_chose = AppSettings(width=320, height=240, outputs=OutputSettings(audio_out=None))
    panel = make_panel(settings=never_chose)  # the fake device list has speakers
    outputs, changes = panel.outputs_box, []
    panel.settings_changed.connect(changes.append)
    assert outputs.audio_check.isChecked() and outputs.audio_check.isEnabled() and outputs.audio_on
    assert outputs.audio_check.text() == "Audio device" and outputs.audio_combo.isEnabled()
    assert not changes  # a default, not a choice: nothing is saved
    qtbot.mouseClick(outputs.audio_check, Qt.MouseButton.LeftButton)
    assert not outputs.audio_on and changes[-1].outputs.audio_out is False
    panel.set_settings(changes[-1])  # as the main window hands the saved settings back
    assert not outputs.audio_check.isChecked()  # the user's "off" wins over the default


def test_listing_sound_devices_opens_no_camera(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import studio.outputs.devices as probe

    tried: list[int] = []

    def cameras(indices: range, notes: list[str]) -> list[Any]:
        tried.extend(indices)  # opening each index with OpenCV: a camera light, a permission prompt
        return []

    monkeypatch.setattr(probe, "opencv_cameras", cameras)
    monkeypatch.setattr(probe.platform, "system", lambda: "Windows")  # where cameras are probed
    panel = LivePanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.outputs_box.audio_found is not None, timeout=10_000)
    panel.shutdown()
    assert tried == []


def test_an_empty_show_is_refused_before_anything_starts(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel(rundown=Rundown((Segment("  ", title="Welcome"),)))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    (dialog,) = error_dialogs(panel)
    assert (dialog.text(), dialog.informativeText()) == (
        "The show has nothing to say.",
        "Write a line on the Show page first.",
    )
    assert panel.state == "stopped" and not panel.start_runner.running and panel.current_show is None


def test_a_stream_address_the_settings_would_refuse_never_reaches_them(
    qtbot: QtBot, make_panel: Callable[..., LivePanel], tmp_path: Path
) -> None:
    panel = make_panel()
    outputs, changes = panel.outputs_box, []
    panel.settings_changed.connect(changes.append)
    qtbot.mouseClick(outputs.rtmp_check, Qt.MouseButton.LeftButton)
    good, bad = "rtmp://live.example.com/app/key-1", "http://live.example.com/app/secret-KEY-42"
    outputs.rtmp_url.setText(good)
    outputs.rtmp_url.editingFinished.emit()
    assert panel.settings.outputs.rtmp_url == good
    outputs.rtmp_url.setText(bad)  # said at once, while typing
    assert outputs.rtmp_hint.isVisible() and outputs.rtmp_hint.text() == RTMP_FORM
    assert outputs.rtmp_hint.property("role") == "error"
    outputs.rtmp_url.editingFinished.emit()
    assert panel.settings.outputs.rtmp_url == good  # the last usable one is kept
    assert all(change.outputs.rtmp_url in ("", good) for change in changes)
    save_settings(panel.settings, tmp_path / "settings.json")  # later saves are not blocked
    outputs.rtmp_url.setText("")
    outputs.rtmp_url.editingFinished.emit()
    assert panel.settings.outputs.rtmp_url == ""


def test_the_preview_takes_the_shape_of_the_video_size(
    qtbot: QtBot, make_panel: Callable[..., LivePanel]
) -> None:
    panel = make_panel()
    preview = panel.preview
    area = preview.picture_rect()
    assert area.top() == 0 and area.width() / area.height() == pytest.approx(4 / 3, abs=0.01)
    panel.set_settings(replace(SETTINGS, width=1280, height=720))
    area = preview.picture_rect()
    assert area.width() == preview.width() and area.width() / area.height() == pytest.approx(16 / 9, abs=0.01)
    image = preview.grab().toImage()
    assert area.bottom() + 20 < preview.height()
    below = image.pixelColor(area.center().x(), area.bottom() + 20)
    inside = image.pixelColor(area.center().x(), area.bottom() - 5)
    assert below != inside  # under the picture is the page, not a tall black frame
    panel.set_settings(replace(SETTINGS, width=720, height=1280))  # portrait still fits
    area = preview.picture_rect()
    assert area.height() == preview.height() and area.width() < preview.width()
    assert area.width() / area.height() == pytest.approx(9 / 16, abs=0.01)


def status(
    late: int = 0, av_ms: float = 0.0, reply_ms: float | None = None, seconds: float = 61.0
) -> LiveStatus:
    return LiveStatus(seconds, 100, 30.0, late, 0, av_ms, None, reply_ms, "Hello.", "lip sync: phonemes")


STREAM = {"rtmp": "rtmp://a.example.com:1935/live/live****"}
REFUSED = "reconnecting in 4 s (attempt 3): Connection refused"


@pytest.mark.parametrize(
    ("targets", "states", "shown", "colour"),
    [
        ({}, {}, "● PREVIEW 0:01:01", "#2f6fde"),
        ({"audio": "default audio device"}, {"audio": "running"}, "● PREVIEW 0:01:01", "#2f6fde"),
        ({"record": "/videos/show.mp4"}, {"record": "running"}, "● RECORDING 0:01:01", "#b45309"),
        (
            {"record": "/videos/show.mp4", "vcam": "/dev/video9"},
            {"record": "running", "vcam": "running"},
            "● LIVE 0:01:01",
            "#b3261e",
        ),
        (STREAM, {"rtmp": "running"}, "● LIVE 0:01:01", "#b3261e"),
        # Never connected: not live, whatever the clock says.
        (
            STREAM,
            {"rtmp": "connecting to rtmp://a.example.com:1935/live/live****"},
            "● CONNECTING… 0:01:01",
            "#8a5a00",
        ),
        (STREAM, {"rtmp": REFUSED}, "● CONNECTING… 0:01:01", "#8a5a00"),
        # The virtual camera runs: live, while the stream still tries.
        (
            {**STREAM, "vcam": "/dev/video9"},
            {"rtmp": REFUSED, "vcam": "running"},
            "● LIVE 0:01:01",
            "#b3261e",
        ),
        # The stream failed for good and only a recording is left.
        (
            {**STREAM, "record": "/v.mp4"},
            {"rtmp": "failed: gone", "record": "running"},
            "● RECORDING 0:01:01",
            "#b45309",
        ),
    ],
)
def test_the_strip_says_live_only_while_the_show_goes_out(
    qtbot: QtBot, targets: dict[str, str], states: dict[str, str], shown: str, colour: str
) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    strip.show_live(status(), states, LabelSettings(), targets)
    assert strip.state.text() == shown
    assert colour in strip.state.styleSheet()
    assert strip.state.toolTip()


def test_a_stream_that_drops_after_going_live_says_reconnecting_until_it_is_back(qtbot: QtBot) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    strip.set_state("starting", "Starting…")
    strip.show_live(status(), {"rtmp": REFUSED}, LabelSettings(), STREAM)
    assert strip.state.text().startswith("● CONNECTING…")
    strip.show_live(status(), {"rtmp": "running"}, LabelSettings(), STREAM)
    assert strip.state.text().startswith("● LIVE")
    strip.show_live(status(), {"rtmp": REFUSED}, LabelSettings(), STREAM)
    assert strip.state.text().startswith("● RECONNECTING…") and "#8a5a00" in strip.state.styleSheet()
    assert "Nobody sees the show" in strip.state.toolTip()
    strip.show_live(status(), {"rtmp": "running"}, LabelSettings(), STREAM)
    assert strip.state.text().startswith("● LIVE")
    strip.set_state("stopped", "Stopped")  # the next show connects afresh
    strip.show_live(status(), {"rtmp": REFUSED}, LabelSettings(), STREAM)
    assert strip.state.text().startswith("● CONNECTING…")


@pytest.mark.parametrize(
    ("late", "av_ms", "late_level", "sync_level"),
    [
        (2, 45.0, "ok", "ok"),  # 2% and ±45 ms: not noticeable
        (3, -46.0, "warn", "warn"),
        (5, 90.0, "warn", "warn"),
        (6, -91.0, "bad", "bad"),
    ],
)
def test_late_frames_and_sync_turn_amber_then_red(
    qtbot: QtBot, late: int, av_ms: float, late_level: str, sync_level: str
) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    strip.show_live(status(late=late, av_ms=av_ms), {}, LabelSettings(), {})
    colours = {"ok": None, "warn": "#8a5a00", "bad": "#b3261e"}
    for widget, level in ((strip.late, late_level), (strip.sync, sync_level)):
        assert widget.property("level") == level
        colour = colours[level]
        assert (colour in widget.styleSheet()) if colour else widget.styleSheet() == ""
    assert strip.late.text() == f"late frames {late:.1f}%" and strip.sync.text() == f"sync {av_ms:+.0f} ms"
    assert strip.late.toolTip().startswith(
        "Frames that were not ready in time. Above 5% the picture stutters"
    )
    assert f"({late} of 100 so far.)" in strip.late.toolTip()


def test_the_strip_figures_read_in_plain_words(qtbot: QtBot) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    strip.show_live(status(reply_ms=3402.0), {"record": "running"}, LabelSettings(), {"record": "/v/s.mp4"})
    assert strip.reply_delay.text() == "reply delay 3.4 s" and "typed line" in strip.reply_delay.toolTip()
    for widget in (strip.fps, strip.late, strip.sync, strip.mic_delay, strip.reply_delay, strip.provider):
        assert len(widget.toolTip()) > 30, widget.objectName()
    assert strip.outputs.toolTip() == "Recording on\n\nRecording → /v/s.mp4"


def test_typed_lines_wrap_and_follow_what_the_show_says(qtbot: QtBot) -> None:
    box = InterjectionBox()
    qtbot.addWidget(box)
    box.resize(380, 320)
    box.show()
    long = "Thank you all so much for joining today, and welcome to everyone who just arrived from the reel!"
    box.sent(long, interrupt=False)
    box.sent("One moment.", interrupt=True)
    assert box.entries() == [f"queued · {long}", "now · One moment."]
    # Wrapped: no sideways scrollbar, the long line takes several rows within the list's width.
    history = box.history
    first = history.visualItemRect(history.item(0))
    assert not history.horizontalScrollBar().isVisible()
    assert (
        first.width() <= history.viewport().width() and first.height() >= 2 * history.fontMetrics().height()
    )

    box.observe("Hello.", None)  # a sentence of the script: nothing changes
    assert box.entries() == [f"queued · {long}", "now · One moment."]
    box.observe("interjection: One moment.", 900.0)  # it jumped the queue
    assert box.entries() == [f"queued · {long}", "saying · One moment."]
    box.observe(f"interjection: {long}", 1500.0)
    assert box.entries() == [f"saying · {long}", "said · One moment."]
    box.observe("Hello.", 1500.0)
    assert box.entries()[0] == f"said · {long}"
    box.sent("Hi!", interrupt=False)
    box.observe("Hello.", 700.0)  # begun and ended between two looks: a new reply delay tells
    assert box.entries()[-1] == "said · Hi!"
    box.sent("Bye for now.", interrupt=False)
    box.show_ended()
    assert box.entries()[-1] == "not said · Bye for now."
    box.clear_history()
    assert box.entries() == [] and history.count() == 0


def test_warnings_name_voices_as_the_show_page_does_without_python_names() -> None:
    words = VoiceWords()  # the registry's own voices
    core = (
        "segment 1 (Glow serum): the online voice edge:en-US-AriaNeural needs the network, and its "
        "service could not be reached (ClientConnectorDNSError). Spoken with piper:en_US-joe-medium instead."
    )
    assert words.plain(core) == (
        "Segment 1 (Glow serum): Aria (online) could not reach its service: no network. "
        "Joe (English (US)) spoke the line instead."
    )
    late = core.replace("ClientConnectorDNSError", "TimeoutError")
    assert "could not reach its service: it did not answer in time." in words.plain(late)
    # Any other voice id is named too; an id no voice has stays, as typed on the Show page.
    assert words.plain("interjection: espeak:en-us broke (RuntimeError).") == (
        "Interjection: eSpeak (English (US)) broke."
    )
    assert (
        words.plain("segment 2: there is no voice 'espeak:nope'.")
        == "Segment 2: there is no voice 'espeak:nope'."
    )


def test_the_lip_sync_figure_reads_in_plain_words() -> None:
    assert provider_text("lip sync: phonemes") == "Lip sync: voice timing"
    assert provider_text("lip sync: model on CPUExecutionProvider") == "Lip sync: AI model on CPU"
    assert provider_text("lip sync: model on CUDAExecutionProvider") == "Lip sync: AI model on GPU (CUDA)"


def test_the_reply_delay_shows_for_a_while_after_a_typed_line_then_goes(qtbot: QtBot) -> None:
    now = [100.0]
    strip = StatusStrip(clock=lambda: now[0])
    qtbot.addWidget(strip)
    strip.show()
    strip.show_live(status(reply_ms=3800.0), {}, LabelSettings(), {})
    assert strip.reply_delay.text() == "reply delay 3.8 s" and strip.reply_delay.isVisible()
    now[0] += 14.0
    strip.show_live(status(reply_ms=3800.0), {}, LabelSettings(), {})
    assert strip.reply_delay.isVisible()
    now[0] += 1.5
    strip.show_live(status(reply_ms=3800.0), {}, LabelSettings(), {})
    assert not strip.reply_delay.isVisible() and strip.reply_delay.text() == ""
    strip.show_live(status(reply_ms=1200.0), {}, LabelSettings(), {})  # another line: shown again
    assert strip.reply_delay.text() == "reply delay 1.2 s" and strip.reply_delay.isVisible()


def test_a_warning_has_its_own_line_and_what_is_said_keeps_its_room(qtbot: QtBot) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    strip.resize(1000, 90)
    strip.show()
    said = "Meet our new Glow vitamin C serum, made for tired skin after long nights."
    live = LiveStatus(5.0, 100, 30.0, 0, 0, 0.0, None, None, said, "lip sync: phonemes")
    strip.show_live(live, {}, LabelSettings(), {})
    strip.set_warning("Segment 1 (Glow serum): Aria (online) could not reach its service: no network.", 1)
    qtbot.waitUntil(lambda: strip.warning.isVisible() and strip.saying.width() > 400)
    assert strip.saying.text() == f"Saying: “{said}”"  # whole, not cut for the warning
    assert strip.warning.y() > strip.saying.y() + strip.saying.height() // 2
    strip.set_warning(" ".join(["A very long warning that goes on."] * 12), 3)  # cut to fit, all in its tip
    assert strip.warning.text().endswith("…") and strip.warning.toolTip().startswith("A very long warning")
    assert strip.saying.text() == f"Saying: “{said}”"
