"""Outputs switched while the show runs: a recording started and stopped mid-show, its result
with Open folder and Play; and the avatar in use deleted mid-show leaves the air at once."""

from __future__ import annotations

import errno
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.live.renderers import SlateRenderer
from studio.live.rundown import Rundown, Segment
from studio.media.encoder import Mp4Writer, write_error
from studio.outputs.devices import AudioDevice, DeviceList
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from studio.settings.app_settings import AppSettings, OutputSettings
from studio.ui.live_panel import LivePanel
from studio.ui.live_plan import label_settings

SETTINGS = AppSettings(width=320, height=240, fps=30, outputs=OutputSettings(audio_out=False))
ONE_LINE = Rundown((Segment("Hello there, and welcome to the live room.", "espeak:en-us", pause_ms=200),))


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


@pytest.fixture
def panel(qtbot: QtBot, avatar: Avatar) -> Iterator[LivePanel]:
    speakers = DeviceList(audio_outputs=[AudioDevice("Test Speakers", "ALSA", 2, True)])
    panel = LivePanel(list_devices=lambda: speakers)
    qtbot.addWidget(panel)
    panel.set_settings(SETTINGS)
    panel.set_avatar(avatar)
    panel.set_rundown_source(lambda: ONE_LINE)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.outputs_box.audio_found is not None)
    yield panel
    panel.shutdown()


def go_live(qtbot: QtBot, panel: LivePanel) -> None:
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=20_000)


def test_a_recording_starts_and_stops_while_the_show_goes_on(
    qtbot: QtBot, panel: LivePanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("studio.ui.live_recording.QDesktopServices.openUrl", opened.append)
    box = panel.outputs_box
    box.set_record_dir(tmp_path)
    go_live(qtbot, panel)
    show = panel.current_show
    assert show is not None and "record" not in show.targets()
    qtbot.waitUntil(lambda: panel.preview_output.received >= 15, timeout=10_000)

    qtbot.mouseClick(box.record_check, Qt.MouseButton.LeftButton)  # on, mid-show
    qtbot.waitUntil(lambda: "record" in show.targets() and box.mode == "live", timeout=10_000)
    assert re.fullmatch(r"Recording to studio-\d{8}-\d{6}\.mp4", box.recording.record_file.text())
    assert box.record_check.isEnabled() and not box.record_dir.isEnabled()  # the folder waits
    at_start = panel.preview_output.received
    qtbot.waitUntil(lambda: panel.preview_output.received >= at_start + 45, timeout=10_000)
    qtbot.mouseClick(box.record_check, Qt.MouseButton.LeftButton)  # off again, still live
    qtbot.waitUntil(box.recording.record_result_row.isVisible, timeout=30_000)
    assert panel.state == "live" and "record" not in show.targets()
    ((path, _),) = show.recordings
    result = box.recording.record_result.full_text()
    assert re.fullmatch(rf"Recorded [1-9]\d* s to {re.escape(path.name)}", result), result
    assert box.recording.record_result.toolTip() == str(path)
    with av.open(str(path)) as container:
        seconds = float(container.duration or 0) / av.time_base
        assert container.streams.audio and container.streams.video
    assert 1.0 < seconds < 20 and abs(seconds - int(result.split()[1])) <= 1.5  # the file's own length
    qtbot.mouseClick(box.recording.play_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(box.recording.open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [path, path.parent]

    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
    assert show.error is None and list(tmp_path.glob("studio-*.mp4")) == [path]
    assert panel.status_strip.outputs.full_text().startswith("Recorded ")


def test_the_sound_device_cannot_change_while_live_and_says_why(qtbot: QtBot, panel: LivePanel) -> None:
    go_live(qtbot, panel)
    box = panel.outputs_box
    assert not box.audio_check.isEnabled() and "keeps time" in box.audio_check.toolTip()
    assert not box.refresh_button.isEnabled()
    assert box.vcam_check.isEnabled() and box.rtmp_check.isEnabled() and box.record_check.isEnabled()
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)


def test_the_avatar_in_use_withdrawn_mid_show_leaves_the_preview_at_the_next_frame(
    qtbot: QtBot, panel: LivePanel, tmp_path: Path
) -> None:
    go_live(qtbot, panel)
    qtbot.waitUntil(lambda: panel.preview_output.received >= 10, timeout=10_000)
    # The library is about to delete it: known by its package folder, whatever its name.
    assert panel.withdraw_avatar(demo_package_path() / ".." / demo_package_path().name)
    withdrawn_at = panel.preview_output.received
    qtbot.waitUntil(lambda: panel.preview_output.received >= withdrawn_at + 5, timeout=10_000)
    latest = panel.preview_output.latest()
    assert latest is not None
    render = RenderSettings(320, 240, panel.current_show.fmt.fps, label=label_settings(SETTINGS))  # type: ignore[union-attr]
    assert np.array_equal(latest.image, SlateRenderer(render).frame)  # the slate, AI label and all
    assert not panel.withdraw_avatar(tmp_path / "demo")  # another folder of the same name
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)


def test_the_replacement_is_made_off_the_gui_thread_and_goes_on_air_when_ready(
    qtbot: QtBot, panel: LivePanel, avatar: Avatar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made_on: list[str] = []

    class SpyRenderer(PhotoRenderer):  # the factory's boundary: where each renderer is made
        def __init__(self, *args: Any) -> None:
            made_on.append(threading.current_thread().name)
            super().__init__(*args)

    monkeypatch.setattr("studio.render.factory.PhotoRenderer", SpyRenderer)
    go_live(qtbot, panel)
    show = panel.current_show
    assert show is not None
    made_on.clear()
    copy = tmp_path / "Mia"  # another package: the same face under another folder
    shutil.copytree(demo_package_path(), copy)
    mia = load_avatar(copy, "")
    panel.set_avatar(mia)  # for the next start: the show on air keeps its own
    assert show.avatar is avatar and made_on == []
    assert panel.withdraw_avatar(demo_package_path())  # the slate at once, Mia when ready
    assert show.withdrawn and show.avatar is avatar
    qtbot.waitUntil(lambda: show.avatar is mia and not show.withdrawn, timeout=10_000)
    assert len(made_on) == show.options.render_threads
    assert threading.main_thread().name not in made_on and all(n.startswith("studio-task-") for n in made_on)
    at = panel.preview_output.received
    qtbot.waitUntil(lambda: panel.preview_output.received >= at + 10, timeout=10_000)
    latest = panel.preview_output.latest()
    render = RenderSettings(320, 240, show.fmt.fps, label=label_settings(SETTINGS))
    assert latest is not None and not np.array_equal(latest.image, SlateRenderer(render).frame)
    # Mia deleted in turn, the demo (what the library picks next) replaces her.
    assert panel.withdraw_avatar(copy)
    assert show.withdrawn
    panel.set_avatar(avatar)
    qtbot.waitUntil(lambda: show.avatar is avatar and not show.withdrawn, timeout=10_000)
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)


def test_a_replacement_deleted_before_it_is_ready_never_goes_on_air(
    qtbot: QtBot, panel: LivePanel, avatar: Avatar, tmp_path: Path
) -> None:
    go_live(qtbot, panel)
    show = panel.current_show
    assert show is not None
    copy = tmp_path / "Mia"
    shutil.copytree(demo_package_path(), copy)
    panel.set_avatar(load_avatar(copy, ""))
    assert panel.withdraw_avatar(demo_package_path())  # Mia is being made on a worker...
    assert not panel.withdraw_avatar(copy)  # ...and deleted too: not on air, so False
    panel.on_air.runner.wait()
    qtbot.wait(200)  # the worker's result is delivered, and dropped
    assert show.withdrawn and show.avatar is avatar  # the slate stays
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)


def test_a_recording_that_fills_the_disk_says_so_and_what_was_kept(
    qtbot: QtBot, panel: LivePanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_video = Mp4Writer.write_video

    def until_the_disk_is_full(writer: Mp4Writer, image: np.ndarray, index: int) -> None:
        if index >= 100:  # past the first fragments (at most 2 s each)
            raise write_error(writer.target, OSError(errno.ENOSPC, "No space left on device"))
        write_video(writer, image, index)

    monkeypatch.setattr(Mp4Writer, "write_video", until_the_disk_is_full)
    opened: list[QUrl] = []
    monkeypatch.setattr("studio.ui.live_recording.QDesktopServices.openUrl", opened.append)
    box = panel.outputs_box
    box.set_record_dir(tmp_path)
    box.record_check.setChecked(True)
    go_live(qtbot, panel)
    qtbot.waitUntil(box.recording.record_result_row.isVisible, timeout=30_000)
    (path,) = tmp_path.glob("studio-*.mp4")
    assert box.recording.record_result.full_text() == (
        f"Recording stopped: the disk is full. What was recorded until then is kept in {path.name}."
    )
    assert not box.recording.record_file.isVisible() and panel.state == "live"  # the show goes on
    qtbot.mouseClick(box.recording.play_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [path]
    with av.open(str(path)) as container:
        assert float(container.duration or 0) / av.time_base >= 1.0  # it plays
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
