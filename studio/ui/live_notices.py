"""What a running show has to tell the operator: speech warnings, a stream that does not
connect, and outputs that failed.

A warning (an online voice without network, a voice that does not exist) always shows in the
status strip; the first one of the app's session also opens a dialog, once. A stream that has
not connected ~10 s into the show opens one dialog per show. Both are notices, not questions:
they never block, and they sit under the picture (else over its lower part), never over Start,
Stop or the output toggles beside it. An output that fails is a dialog each time, once per
output per show. Everything is said in the Show page's words (``live_words``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from studio.errors import StudioError
from studio.outputs.base import OutputError
from studio.pipeline.live_show import LiveShow
from studio.ui.dialogs import show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.live_preview import PreviewView
from studio.ui.live_status import StatusStrip
from studio.ui.live_words import STREAM_GRACE_S, VoiceWords, stream_problem
from studio.voice.base import VoiceInfo

WARNING_HINT = QT_TRANSLATE_NOOP(
    "live_notices", "The show goes on. This and later warnings stay in the strip below the preview."
)
_GAP = 16  # between the picture and a dialog placed under it
_OUTPUT_NAMES = {
    "rtmp": "stream",
    "vcam": QT_TRANSLATE_NOOP("live_notices", "virtual camera"),
    "record": "recording",
    "audio": QT_TRANSLATE_NOOP("live_notices", "audio device"),
}
_WRAP = 40  # characters a line: narrow enough for the preview's column


def _lines(text: str) -> str:
    # Names (voices, devices, paths) are never cut in two.
    return textwrap.fill(text, _WRAP, break_long_words=False, break_on_hyphens=False)


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def picture_rect(preview: PreviewView) -> QRect:
    """Where the picture is on screen (the preview widget's page margins are free to cover)."""
    area = preview.picture_rect()
    return QRect(preview.mapToGlobal(area.topLeft()), area.size())


def clear_spot(box: QSize, picture: QRect, column: QRect) -> QPoint:
    """Where a ``box``-sized notice goes inside the preview's ``column`` (the controls are
    beside it, never under it): centred under the ``picture`` where the page has room, else
    over the picture's lower part, which the speaking face leaves freest."""
    x = picture.left() + (picture.width() - box.width()) // 2
    x = max(column.left(), min(x, column.right() + 1 - box.width()))
    below = picture.bottom() + _GAP
    if below + box.height() <= column.bottom() + 1:
        return QPoint(x, below)
    return QPoint(x, max(column.top(), picture.bottom() + 1 - _GAP - box.height()))


def beside_others(spot: QRect, others: list[QRect], column: QRect) -> QPoint:
    """Where ``spot`` goes so that it hides none of the notices already open: as it is, else
    under or above one of them inside the ``column``, else a step down and across."""
    candidates = [spot]
    for other in others:
        candidates.append(spot.translated(0, other.bottom() + 8 - spot.top()))
        candidates.append(spot.translated(0, other.top() - 8 - spot.bottom()))
    for candidate in candidates:
        if column.contains(candidate) and not any(candidate.intersects(o) for o in others):
            return candidate.topLeft()
    return spot.topLeft() + QPoint(24, 24) * len(others)


class LiveNotices:
    def __init__(
        self,
        parent: QWidget,
        strip: StatusStrip,
        preview: PreviewView,
        voices: Callable[[], Sequence[VoiceInfo]] | None = None,
    ) -> None:
        """``voices``: the registry's list, to name voices (read when a warning names one)."""
        self._parent, self._strip, self._preview = parent, strip, preview
        self.words = VoiceWords(voices)
        self._warned = 0
        self._failed_outputs: set[str] = set()
        self._stream_ran = False  # the stream has connected at least once this show
        self.stream_grace_s = STREAM_GRACE_S
        self.stream_dialog: QMessageBox | None = None  # "not live yet", once per show
        self.stream_dialog_shown = False
        self.warning_dialog_shown = False  # once per app session, not per show
        self._notices: list[QMessageBox] = []

    def new_show(self) -> None:
        """A show is starting: nothing of the last one's warnings stays on screen."""
        self._warned = 0
        self._failed_outputs = set()
        self._stream_ran = self.stream_dialog_shown = False
        self._strip.set_warning("")

    def check_warnings(self, show: LiveShow) -> None:
        total, notes = show.warnings()
        if total <= self._warned or not notes:
            return
        self._warned = total
        latest = self.words.plain(show.redact(notes[-1]))
        self._strip.set_warning(latest, total)
        if not self.warning_dialog_shown:
            self.warning_dialog_shown = True
            self.open_notice(
                StudioError(latest, translated("live_notices", WARNING_HINT)),
                QCoreApplication.translate("LiveNotices", "Live show warning"),
            )

    def check_stream(self, outputs: dict[str, str], targets: dict[str, str], seconds: float) -> None:
        """Once per show, a dialog when the stream has not connected ``stream_grace_s`` into
        it (``outputs``: each output's state, ``targets``: where each goes, key masked)."""
        state = outputs.get("rtmp")
        if state is None or "rtmp" not in targets:
            return
        self._stream_ran = self._stream_ran or state == "running"
        if self._stream_ran or self.stream_dialog_shown or state.startswith("failed"):
            return  # a drop after it ran is the strip's "reconnecting"; a failure has its own dialog
        if seconds >= self.stream_grace_s:
            self.stream_dialog_shown = True
            self.stream_dialog = self.open_notice(
                stream_problem(state, targets["rtmp"]),
                QCoreApplication.translate("LiveNotices", "Not live yet"),
            )

    def open_notice(self, notice: StudioError, title: str) -> QMessageBox:
        """An error dialog that does not block the show, under (else over the lower part of)
        the picture: Start, Stop and the outputs beside it stay in sight and usable."""
        # Short lines keep the dialog narrow enough for the preview's column.
        box = show_error(self._parent, StudioError(_lines(notice.problem), _lines(notice.hint)), title)
        for name in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
            label = box.findChild(QLabel, name)
            if label is not None:
                label.setWordWrap(False)  # the lines are broken already; Qt would break them again
        box.hide()  # modality only changes while hidden
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        frame = box.frameGeometry().size().expandedTo(box.size())  # the title bar counts too
        column = global_rect(self._preview)
        spot = QRect(clear_spot(frame, picture_rect(self._preview), column), frame)
        box.move(beside_others(spot, [n.frameGeometry() for n in self._notices if n.isVisible()], column))
        self._notices.append(box)
        # Dismissed, it is deleted (WA_DeleteOnClose): forgotten first, never touched again.
        box.destroyed.connect(lambda *_: self._notices.remove(box) if box in self._notices else None)
        return box

    def check_outputs(self, outputs: dict[str, str]) -> None:
        for name, state in outputs.items():
            if state.startswith("failed") and name not in self._failed_outputs:
                self._failed_outputs.add(name)
                reason = state.partition(":")[2].strip() or state
                error = OutputError(
                    QCoreApplication.translate("LiveNotices", "The {output} output stopped: {reason}").format(
                        output=translated("live_notices", _OUTPUT_NAMES.get(name, name)), reason=reason
                    ),
                    QCoreApplication.translate(
                        "LiveNotices", "The show goes on without it. Switch it off and on again to retry."
                    ),
                )
                self.open_notice(error, QCoreApplication.translate("LiveNotices", "Output failed"))
