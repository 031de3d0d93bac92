"""The show editor's claims check: the words a segment may not say, underlined as it is typed.

Each segment is checked as the show checks it before going on air (``studio.compliance``'s
``check_segments``, loop-scoped rules included), so what the editor underlines is exactly what
``studio live`` would refuse. A flagged span gets a red wavy underline, as a spell checker's;
one a recorded override lets through gets a grey dotted one. Hovering shows the rule and its
message; right-clicking offers to let the words through (with who and why) or to withdraw that.

Checking is cheap (about 2 ms for a 500-character line on a busy 2-core machine), so it runs on
each edit; a checker that remembers the lines it has seen keeps a long show at one line a key.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip

from studio.compliance import Checker, Finding, Override, check_segments
from studio.errors import InputError
from studio.live.rundown import Segment
from studio.ui.show_segments import segment_name

FLAGGED_COLOR = QColor("#d32f2f")  # the spell checker's red
LET_THROUGH_COLOR = QColor("#8a94a3")
_REMEMBERED = 512  # lines whose findings the editor keeps (a show's segments, and recent edits)


@dataclass(frozen=True)
class ClaimMark:
    """One finding in a segment, and the override that lets it through (None: it stops the show)."""

    finding: Finding
    override: Override | None = None

    @property
    def blocking(self) -> bool:
        return self.override is None

    def describe(self) -> str:
        """``RULE-ID message: “words”``, and the suggestion or who let it through, for tooltips."""
        f = self.finding
        head = f"{f.rule.id} {f.rule.shown_message}: “{f.text}”"
        if self.override is None:
            return QCoreApplication.translate(
                "ClaimMark", "{head}\nSuggestion: {suggestion}.\nRight-click to let it through with a reason."
            ).format(head=head, suggestion=f.rule.shown_suggestion)
        o = self.override
        when = o.at.strftime("%Y-%m-%d %H:%M UTC")
        why = f": {o.reason}" if o.reason else ""
        return QCoreApplication.translate(
            "ClaimMark", "{head}\nLet through by {by} on {when}{why}.\nRight-click to withdraw that."
        ).format(head=head, by=o.by, when=when, why=why)


class RememberingChecker(Checker):
    """A ``Checker`` that keeps the findings of the last lines it checked, so re-checking a whole
    show after each key press checks only the line being typed."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: OrderedDict[tuple[str, bool], list[Finding]] = OrderedDict()

    def check(self, text: str, looped: bool = False) -> list[Finding]:
        key = (text, looped)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = super().check(text, looped)
            if len(self._seen) > _REMEMBERED:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(key)
        return list(found)


def segment_marks(segments: Sequence[Segment], loop: bool, checker: Checker) -> list[list[ClaimMark]]:
    """For each segment, its findings (with the override that covers each), as the show finds them."""
    marks: list[list[ClaimMark]] = [[] for _ in segments]
    for number, finding in check_segments([(s.text, s.repeat) for s in segments], loop, checker):
        overrides = segments[number - 1].overrides
        cover = next((o for o in overrides if o.covers(finding)), None)
        marks[number - 1].append(ClaimMark(finding, cover))
    return marks


def claim_problems(segments: Sequence[Segment], marks: Sequence[Sequence[ClaimMark]]) -> list[str]:
    """One line for each finding no override covers, for the editor's problems line."""
    lines = []
    for number, (segment, found) in enumerate(zip(segments, marks, strict=True), 1):
        name = segment_name(number, segment)
        for mark in found:
            if mark.blocking:
                f = mark.finding
                lines.append(
                    QCoreApplication.translate(
                        "show_claims",
                        "{name}: {id} {message}: “{text}”. Rephrase it ({suggestion}), or right-click the "
                        "underlined words to let them through with a reason.",
                    ).format(
                        name=name,
                        id=f.rule.id,
                        message=f.rule.shown_message,
                        text=f.text,
                        suggestion=f.rule.shown_suggestion,
                    )
                )
    return lines


def mark_lines(marks: Sequence[ClaimMark]) -> list[str]:
    """A short line for each of ``marks`` that stops the show, for the segment's row in the table."""
    found = [m.finding for m in marks if m.blocking]
    return [f"⚠ {f.rule.id} {f.rule.shown_message}: “{f.text}”" for f in found]


def refuse_unresolved(segments: Sequence[Segment], loop: bool, checker: Checker | None = None) -> None:
    """Raise ``InputError`` for the first finding no override covers (the show will not save)."""
    for number, found in enumerate(segment_marks(segments, loop, checker or Checker()), 1):
        for mark in found:
            if mark.blocking:
                f = mark.finding
                raise InputError(
                    QCoreApplication.translate(
                        "show_claims",
                        "{segment} says “{text}”: {rule} {message}, so the show cannot be saved.",
                    ).format(
                        segment=segment_name(number, segments[number - 1]),
                        text=f.text,
                        rule=f.rule.id,
                        message=f.rule.shown_message,
                    ),
                    QCoreApplication.translate(
                        "show_claims",
                        "Rephrase it ({suggestion}), or right-click the underlined words to let them through "
                        "with a reason.",
                    ).format(suggestion=f.rule.shown_suggestion),
                )


def _utf16(text: str) -> list[int]:
    """Qt's position (UTF-16 units) of each of ``text``'s characters, and of its end."""
    at, positions = 0, []
    for ch in text:
        positions.append(at)
        at += 2 if ord(ch) > 0xFFFF else 1
    return [*positions, at]


class ClaimHighlighter(QSyntaxHighlighter):
    """Underlines the marks of the document's text (one segment), across its lines."""

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit.document())
        self.spans: list[tuple[int, int, ClaimMark]] = []  # document positions, end exclusive

    def set_marks(self, text: str, marks: Sequence[ClaimMark]) -> None:
        at = _utf16(text)
        spans = [(at[m.finding.start], at[m.finding.end], m) for m in marks]
        if spans != self.spans:  # the lines typed were underlined as they changed
            self.spans = spans
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        block = self.currentBlock()
        first, last = block.position(), block.position() + block.length() - 1
        for start, end, mark in self.spans:
            if start >= last or end <= first:
                continue
            look = QTextCharFormat()
            if mark.blocking:
                look.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                look.setUnderlineColor(FLAGGED_COLOR)
            else:
                look.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                look.setUnderlineColor(LET_THROUGH_COLOR)
            begin = max(start, first) - first
            self.setFormat(begin, min(end, last) - first - begin, look)


class ClaimMarks(QObject):
    """The claims check on a segment's text field: underlines, tooltips and the right-click menu.

    ``let_through(mark)`` when the user asks to record an override for a flagged span,
    ``withdraw(override)`` when they take one back; the editor asks who and why, and keeps the
    segment's overrides."""

    let_through = Signal(object)
    withdraw = Signal(object)

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.highlighter = ClaimHighlighter(edit)
        self.menu: QMenu | None = None  # the right-click menu while it is open
        edit.viewport().installEventFilter(self)

    @property
    def marks(self) -> list[ClaimMark]:
        return [mark for _, _, mark in self.highlighter.spans]

    def show_marks(self, marks: Sequence[ClaimMark]) -> None:
        """Underline ``marks`` (their offsets index the field's text as it is now)."""
        self.highlighter.set_marks(self.edit.toPlainText(), marks)

    def mark_at(self, position: int) -> ClaimMark | None:
        """The mark over the character at document ``position``, or just before it (a pointer
        past the middle of the last character places the cursor after it)."""
        for start, end, mark in self.highlighter.spans:
            if start <= position < end or (position == end and end > start):
                return mark
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            mark = self.mark_at(self.edit.cursorForPosition(event.pos()).position())
            if mark is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), mark.describe(), self.edit.viewport())
            return True
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            self.open_menu(event.pos(), event.globalPos())
            return True
        return False

    def open_menu(self, at: QPoint, global_at: QPoint) -> QMenu:
        """The text field's own menu, with the claim under ``at`` (viewport coordinates) first."""
        menu = self.edit.createStandardContextMenu(at)
        menu.setObjectName("claimMenu")
        mark = self.mark_at(self.edit.cursorForPosition(at).position())
        if mark is not None:
            first = menu.actions()[0] if menu.actions() else None
            f = mark.finding
            if mark.override is None:
                action = menu.addAction(
                    self.tr("Let “{text}” through ({id})…").format(text=f.text, id=f.rule.id)
                )
                action.triggered.connect(lambda: self.let_through.emit(mark))
            else:
                action = menu.addAction(
                    self.tr("Withdraw the override for “{text}” ({id})").format(text=f.text, id=f.rule.id)
                )
                action.triggered.connect(lambda: self.withdraw.emit(mark.override))
            action.setObjectName("claimAction")
            if first is not None:
                menu.removeAction(action)
                menu.insertAction(first, action)
                menu.insertSeparator(first)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.menu = menu
        menu.popup(global_at)
        return menu
