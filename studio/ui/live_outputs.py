"""Where the live show goes: virtual camera, an audio device, a recording, an RTMP stream.

The toggles edit ``OutputSettings`` (saved with the app's settings). A running show keeps the
outputs it started with, so the toggles are locked while live and their tooltips say why.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from studio.outputs.base import OutputError
from studio.outputs.devices import AudioDevice
from studio.settings.app_settings import OutputSettings, default_record_dir

LOCKED_TIP = "Outputs cannot change while live: stop the show, change them, then start again."
_TIPS = {
    "vcam": "Zoom, Meet, OBS and browsers see the show as a webcam (needs a virtual camera installed).",
    "audio": "Play the voice on a sound device, e.g. a virtual cable a meeting app takes as its microphone.",
    "record": "Record the show to an MP4 file in this folder; each show gets its own file.",
    "rtmp": "Stream to YouTube, Twitch or any RTMP server. The stream key is kept hidden on screen.",
}


def rtmp_summary(url: str) -> tuple[str, bool]:
    """(what to show under the address, whether it is usable); the stream key never shown."""
    from studio.outputs.rtmp import parse_rtmp_url  # noqa: PLC0415 - loads PyAV

    if not url.strip():
        return "Paste the address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY", False
    try:
        return f"Streams to {parse_rtmp_url(url).masked}", True
    except OutputError as exc:
        return exc.problem, False


class OutputsBox(QGroupBox):
    changed = Signal(object)  # OutputSettings, when the user changes something

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Outputs", parent)
        self.setObjectName("liveOutputs")
        self._settings = OutputSettings()
        self._loading = False
        self._locked = False

        self.vcam_check = self._check("Virtual camera", "vcamToggle")
        self.audio_check = self._check("Audio device", "audioToggle")
        self.audio_combo = QComboBox()
        self.audio_combo.setObjectName("audioDevice")
        self.audio_combo.addItem("System default", "")
        self.audio_combo.currentIndexChanged.connect(self._apply)
        self.refresh_button = QToolButton()
        self.refresh_button.setObjectName("refreshAudioDevices")
        self.refresh_button.setText("↻")
        self.refresh_button.setToolTip("List the audio devices again (after plugging one in)")

        self.record_check = self._check("Record", "recordToggle")
        self.record_dir = QLineEdit()
        self.record_dir.setObjectName("recordDir")
        self.record_dir.setPlaceholderText(str(default_record_dir()))
        self.record_dir.editingFinished.connect(self._apply)
        self.record_browse = QPushButton("Folder…")
        self.record_browse.setObjectName("recordBrowse")
        self.record_browse.clicked.connect(self.ask_record_dir)
        self.record_file = QLabel()
        self.record_file.setObjectName("recordFile")
        self.record_file.setProperty("role", "hint")
        self.record_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_file.setWordWrap(True)

        self.rtmp_check = self._check("RTMP stream", "rtmpToggle")
        self.rtmp_url = QLineEdit()
        self.rtmp_url.setObjectName("rtmpUrl")
        self.rtmp_url.setPlaceholderText("rtmp://host/app/stream-key")
        # The address holds the stream key, and the screen may be shared: shown only while typed.
        self.rtmp_url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.rtmp_url.editingFinished.connect(self._apply)
        self.rtmp_hint = QLabel()
        self.rtmp_hint.setObjectName("rtmpHint")
        self.rtmp_hint.setProperty("role", "hint")
        self.rtmp_hint.setWordWrap(True)

        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(8)
        grid.addWidget(self.vcam_check, 0, 0, 1, 3)
        grid.addWidget(self.audio_check, 1, 0)
        grid.addWidget(self.audio_combo, 1, 1)
        grid.addWidget(self.refresh_button, 1, 2)
        grid.addWidget(self.record_check, 2, 0)
        grid.addWidget(self.record_dir, 2, 1)
        grid.addWidget(self.record_browse, 2, 2)
        grid.addWidget(self.record_file, 3, 0, 1, 3)
        grid.addWidget(self.rtmp_check, 4, 0)
        grid.addWidget(self.rtmp_url, 4, 1, 1, 2)
        grid.addWidget(self.rtmp_hint, 5, 0, 1, 3)
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
            self.audio_check.setChecked(settings.audio_out)
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
        new = replace(
            self._settings,
            vcam=self.vcam_check.isChecked(),
            audio_out=self.audio_check.isChecked(),
            audio_device=str(self.audio_combo.currentData() or ""),
            record=self.record_check.isChecked(),
            record_dir=self.record_dir.text().strip(),
            rtmp=self.rtmp_check.isChecked(),
            rtmp_url=self.rtmp_url.text().strip(),
        )
        self._show_rtmp_hint()
        self._enable()
        if new != self._settings:
            self._settings = new
            self.changed.emit(new)

    def set_record_dir(self, folder: Path) -> None:
        """Record into ``folder`` (the Folder… button asks, then calls this)."""
        self.record_dir.setText(str(folder))
        self._apply()

    def ask_record_dir(self) -> None:
        start = self.record_dir.text() or str(default_record_dir())
        folder = QFileDialog.getExistingDirectory(self, "Record into folder", start)
        if folder:
            self.set_record_dir(Path(folder))

    def record_folder(self) -> Path:
        """The folder recordings go to: the one chosen, else the default."""
        text = self._settings.record_dir.strip()
        return Path(text).expanduser() if text else default_record_dir()

    # -- devices -----------------------------------------------------------------------------
    def set_audio_devices(self, devices: list[AudioDevice]) -> None:
        self._loading = True
        try:
            self.audio_combo.clear()
            self.audio_combo.addItem("System default", "")
            for device in devices:
                mark = " (default)" if device.is_default else ""
                self.audio_combo.addItem(f"{device.name}{mark}", device.name)
                self.audio_combo.setItemData(
                    self.audio_combo.count() - 1,
                    f"{device.hostapi}, {device.channels} channels",
                    Qt.ItemDataRole.ToolTipRole,
                )
            self._select_audio(self._settings.audio_device)
        finally:
            self._loading = False

    def _select_audio(self, name: str) -> None:
        index = self.audio_combo.findData(name)
        if index < 0:  # a device saved earlier that is not plugged in now: keep the choice
            self.audio_combo.addItem(f"{name} (not found)", name)
            index = self.audio_combo.count() - 1
        self.audio_combo.setCurrentIndex(index)

    # -- while live ----------------------------------------------------------------------------
    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._enable()
        self._tooltips()

    def set_recording_file(self, text: str) -> None:
        self.record_file.setText(text)

    def _enable(self) -> None:
        free = not self._locked
        for check in (self.vcam_check, self.audio_check, self.record_check, self.rtmp_check):
            check.setEnabled(free)
        self.audio_combo.setEnabled(free and self.audio_check.isChecked())
        self.refresh_button.setEnabled(free)
        for widget in (self.record_dir, self.record_browse):
            widget.setEnabled(free and self.record_check.isChecked())
        self.rtmp_url.setEnabled(free and self.rtmp_check.isChecked())

    def _tooltips(self) -> None:
        pairs = (
            ((self.vcam_check,), "vcam"),
            ((self.audio_check, self.audio_combo), "audio"),
            ((self.record_check, self.record_dir, self.record_browse), "record"),
            ((self.rtmp_check, self.rtmp_url), "rtmp"),
        )
        for widgets, key in pairs:
            for widget in widgets:
                widget.setToolTip(LOCKED_TIP if self._locked else _TIPS[key])

    def _show_rtmp_hint(self) -> None:
        text, ok = rtmp_summary(self.rtmp_url.text())
        self.rtmp_hint.setText(text)
        self.rtmp_hint.setProperty("role", "hint" if ok or not self.rtmp_check.isChecked() else "error")
        self.rtmp_hint.style().unpolish(self.rtmp_hint)
        self.rtmp_hint.style().polish(self.rtmp_hint)
        self.rtmp_hint.setVisible(self.rtmp_check.isChecked())
