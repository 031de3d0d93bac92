"""The Live page's readiness list: each output's state, its fix one click away (a page opened
through a fake QDesktopServices.openUrl, or a Linux fix run through a fake runner), and the
check again after the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studio.outputs.base import OutputError
from studio.outputs.devices import DeviceList
from studio.outputs.readiness import OBS_URL, Fix, OutputReadiness
from studio.ui.live_layout import LiveControls
from studio.ui.live_readiness import ReadinessBox

KEY = "s3cr3t-key"
OBS_FIX = Fix("Install OBS Studio 26 or newer.", "Get OBS Studio", OBS_URL)
SINK_FIX = Fix("Create it: pactl load-module module-null-sink", "Create Studio Voice", action="voice_sink")


class FakeMachine:
    """What the checks find; a fix changes it, as installing or running the fix would."""

    def __init__(self, vcam: bool = False, voice: bool = False) -> None:
        self.vcam, self.voice = vcam, voice
        self.checks: list[tuple[Path, str]] = []
        self.opened: list[QUrl] = []
        self.fixes: list[Fix] = []
        self.browser = True
        self.fix_error: OutputError | None = None

    def check(self, record_dir: Path, rtmp_url: str) -> list[OutputReadiness]:
        self.checks.append((record_dir, rtmp_url))
        return [
            OutputReadiness("vcam", self.vcam, "OBS Virtual Camera." if self.vcam else "No OBS.", OBS_FIX),
            OutputReadiness(
                "voice", self.voice, "Studio Voice is there." if self.voice else "No sink.", SINK_FIX
            ),
            OutputReadiness("rtmp", False, "No stream address yet.", Fix("Paste the address.")),
            OutputReadiness("record", True, f"Records into {record_dir}."),
        ]

    def open_url(self, url: QUrl) -> bool:
        self.opened.append(url)
        return self.browser

    def run_fix(self, fix: Fix) -> str:
        self.fixes.append(fix)
        if self.fix_error is not None:
            raise self.fix_error
        self.voice = True
        return "Studio Voice is ready: apps take 'Monitor of Studio Voice' as their microphone."


@pytest.fixture
def machine() -> FakeMachine:
    return FakeMachine()


@pytest.fixture
def box(qtbot: QtBot, machine: FakeMachine, tmp_path: Path) -> ReadinessBox:
    widget = ReadinessBox(
        context=lambda: (tmp_path, ""),
        check=machine.check,
        run_fix=machine.run_fix,
        open_url=machine.open_url,
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.checked, timeout=10_000):
        widget.show()  # the first sight of the Live page checks every output
    return widget


def _check(qtbot: QtBot, box: ReadinessBox) -> None:
    with qtbot.waitSignal(box.checked, timeout=10_000):
        box.check_now()


def test_each_output_shows_its_state_and_only_fixable_ones_get_a_button(
    qtbot: QtBot, box: ReadinessBox, machine: FakeMachine, tmp_path: Path
) -> None:
    assert machine.checks == [(tmp_path, "")]
    box.hide()
    box.show()  # seen again: no new check (the ↻ button and the fixes check again)
    assert machine.checks == [(tmp_path, "")]
    assert box.states["vcam"].accessibleName() == "Virtual camera: not ready"
    assert box.states["vcam"].text() == "✗ Virtual camera"
    assert box.states["record"].accessibleName() == "Recording: ready"
    # One line each; what was found and the fix in words on hovering, or under it on asking.
    assert box.states["vcam"].toolTip() == f"No OBS. {OBS_FIX.words}"
    assert not box.details["vcam"].isVisible()
    box.details_button.click()
    assert box.details["vcam"].isVisible() and box.details["vcam"].text() == f"No OBS. {OBS_FIX.words}"
    assert box.details["record"].text() == f"Records into {tmp_path}."
    box.details_button.click()
    assert not box.details["vcam"].isVisible()
    assert box.fix_buttons["vcam"].isVisible() and box.fix_buttons["vcam"].text() == "Get OBS Studio"
    assert box.fix_buttons["voice"].text() == "Create Studio Voice"
    assert not box.fix_buttons["rtmp"].isVisible()  # words only: nothing to click
    assert box.states["rtmp"].toolTip() == "No stream address yet. Paste the address."
    assert box.message.text() == "3 output(s) not ready: the fix is beside each (Why? says more)."


def test_a_page_fix_opens_the_browser_and_checks_again_when_the_user_is_back(
    qtbot: QtBot, box: ReadinessBox, machine: FakeMachine
) -> None:

    qtbot.mouseClick(box.fix_buttons["vcam"], Qt.MouseButton.LeftButton)

    assert machine.opened == [QUrl(OBS_URL)]
    assert box.message.text().startswith(f"Opened {OBS_URL} in your browser.")
    assert len(machine.checks) == 1  # nothing is installed yet
    machine.vcam = True  # the user installs OBS, then comes back to Studio
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with qtbot.waitSignal(box.checked, timeout=10_000):
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert box.states["vcam"].accessibleName() == "Virtual camera: ready"
    assert not box.fix_buttons["vcam"].isVisible()
    # Coming back again without a fix opened in between checks nothing.
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert len(machine.checks) == 2


def test_no_browser_is_one_clear_line_with_the_address(
    qtbot: QtBot, box: ReadinessBox, machine: FakeMachine
) -> None:
    machine.browser = False

    box.fix_buttons["vcam"].click()

    assert box.message.text() == f"No browser could be opened. Go to {OBS_URL} yourself."
    assert box.message.property("role") == "error"


def test_a_linux_fix_runs_on_a_worker_then_the_list_is_checked_again(
    qtbot: QtBot, box: ReadinessBox, machine: FakeMachine
) -> None:
    assert not box.items[1].ready

    with qtbot.waitSignal(box.checked, timeout=10_000):
        box.fix_buttons["voice"].click()
        assert not box.fix_buttons["vcam"].isEnabled()  # one fix at a time

    assert machine.fixes == [SINK_FIX]
    assert box.states["voice"].accessibleName() == "Voice to other apps: ready"
    assert box.message.text().startswith("Studio Voice is ready")
    assert box.fix_buttons["vcam"].isEnabled()


def test_a_cancelled_password_dialog_is_one_clear_line(
    qtbot: QtBot, box: ReadinessBox, machine: FakeMachine
) -> None:
    machine.fix_error = OutputError(
        "The password dialog was cancelled, so the Studio Camera was not created.",
        "Click the button again and enter your password.",
    )

    with qtbot.waitSignal(box.checked, timeout=10_000):
        box.fix_buttons["voice"].click()

    assert box.message.text() == (
        "The password dialog was cancelled, so the Studio Camera was not created. "
        "Click the button again and enter your password."
    )
    assert box.message.property("role") == "error"
    assert box.fix_buttons["voice"].isVisible() and box.fix_buttons["voice"].isEnabled()


def test_the_real_check_takes_the_typed_address_and_hides_its_key(qtbot: QtBot, tmp_path: Path) -> None:
    widget = ReadinessBox(context=lambda: (tmp_path, f"rtmp://live.example/app/{KEY}"))
    qtbot.addWidget(widget)
    _check(qtbot, widget)

    assert [item.output for item in widget.items] == ["vcam", "voice", "rtmp", "record"]
    assert widget.states["rtmp"].accessibleName() == "RTMP stream: ready"
    assert widget.items[3].detail == f"Records into {tmp_path}."
    assert all(KEY not in label.text() for label in widget.details.values())
    widget.shutdown()


def test_the_live_page_column_checks_with_the_outputs_folder_and_address(
    qtbot: QtBot, tmp_path: Path
) -> None:
    controls = LiveControls(DeviceList)
    qtbot.addWidget(controls)
    box = controls.readiness_box
    with qtbot.waitSignal(box.checked, timeout=30_000):
        controls.show()
    assert not box.items[2].ready  # no stream address yet

    # A new folder or address is checked again at once.
    controls.outputs_box.set_record_dir(tmp_path)
    controls.outputs_box.rtmp_url.setText(f"rtmp://live.example/app/{KEY}")
    controls.outputs_box.rtmp_url.editingFinished.emit()
    qtbot.waitUntil(lambda: box.items[2].ready and not box.check_runner.running, timeout=30_000)

    rtmp, record = box.items[2:]
    assert "live.example" in rtmp.detail and KEY not in rtmp.detail
    assert record.detail == f"Records into {tmp_path}."
    box.shutdown()
