"""The show editor: the demo rundown edited, exported and imported; voices previewed for real.

Speech is synthesised by the real offline engines; only the sound card is faked (``play``).
"""

from __future__ import annotations

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

DEMO = asset_path("demo", "demo.rundown.toml")
# Where nothing listens: the online voice's connection is refused at once, for real.
REFUSED_URL = "wss://127.0.0.1:9/edge/v1?TrustedClientToken=0"


class FakeSpeakers:
    """The device boundary: records what would have been played."""

    def __init__(self, error: Exception | None = None) -> None:
        self.played: list[tuple[np.ndarray, int]] = []
        self.stopped = 0
        self.error = error

    def __call__(self, samples: np.ndarray, sample_rate: int) -> Any:
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
    widget = ShowEditor(play=speakers)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


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
    assert editor.current_path == str(out) and paths[-1] == str(out)
    assert load_rundown(out) == edited  # what the CLI's `studio live --script` reads
    assert 'voice = "espeak:cmn"' in out.read_text(encoding="utf-8")

    again = ShowEditor(play=FakeSpeakers())
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


def test_a_new_show_has_a_problem_until_it_has_text(editor: ShowEditor) -> None:
    assert editor.rundown() == Rundown((), loop=True)
    assert editor.problems() == [
        "The show has nothing to say yet: write some text in a segment, or import a rundown."
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
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert not editor.import_file(path)
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
    assert not editor.export_file(folder)
    box = _error_dialog(qtbot, editor)
    assert box.text().startswith(f"Could not write {folder}")
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_voices_are_listed_by_language_and_online_ones_marked(editor: ShowEditor) -> None:
    picker = editor.voice_picker
    combo = picker.combo
    assert combo.itemData(0) == "" and combo.itemText(0).startswith("Default voice")
    assert combo.count() == 1 + len(all_voices())
    items = {combo.itemData(i): combo.itemText(i) for i in range(1, combo.count())}
    for voice in all_voices():
        assert ("☁" in items[voice.id]) == voice.needs_network
    aria = combo.findData("edge:en-US-AriaNeural")
    assert "Microsoft's service" in combo.itemData(aria, Qt.ItemDataRole.ToolTipRole)
    assert picker.select("edge:en-US-AriaNeural")
    assert "☁ online: sends the text to Microsoft's service" in picker.note.text()
    assert "☁" in editor.table.item(0, 1).text()
    assert editor.rundown().segments == ()  # the segment has no text yet

    picker.filter.setText("zh")
    listed = [combo.itemData(i) for i in range(1, combo.count())]
    assert "edge:zh-CN-XiaoxiaoNeural" in listed and "edge:en-US-AriaNeural" in listed  # kept: chosen
    assert all("zh" in v.casefold() for v in listed if v != "edge:en-US-AriaNeural")
    picker.filter.setText("online")
    listed = [combo.itemData(i) for i in range(1, combo.count())]
    assert listed and all(v.startswith("edge:") for v in listed)
    assert picker.voice() == "edge:en-US-AriaNeural"  # filtering never changes the choice

    assert picker.select("")
    assert "Studio picks the voice from the text" in picker.note.text()


def test_the_estimate_says_it_is_one(editor: ShowEditor) -> None:
    editor.text_edit.setPlainText("One two three four five. Six seven eight nine ten.")
    editor.pause_spin.setValue(500)
    # Ten words at 2.5 a second, and two pauses of half a second.
    assert spoken_seconds("One two three four five. Six seven eight nine ten.") == pytest.approx(4.0)
    assert editor.estimate_label.text().startswith("About 5 s spoken, pauses included (an estimate")
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
    qtbot.waitUntil(lambda: len(speakers.played) == 1, timeout=15000)
    assert editor._runner.wait(5)
    samples, rate = speakers.played[0]
    assert rate == 22050 and samples.dtype == np.float32
    assert 1.0 < samples.size / rate < 8.0
    assert float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) > 0.02  # not silence
    qtbot.waitUntil(editor.voice_picker.preview_button.isEnabled)

    # A second preview silences the first before it speaks.
    editor.voice_picker.preview_button.click()
    qtbot.waitUntil(lambda: len(speakers.played) == 2, timeout=15000)
    assert editor._runner.wait(5)
    assert speakers.stopped == 1
    assert editor.findChild(QMessageBox, "errorDialog") is None


def test_no_sound_card_is_an_error_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    no_device = OutputError("No audio output device found.", "Connect speakers or headphones.")
    editor = ShowEditor(play=FakeSpeakers(error=no_device))
    qtbot.addWidget(editor)
    editor.voice_picker.select("espeak:en-us")
    editor.voice_picker.preview_button.click()
    box = _error_dialog(qtbot, editor)
    assert box.text() == "No audio output device found." and "Connect speakers" in box.informativeText()
    assert editor._runner.wait(5)
    editor.shutdown()


def test_an_online_voice_without_the_network_names_the_offline_voices(  # type: ignore[no-untyped-def]
    qtbot, editor: ShowEditor, speakers: FakeSpeakers, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    editor.text_edit.setPlainText("你好。")
    assert editor.voice_picker.select("edge:zh-CN-XiaoxiaoNeural")
    editor.voice_picker.preview_button.click()
    box = _error_dialog(qtbot, editor)
    assert editor._runner.wait(10)
    assert "needs the network" in box.text()
    assert "piper:en_US-joe-medium" in box.informativeText() and "espeak:cmn" in box.informativeText()
    assert speakers.played == []
