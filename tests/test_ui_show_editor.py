"""The show editor: the demo rundown edited, exported and imported; voices previewed for real.

Speech is synthesised by the real offline engines; only the sound card is faked (``play`` and
``check_output``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from studio.live.rundown import Rundown, Segment, load_rundown
from studio.outputs.base import OutputError
from studio.resources import asset_path
from studio.ui.show_editor import ShowEditor
from studio.ui.show_segments import spoken_seconds
from studio.voice.registry import all_voices

pytest_plugins = ["voice_fixtures"]

DEMO = asset_path("demo", "demo.rundown.toml")
# Where nothing listens: the online voice's connection is refused at once, for real.
REFUSED_URL = "wss://127.0.0.1:9/edge/v1?TrustedClientToken=0"


class FakeSpeakers:
    """The device boundary: records what would have been played, on which thread, and the
    device checks; ``missing`` is what a check raises (no device), ``error`` what playing does."""

    def __init__(self, error: Exception | None = None, missing: Exception | None = None) -> None:
        self.played: list[tuple[np.ndarray, int]] = []
        self.events: list[tuple[str, bool]] = []  # (what, on the Qt thread)
        self.stopped = 0
        self.error = error
        self.missing = missing

    def check(self) -> None:
        self.events.append(("check", threading.current_thread() is threading.main_thread()))
        if self.missing is not None:
            raise self.missing

    def __call__(self, samples: np.ndarray, sample_rate: int) -> Any:
        self.events.append(("play", threading.current_thread() is threading.main_thread()))
        if self.error is not None:
            raise self.error
        self.played.append((samples, sample_rate))
        return self

    def stop(self) -> None:
        self.stopped += 1


@pytest.fixture
def speakers() -> FakeSpeakers:
    return FakeSpeakers()


@pytest.fixture
def editor(qtbot, speakers: FakeSpeakers) -> Iterator[ShowEditor]:  # type: ignore[no-untyped-def]
    widget = ShowEditor(play=speakers, check_output=speakers.check)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


class Picked:
    """A voice Studio picks by itself: its id, its line in the list, and how a sentence names it."""

    def __init__(self, voice_id: str, label: str, described: str) -> None:
        self.id, self.label, self.described = voice_id, label, described


# The voices picked for English and for Chinese text: Kokoro's when installed, else Piper's joe
# and eSpeak's Mandarin (the editor is made after ``kokoro_state``, which comes first).
PICKED = pytest.mark.parametrize(
    ("kokoro_state", "english", "chinese"),
    [
        (
            "kokoro",
            Picked("kokoro:af_heart", "English (US) · Heart", "Heart (English (US), natural)"),
            Picked(
                "kokoro:zf_xiaoxiao",
                "Chinese (Mandarin) · Xiaoxiao",
                "Xiaoxiao (Chinese (Mandarin), natural)",
            ),
        ),
        (
            "no-kokoro",
            Picked("piper:en_US-joe-medium", "English (US) · Joe", "Joe (English (US), natural)"),
            Picked(
                "espeak:cmn", "Chinese (Mandarin) · eSpeak", "Chinese (Mandarin) · eSpeak (basic, offline)"
            ),
        ),
    ],
    indirect=["kokoro_state"],
)


def _error_dialog(qtbot, parent: ShowEditor) -> QMessageBox:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "errorDialog") is not None, timeout=15000)
    box = parent.findChild(QMessageBox, "errorDialog")
    assert box is not None
    return box


def _titles(editor: ShowEditor) -> list[str]:
    return [editor.table.item(row, 0).text() for row in range(editor.table.rowCount())]


def test_demo_edited_exported_and_imported_again(qtbot, editor: ShowEditor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths: list[str] = []
    editor.path_changed.connect(paths.append)
    assert editor.import_file(DEMO)
    demo = load_rundown(DEMO)
    assert editor.rundown() == demo and editor.current_path == str(DEMO) and paths == [str(DEMO)]
    assert _titles(editor) == ["Welcome", "Hydrating serum", "Offer", "Questions"]
    assert editor.problems() == []

    editor.table.setCurrentCell(2, 0)
    assert editor.text_edit.toPlainText() == demo.segments[2].text
    assert editor.repeat_spin.value() == 2 and editor.pause_spin.value() == 600
    assert editor.voice_picker.voice() == "piper:en_US-joe-medium"

    changes: list[int] = []
    editor.changed.connect(lambda: changes.append(1))
    editor.title_edit.selectAll()
    qtbot.keyClicks(editor.title_edit, "Flash offer")
    editor.text_edit.setPlainText("Only today: twenty percent off!\n今天全场八折。")
    assert editor.voice_picker.select("espeak:cmn")
    editor.repeat_spin.setValue(3)
    editor.pause_spin.setValue(250)
    editor.loop_check.setChecked(False)
    assert changes

    edited = editor.rundown()
    assert edited.loop is False
    assert edited.segments[2] == Segment(
        text="Only today: twenty percent off!\n今天全场八折。",
        voice="espeak:cmn",
        repeat=3,
        pause_ms=250,
        title="Flash offer",
    )
    assert edited.segments[:2] == demo.segments[:2] and edited.segments[3] == demo.segments[3]
    assert editor.table.item(2, 0).text() == "Flash offer"
    assert editor.table.item(2, 2).text() == "3 ×"

    out = tmp_path / "monday.rundown.toml"
    assert editor.export_file(out)
    assert editor.current_path == str(out) and paths == [str(DEMO), str(out)]
    assert editor.export_file(out) and paths[-1] == str(out)  # each export is news for the settings
    assert load_rundown(out) == edited  # what the CLI's `studio live --script` reads
    assert 'voice = "espeak:cmn"' in out.read_text(encoding="utf-8")

    again = ShowEditor(play=FakeSpeakers(), check_output=FakeSpeakers().check)
    qtbot.addWidget(again)
    assert again.import_file(out)
    assert again.rundown() == edited
    again.table.setCurrentCell(2, 0)
    assert again.voice_picker.voice() == "espeak:cmn" and again.repeat_spin.value() == 3


def test_add_duplicate_remove_and_move(editor: ShowEditor) -> None:
    editor.set_rundown(load_rundown(DEMO))
    editor.table.setCurrentCell(0, 0)
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()

    editor.down_button.click()  # Welcome after Hydrating serum
    assert [s.title for s in editor.rundown().segments] == [
        "Hydrating serum",
        "Welcome",
        "Offer",
        "Questions",
    ]
    assert editor.table.currentRow() == 1

    editor.duplicate_button.click()  # a copy of Welcome right after it
    titles = [s.title for s in editor.rundown().segments]
    assert titles == ["Hydrating serum", "Welcome", "Welcome", "Offer", "Questions"]
    assert editor.table.currentRow() == 2

    editor.add_button.click()  # an empty segment after the copy, selected and ready to type in
    assert editor.table.rowCount() == 6 and editor.table.currentRow() == 3
    assert editor.text_edit.toPlainText() == ""
    assert len(editor.rundown().segments) == 5  # it says nothing yet, so it is not in the show
    assert editor.problems() == ["Segment 4 has no text, so it is left out: write some, or remove it."]
    assert not editor.problems_label.isHidden()
    editor.text_edit.setPlainText("Follow me for more.")
    assert editor.problems() == [] and editor.problems_label.isHidden()
    assert editor.rundown().segments[3] == Segment("Follow me for more.")

    editor.table.setCurrentCell(5, 0)
    assert editor.down_button.isEnabled() is False
    editor.up_button.click()
    editor.remove_button.click()  # Questions, now at row 4
    titles = [s.title for s in editor.rundown().segments]
    assert titles == ["Hydrating serum", "Welcome", "Welcome", "", "Offer"]
    for _ in range(5):
        editor.remove_button.click()
    # The editor keeps one empty segment to type into; the show has nothing to say.
    assert editor.table.rowCount() == 1 and editor.rundown().segments == ()
    assert editor.problems()[0].startswith("The show has nothing to say yet")


def test_a_removed_segment_can_be_put_back(  # type: ignore[no-untyped-def]
    qtbot, speakers: FakeSpeakers, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studio.ui.show_editor

    monkeypatch.setattr(studio.ui.show_editor, "UNDO_SECONDS", 0.5)
    editor = ShowEditor(play=speakers, check_output=speakers.check)
    qtbot.addWidget(editor)
    with qtbot.waitActive(editor):  # shortcuts go to the active window
        editor.show()
        editor.activateWindow()
    demo = load_rundown(DEMO)
    editor.set_rundown(demo)
    assert editor.undo_button.isHidden()

    editor.table.setCurrentCell(2, 0)
    editor.remove_button.click()  # no question asked: it can be put back instead
    assert _titles(editor) == ["Welcome", "Hydrating serum", "Questions"]
    assert editor.undo_button.isVisible() and "“Offer”" in editor.undo_button.toolTip()
    editor.undo_button.click()
    assert editor.rundown() == demo and editor.table.currentRow() == 2
    assert editor.undo_button.isHidden() and not editor.undo_remove()  # once only

    editor.remove_button.setFocus()  # where the click leaves it
    editor.remove_button.click()
    qtbot.keyClick(editor.remove_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.rundown() == demo and editor.undo_button.isHidden()

    # In the text field Ctrl+Z undoes the typing there, not the removal.
    editor.remove_button.click()
    typed = editor.text_edit.toPlainText()
    editor.text_edit.setFocus()
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.text_edit, " Bye")
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text_edit.toPlainText() == typed and len(editor.rundown().segments) == 3
    # The offer lasts a while, then goes.
    qtbot.waitUntil(editor.undo_button.isHidden, timeout=3000)
    assert not editor.undo_remove() and len(editor.rundown().segments) == 3

    # The last segment removed comes back alone, not after the empty one left in its place.
    editor.set_rundown(Rundown((Segment("Only me."),)))
    editor.remove_button.click()
    assert editor.rundown().segments == () and editor.table.rowCount() == 1
    assert editor.undo_remove()
    assert editor.rundown().segments == (Segment("Only me."),) and editor.table.rowCount() == 1
    editor.shutdown()


def test_a_new_show_has_a_problem_until_it_has_text(editor: ShowEditor) -> None:
    assert editor.rundown() == Rundown((), loop=True)
    assert editor.problems() == [
        "The show has nothing to say yet: write some text in a segment, or import a show."
    ]
    editor.text_edit.setPlainText("Hello and welcome!")
    assert editor.problems() == []
    assert editor.rundown() == Rundown((Segment("Hello and welcome!"),), loop=True)


def test_a_voice_that_is_not_installed_is_reported(editor: ShowEditor, tmp_path: Path) -> None:
    path = tmp_path / "old.rundown.toml"
    path.write_text(
        'version = 1\n[[segment]]\ntext = "Hi."\nvoice = "piper:de_DE-nobody-low"\n'
        '[[segment]]\ntext = "Bye."\nvoice = "cmn"\n'  # a bare id the registry accepts
        '[[segment]]\ntext = "Ciao."\nvoice = "espeak:it+f3"\n',  # an eSpeak variant
        encoding="utf-8",
    )
    assert editor.import_file(path)
    assert editor.problems() == [
        "Segment 1 uses the voice 'piper:de_DE-nobody-low', which is not installed here: pick another voice."
    ]
    assert "not installed" in editor.voice_picker.combo.currentText()
    assert "not installed" in editor.voice_picker.note.text()
    editor.table.setCurrentCell(2, 0)
    assert editor.voice_picker.combo.currentText() == "espeak:it+f3"
    assert editor.rundown() == load_rundown(path)  # showing a voice does not change it


def test_plain_text_script_imports_one_segment_a_line(editor: ShowEditor, tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("Hello everyone!\n\n欢迎来到直播间。\nSee you soon.\n", encoding="utf-8")
    assert editor.import_file(script)
    assert editor.rundown() == Rundown(
        (Segment("Hello everyone!"), Segment("欢迎来到直播间。"), Segment("See you soon.")), loop=True
    )
    assert editor.current_path == ""  # a script is not a rundown to save back to
    assert _titles(editor)[1] == "欢迎来到直播间。"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('version = 1\n[[segment]\ntext = "x"', "is not valid TOML"),
        ('version = 1\n[[segment]]\ntext = "Hi"\nrepeat = 0\n', "'repeat' must be a whole number"),
        (None, "does not exist"),
    ],
)
def test_a_bad_file_gives_an_error_dialog_and_keeps_the_show(  # type: ignore[no-untyped-def]
    qtbot, editor: ShowEditor, tmp_path: Path, content: str | None, message: str
) -> None:
    editor.import_file(DEMO)
    paths: list[str] = []
    editor.path_changed.connect(paths.append)
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert not editor.import_file(path)
    assert paths == []  # only a show that was read is the show's file
    box = _error_dialog(qtbot, editor)
    assert message in box.text() and box.informativeText()
    box.close()
    assert editor.rundown() == load_rundown(DEMO) and editor.current_path == str(DEMO)


def test_export_refuses_an_empty_show_and_an_unwritable_place(
    qtbot, editor: ShowEditor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert not editor.export_file(tmp_path / "empty.toml")
    box = _error_dialog(qtbot, editor)
    assert "nothing to say" in box.text() and not (tmp_path / "empty.toml").exists()
    box.close()
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "errorDialog") is None)

    editor.text_edit.setPlainText("Hello.")
    folder = tmp_path / "a folder"
    folder.mkdir()
    paths: list[str] = []
    editor.path_changed.connect(paths.append)
    assert not editor.export_file(folder)
    box = _error_dialog(qtbot, editor)
    assert box.text().startswith(f"Could not write {folder}")
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert paths == [] and editor.current_path == ""


@PICKED
def test_voices_are_grouped_and_named_in_words(
    kokoro_state: str, english: Picked, chinese: Picked, editor: ShowEditor
) -> None:
    picker = editor.voice_picker
    combo = picker.combo
    assert combo.itemData(0) == "" and combo.itemText(0).startswith("Default voice")
    texts = [combo.itemText(i) for i in range(combo.count())]
    # Natural offline voices first, then the online ones, then eSpeak's; each group titled.
    titles = [
        "Natural, offline (Kokoro, Piper)",
        "Online (sends text to Microsoft)",
        "Basic, offline (eSpeak, robotic)",
    ]
    assert [texts.index(t) for t in titles] == sorted(texts.index(t) for t in titles)
    # By language name, then voice name: Kokoro's Mandarin voices lead its English ones.
    first = "Chinese (Mandarin) · Xiaobei" if kokoro_state == "kokoro" else "English (US) · Joe"
    assert texts[texts.index(titles[0]) + 1] == first
    assert texts.index(english.label) < texts.index(titles[1])  # natural (or basic) as grouped
    assert (texts.index(chinese.label) < texts.index(titles[1])) == (kokoro_state == "kokoro")
    for title in titles:  # a title is not a voice: it cannot be chosen
        assert not combo.model().flags(combo.model().index(texts.index(title), 0)) & Qt.ItemFlag.ItemIsEnabled
    assert picker.listed() == ["", *(v.id for v in picker.voices)] and len(picker.voices) == len(all_voices())
    items = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert items["edge:en-US-AriaNeural"] == "English (US) · Aria ☁"
    assert items["espeak:en-gb-x-gbcwmd"] == "English (UK) · eSpeak, West Midlands accent"
    for voice in all_voices():
        assert ("☁" in items[voice.id]) == voice.needs_network and ":" not in items[voice.id]
    aria = combo.findData("edge:en-US-AriaNeural")
    assert "sends the text to Microsoft's service" in combo.itemData(aria, Qt.ItemDataRole.ToolTipRole)

    assert picker.select("edge:en-US-AriaNeural")
    assert picker.note.text().startswith("☁ Online: sends the text to Microsoft's service")
    assert editor.table.item(0, 1).text() == "English (US) · Aria ☁"
    assert editor.rundown().segments == ()  # the segment has no text yet
    assert picker.select("piper:en_US-joe-medium") and picker.note.text().startswith("Natural-sounding")
    assert picker.select("espeak:en-us") and picker.note.text().startswith("Basic, robotic-sounding")
    assert picker.select("")
    assert picker.note.text().startswith(f"Picked from the text: {english.described}")


def test_the_filter_finds_languages_for_every_engine(qtbot, editor: ShowEditor) -> None:  # type: ignore[no-untyped-def]
    picker = editor.voice_picker
    assert picker.filter.placeholderText() == "Filter: language, name or code (e.g. english, zh, Aria)"
    assert picker.select("espeak:de")
    qtbot.keyClicks(picker.filter, "english")
    listed = picker.listed()
    assert {"piper:en_US-joe-medium", "edge:en-US-AriaNeural", "espeak:en-us"} <= set(listed)
    assert "espeak:de" in listed  # kept: chosen
    assert not any(v.startswith(("edge:zh", "espeak:cmn", "espeak:fr")) for v in listed)
    texts = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert "Online (sends text to Microsoft)" in texts  # the groups keep their titles

    picker.filter.setText("zh")
    assert {"edge:zh-CN-XiaoxiaoNeural", "espeak:cmn", "espeak:yue"} <= set(picker.listed())
    assert "edge:en-US-AriaNeural" not in picker.listed()
    picker.filter.setText("online")
    listed = [v for v in picker.listed() if v not in ("", "espeak:de")]
    assert listed and all(v.startswith("edge:") for v in listed)
    picker.filter.setText("no such voice")
    assert picker.listed() == ["", "espeak:de"]
    texts = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert "Online (sends text to Microsoft)" not in texts  # no title over an empty group
    assert picker.voice() == "espeak:de"  # filtering never changes the choice


def test_the_layout_holds_still_when_the_voice_changes(qtbot, editor: ShowEditor) -> None:  # type: ignore[no-untyped-def]
    editor.resize(1100, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_rundown(load_rundown(DEMO))
    note, picker = editor.voice_picker.note, editor.voice_picker
    assert note.minimumHeight() >= 2 * note.fontMetrics().lineSpacing()
    assert picker.filter.width() >= picker.combo.width()  # its own row, as wide as the list
    places: set[tuple[int, int]] = set()
    for voice in (
        "",
        "edge:en-US-AriaNeural",  # online: the voice check appears under the picker
        "espeak:en-gb-x-gbcwmd",
        "piper:en_US-joe-medium",
        "espeak:hak",
    ):
        assert picker.select(voice)
        editor.repeat_spin.setValue(3 if voice == "espeak:hak" else 1)
        qtbot.wait(10)  # let the layout settle
        buttons = (picker.preview_button, editor.repeat_spin)
        places.add(tuple(b.mapTo(editor, b.rect().topLeft()).y() for b in buttons))  # type: ignore[arg-type]
    assert not editor.form.voice_check.showing  # Hakka reads Latin letters: nothing to say
    assert len(places) == 1, places  # the Voice and Repeat rows never moved


def test_columns_show_whole_voice_names_or_elide_them_with_a_tooltip(qtbot, editor: ShowEditor) -> None:  # type: ignore[no-untyped-def]
    editor.resize(1800, 700)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    metrics = table.fontMetrics()
    # A long name, a long pause and a long repeat count: each column fits its text whole.
    editor.set_rundown(
        Rundown((Segment("Hello there.", "espeak:en-gb-x-gbcwmd", repeat=1000, pause_ms=10000),))
    )
    qtbot.wait(10)
    for column in range(1, table.columnCount()):
        text = table.item(0, column).text()
        assert table.columnWidth(column) >= metrics.horizontalAdvance(text), (column, text)
    assert table.item(0, 1).text() == "English (UK) · eSpeak, West Midlands accent"
    assert table.columnWidth(0) > table.columnWidth(1) / 2  # the segment keeps room
    # A narrow table: the voice column takes at most its share, the whole name in the tooltip.
    editor.resize(640, 700)
    floor = metrics.horizontalAdvance("English (US) · Joe")

    def share() -> int:
        numbers = sum(table.columnWidth(c) for c in range(2, table.columnCount()))
        return max(
            floor + 18,
            table.viewport().width() - numbers - min(metrics.horizontalAdvance("Hello there.") + 18, 160),
        )

    qtbot.waitUntil(lambda: table.columnWidth(1) <= share())
    assert table.columnWidth(1) < metrics.horizontalAdvance(table.item(0, 1).text())  # elided
    assert "West Midlands accent" in table.item(0, 1).toolTip()
    # The voice list's popup is as wide as its longest name.
    combo = editor.voice_picker.combo
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    combo.showPopup()
    qtbot.waitUntil(lambda: combo.view().isVisible())
    assert combo.view().width() >= widest
    combo.hidePopup()


def test_the_estimate_says_it_is_one(editor: ShowEditor) -> None:
    editor.text_edit.setPlainText("One two three four five. Six seven eight nine ten.")
    editor.pause_spin.setValue(500)
    # Ten words at 2.5 a second, and two pauses of half a second.
    assert spoken_seconds("One two three four five. Six seven eight nine ten.") == pytest.approx(4.0)
    assert editor.estimate_label.text() == "About 5 s spoken, pauses included (estimate)."
    assert "150 words" in editor.estimate_label.toolTip()
    editor.repeat_spin.setValue(3)
    assert "About 5 s spoken, 15 s with 3 repeats" in editor.estimate_label.text()
    assert editor.table.item(0, 4).text() == "≈ 15 s"
    assert "15 s per pass (estimate)" in editor.total_label.text()
    assert spoken_seconds("大家好欢迎来到直播间") == pytest.approx(10 / 4.5)


def test_preview_plays_real_speech_in_the_chosen_voice(
    qtbot, editor: ShowEditor, speakers: FakeSpeakers
) -> None:  # type: ignore[no-untyped-def]
    editor.text_edit.setPlainText("Welcome to the show.")
    assert editor.voice_picker.select("espeak:cmn")
    qtbot.mouseClick(editor.voice_picker.preview_button, Qt.MouseButton.LeftButton)
    assert editor.previewing
    editor.voice_picker.preview_button.click()  # a second click while it is being made: ignored
    qtbot.waitUntil(lambda: len(speakers.played) == 1, timeout=15000)
    assert editor._runner.wait(5)
    samples, rate = speakers.played[0]
    assert rate == 22050 and samples.dtype == np.float32
    assert 1.0 < samples.size / rate < 8.0
    assert float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) > 0.02  # not silence
    # The device is checked first, and nothing touches PortAudio on the Qt thread.
    assert speakers.events == [("check", False), ("play", False)]
    assert editor.voice_picker.preview_button.isEnabled()

    # A second preview silences the first before it speaks.
    qtbot.waitUntil(lambda: not editor.previewing)
    editor.voice_picker.preview_button.click()
    qtbot.waitUntil(lambda: len(speakers.played) == 2, timeout=15000)
    assert editor._runner.wait(5)
    assert speakers.stopped == 1
    assert editor.findChild(QMessageBox, "errorDialog") is None


def test_no_sound_card_is_said_before_any_speech_is_made(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edge_tts.communicate

    # An online voice that would fail with a network error if its speech were made at all.
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    no_device = OutputError("No audio output device found.", "Connect speakers or headphones.")
    speakers = FakeSpeakers(missing=no_device)
    editor = ShowEditor(play=speakers, check_output=speakers.check)
    qtbot.addWidget(editor)
    editor.show()
    editor.voice_picker.select("edge:en-US-AriaNeural")
    editor.voice_picker.preview_button.setFocus()
    editor.voice_picker.preview_button.click()
    box = _error_dialog(qtbot, editor)
    assert editor._runner.wait(5)
    assert box.text() == "No audio output device found." and "Connect speakers" in box.informativeText()
    assert speakers.events == [("check", False)] and speakers.played == []
    editor.repeat_spin.setFocus()  # where focus went before: the next field after the button
    box.done(QMessageBox.StandardButton.Ok)
    assert editor.focusWidget() is editor.voice_picker.preview_button
    editor.shutdown()


def test_a_device_that_will_not_play_is_an_error_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    busy = OutputError("The audio output 'USB' would not start: busy.", "Close other apps using it.")
    speakers = FakeSpeakers(error=busy)
    editor = ShowEditor(play=speakers, check_output=speakers.check)
    qtbot.addWidget(editor)
    editor.voice_picker.select("espeak:en-us")
    editor.voice_picker.preview_button.click()
    box = _error_dialog(qtbot, editor)
    assert (
        box.text() == "The audio output 'USB' would not start: busy." and box.windowTitle() == "Voice preview"
    )
    assert editor._runner.wait(5)
    editor.shutdown()


@PICKED
def test_an_online_voice_without_the_network_names_an_offline_one(  # type: ignore[no-untyped-def]
    kokoro_state: str,
    english: Picked,
    chinese: Picked,
    qtbot,
    editor: ShowEditor,
    speakers: FakeSpeakers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    editor.text_edit.setPlainText("Hello there.")
    assert editor.voice_picker.select("edge:en-US-AriaNeural")
    editor.voice_picker.preview_button.click()
    box = _error_dialog(qtbot, editor)
    assert editor._runner.wait(10)
    assert box.text() == (
        "Aria (online) could not reach Microsoft's voice service: this computer seems to be offline."
    )
    assert box.informativeText() == f"Choose an offline voice such as {english.described} and try again."
    assert speakers.played == []


@PICKED
def test_a_voice_that_cannot_read_the_text_is_said_as_the_user_types_with_a_fix(
    kokoro_state: str,
    english: Picked,
    chinese: Picked,
    qtbot,  # type: ignore[no-untyped-def]
    editor: ShowEditor,
) -> None:
    check = editor.form.voice_check
    assert editor.voice_picker.select("piper:en_US-joe-medium")
    editor.text_edit.setPlainText("Welcome, everyone!")
    assert not check.showing and check.fix_button.isHidden()
    # Typing Chinese under an English voice: said at once, on the segment and in its row.
    editor.text_edit.setPlainText("欢迎来到直播间！")
    assert check.showing
    assert "Chinese characters" in check.label.text() and "English (US) · Joe" in check.label.text()
    assert check.fix_button.isVisibleTo(editor)
    assert check.fix_button.text() == f"Use {chinese.label}"
    assert editor.table.item(0, 1).text().startswith("⚠ ")
    assert any("Chinese characters" in p for p in editor.problems())
    # One click: an installed, offline voice that reads it.
    qtbot.mouseClick(check.fix_button, Qt.MouseButton.LeftButton)
    assert editor.rundown().segments[0].voice == chinese.id
    assert editor.voice_picker.voice() == chinese.id
    assert not check.showing and editor.problems() == []
    assert not editor.table.item(0, 1).text().startswith("⚠")


@PICKED
def test_an_online_voice_is_flagged_when_picked_with_an_offline_one_offered(
    kokoro_state: str,
    english: Picked,
    chinese: Picked,
    qtbot,  # type: ignore[no-untyped-def]
    editor: ShowEditor,
) -> None:
    check = editor.form.voice_check
    editor.text_edit.setPlainText("今天有特别优惠。")
    editor.voice_picker.filter.setText("xiaoxiao")  # the fix must work through a filter too
    assert editor.voice_picker.select("edge:zh-CN-XiaoxiaoNeural")
    assert check.showing and "internet" in check.label.text()
    # What the live show would fall back to without the network, named before it happens.
    assert chinese.label in check.label.text()
    assert check.fix_button.text() == f"Use {chinese.label}"
    assert editor.problems() == []  # online is a choice, not a fault: said beside the voice
    qtbot.mouseClick(check.fix_button, Qt.MouseButton.LeftButton)
    assert editor.rundown().segments[0].voice == chinese.id and not check.showing


@PICKED
def test_a_voice_not_installed_is_offered_an_installed_one(
    kokoro_state: str, english: Picked, chinese: Picked, editor: ShowEditor
) -> None:
    editor.set_rundown(Rundown((Segment("Hi there.", "piper:de_DE-nobody-low"),)))
    check = editor.form.voice_check
    assert check.showing and "silent" in check.label.text()
    assert check.fix_button.text() == f"Use {english.label}"  # what reads this text
    check.fix_button.click()
    assert editor.rundown().segments[0].voice == english.id


def test_new_show_asks_first_then_starts_empty(qtbot, editor: ShowEditor) -> None:  # type: ignore[no-untyped-def]
    paths: list[str] = []
    editor.path_changed.connect(paths.append)
    assert editor.import_file(DEMO)
    editor.new_button.click()
    box = editor.new_box
    assert box is not None
    assert "4 segments" in box.text() and "Save show as" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()  # changing one's mind keeps the show
    assert editor.rundown() == load_rundown(DEMO) and editor.current_path == str(DEMO)
    editor.new_button.click()
    assert editor.new_box is not None
    yes = next(b for b in editor.new_box.buttons() if b.text() == "New show")
    yes.click()
    assert editor.rundown() == Rundown((), loop=True)
    assert editor.table.rowCount() == 1 and editor.text_edit.toPlainText() == ""
    assert editor.current_path == "" and paths[-1] == ""  # the settings forget the old file
    # Nothing to lose: no question.
    editor.new_box = None
    editor.ask_new()
    assert editor.new_box is None and editor.rundown() == Rundown((), loop=True)


def test_save_as_writes_the_rundown_the_cli_reads(  # type: ignore[no-untyped-def]
    qtbot, editor: ShowEditor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.ui.file_dialogs import FolderMemory

    editor.text_edit.setPlainText("Hello and welcome!")
    chosen = tmp_path / "friday"  # typed without the suffix
    monkeypatch.setattr(FolderMemory, "save_file", lambda *_args: chosen)
    assert editor.export_button.text() == "Save show as…"
    editor.export_button.click()
    saved = tmp_path / "friday.toml"
    assert load_rundown(saved) == editor.rundown() and editor.current_path == str(saved)


def test_the_page_says_it_saves_automatically(editor: ShowEditor, tmp_path: Path) -> None:
    note = editor.saved_note
    assert note.text() == "Saved automatically as you edit"
    editor.note_saved(tmp_path / "show.rundown.toml")  # what the main window's autosave calls
    assert note.text().startswith("Saved automatically at ")
    assert str(tmp_path / "show.rundown.toml") in note.toolTip()
