"""The show editor's voice picker: every voice by language, online ones marked, filterable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from studio.ui.show_segments import voice_known
from studio.voice.base import VoiceInfo
from studio.voice.registry import DEFAULT_CJK_VOICE, DEFAULT_VOICE

ONLINE_MARK = "☁"
ONLINE_NOTE = f"{ONLINE_MARK} online: sends the text to Microsoft's service"
DEFAULT_LABEL = "Default voice (fits the text's language)"
_ID = Qt.ItemDataRole.UserRole


def voice_label(voice: VoiceInfo) -> str:
    """How a voice is listed: language first, so a sorted list reads as groups by language."""
    label = f"{voice.language}  ·  {voice.name}"
    return f"{label}  {ONLINE_MARK} online" if voice.needs_network else label


def _sort_key(voice: VoiceInfo) -> tuple[str, bool, str]:
    return voice.language.casefold(), voice.needs_network, voice.name.casefold()


class VoicePicker(QWidget):
    """A filter box, the list of voices (plus "Default voice"), a note on the chosen one and
    the Preview button. ``voice()`` is "" for the default voice."""

    voice_changed = Signal(str)

    def __init__(self, voices: Callable[[], Sequence[VoiceInfo]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._voices_source = voices
        self._voices: list[VoiceInfo] | None = None
        self._current = ""
        self._loading = False

        self.filter = QLineEdit(self)
        self.filter.setObjectName("voiceFilter")
        self.filter.setPlaceholderText("Filter voices…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip(
            "Show only the voices whose language, name or id contain these words, e.g. 'zh', "
            "'en-GB', 'Aria', 'online' or 'offline'."
        )
        self.combo = QComboBox(self)
        self.combo.setObjectName("voiceCombo")
        self.combo.setToolTip(f"The voice for this segment. Voices marked {ONLINE_NOTE}.")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(28)
        self.preview_button = QPushButton("▶ Preview", self)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setToolTip("Speak a short sample in this voice on your speakers.")
        self.note = QLabel(self)
        self.note.setObjectName("voiceNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 3)
        row.addWidget(self.filter, 1)
        row.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.setFocusProxy(self.combo)

        self.filter.textChanged.connect(lambda _text: self._rebuild())
        self.combo.currentIndexChanged.connect(self._picked)

    # -- public -----------------------------------------------------------------------------
    @property
    def voices(self) -> list[VoiceInfo]:
        if self._voices is None:  # the registry's list is read once, when first shown
            self._voices = sorted(self._voices_source(), key=_sort_key)
        return self._voices

    def voice(self) -> str:
        return self._current

    def set_voice(self, voice_id: str | None) -> None:
        """Show ``voice_id`` as chosen, without emitting ``voice_changed``."""
        self._current = (voice_id or "").strip()
        self._rebuild()

    def select(self, voice_id: str) -> bool:
        """Choose ``voice_id`` as the user would (emits ``voice_changed``); False if not listed."""
        index = self.combo.findData(voice_id, _ID)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    # -- internals --------------------------------------------------------------------------
    def _matches(self, voice: VoiceInfo, terms: list[str]) -> bool:
        where = "online" if voice.needs_network else "offline"
        haystack = f"{voice.id} {voice.language} {voice.name} {voice.engine} {where}".casefold()
        return all(term in haystack for term in terms)

    def _rebuild(self) -> None:
        terms = self.filter.text().casefold().split()
        self._loading = True
        try:
            self.combo.clear()
            self.combo.addItem(DEFAULT_LABEL, "")
            self.combo.setItemData(
                0, "Studio picks the voice from the language of the text.", Qt.ItemDataRole.ToolTipRole
            )
            listed = False
            for voice in self.voices:
                chosen = voice.id == self._current
                if not chosen and not self._matches(voice, terms):
                    continue  # the chosen voice stays listed whatever the filter
                listed |= chosen
                self.combo.addItem(voice_label(voice), voice.id)
                tip = (
                    ONLINE_NOTE
                    if voice.needs_network
                    else f"Offline: runs on this computer ({voice.engine})."
                )
                self.combo.setItemData(
                    self.combo.count() - 1, f"{voice.id}\n{tip}", Qt.ItemDataRole.ToolTipRole
                )
            if self._current and not listed:  # a bare id, an eSpeak variant, or not installed
                known = voice_known(self._current, self.voices)
                self.combo.addItem(
                    self._current if known else f"⚠ {self._current} (not installed)", self._current
                )
            self.combo.setCurrentIndex(max(0, self.combo.findData(self._current, _ID)))
        finally:
            self._loading = False
        self._show_note()

    def _picked(self, index: int) -> None:
        if self._loading or index < 0:
            return
        self._current = str(self.combo.itemData(index, _ID) or "")
        self._show_note()
        self.voice_changed.emit(self._current)

    def _show_note(self) -> None:
        voice = next((v for v in self.voices if v.id == self._current), None)
        if not self._current:
            text = (
                f"Studio picks the voice from the text: {DEFAULT_VOICE} for English and other "
                f"languages, {DEFAULT_CJK_VOICE} for Chinese, Japanese and Korean."
            )
        elif voice is not None and voice.needs_network:
            text = f"{ONLINE_NOTE}, and needs the network while the show runs."
        elif voice is not None or voice_known(self._current, self.voices):
            text = "Offline: runs on this computer; the text never leaves it."
        else:
            text = "⚠ This voice is not installed here. Pick another one."
        self.note.setText(text)
