"""Settings: where avatars live, which camera and microphone, video size, the AI label.

Every change is applied and saved at once (``settings_changed``); there is no Save button to
forget. Device lists are probed on a worker when the page is first shown, because opening
cameras can take a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.render.label import CORNERS, DEFAULT_TEXT, default_label_text
from studio.settings.app_settings import AppSettings
from studio.ui.bridge import TaskRunner
from studio.ui.file_dialogs import memory_of
from studio.ui.i18n import QT_TRANSLATE_NOOP, language_names, translated
from studio.ui.live_words import corner_words

SIZES = (
    (QT_TRANSLATE_NOOP("settings_page", "1280×720 (landscape, HD)"), 1280, 720),
    (QT_TRANSLATE_NOOP("settings_page", "1920×1080 (landscape, Full HD)"), 1920, 1080),
    (QT_TRANSLATE_NOOP("settings_page", "960×540 (landscape, light)"), 960, 540),
    (QT_TRANSLATE_NOOP("settings_page", "720×1280 (portrait, phones: Douyin, TikTok)"), 720, 1280),
    (QT_TRANSLATE_NOOP("settings_page", "1080×1920 (portrait, Full HD)"), 1080, 1920),
)
FPS = (24, 25, 30)
PROVIDERS = (
    (QT_TRANSLATE_NOOP("settings_page", "Automatic (GPU when there is one)"), "auto"),
    ("CPU", "cpu"),
    (QT_TRANSLATE_NOOP("settings_page", "NVIDIA CUDA"), "cuda"),
    ("DirectML (Windows)", "directml"),
    ("CoreML (macOS)", "coreml"),
)


class SettingsPage(QWidget):
    settings_changed = Signal(object)  # AppSettings

    def __init__(
        self,
        settings: AppSettings,
        settings_path: Path,
        parent: QWidget | None = None,
        *,
        list_devices: Callable[[], Any] | None = None,
        library_override: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._list_devices = list_devices
        self._devices_loaded = False
        self._loading = True  # filling the combos below fires their change signals

        self.runner = TaskRunner(self)

        title = QLabel(self.tr("Settings"))
        title.setProperty("role", "title")
        where = QLabel(self.tr("Saved automatically to {settings_path}").format(settings_path=settings_path))
        where.setProperty("role", "hint")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.library_edit = QLineEdit()
        self.library_edit.setObjectName("libraryDir")
        self.library_edit.setPlaceholderText(self.tr("Default: your Studio data folder"))
        self.library_edit.editingFinished.connect(self._apply)
        self._library_override = library_override
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_library)
        browse.setEnabled(library_override is None)
        if library_override is not None:
            browse.setToolTip(self.tr("Set with --library for this session"))
        library_row = QHBoxLayout()
        library_row.addWidget(self.library_edit, 1)
        library_row.addWidget(browse)

        self.camera_combo = self._combo("camera")
        self.microphone_combo = self._combo("microphone")
        self.refresh_devices = QPushButton(self.tr("Refresh devices"))
        self.refresh_devices.setObjectName("refreshDevices")
        self.refresh_devices.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.refresh_devices.clicked.connect(self.load_devices)
        self.devices_note = QLabel()
        self.devices_note.setProperty("role", "hint")
        self.devices_note.setWordWrap(True)

        self.size_combo = self._combo("videoSize")
        for text, w, h in SIZES:
            self.size_combo.addItem(
                translated("settings_page", text), f"{w}x{h}"
            )  # text data: Qt cannot look up a tuple
        self.fps_combo = self._combo("fps")
        for f in FPS:
            self.fps_combo.addItem(self.tr("{f} fps").format(f=f), f)
        self.provider_combo = self._combo("provider")
        self.provider_combo.setToolTip(
            self.tr("Where the lip-sync model runs when the microphone or a file drives it")
        )
        for text, value in PROVIDERS:
            self.provider_combo.addItem(translated("settings_page", text), value)

        self.label_check = QCheckBox(self.tr("Show the AI-generated label on every frame"))
        self.label_check.setObjectName("labelEnabled")
        self.label_check.setToolTip(
            self.tr(
                "Platforms and the law in many markets require AI-generated people to be "
                "labelled. The metadata label is always written."
            )
        )
        self.label_text = QLineEdit()
        self.label_text.setObjectName("labelText")
        self.label_text.setMaxLength(60)
        self.label_text.editingFinished.connect(self._apply)
        self.label_corner = self._combo("labelCorner")
        for corner in CORNERS:
            self.label_corner.addItem(corner_words(corner), corner)
        self.label_warning = QLabel(
            self.tr(
                "Turning the visible label off may break platform rules. To stream or feed the "
                "virtual camera without it, type your name below: each show's session log "
                "records it."
            )
        )
        self.label_warning.setProperty("role", "error")
        self.label_warning.setWordWrap(True)
        self.label_ack = QLineEdit()
        self.label_ack.setObjectName("labelAcknowledgedBy")
        self.label_ack.setPlaceholderText(
            self.tr("Your name, to go live unlabelled on RTMP or the virtual camera")
        )
        self.label_ack.setMaxLength(80)
        self.label_ack.editingFinished.connect(self._apply)

        self.disclosure_check = QCheckBox(self.tr("Say that the host is AI-generated, in the show's voice"))
        self.disclosure_check.setObjectName("disclosureEnabled")
        self.disclosure_check.setToolTip(
            self.tr(
                "A spoken notice before the first sentence and again every few minutes, between "
                "two sentences, in the language of the sentence it comes before."
            )
        )
        self.disclosure_every = QSpinBox()
        self.disclosure_every.setObjectName("disclosureEvery")
        self.disclosure_every.setRange(0, 24 * 60)
        self.disclosure_every.setSuffix(self.tr(" min"))
        self.disclosure_every.setSpecialValueText(self.tr("At the start only"))
        self.disclosure_every.valueChanged.connect(self._apply)
        self.disclosure_zh = QLineEdit()
        self.disclosure_zh.setObjectName("disclosureZh")
        self.disclosure_en = QLineEdit()
        self.disclosure_en.setObjectName("disclosureEn")
        for edit in (self.disclosure_zh, self.disclosure_en):
            edit.setMaxLength(200)
            edit.setPlaceholderText(self.tr("Nothing said in this language"))
            edit.editingFinished.connect(self._apply)

        self.language_combo = self._combo("language")
        for value, name in language_names():
            self.language_combo.addItem(name, value)
        # Every page reads its texts when it is built: a new language shows from the next start.
        self.language_note = QLabel(self.tr("The language changes when Studio starts again."))
        self.language_note.setProperty("role", "hint")

        reset = QPushButton(self.tr("Restore defaults"))
        reset.setObjectName("restoreDefaults")
        reset.setToolTip(
            self.tr("Devices, video, lip sync and the AI label; your avatar, show and outputs stay")
        )
        reset.clicked.connect(self.restore_defaults)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Avatar library:"), library_row)
        form.addRow(self.tr("Camera:"), self.camera_combo)
        form.addRow(self.tr("Microphone:"), self.microphone_combo)
        form.addRow("", self.refresh_devices)
        form.addRow("", self.devices_note)
        form.addRow(self.tr("Video size:"), self.size_combo)
        form.addRow(self.tr("Frame rate:"), self.fps_combo)
        form.addRow(self.tr("Lip sync runs on:"), self.provider_combo)
        form.addRow(self.tr("AI label:"), self.label_check)
        form.addRow(self.tr("Label text:"), self.label_text)
        form.addRow(self.tr("Label corner:"), self.label_corner)
        form.addRow("", self.label_warning)
        form.addRow(self.tr("Unlabelled by:"), self.label_ack)
        form.addRow(self.tr("AI notice:"), self.disclosure_check)
        form.addRow(self.tr("Say it every:"), self.disclosure_every)
        form.addRow(self.tr("Chinese notice:"), self.disclosure_zh)
        form.addRow(self.tr("English notice:"), self.disclosure_en)
        form.addRow(self.tr("Language:"), self.language_combo)
        form.addRow("", self.language_note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addSpacing(8)
        form_box = QWidget()
        form_box.setLayout(form)
        form_box.setMaximumWidth(820)  # long fields on a wide screen are hard to read
        layout.addWidget(form_box)
        layout.addStretch(1)
        layout.addWidget(reset, 0, Qt.AlignmentFlag.AlignLeft)

        self.label_check.toggled.connect(self._apply)
        self.disclosure_check.toggled.connect(self._apply)
        self.runner.succeeded.connect(self._devices_ready)
        self.runner.failed.connect(self._devices_failed)
        self.runner.finished.connect(self._devices_done)
        self.apply_settings(settings)

    def restore_defaults(self) -> None:
        """Reset what this page shows; the avatar in use, the show's file and the outputs
        (with a stream key that took effort to find) are not settings of this page."""
        d = AppSettings()
        self.apply_settings(
            replace(
                d,
                avatar=self._settings.avatar,
                voice=self._settings.voice,
                rundown_path=self._settings.rundown_path,
                outputs=self._settings.outputs,
                language=self._settings.language,
            ),
            emit=True,
        )

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(self._apply)
        return combo

    # -- settings <-> widgets ------------------------------------------------------------
    @property
    def settings(self) -> AppSettings:
        return self._settings

    def apply_settings(self, settings: AppSettings, emit: bool = False) -> None:
        self._loading = True
        try:
            self._settings = settings
            self.library_edit.setText(settings.library_dir)
            if self._library_override is not None:
                self.library_edit.setText(str(self._library_override))
                self.library_edit.setEnabled(False)
                self.library_edit.setToolTip(self.tr("Set with --library for this session"))
            _select(
                self.size_combo, f"{settings.width}x{settings.height}", f"{settings.width}×{settings.height}"
            )
            _select(self.fps_combo, settings.fps, f"{settings.fps} fps")
            _select(self.provider_combo, settings.provider, settings.provider)
            self.label_check.setChecked(settings.label_enabled)
            # The default is burned in in the app's language (studio.ui.live_plan): show it so.
            shown = default_label_text() if settings.label_text == DEFAULT_TEXT else settings.label_text
            self.label_text.setText(shown)
            _select(self.label_corner, settings.label_corner, settings.label_corner)
            _select(self.camera_combo, settings.camera, settings.camera or self.tr("First camera found"))
            _select(
                self.microphone_combo, settings.microphone, settings.microphone or self.tr("System default")
            )
            self.label_ack.setText(settings.label_off_acknowledged_by)
            self.disclosure_check.setChecked(settings.disclosure_enabled)
            self.disclosure_every.setValue(settings.disclosure_every_min)
            self.disclosure_zh.setText(settings.disclosure_zh)
            self.disclosure_en.setText(settings.disclosure_en)
            _select(self.language_combo, settings.language, settings.language)
            self._label_state(settings.label_enabled)
        finally:
            self._loading = False
        if emit:
            self.settings_changed.emit(settings)

    def _apply(self, *_args: object) -> None:
        if self._loading:
            return
        size = str(self.size_combo.currentData() or f"{self._settings.width}x{self._settings.height}").split(
            "x"
        )
        text = self.label_text.text().strip() or AppSettings().label_text
        if text == default_label_text():
            text = DEFAULT_TEXT  # still the default: it follows the language if that changes
        new = replace(
            self._settings,
            library_dir=(
                self._settings.library_dir
                if self._library_override is not None
                else self.library_edit.text().strip()
            ),
            camera=str(self.camera_combo.currentData() or ""),
            microphone=str(self.microphone_combo.currentData() or ""),
            width=int(size[0]),
            height=int(size[1]),
            fps=int(self.fps_combo.currentData() or self._settings.fps),
            provider=str(self.provider_combo.currentData() or "auto"),
            label_enabled=self.label_check.isChecked(),
            label_text=text,
            label_corner=str(self.label_corner.currentData() or "top-right"),
            # A name typed while the label was off acknowledges that; the label back on clears it.
            label_off_acknowledged_by="" if self.label_check.isChecked() else self.label_ack.text().strip(),
            disclosure_enabled=self.disclosure_check.isChecked(),
            disclosure_every_min=self.disclosure_every.value(),
            disclosure_zh=self.disclosure_zh.text().strip(),
            disclosure_en=self.disclosure_en.text().strip(),
            language=str(self.language_combo.currentData() or ""),
        )
        self._label_state(new.label_enabled)
        if new != self._settings:
            self._settings = new
            self.settings_changed.emit(new)

    def _label_state(self, enabled: bool) -> None:
        self.label_warning.setVisible(not enabled)
        self.label_ack.setEnabled(not enabled)
        if enabled:
            self.label_ack.clear()
        self.label_text.setEnabled(enabled)
        self.label_corner.setEnabled(enabled)

    def _browse_library(self) -> None:
        folder = memory_of(self).folder(self, self.tr("Avatar library folder"), self.library_edit.text())
        if folder is not None:
            self.library_edit.setText(str(folder))
            self._apply()

    # -- devices -------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._devices_loaded:
            self.load_devices()

    def load_devices(self) -> None:
        if self.runner.running:
            return
        self._devices_loaded = True
        self.refresh_devices.setEnabled(False)
        self.devices_note.setText(self.tr("Looking for cameras and microphones…"))
        if self._list_devices is None:
            from studio.outputs.devices import list_devices  # noqa: PLC0415 - probes hardware

            self._list_devices = list_devices
        probe = self._list_devices
        self.runner.start(lambda _progress, _token: probe(), "devices")

    def _devices_ready(self, devices: Any) -> None:
        self._loading = True
        try:
            first = self.tr("First camera found") if devices.cameras else self.tr("No camera found")
            _fill(self.camera_combo, first, [(d.name, d.device) for d in devices.cameras])
            mic_default = (
                self.tr("System default") if devices.audio_inputs else self.tr("No microphone found")
            )
            _fill(self.microphone_combo, mic_default, [(d.name, d.name) for d in devices.audio_inputs])
            _select(self.camera_combo, self._settings.camera, self._settings.camera or first)
            _select(
                self.microphone_combo,
                self._settings.microphone,
                self._settings.microphone or mic_default,
            )
        finally:
            self._loading = False
        found = self.tr("{cameras} camera(s), {microphones} microphone(s) found.").format(
            cameras=len(devices.cameras), microphones=len(devices.audio_inputs)
        )
        self.devices_note.setText(" ".join([found, *devices.notes]))

    def _devices_failed(self, exc: BaseException) -> None:
        self.devices_note.setText(self.tr("Could not list devices: {exc}").format(exc=exc))

    def _devices_done(self) -> None:
        self.refresh_devices.setEnabled(True)

    def shutdown(self) -> None:
        self.runner.wait(10)


def _fill(combo: QComboBox, default_text: str, entries: list[tuple[str, str]]) -> None:
    combo.clear()
    combo.addItem(default_text, "")
    for text, value in entries:
        combo.addItem(text, value)


def _select(combo: QComboBox, value: object, text: str) -> None:
    """Select the entry holding ``value``; a value not in the list (a device unplugged since,
    a custom size) is kept as an extra entry rather than silently replaced."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(text, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
