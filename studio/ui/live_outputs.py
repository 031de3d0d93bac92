"""Where the live show goes: virtual camera, an audio device, a recording, an RTMP stream.

The toggles edit ``OutputSettings`` (saved with the app's settings). While the show runs, the
virtual camera, the recording and the stream switch on and off without interrupting it (the
live panel applies each change to the running show); only the sound device stays as the show
started (it keeps the show's time), and it looks disabled and says so. A finished recording is
shown under Record with its length and buttons to open its folder or play it.

The voice is heard by default: until the user switches the audio device on or off themselves
(``OutputSettings.audio_out`` is ``None``), it is on wherever the machine has a sound output.
Where it has none, the toggle is off and disabled, and the show runs silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from studio.errors import StudioError
from studio.outputs.base import OutputError
from studio.outputs.devices import AudioDevice, DeviceList
from studio.settings.app_settings import OutputSettings, default_record_dir
from studio.ui.bridge import TaskRunner
from studio.ui.file_dialogs import memory_of
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.live_plan import RTMP_FORM, rtmp_scheme_ok
from studio.ui.live_recording import RecordingReport

LOCKED_TIP = QT_TRANSLATE_NOOP(
    "live_outputs", "Wait a moment: the show is starting or stopping, or an output is switching."
)
AUDIO_LIVE_TIP = QT_TRANSLATE_NOOP(
    "live_outputs", "The show keeps time by its sound device: stop the show to change it."
)
RECORD_DIR_LIVE_TIP = QT_TRANSLATE_NOOP(
    "live_outputs", "Recording into this folder now: switch Record off to choose another for the next one."
)
RTMP_URL_LIVE_TIP = QT_TRANSLATE_NOOP(
    "live_outputs", "Streaming to this address now: switch RTMP off to change it."
)
NO_AUDIO_TIP = QT_TRANSLATE_NOOP(
    "live_outputs",
    "No sound output was found on this computer, so the show runs without sound "
    "here. Plug in speakers or headphones, then press ↻.",
)
SHOW_KEY_TIP = QT_TRANSLATE_NOOP(
    "live_outputs",
    "Show the whole address, stream key included, to check it for typos. Hide it before sharing your screen.",
)
HIDE_KEY_TIP = QT_TRANSLATE_NOOP(
    "live_outputs", "Hide the address again: it holds the stream key, and the screen may be shared."
)
_TIPS = {
    "vcam": QT_TRANSLATE_NOOP(
        "live_outputs",
        "Zoom, Meet, OBS and browsers see the show as a webcam (needs a virtual camera installed).",
    ),
    "audio": QT_TRANSLATE_NOOP(
        "live_outputs",
        "Play the voice on a sound device, e.g. a virtual cable a meeting app takes as its microphone.",
    ),
    "record": QT_TRANSLATE_NOOP(
        "live_outputs", "Record the show to an MP4 file in this folder; each show gets its own file."
    ),
    "rtmp": QT_TRANSLATE_NOOP(
        "live_outputs",
        "Stream to YouTube, Twitch or any RTMP server. The stream key is kept hidden on screen.",
    ),
}


def audio_wanted(choice: bool | None, found: bool | None) -> bool:
    """Whether the voice plays on a sound device: the user's ``choice`` if they made one, else
    on wherever an output was ``found``; never where none was (the show then runs silently)."""
    if found is False:
        return False
    return bool(found) if choice is None else choice


def rtmp_summary(url: str) -> tuple[str, bool]:
    """(what to show under the address, whether it is usable); the stream key never shown."""
    from studio.outputs.rtmp import parse_rtmp_url  # noqa: PLC0415 - loads PyAV

    if not url.strip():
        return QCoreApplication.translate(
            "live_outputs", "Paste the address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY"
        ), False
    if not rtmp_scheme_ok(url):
        return RTMP_FORM, False
    try:
        return QCoreApplication.translate("live_outputs", "Streams to {masked}").format(
            masked=parse_rtmp_url(url).masked
        ), True
    except OutputError as exc:
        return exc.problem, False


class OutputsBox(QGroupBox):
    changed = Signal(object)  # OutputSettings, when the user changes something

    def __init__(
        self, parent: QWidget | None = None, *, list_devices: Callable[[], DeviceList] = DeviceList
    ) -> None:
        """``list_devices``: the machine's devices (called on a worker: PortAudio can be slow)."""
        super().__init__(QCoreApplication.translate("OutputsBox", "Outputs"), parent)
        self.setObjectName("liveOutputs")
        self._settings = OutputSettings()
        self._loading = False
        self._mode = "stopped"  # "stopped", "live", or "busy" (starting, stopping, switching)
        self._audio_found: bool | None = None  # None until the devices have been listed
        self._list_devices = list_devices
        self.devices_asked = False
        self._closed = False
        self.devices_runner = TaskRunner(self)
        self.devices_runner.succeeded.connect(self._devices_ready)
        self.devices_runner.failed.connect(self._devices_failed)

        self.vcam_check = self._check(self.tr("Virtual camera"), "vcamToggle")
        self.audio_check = QCheckBox(self.tr("Audio device"))
        self.audio_check.setObjectName("audioToggle")
        self.audio_check.toggled.connect(self._audio_chosen)
        self.audio_combo = QComboBox()
        self.audio_combo.setObjectName("audioDevice")
        # Long device names must not squeeze the toggle's own text: the list shrinks instead.
        self.audio_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.audio_combo.setMinimumContentsLength(6)
        self.audio_combo.addItem(self.tr("System default"), "")
        self.audio_combo.currentIndexChanged.connect(self._apply)
        self.refresh_button = QToolButton()
        self.refresh_button.setObjectName("refreshAudioDevices")
        self.refresh_button.setText("↻")
        self.refresh_button.setToolTip(self.tr("List the audio devices again (after plugging one in)"))
        self.refresh_button.clicked.connect(self.refresh_devices)

        self.record_check = self._check(self.tr("Record"), "recordToggle")
        self.record_dir = QLineEdit()
        self.record_dir.setObjectName("recordDir")
        self.record_dir.setPlaceholderText(str(default_record_dir()))
        self.record_dir.editingFinished.connect(self._apply)
        self.record_browse = QPushButton(self.tr("Folder…"))
        self.record_browse.setObjectName("recordBrowse")
        self.record_browse.clicked.connect(self.ask_record_dir)
        self.recording = RecordingReport()

        self.rtmp_check = self._check(self.tr("RTMP stream"), "rtmpToggle")
        self.rtmp_url = QLineEdit()
        self.rtmp_url.setObjectName("rtmpUrl")
        self.rtmp_url.setPlaceholderText("rtmp://host/app/stream-key")
        # The address holds the stream key, and the screen may be shared: shown while typed, or
        # on asking (Show); the hint under it shows it in clear but for the key.
        self.rtmp_url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.rtmp_url.editingFinished.connect(self._apply)
        self.rtmp_url.textChanged.connect(self._show_rtmp_hint)
        self.rtmp_show = QToolButton()
        self.rtmp_show.setObjectName("rtmpShowKey")
        self.rtmp_show.setCheckable(True)
        self.rtmp_show.toggled.connect(self._reveal_rtmp)
        self._reveal_rtmp(False)
        self.rtmp_hint = QLabel()
        self.rtmp_hint.setObjectName("rtmpHint")
        self.rtmp_hint.setProperty("role", "hint")
        self.rtmp_hint.setWordWrap(True)
        self.locked_note = QLabel(translated("live_outputs", LOCKED_TIP))
        self.locked_note.setObjectName("outputsLocked")
        self.locked_note.setProperty("role", "hint")
        self.locked_note.setStyleSheet("font-style: italic;")
        self.locked_note.setVisible(False)

        self._grid = grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(8)
        grid.addWidget(self.vcam_check, 0, 0, 1, 3)
        grid.addWidget(self.audio_check, 1, 0)
        grid.addWidget(self.audio_combo, 1, 1)
        grid.addWidget(self.refresh_button, 1, 2)
        grid.addWidget(self.record_check, 2, 0)
        # The folder gets the row's whole width: a long path stays readable (all of it in the tooltip).
        grid.addWidget(self.record_dir, 3, 0, 1, 2)
        grid.addWidget(self.record_browse, 3, 2)
        grid.addWidget(self.recording, 4, 0, 1, 3)
        grid.addWidget(self.rtmp_check, 5, 0)
        grid.addWidget(self.rtmp_url, 5, 1)
        grid.addWidget(self.rtmp_show, 5, 2)
        grid.addWidget(self.rtmp_hint, 6, 0, 1, 3)
        grid.addWidget(self.locked_note, 7, 0, 1, 3)
        self._tooltips()
        self._show_rtmp_hint()

    def _check(self, text: str, name: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.toggled.connect(self._apply)
        return box

    # -- settings <-> widgets ----------------------------------------------------------------
    @property
    def settings(self) -> OutputSettings:
        return self._settings

    def set_output_settings(self, settings: OutputSettings) -> None:
        """Show ``settings`` without reporting a change (they came from outside)."""
        self._loading = True
        try:
            self._settings = settings
            self.vcam_check.setChecked(settings.vcam)
            self._show_audio()
            self._select_audio(settings.audio_device)
            self.record_check.setChecked(settings.record)
            if self.record_dir.text() != settings.record_dir:
                self.record_dir.setText(settings.record_dir)
            self.rtmp_check.setChecked(settings.rtmp)
            if self.rtmp_url.text() != settings.rtmp_url:
                self.rtmp_url.setText(settings.rtmp_url)
        finally:
            self._loading = False
        self._show_rtmp_hint()
        self._enable()

    def _apply(self, *_args: object) -> None:
        if self._loading:
            return
        url = self.rtmp_url.text().strip()
        new = replace(
            self._settings,
            vcam=self.vcam_check.isChecked(),
            audio_device=str(self.audio_combo.currentData() or ""),
            record=self.record_check.isChecked(),
            record_dir=self.record_dir.text().strip(),
            rtmp=self.rtmp_check.isChecked(),
            # An address the settings would refuse never gets there (it would block every later
            # save): the last usable one is kept while the hint says what is wrong.
            rtmp_url=url if rtmp_scheme_ok(url) else self._settings.rtmp_url,
        )
        self._show_rtmp_hint()
        self._enable()
        self._tooltips()
        self._emit(new)

    @property
    def typed_rtmp_url(self) -> str:
        """The stream address as typed (the settings keep only a usable one)."""
        return self.rtmp_url.text().strip()

    def _reveal_rtmp(self, shown: bool) -> None:
        hidden = QLineEdit.EchoMode.PasswordEchoOnEdit
        self.rtmp_url.setEchoMode(QLineEdit.EchoMode.Normal if shown else hidden)
        self.rtmp_show.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.rtmp_show.setToolTip(translated("live_outputs", HIDE_KEY_TIP if shown else SHOW_KEY_TIP))

    def _audio_chosen(self, on: bool) -> None:
        # Only a click is a choice; the default (on where a device exists) is not saved as one.
        if not self._loading:
            self._enable()
            self._emit(replace(self._settings, audio_out=on))

    def _emit(self, new: OutputSettings) -> None:
        if new != self._settings:
            self._settings = new
            self.changed.emit(new)

    @property
    def audio_found(self) -> bool | None:
        """Whether the machine has a sound output; None until the devices have been listed."""
        return self._audio_found

    @property
    def audio_on(self) -> bool:
        """Whether the next show plays its voice on a sound device."""
        return self.audio_check.isChecked()

    def _show_audio(self) -> None:
        was = self._loading
        self._loading = True
        try:
            none = self._audio_found is False
            self.audio_check.setChecked(audio_wanted(self._settings.audio_out, self._audio_found))
            self.audio_check.setText(
                self.tr("Audio device (none found)") if none else self.tr("Audio device")
            )
        finally:
            self._loading = was
        # Nothing to choose from: the list makes room for the toggle to say so in full.
        self.audio_combo.setVisible(not none)
        self._grid.removeWidget(self.audio_check)
        self._grid.addWidget(self.audio_check, 1, 0, 1, 2 if none else 1)
        self._tooltips()

    def set_record_dir(self, folder: Path) -> None:
        """Record into ``folder`` (the Folder… button asks, then calls this)."""
        self.record_dir.setText(str(folder))
        self._apply()

    def ask_record_dir(self) -> None:
        # The chosen folder, else Videos/Studio (made at the first recording), else Videos.
        start = Path(self.record_dir.text().strip() or default_record_dir()).expanduser()
        start = start if start.is_dir() else start.parent
        folder = memory_of(self).folder(self, self.tr("Record into folder"), str(start))
        if folder is not None:
            self.set_record_dir(folder)

    def record_folder(self) -> Path:
        """The folder recordings go to: the one chosen, else the default."""
        text = self._settings.record_dir.strip()
        return Path(text).expanduser() if text else default_record_dir()

    # -- devices -----------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        """List the sound devices on a worker."""
        if self._closed or self.devices_runner.running:
            return
        self.devices_asked = True
        list_devices = self._list_devices
        self.devices_runner.start(lambda _p, _t: list_devices(), "listing devices")

    def _devices_ready(self, devices: DeviceList) -> None:
        if not self._closed:
            self.set_audio_devices(devices.audio_outputs)

    def _devices_failed(self, exc: BaseException) -> None:
        # The toggle still works with the system default device; say why the list is empty.
        if not self._closed:
            reason = exc.problem if isinstance(exc, StudioError) else str(exc)
            self.audio_combo.setToolTip(
                self.tr("Devices could not be listed: {reason}").format(reason=reason)
            )

    def shutdown(self) -> None:
        """Wait for a listing still running; PortAudio may hang on a broken driver: not forever."""
        self._closed = True
        self.devices_runner.wait(10.0)

    def set_audio_devices(self, devices: list[AudioDevice]) -> None:
        self._audio_found = bool(devices)
        self._loading = True
        try:
            self.audio_combo.clear()
            self.audio_combo.addItem(self.tr("System default"), "")
            for device in devices:
                mark = self.tr(" (default)") if device.is_default else ""
                self.audio_combo.addItem(f"{device.name}{mark}", device.name)
                self.audio_combo.setItemData(
                    self.audio_combo.count() - 1,
                    f"{device.hostapi}, {device.channels} channels",
                    Qt.ItemDataRole.ToolTipRole,
                )
            self._select_audio(self._settings.audio_device)
        finally:
            self._loading = False
        self._show_audio()
        self._enable()

    def _select_audio(self, name: str) -> None:
        index = self.audio_combo.findData(name)
        if index < 0:  # a device saved earlier that is not plugged in now: keep the choice
            self.audio_combo.addItem(self.tr("{name} (not found)").format(name=name), name)
            index = self.audio_combo.count() - 1
        self.audio_combo.setCurrentIndex(index)

    # -- while live ----------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """ "stopped": everything can change; "live": the camera, Record and RTMP switch on and
        off, the sound device stays; "busy": nothing changes until the show or a switch is done."""
        self._mode = mode
        self.locked_note.setVisible(mode == "busy")
        self._enable()
        self._tooltips()

    @property
    def mode(self) -> str:
        return self._mode

    def _enable(self) -> None:
        free, live = self._mode == "stopped", self._mode == "live"
        for check in (self.vcam_check, self.record_check, self.rtmp_check):
            check.setEnabled(free or live)
        self.audio_check.setEnabled(free and self._audio_found is not False)
        self.audio_combo.setEnabled(free and self.audio_check.isChecked())
        self.refresh_button.setEnabled(free)
        # The folder and the address of an output that runs stay as they are until it stops.
        record = self.record_check.isChecked()
        for widget in (self.record_dir, self.record_browse):
            widget.setEnabled((free and record) or (live and not record))
        rtmp = self.rtmp_check.isChecked()
        self.rtmp_url.setEnabled((free and rtmp) or (live and not rtmp))
        self.rtmp_show.setEnabled(self.rtmp_check.isChecked())  # checking the address while live too
        self.record_dir.setToolTip(self.record_dir.text() or str(default_record_dir()))

    def _tooltips(self) -> None:
        pairs = (
            ((self.vcam_check,), "vcam"),
            ((self.audio_check, self.audio_combo), "audio"),
            ((self.record_check, self.record_browse), "record"),
            ((self.rtmp_check, self.rtmp_url), "rtmp"),
        )
        for widgets, key in pairs:
            for widget in widgets:
                widget.setToolTip(
                    translated("live_outputs", LOCKED_TIP if self._mode == "busy" else _TIPS[key])
                )
        if self._mode == "live":
            for audio_widget in (self.audio_check, self.audio_combo, self.refresh_button):
                audio_widget.setToolTip(translated("live_outputs", AUDIO_LIVE_TIP))
            if self.record_check.isChecked():
                self.record_browse.setToolTip(translated("live_outputs", RECORD_DIR_LIVE_TIP))
            if self.rtmp_check.isChecked():
                self.rtmp_url.setToolTip(translated("live_outputs", RTMP_URL_LIVE_TIP))
        if self._audio_found is False:
            self.audio_check.setToolTip(translated("live_outputs", NO_AUDIO_TIP))

    def _show_rtmp_hint(self, *_args: object) -> None:
        text, ok = rtmp_summary(self.rtmp_url.text())
        self.rtmp_hint.setText(text)
        self.rtmp_hint.setProperty("role", "hint" if ok or not self.rtmp_check.isChecked() else "error")
        self.rtmp_hint.style().unpolish(self.rtmp_hint)
        self.rtmp_hint.style().polish(self.rtmp_hint)
        self.rtmp_hint.setVisible(self.rtmp_check.isChecked())
