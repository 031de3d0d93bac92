"""The strip along the bottom of the live panel: how the show is doing, at a glance.

It only displays what it is given: the panel reads the figures from the show (``LiveStatus``,
its warnings, its outputs with the stream key masked) and hands them over.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStyle, QVBoxLayout, QWidget

from studio.live.stats import LiveStatus
from studio.render.label import LabelSettings

_TROUBLE = ("stalled", "reconnecting", "failed", "stuck", "connecting")
_STATE_COLOURS = {"live": "#b3261e", "starting": "#8a5a00", "stopping": "#8a5a00", "stopped": "#5b6472"}


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


def latency_text(status: LiveStatus) -> str:
    parts = [f"A/V {status.av_error_ms:+.0f} ms"]
    if status.latency_ms is not None:
        parts.append(f"mic→frame {status.latency_ms:.0f} ms")
    if status.interjection_ms is not None:
        parts.append(f"last line {status.interjection_ms:.0f} ms")
    return " · ".join(parts)


def outputs_text(outputs: dict[str, str]) -> str:
    if not outputs:
        return "outputs: preview only"
    return " · ".join(f"{name} {state}" for name, state in outputs.items())


def label_text(label: LabelSettings) -> str:
    return f"AI label: on ({label.corner.replace('-', ' ')})" if label.enabled else "AI label: OFF"


class StatusStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#statusStrip { background: #eef1f5; border: none; border-top: 1px solid #dde1e7; }"
            "QFrame#statusStrip QLabel { color: #3b4350; }"
        )
        self.state = self._label("liveState", "Whether the show is live, and for how long")
        self.fps = self._label("fpsStatus", "Frames shown in the last second")
        self.late = self._label("lateStatus", "Frames not ready by their time (shown late or skipped)")
        self.latency = self._label(
            "latencyStatus",
            "A/V: how far frames are shown from their sound. mic→frame: from your voice to the "
            "picture. last line: from sending a typed line to hearing it.",
        )
        self.provider = self._label("providerStatus", "What moves the mouth, and where the model runs")
        self.label = self._label("labelStatus", "The visible AI-generated label burned into every frame")
        self.outputs = self._label("outputsStatus", "Each output's state")
        self.saying = self._label("sayingStatus", "What the avatar is saying now")
        self.warning_icon = QLabel()
        self.warning_icon.setObjectName("warningIcon")
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.warning_icon.setPixmap(icon.pixmap(16, 16))
        self.warning = self._label("warningStatus", "")
        self.warning.setStyleSheet("color: #8a5a00;")

        # Long texts (outputs, what is said, warnings) never widen the window: they are cut
        # to fit and their tooltips hold the whole text.
        for widget in (self.outputs, self.saying, self.warning):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        figures = QHBoxLayout()
        figures.setSpacing(16)
        for widget in (self.state, self.fps, self.late, self.latency, self.provider, self.label):
            figures.addWidget(widget)
        figures.addStretch(1)
        notes = QHBoxLayout()
        notes.setSpacing(16)
        notes.addWidget(self.outputs, 2)
        notes.addWidget(self.saying, 2)
        notes.addWidget(self.warning_icon)
        notes.addWidget(self.warning, 3)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(12, 5, 12, 5)
        rows.setSpacing(3)
        rows.addLayout(figures)
        rows.addLayout(notes)
        # Two rows' height always, so the preview above keeps its size when the show starts.
        self.setMinimumHeight(2 * self.fontMetrics().height() + 5 + 5 + 3 + 6)
        self.set_state("stopped", "Stopped")
        self.clear_figures()
        self.set_warning("")

    def _label(self, name: str, tip: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setToolTip(tip)
        return label

    def set_state(self, state: str, text: str) -> None:
        colour = _STATE_COLOURS.get(state, "#3b4350")
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {colour}; font-weight: 600;")

    def clear_figures(self) -> None:
        for widget in (self.fps, self.late, self.latency, self.provider, self.outputs, self.saying):
            widget.clear()
            widget.setVisible(False)

    def set_label(self, label: LabelSettings) -> None:
        self.label.setText(label_text(label))
        self.label.setStyleSheet("" if label.enabled else "color: #b3261e; font-weight: 600;")

    def show_live(
        self, status: LiveStatus, outputs: dict[str, str], label: LabelSettings, targets: dict[str, str]
    ) -> None:
        """``outputs``: each output's state; ``targets``: where each goes (stream key masked)."""
        self.set_state("live", f"● LIVE {_clock(status.seconds)}")
        self.fps.setText(f"{status.fps:.1f} fps")
        self.late.setText(f"late {status.late} ({status.late_percent:.1f}%)")
        self.latency.setText(latency_text(status))
        self.provider.setText(status.provider)
        self.set_label(label)
        self.outputs.setText(outputs_text(outputs))
        where = "\n".join(f"{name} → {target}" for name, target in targets.items())
        self.outputs.setToolTip(where or "Only the preview: switch outputs on before starting")
        trouble = any(state.startswith(_TROUBLE) for state in outputs.values())
        self.outputs.setStyleSheet("color: #8a5a00;" if trouble else "")
        saying = status.saying if len(status.saying) <= 60 else status.saying[:59] + "…"
        self.saying.setText(f"Saying: “{saying}”" if saying else "Saying: (nothing, idle)")
        self.saying.setToolTip(status.saying)
        for widget in (self.fps, self.late, self.latency, self.provider, self.outputs, self.saying):
            widget.setVisible(True)

    def show_summary(self, text: str) -> None:
        """What the show that just ended left behind (a recording, a failed output)."""
        self.outputs.setText(text)
        self.outputs.setToolTip(text)
        self.outputs.setStyleSheet("")
        self.outputs.setVisible(bool(text))

    def set_warning(self, text: str, count: int = 0) -> None:
        """The latest warning (``count`` so far), or none."""
        more = f" (+{count - 1} earlier)" if count > 1 else ""
        self.warning.setText(f"{text}{more}" if text else "")
        self.warning.setToolTip(text)
        self.warning.setVisible(bool(text))
        self.warning_icon.setVisible(bool(text))
