"""The strip along the bottom of the live panel: how the show is doing, at a glance.

It only displays what it is given: the panel reads the figures from the show (``LiveStatus``,
its warnings, its outputs with the stream key masked) and hands them over. Figures that mean
trouble turn amber, then red, and every item says in its tooltip what it means in plain words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.live.stats import LiveStatus
from studio.render.label import LabelSettings
from studio.ui.app_words import app_words
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.live_words import OUTPUT_NAMES, air_state, corner_words, provider_text, saying_text

_TROUBLE = ("stalled", "reconnecting", "failed", "stuck", "connecting")
_STATE_COLOURS = {"starting": "#8a5a00", "stopping": "#8a5a00", "stopped": "#5b6472"}
_LEVEL_STYLES = {
    "ok": "",
    "warn": "color: #8a5a00; font-weight: 600;",
    "bad": "color: #b3261e; font-weight: 600;",
}

# What a running show is, by where it goes: (text, colour, tooltip). Only the virtual camera and
# a stream are seen by an audience; a sound card alone is heard in the room, like the preview.
ON_AIR = {
    "preview": (
        QT_TRANSLATE_NOOP("live_status", "● PREVIEW"),
        "#2f6fde",
        QT_TRANSLATE_NOOP(
            "live_status",
            "Only this window shows the show: nothing is recorded or sent out. Switch on the "
            "virtual camera, Record or RTMP before Start to go out.",
        ),
    ),
    "recording": (
        QT_TRANSLATE_NOOP("live_status", "● RECORDING"),
        "#b45309",
        QT_TRANSLATE_NOOP("live_status", "The show is recorded to a file; nothing is sent out live."),
    ),
    "live": (
        QT_TRANSLATE_NOOP("live_status", "● LIVE"),
        "#b3261e",
        QT_TRANSLATE_NOOP("live_status", "On air: the virtual camera or the stream sends the show out."),
    ),
    "connecting": (
        QT_TRANSLATE_NOOP("live_status", "● CONNECTING…"),
        "#8a5a00",
        QT_TRANSLATE_NOOP(
            "live_status",
            "Not on air yet: the stream or the virtual camera is still connecting. Nobody sees the show yet.",
        ),
    ),
    "reconnecting": (
        QT_TRANSLATE_NOOP("live_status", "● RECONNECTING…"),
        "#8a5a00",
        QT_TRANSLATE_NOOP(
            "live_status",
            "Off air: the stream dropped and Studio is connecting again. Nobody sees the show meanwhile.",
        ),
    ),
}
REPLY_SHOWN_S = 15.0  # the reply delay is news for a while after a typed line, then clutter
LATE_WARN, LATE_BAD = 2.0, 5.0  # % of frames not ready in time
SYNC_WARN, SYNC_BAD = 45.0, 90.0  # ms between picture and sound, either way

FPS_TIP = QT_TRANSLATE_NOOP(
    "live_status",
    "Pictures shown each second. Near the show's frame rate the motion is smooth; well below it looks jerky.",
)
LATE_TIP = QT_TRANSLATE_NOOP(
    "live_status",
    "Frames that were not ready in time. Above 5% the picture stutters: close other "
    "apps or lower the video size in Settings.",
)
SYNC_TIP = QT_TRANSLATE_NOOP(
    "live_status",
    "How far the picture is from its sound (+ means the picture is late). Within ±45 "
    "ms nobody notices; beyond that the lips look out of step with the voice.",
)
MIC_TIP = QT_TRANSLATE_NOOP(
    "live_status", "From your voice reaching the microphone to the mouth moving on screen."
)
REPLY_TIP = QT_TRANSLATE_NOOP(
    "live_status", "From sending a typed line to the avatar starting to say it (the voice is made first)."
)
PROVIDER_TIP = QT_TRANSLATE_NOOP(
    "live_status",
    "What moves the mouth: 'voice timing' follows the sounds of the script's words "
    "as the voice says them; 'AI model' listens to the voice, on the processor (CPU) "
    "or a graphics card (GPU).",
)
LABEL_TIP = QT_TRANSLATE_NOOP(
    "live_status",
    "The visible AI label drawn into every frame. Platforms may require it; change it in Settings.",
)
WARNING_TIP_MORE = QT_TRANSLATE_NOOP("live_status", "Click to read it in full.")


def late_level(percent: float) -> str:
    return "bad" if percent > LATE_BAD else "warn" if percent > LATE_WARN else "ok"


def sync_level(av_error_ms: float) -> str:
    error = abs(av_error_ms)
    return "bad" if error > SYNC_BAD else "warn" if error > SYNC_WARN else "ok"


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


_STATE_WORDS = {
    "running": QT_TRANSLATE_NOOP("live_status", "on"),
    "closed": QT_TRANSLATE_NOOP("live_status", "off"),
}


def outputs_text(outputs: dict[str, str]) -> str:
    """Each output and its state in plain words ("Stream reconnecting in 8 s: connection refused")."""
    if not outputs:
        return QCoreApplication.translate("live_status", "Preview only: nothing goes out")
    parts = []
    for name, state in outputs.items():
        words = translated("live_status", _STATE_WORDS[state]) if state in _STATE_WORDS else state
        # "reconnecting in 8 s (attempt 4): Connection refused" -> the attempt count is noise here.
        words = re.sub(r" \(attempt \d+\)", "", words)
        head, sep, reason = words.partition(": ")
        words = head + sep + reason[:1].lower() + reason[1:] if sep else words
        parts.append(f"{translated('live_words', OUTPUT_NAMES.get(name, name))} {words}")
    return " · ".join(parts)


def label_text(label: LabelSettings) -> str:
    return (
        QCoreApplication.translate("live_status", "AI label: on ({replace})").format(
            replace=corner_words(label.corner)
        )
        if label.enabled
        else QCoreApplication.translate("live_status", "AI label: OFF")
    )


class ElidedLabel(QLabel):
    """A one-line label that never widens its window: text that does not fit ends in "…", and the
    tooltip holds all of it. ``clicked`` is emitted on a left click."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.elide_mode = Qt.TextElideMode.ElideRight  # ElideMiddle keeps a path's file name
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str, tooltip: str | None = None) -> None:
        self._full = text
        self.setToolTip(text if tooltip is None else tooltip)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, self.elide_mode, max(self.width(), 1))
        super().setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()  # a bold style is wider: cut again

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()


class StatusStrip(QFrame):
    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        """``clock``: seconds, for how long the reply delay stays shown."""
        super().__init__(parent)
        self.setObjectName("statusStrip")
        self._clock = clock
        self._was_live = False  # an on-air output has run during this show
        self._reply: tuple[float | None, float] = (None, 0.0)  # (delay shown, since when)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#statusStrip { background: #eef1f5; border: none; border-top: 1px solid #dde1e7; }"
            "QFrame#statusStrip QLabel { color: #3b4350; }"
        )
        self.state = self._label("liveState", self.tr("Whether the show is running, and where it goes"))
        self.fps = self._label("fpsStatus", translated("live_status", FPS_TIP))
        self.late = self._label("lateStatus", translated("live_status", LATE_TIP))
        self.sync = self._label("syncStatus", translated("live_status", SYNC_TIP))
        self.mic_delay = self._label("micDelayStatus", translated("live_status", MIC_TIP))
        self.reply_delay = self._label("replyDelayStatus", translated("live_status", REPLY_TIP))
        self.provider = self._label("providerStatus", translated("live_status", PROVIDER_TIP))
        self.label = self._label("labelStatus", translated("live_status", LABEL_TIP))
        self.outputs = self._elided("outputsStatus")
        self.saying = self._elided("sayingStatus")
        self.warning_icon = QLabel()
        self.warning_icon.setObjectName("warningIcon")
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.warning_icon.setPixmap(icon.pixmap(16, 16))
        self.warning = self._elided("warningStatus")
        self.warning.setStyleSheet("color: #8a5a00;")
        self.warning.setCursor(Qt.CursorShape.PointingHandCursor)
        self.warning.clicked.connect(self.show_warning_details)
        self.warning_count, self.warning_full = 0, ""
        self.details_box: QMessageBox | None = None

        figures = QHBoxLayout()
        figures.setSpacing(16)
        self._figures = (self.fps, self.late, self.sync, self.mic_delay, self.reply_delay, self.provider)
        for widget in (self.state, *self._figures, self.label):
            figures.addWidget(widget)
        figures.addStretch(1)
        notes = QHBoxLayout()
        notes.setSpacing(16)
        notes.addWidget(self.outputs, 2)
        notes.addWidget(self.saying, 5)
        # A warning gets its own line: what is being said is never cut short for it.
        warnings = QHBoxLayout()
        warnings.setSpacing(6)
        warnings.addWidget(self.warning_icon)
        warnings.addWidget(self.warning, 1)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(12, 5, 12, 5)
        rows.setSpacing(3)
        rows.addLayout(figures)
        rows.addLayout(notes)
        rows.addLayout(warnings)
        # Two rows' height always, so the preview above keeps its size when the show starts.
        self.setMinimumHeight(2 * self.fontMetrics().height() + 5 + 5 + 3 + 6)
        self.set_state("stopped", self.tr("Stopped"))
        self.clear_figures()
        self.set_warning("")

    def _label(self, name: str, tip: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setToolTip(tip)
        return label

    def _elided(self, name: str) -> ElidedLabel:
        label = ElidedLabel()
        label.setObjectName(name)
        return label

    def set_state(self, state: str, text: str, colour: str = "", tip: str = "") -> None:
        if state != "live":
            self._was_live = False  # the next show starts connecting afresh
        colour = colour or _STATE_COLOURS.get(state, "#3b4350")
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.state.setToolTip(tip or self.tr("Whether the show is running, and where it goes"))

    def clear_figures(self) -> None:
        self._reply = (None, 0.0)
        for widget in self._figures:
            widget.clear()
            widget.setVisible(False)
        for elided in (self.outputs, self.saying):
            elided.set_full_text("")
            elided.setVisible(False)

    def set_label(self, label: LabelSettings) -> None:
        self.label.setText(label_text(label))
        self.label.setStyleSheet("" if label.enabled else "color: #b3261e; font-weight: 600;")

    def show_live(
        self, status: LiveStatus, outputs: dict[str, str], label: LabelSettings, targets: dict[str, str]
    ) -> None:
        """``outputs``: each output's state; ``targets``: where each goes (stream key masked)."""
        air = air_state(targets, outputs, self._was_live)
        self._was_live = self._was_live or air == "live"
        text, colour, tip = ON_AIR[air]
        text, tip = translated("live_status", text), translated("live_status", tip)
        self.set_state("live", f"{text} {_clock(status.seconds)}", colour, tip)
        self.fps.setText(self.tr("{fps:.1f} fps").format(fps=status.fps))
        self.late.setText(self.tr("late frames {late_percent:.1f}%").format(late_percent=status.late_percent))
        self.late.setToolTip(
            self.tr("{LATE_TIP}\n({late} of {value} so far.)").format(
                LATE_TIP=translated("live_status", LATE_TIP),
                late=status.late,
                value=status.frames + status.skipped,
            )
        )
        self._level(self.late, late_level(status.late_percent))
        self.sync.setText(self.tr("sync {av_error_ms:+.0f} ms").format(av_error_ms=status.av_error_ms))
        self._level(self.sync, sync_level(status.av_error_ms))
        self.mic_delay.setText(
            ""
            if status.latency_ms is None
            else self.tr("mic delay {latency_ms:.0f} ms").format(latency_ms=status.latency_ms)
        )
        self.reply_delay.setText(self._reply_text(status.interjection_ms))
        self.provider.setText(provider_text(status.provider))
        self.set_label(label)
        where = "\n".join(
            f"{translated('live_words', OUTPUT_NAMES.get(name, name))} → {target}"
            for name, target in targets.items()
        )
        said_outputs = outputs_text(outputs)
        # The line may be cut ("name or servi…"): the tooltip always holds all of it.
        self.outputs.set_full_text(
            said_outputs, f"{said_outputs}\n\n{where or translated('live_status', ON_AIR['preview'][2])}"
        )
        trouble = any(state.startswith(_TROUBLE) for state in outputs.values())
        self.outputs.setStyleSheet("color: #8a5a00;" if trouble else "")
        said = saying_text(status.saying)
        self.saying.set_full_text(
            self.tr("Saying: “{said}”").format(said=said) if said else self.tr("Saying: (nothing, idle)"),
            said or None,
        )
        for widget in self._figures:
            widget.setVisible(bool(widget.text()))  # the delays only once there is one to show
        self.outputs.setVisible(True)
        self.saying.setVisible(True)

    def _reply_text(self, ms: float | None) -> str:
        # A new value means another typed line has started: shown for a while from then.
        shown, since = self._reply
        if ms != shown:
            since = self._clock()
            self._reply = (ms, since)
        fresh = ms is not None and self._clock() - since < REPLY_SHOWN_S
        return (
            self.tr("reply delay {value:.1f} s").format(value=ms / 1000) if fresh and ms is not None else ""
        )

    def _level(self, widget: QLabel, level: str) -> None:
        widget.setProperty("level", level)
        widget.setStyleSheet(_LEVEL_STYLES[level])

    def show_summary(self, text: str) -> None:
        """What the show that just ended left behind (a recording, a failed output)."""
        self.outputs.set_full_text(app_words(text))
        self.outputs.setStyleSheet("")
        self.outputs.setVisible(bool(text))

    def set_warning(self, text: str, count: int = 0) -> None:
        """The latest warning (``count`` so far), or none. The text is cut to fit; its tooltip
        and a click show all of it."""
        self.warning_count, self.warning_full = count, text
        more = f" (+{count - 1} earlier)" if count > 1 else ""
        tip = f"{text}\n\n{translated('live_status', WARNING_TIP_MORE)}" if text else ""
        self.warning.set_full_text(f"{text}{more}" if text else "", tip)
        self.warning.setVisible(bool(text))
        self.warning_icon.setVisible(bool(text))

    def show_warning_details(self) -> QMessageBox | None:
        """The latest warning in full, in a message box that does not block the show."""
        text = self.warning_full
        if not text:
            return None
        if self.details_box is not None:
            self.details_box.close()
        count = self.warning_count
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Live show warning"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("warningDetails")
        latest = (
            self.tr("The latest of {count} warnings during this show. ").format(count=count)
            if count > 1
            else ""
        )
        box.setInformativeText(self.tr("{latest}The show goes on.").format(latest=latest))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._details_gone)
        box.show()
        self.details_box = box
        return box

    def _details_gone(self) -> None:
        self.details_box = None
