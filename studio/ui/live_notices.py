"""What a running show has to tell the operator: speech warnings and outputs that failed.

A warning (an online voice without network, a voice that does not exist) always shows in the
status strip; the first one of the app's session also opens a dialog, once, beside the preview
rather than over it, and without blocking Stop. An output that fails is a dialog each time,
once per output per show.
"""

from __future__ import annotations

import textwrap

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from studio.errors import StudioError
from studio.outputs.base import OutputError
from studio.pipeline.live_show import LiveShow
from studio.ui.dialogs import show_error
from studio.ui.live_preview import PreviewView
from studio.ui.live_status import StatusStrip

WARNING_HINT = "The show goes on. This and later warnings stay in the strip below the preview."
_GAP = 16  # between the picture and a dialog placed beside it
_WRAP = 40  # characters a line in the dialog: narrow enough to sit beside the preview


def _lines(text: str) -> str:
    # Names (voices, devices, paths) are never cut in two.
    return textwrap.fill(text, _WRAP, break_long_words=False, break_on_hyphens=False)


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def picture_rect(preview: PreviewView) -> QRect:
    """Where the picture is on screen (the preview widget's page margins are free to cover)."""
    area = preview.picture_rect()
    return QRect(preview.mapToGlobal(area.topLeft()), area.size())


def clear_spot(box: QSize, avoid: QRect, window: QRect) -> QPoint:
    """Where a ``box``-sized dialog goes inside ``window`` without covering ``avoid``: to its
    right, else under it; where neither has room, against the window's right edge."""
    right = QRect(
        avoid.right() + _GAP,
        avoid.top() + max(0, (avoid.height() - box.height()) // 2),
        box.width(),
        box.height(),
    )
    below = QRect(
        avoid.left() + max(0, (avoid.width() - box.width()) // 2),
        avoid.bottom() + _GAP,
        box.width(),
        box.height(),
    )
    for spot in (right, below):
        if window.contains(spot):
            return spot.topLeft()
    return QPoint(max(window.left(), window.right() - box.width() - _GAP), right.top())


class LiveNotices:
    def __init__(self, parent: QWidget, strip: StatusStrip, preview: PreviewView) -> None:
        self._parent, self._strip, self._preview = parent, strip, preview
        self._warned = 0
        self._failed_outputs: set[str] = set()
        self.warning_dialog: QMessageBox | None = None
        self.warning_dialog_shown = False  # once per app session, not per show

    def new_show(self) -> None:
        """A show is starting: nothing of the last one's warnings stays on screen."""
        self._warned = 0
        self._failed_outputs = set()
        self._strip.set_warning("")

    def check_warnings(self, show: LiveShow) -> None:
        total, notes = show.warnings()
        if total <= self._warned or not notes:
            return
        self._warned = total
        latest = show.redact(notes[-1])
        self._strip.set_warning(latest, total)
        if not self.warning_dialog_shown:
            self.warning_dialog_shown = True
            self.warning_dialog = self._open_beside_preview(latest)

    def _open_beside_preview(self, problem: str) -> QMessageBox:
        # Short lines keep the dialog narrow enough to sit beside the picture.
        notice = StudioError(_lines(problem), _lines(WARNING_HINT))
        box = show_error(self._parent, notice, "Live show warning")
        # A notice, not a question: the show goes on, so Stop and the typed lines stay usable.
        # (Modality only changes while hidden.)
        box.hide()
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        box.move(clear_spot(box.size(), picture_rect(self._preview), global_rect(self._preview.window())))
        return box

    def check_outputs(self, outputs: dict[str, str]) -> None:
        for name, state in outputs.items():
            if state.startswith("failed") and name not in self._failed_outputs:
                self._failed_outputs.add(name)
                reason = state.partition(":")[2].strip() or state
                error = OutputError(
                    f"The {name} output stopped: {reason}",
                    "The show goes on without it. Stop and start again to retry.",
                )
                show_error(self._parent, error, "Output failed")
