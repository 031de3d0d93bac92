"""The show editor's voice check: what is wrong with a segment's voice, said as the user picks
or types, with a one-click fix (an installed, offline voice that reads the text).

The problems themselves come from ``studio.voice.registry.voice_problems``, which the live
start asks too; here they are worded as the dropdown names voices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from studio.live.rundown import Segment
from studio.ui.show_voice_names import ONLINE_MARK, offline_alternative, voice_label
from studio.voice.base import VoiceInfo
from studio.voice.registry import (
    LANGUAGE,
    ONLINE,
    UNKNOWN,
    VoiceProblem,
    default_voice_id,
    find_voice,
    voice_problems,
)

WARNING_MARK = "⚠"


@dataclass(frozen=True)
class VoiceAdvice:
    """What to tell the user about one segment's voice: ``lines`` to show, and ``fix`` the
    voice one click switches to (None when there is nothing to fix or no voice to offer)."""

    lines: tuple[str, ...]
    fix: VoiceInfo | None
    serious: bool  # the segment would be silent or garbled, not just online


def _named(problem: VoiceProblem) -> str:
    voice = voice_label(problem.voice) if problem.voice is not None else problem.voice_id
    return (
        QCoreApplication.translate("show_voice_check", "the default voice for it, {voice},").format(
            voice=voice
        )
        if not problem.voice_id
        else voice
    )


def problem_line(problem: VoiceProblem, text: str, voices: Sequence[VoiceInfo]) -> str:
    """One problem with the voice of the segment saying ``text``, in the dropdown's words."""
    if problem.kind == UNKNOWN:
        return QCoreApplication.translate(
            "show_voice_check",
            "{WARNING_MARK} Not installed here, so this segment would be silent: use an installed voice.",
        ).format(WARNING_MARK=WARNING_MARK)
    if problem.kind == LANGUAGE:
        return QCoreApplication.translate(
            "show_voice_check", "{WARNING_MARK} This text is in {script}, which {named} cannot read."
        ).format(WARNING_MARK=WARNING_MARK, script=problem.script, named=_named(problem))
    # What the live show falls back to (studio.live.supply): the default voice for the text.
    fallback = find_voice(default_voice_id(text), voices)
    instead = (
        voice_label(fallback)
        if fallback is not None
        else QCoreApplication.translate("show_voice_check", "an offline voice")
    )
    return QCoreApplication.translate(
        "show_voice_check", "{ONLINE_MARK} Needs the internet during the show; else {instead} speaks."
    ).format(ONLINE_MARK=ONLINE_MARK, instead=instead)


def voice_advice(segment: Segment, voices: Sequence[VoiceInfo]) -> VoiceAdvice:
    """The advice for ``segment``'s voice among the installed ``voices``."""
    problems = voice_problems([segment], voices)
    if not problems:
        return VoiceAdvice((), None, False)
    first = problems[0]
    # An online voice: one of its language, offline. Otherwise one for the text's language
    # ("" for Latin letters: the one the default voice would pick).
    online = first.kind == ONLINE and first.voice is not None
    language = first.voice.language if online and first.voice is not None else first.language
    fix = offline_alternative(language, voices, segment.text)
    current = first.voice.id if first.voice is not None and first.voice_id else None
    return VoiceAdvice(
        tuple(problem_line(p, segment.text, voices) for p in problems),
        fix if fix is not None and fix.id != current else None,
        serious=any(p.kind != ONLINE for p in problems),
    )


class VoiceCheck(QWidget):
    """The advice under the voice picker, empty when all is well; ``fix_chosen(voice_id)``
    when its button is clicked."""

    fix_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voiceCheck")
        self.label = QLabel(self)
        self.label.setObjectName("voiceWarning")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.fix_button = QPushButton(self)
        self.fix_button.setObjectName("voiceFixButton")
        self._fix = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.label)
        column.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.fix_button.clicked.connect(lambda: self.fix_chosen.emit(self._fix))
        # Its room is kept while empty (the form does not jump as the user types): two lines
        # of text and the button, which is hidden but keeps its place.
        self.label.ensurePolished()
        self.label.setMinimumHeight(2 * self.label.fontMetrics().lineSpacing())
        policy = self.fix_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.fix_button.setSizePolicy(policy)
        self.fix_button.hide()

    @property
    def showing(self) -> bool:
        """Whether there is advice on show."""
        return bool(self.label.text())

    def show_advice(self, advice: VoiceAdvice) -> None:
        self.label.setText("\n".join(advice.lines))
        # Amber for a segment that would be silent or garbled; the online note stays quiet.
        self.label.setStyleSheet("color: #a15c00;" if advice.serious else "")
        self._fix = advice.fix.id if advice.fix is not None else ""
        if advice.fix is not None:
            self.fix_button.setText(self.tr("Use {voice_label}").format(voice_label=voice_label(advice.fix)))
            self.fix_button.setToolTip(
                self.tr(
                    "Speak this segment with {voice_label}: installed here, offline, and it reads this text."
                ).format(voice_label=voice_label(advice.fix))
            )
        self.fix_button.setVisible(advice.fix is not None)
