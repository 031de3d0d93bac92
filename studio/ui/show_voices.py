"""The show editor's voice picker: voices grouped by how they sound and where they run,
each as "<language> · <voice>", with a filter that knows language names, codes and names."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.show_segments import voice_known
from studio.ui.show_voice_names import (
    BASIC,
    GROUP_TITLES,
    NATURAL,
    ONLINE,
    ONLINE_MARK,
    matches,
    sort_key,
    voice_description,
    voice_group,
    voice_label,
)
from studio.voice.base import VoiceInfo
from studio.voice.registry import default_voice_id, licence_caveat

ONLINE_NOTE = QT_TRANSLATE_NOOP("show_voices", "{mark} Online: sends the text to Microsoft's service")
DEFAULT_LABEL = QT_TRANSLATE_NOOP("show_voices", "Default voice (fits the text's language)")
FILTER_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "show_voices", "Filter: language, name or code (e.g. english, zh, Aria)"
)
_NOTES = {
    NATURAL: QT_TRANSLATE_NOOP(
        "show_voices", "Natural-sounding and offline: runs on this computer; the text never leaves it."
    ),
    ONLINE: QT_TRANSLATE_NOOP(
        "show_voices",
        "{mark} Online: sends the text to Microsoft's service and needs the internet while the show runs.",
    ),
    BASIC: QT_TRANSLATE_NOOP(
        "show_voices", "Basic, robotic-sounding and offline: runs on this computer; the text never leaves it."
    ),
}
_COMBO_TIP = QT_TRANSLATE_NOOP(
    "show_voices",
    "The voice for this segment. Natural voices run on this computer; online ones "
    "({mark}) send the text to Microsoft; basic ones (eSpeak) sound robotic.",
)
# The voices' licence caveats (studio.voice.registry), for the catalogue.
_CAVEATS = (
    QT_TRANSLATE_NOOP("show_voices", "Trained on research-only data (lessac): not for a paid product."),
)
_ID = Qt.ItemDataRole.UserRole
_HEADER = "header"  # the data of a group's title row: not a voice, never chosen


def _notes(text: str) -> str:
    return translated("show_voices", text).format(mark=ONLINE_MARK)


class VoicePicker(QWidget):
    """The list of voices (plus "Default voice") with the Preview button, a filter box under
    it and a note on the chosen voice. ``voice()`` is "" for the default voice."""

    voice_changed = Signal(str)

    def __init__(self, voices: Callable[[], Sequence[VoiceInfo]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._voices_source = voices
        self._voices: list[VoiceInfo] | None = None
        self._current = ""
        self._loading = False

        self.combo = QComboBox(self)
        self.combo.setObjectName("voiceCombo")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)
        # A scrolling list under the box rather than a screen-high menu of 150 voices.
        self.combo.setStyleSheet("QComboBox { combobox-popup: 0; }")
        self.combo.setMaxVisibleItems(16)
        self.preview_button = QPushButton(self.tr("▶ Preview"), self)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setToolTip(self.tr("Speak a short sample in this voice on your speakers."))
        self.filter = QLineEdit(self)
        self.filter.setObjectName("voiceFilter")
        self.filter.setPlaceholderText(translated("show_voices", FILTER_PLACEHOLDER))
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip(
            self.tr(
                "Show only the voices whose language, name or code contain all these words, e.g. "
                "'english', 'chinese', 'en-GB', 'Aria', 'natural', 'online' or 'offline'. Enter "
                "opens the list."
            )
        )
        self.note = QLabel(self)
        self.note.setObjectName("voiceNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.note.setProperty("role", "hint")
        self.note.ensurePolished()
        # Two lines, whatever the voice: the rows below do not jump when the note wraps.
        self.note.setMinimumHeight(2 * self.note.fontMetrics().lineSpacing())

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.filter)
        layout.addWidget(self.note)
        self.setFocusProxy(self.combo)
        self.setTabOrder(self.combo, self.preview_button)
        self.setTabOrder(self.preview_button, self.filter)

        self.filter.textChanged.connect(lambda _text: self._rebuild())
        self.filter.returnPressed.connect(self.combo.showPopup)
        self.combo.currentIndexChanged.connect(self._picked)

    # -- public -----------------------------------------------------------------------------
    @property
    def voices(self) -> list[VoiceInfo]:
        if self._voices is None:  # the registry's list is read once, when first shown
            self._voices = sorted(self._voices_source(), key=sort_key)
        return self._voices

    def voice(self) -> str:
        return self._current

    def voice_info(self, voice_id: str | None = None) -> VoiceInfo | None:
        """The listed voice ``voice_id`` (default: the chosen one); None if not listed."""
        wanted = self._current if voice_id is None else voice_id
        return next((v for v in self.voices if v.id == wanted), None)

    def set_voice(self, voice_id: str | None) -> None:
        """Show ``voice_id`` as chosen, without emitting ``voice_changed``."""
        self._current = (voice_id or "").strip()
        self._rebuild()

    def select(self, voice_id: str) -> bool:
        """Choose ``voice_id`` as the user would (emits ``voice_changed``); False if not listed."""
        index = self.combo.findData(voice_id, _ID)
        if index < 0 and self.filter.text() and any(v.id == voice_id for v in self.voices):
            self.filter.clear()  # hidden by the filter, not missing
            index = self.combo.findData(voice_id, _ID)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def listed(self) -> list[str]:
        """The ids of the voices in the list now ("" for the default voice), in order."""
        ids = (self.combo.itemData(i, _ID) for i in range(self.combo.count()))
        return [str(i) for i in ids if i != _HEADER]

    # -- internals --------------------------------------------------------------------------
    def _add_header(self, group: str) -> None:
        self.combo.addItem(translated("show_voice_names", GROUP_TITLES[group]), _HEADER)
        model = self.combo.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(self.combo.count() - 1)
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # a title: the keys and the mouse skip it
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)

    def _add_voice(self, voice: VoiceInfo) -> None:
        self.combo.addItem(voice_label(voice), voice.id)
        tip = self.tr("{voice_description}\n{NOTES}\nId in rundown files: {id}").format(
            voice_description=voice_description(voice),
            NOTES=_notes(_NOTES[voice_group(voice)]),
            id=voice.id,
        )
        self.combo.setItemData(self.combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

    def _rebuild(self) -> None:
        query = self.filter.text()
        self._loading = True
        try:
            self.combo.clear()
            self.combo.addItem(translated("show_voices", DEFAULT_LABEL), "")
            self.combo.setItemData(
                0,
                self.tr("Studio picks the voice from the language of the text."),
                Qt.ItemDataRole.ToolTipRole,
            )
            group = ""
            for voice in self.voices:
                # The chosen voice stays listed whatever the filter: the box shows it.
                if voice.id != self._current and not matches(voice, query):
                    continue
                if voice_group(voice) != group:
                    group = voice_group(voice)
                    self._add_header(group)
                self._add_voice(voice)
            if self._current and self.combo.findData(self._current, _ID) < 0:
                # A bare id, an eSpeak variant, or a voice that is not installed here.
                known = voice_known(self._current, self.voices)
                self.combo.addItem(
                    self._current
                    if known
                    else self.tr("⚠ {current} (not installed)").format(current=self._current),
                    self._current,
                )
            self.combo.setCurrentIndex(max(0, self.combo.findData(self._current, _ID)))
        finally:
            self._loading = False
        self._widen_popup()
        self._show_note()

    def _widen_popup(self) -> None:
        """The open list as wide as its longest name (the box itself may be narrower)."""
        view = self.combo.view()
        bold = QFont(view.font())
        bold.setBold(True)
        plain_metrics, bold_metrics = view.fontMetrics(), QFontMetrics(bold)
        texts = [self.combo.itemText(i) for i in range(self.combo.count())]
        headers = [self.combo.itemData(i, _ID) == _HEADER for i in range(self.combo.count())]
        widest = max(
            (bold_metrics if header else plain_metrics).horizontalAdvance(text)
            for text, header in zip(texts, headers, strict=True)
        )
        scroll = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        view.setMinimumWidth(
            widest + scroll + 4 * view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        )

    def _picked(self, index: int) -> None:
        if self._loading or index < 0:
            return
        data = self.combo.itemData(index, _ID)
        if data == _HEADER:  # cannot be chosen by hand; never leave the box on a title
            self.combo.setCurrentIndex(max(0, self.combo.findData(self._current, _ID)))
            return
        self._current = str(data or "")
        self._show_note()
        self.voice_changed.emit(self._current)

    def _show_note(self) -> None:
        voice = self.voice_info()
        caveat = ""
        # The box may cut a long name: its tooltip says it whole.
        self.combo.setToolTip(f"{self.combo.currentText()}\n\n{_notes(_COMBO_TIP)}")
        if not self._current:
            default_id, cjk_id = default_voice_id(), default_voice_id("中文")
            default, cjk = self.voice_info(default_id), self.voice_info(cjk_id)
            # eSpeak's Mandarin voice also takes Japanese and Korean; a natural one only Chinese.
            scripts = (
                self.tr("Chinese")
                if default_voice_id("日本語です") != cjk_id
                else self.tr("Chinese, Japanese or Korean")
            )
            text = self.tr(
                "Picked from the text: {value} for most languages; {value2} for {scripts}."
            ).format(
                value=voice_description(default) if default else default_id,
                value2=voice_label(cjk) if cjk else cjk_id,
                scripts=scripts,
            )
        elif voice is not None and voice.needs_network:
            text = _notes(ONLINE_NOTE) + "."  # the voice check under it says what the network is needed for
        elif voice is not None:
            caveat = translated("show_voices", licence_caveat(voice.id))
            # A caveat replaces the second half of the note, so the note stays two lines.
            note = _notes(_NOTES[voice_group(voice)])
            # The first half of the note ends where its colon is (a full-width one in Chinese).
            head, colon, _ = note.partition("：") if "：" in note else note.partition(":")
            text = head + ("。" if colon == "：" else ".") if caveat else note
        elif voice_known(self._current, self.voices):
            text = self.tr("Offline: runs on this computer; the text never leaves it.")
        else:
            text = self.tr("⚠ This voice is not installed here. Pick another one.")
        self.note.setText(f"{text} ⚠ {caveat}" if caveat else text)
