"""The show editor's claims check: flagged words underlined as typed, the rule on hover and in the
problems line, a flagged show refused on save until an override (who, why) lets the words through.

Text is typed as a Chinese input method commits it (``QInputMethodEvent``); the checker, rules and
rundown files are the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QInputMethodEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip

from studio.live.rundown import Rundown, Segment, load_rundown
from studio.ui.show_claims import FLAGGED_COLOR, LET_THROUGH_COLOR, RememberingChecker
from studio.ui.show_editor import ShowEditor

CLAIM = "这是最好的杯子"
Underline = QTextCharFormat.UnderlineStyle


@pytest.fixture
def editor(qtbot) -> Iterator[ShowEditor]:  # type: ignore[no-untyped-def]
    widget = ShowEditor(play=lambda samples, rate: None, check_output=lambda: None)
    qtbot.addWidget(widget)
    widget.set_rundown(Rundown((Segment("欢迎来到直播间。"),)))
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _type(editor: ShowEditor, text: str) -> None:
    """Type ``text`` at the end of the segment's text, one character at a time, as an IME commits it."""
    field = editor.text_edit
    field.setFocus()
    field.moveCursor(QTextCursor.MoveOperation.End)
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(field, event)


def _underlines(editor: ShowEditor) -> list[tuple[int, int, Underline, str]]:
    """(start, end, style, colour) of every underlined range in the text field, in document positions."""
    found = []
    block = editor.text_edit.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            style = r.format.underlineStyle()
            if style != Underline.NoUnderline:
                start = block.position() + r.start
                found.append((start, start + r.length, style, r.format.underlineColor().name()))
        block = block.next()
    return found


def _hover(qtbot, editor: ShowEditor, position: int) -> str:  # type: ignore[no-untyped-def]
    """The tooltip shown with the pointer over the character at ``position``."""
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(position)
    rect = editor.text_edit.cursorRect(cursor)
    at = QPoint(rect.left() + 3, rect.center().y())  # just right of the cursor: over the character
    viewport = editor.text_edit.viewport()
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())  # a tooltip fades out, not at once
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def _menu_point(editor: ShowEditor, position: int) -> QPoint:
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(position)
    rect = editor.text_edit.cursorRect(cursor)
    return QPoint(rect.left() + 3, rect.center().y())


def test_a_claim_is_underlined_as_typed_at_its_characters_and_recently_is_not(
    qtbot, editor: ShowEditor
) -> None:  # type: ignore[no-untyped-def]
    _type(editor, CLAIM + "，最近很火。")
    text = editor.text_edit.toPlainText()
    start = text.index("最好")
    assert _underlines(editor) == [(start, start + 2, Underline.SpellCheckUnderline, FLAGGED_COLOR.name())]
    recently = text.index("最近")
    assert all(end <= recently or begin >= recently + 2 for begin, end, *_ in _underlines(editor))
    # The rule on hover over the flagged words, nothing over 最近; and in the problems line.
    assert "ZH-ABS-01" in _hover(qtbot, editor, start) and "最好" in _hover(qtbot, editor, start + 1)
    assert _hover(qtbot, editor, recently) == ""
    problems = editor.problems_label.text()
    assert editor.problems_label.isVisible() and "Segment 1: ZH-ABS-01" in problems and "“最好”" in problems
    # The segment's row in the list is marked too.
    assert editor.table.item(0, 0).text().startswith("⚠")
    # Rephrased: the underline, the problem and the mark go.
    editor.text_edit.setPlainText("这是很好的杯子，最近很火。")
    assert _underlines(editor) == [] and "ZH-ABS-01" not in editor.problems_label.text()
    assert not editor.table.item(0, 0).text().startswith("⚠")


def test_a_line_of_several_blocks_and_wide_characters_is_underlined_in_the_right_place(
    editor: ShowEditor,
) -> None:
    # 🔥 takes two of Qt's positions (UTF-16), and the claim is on the second line of the segment.
    editor.text_edit.setPlainText("欢迎🔥\n全网最低价，治愈失眠")
    text = editor.text_edit.toPlainText()
    spans = [(begin, end) for begin, end, *_ in _underlines(editor)]
    low, cure = text.index("全网最低价") + 1, text.index("治愈") + 1  # +1: 🔥 is one character here
    assert spans == [(low, low + 5), (cure, cure + 2)]


def test_a_flagged_show_is_not_saved_until_an_override_says_who_and_why(
    qtbot, editor: ShowEditor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _type(editor, CLAIM + "。")
    path = tmp_path / "show.rundown.toml"
    assert not editor.export_file(path)
    box = editor.findChild(QMessageBox, "errorDialog")
    assert box is not None and "ZH-ABS-01" in box.text() and "right-click" in box.informativeText()
    box.close()
    assert not path.exists()

    start = editor.text_edit.toPlainText().index("最好")
    claims = editor.form.claims
    menu = claims.open_menu(_menu_point(editor, start), QPoint(0, 0))
    let_through = menu.actions()[0]
    assert let_through.text() == "Let “最好” through (ZH-ABS-01)…"
    let_through.trigger()
    menu.close()
    dialog = editor.form.override_dialog
    assert dialog is not None
    dialog.by_edit.setText("li.wei")
    assert not dialog.ok_button.isEnabled()  # no override without a reason
    dialog.reason_edit.setText("Cup of the year 2026, certificate no. 123")
    dialog.ok_button.click()

    (override,) = editor.rundown().segments[0].overrides
    assert (override.rule, override.text, override.by) == ("ZH-ABS-01", "最好", "li.wei")
    assert _underlines(editor) == [(start, start + 2, Underline.DotLine, LET_THROUGH_COLOR.name())]
    assert "li.wei" in _hover(qtbot, editor, start) and "ZH-ABS-01" not in editor.problems_label.text()
    assert editor.export_file(path)
    # The file runs as it is: the show's own check lets the line through, with who and why.
    (saved,) = load_rundown(path).segments
    assert saved.overrides == (override,)

    # Withdrawn: flagged again, and the show is refused again.
    menu = claims.open_menu(_menu_point(editor, start), QPoint(0, 0))
    withdraw = menu.actions()[0]
    assert withdraw.text().startswith("Withdraw the override for “最好”")
    withdraw.trigger()
    menu.close()
    assert editor.rundown().segments[0].overrides == ()
    assert _underlines(editor)[0][2] == Underline.SpellCheckUnderline
    assert not editor.export_file(tmp_path / "again.rundown.toml")


def test_an_override_covers_only_its_words(editor: ShowEditor) -> None:
    _type(editor, CLAIM + "。")
    start = editor.text_edit.toPlainText().index("最好")
    menu = editor.form.claims.open_menu(_menu_point(editor, start), QPoint(0, 0))
    menu.actions()[0].trigger()
    menu.close()
    dialog = editor.form.override_dialog
    assert dialog is not None
    dialog.reason_edit.setText("ranking")
    dialog.ok_button.click()
    # A new claim under the same rule in the same line is flagged again.
    _type(editor, "最便宜的价格。")
    styles = [style for *_, style, _ in _underlines(editor)]
    assert styles == [Underline.DotLine, Underline.SpellCheckUnderline]
    assert "“最便宜”" in editor.problems_label.text() and "“最好”" not in editor.problems_label.text()


def test_loop_scoped_urgency_is_flagged_only_when_the_show_repeats_it(editor: ShowEditor) -> None:
    _type(editor, "最后一天，赶紧下单！")
    assert _underlines(editor)  # the show loops by default: the "last day" comes back every pass
    editor.loop_check.setChecked(False)
    assert _underlines(editor) == []


def test_the_checker_remembers_lines_it_has_checked() -> None:
    checker = RememberingChecker()
    first = checker.check(CLAIM)
    assert [f.text for f in first] == ["最好"] and checker.check(CLAIM) == first
    first.clear()  # a caller's list is its own
    assert [f.text for f in checker.check(CLAIM)] == ["最好"]


def test_the_live_page_will_not_start_the_editors_flagged_show(qtbot, editor: ShowEditor) -> None:  # type: ignore[no-untyped-def]
    from studio.avatar.library import demo_package_path
    from studio.avatar.package import load_avatar
    from studio.outputs.devices import AudioDevice, DeviceList
    from studio.settings.app_settings import AppSettings, OutputSettings
    from studio.ui.live_panel import LivePanel

    _type(editor, "This is the best cup in the world.")
    speakers = DeviceList(audio_outputs=[AudioDevice("Test Speakers", "ALSA", 2, True)])
    panel = LivePanel(list_devices=lambda: speakers)
    qtbot.addWidget(panel)
    panel.set_settings(AppSettings(width=320, height=240, outputs=OutputSettings(audio_out=False)))
    panel.set_avatar(load_avatar(demo_package_path(), ""))
    panel.set_rundown_source(editor.rundown)
    panel.show()
    qtbot.waitUntil(lambda: panel.outputs_box.audio_found is not None)
    try:
        panel.start_button.click()
        qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "errorDialog") is not None, timeout=30_000)
        box = panel.findChild(QMessageBox, "errorDialog")
        # The same words the editor underlines.
        assert box is not None and "EN-ABS-01" in box.text() and '"the best"' in box.text()
        text = editor.text_edit.toPlainText()
        assert [(b, e) for b, e, *_ in _underlines(editor)] == [(text.index("the best"), text.index(" cup"))]
        qtbot.waitUntil(lambda: panel.state == "stopped")
        assert panel.current_show is None
    finally:
        panel.shutdown()
