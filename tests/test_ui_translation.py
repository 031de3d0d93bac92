"""The app in Chinese: the real main window, its pages, menus, message boxes and wizards built
with the zh_CN catalogue installed, and every text a user can read (labels, buttons, tooltips,
placeholders, titles, combo entries, menus) walked for English words left over.

The catalogue itself: every text the code marks for translation has a Chinese translation
that keeps its placeholders, and the committed .qm is what lrelease makes of the .ts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWizardPage,
)
from pytestqt.qtbot import QtBot

from studio.avatar.library import AvatarLibrary
from studio.outputs.devices import DeviceList
from studio.settings.app_settings import AppSettings, load_settings
from studio.ui.i18n import CHINESE, ENGLISH, TRANSLATIONS_DIR, choose_language, install_translation
from studio.ui.main_window import ALL_PAGES, MainWindow
from studio.ui.show_voice_names import _TAG_NAMES

_NAMED_LANGUAGES = set(_TAG_NAMES.values())  # in English: the ones Studio names itself

TS_FILE = TRANSLATIONS_DIR / "studio_zh_CN.ts"
QM_FILE = TRANSLATIONS_DIR / "studio_zh_CN.qm"
UI_DIR = Path(__file__).resolve().parents[1] / "studio" / "ui"
QT_TOOLS = Path(PySide6.__file__).resolve().parent

# Words that stay as they are in a Chinese UI: product and platform names, formats, units.
ALLOWED = {
    "Studio", "AI", "OBS", "RTMP", "RTMPS", "MP4", "GPU", "CPU", "CUDA", "NVIDIA", "DirectML", "CoreML",
    "macOS", "Windows", "TikTok", "ROCm", "TensorRT", "OpenVINO", "ONNX", "HD", "fps", "ms", "kHz", "Hz",
    "PNG", "JPG", "JPEG", "WebM", "MOV", "MKV", "AVI", "TOML", "CSV", "WAV", "URL", "English",
    "USD", "CNY", "EUR", "zh", "en",  # currency and language codes, as typed in files
    "aa", "ee", "oo",  # mouth shapes, said as their sounds
    "Zoom", "Meet", "YouTube", "Twitch", "Microsoft", "NASA", "Kokoro", "Piper", "eSpeak", "lessac",
    "Enter", "Ctrl",  # keys, as printed on the keyboard
    "demo",  # the demo avatar's name, which is its identifier
}  # fmt: skip
# Texts that are the core's messages or the user's content, not the app's words: the checks'
# measurements, the output readiness findings, the consent statement a person reads aloud.
CORE_TEXTS = re.compile(r"check_\w+_detail|readiness(Detail|Fix)?_\w+|consentStatement|teleprompterText")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']+")
# Paths, file names and addresses are the user's data, not the app's words.
_DATA = re.compile(
    r"studio [a-z]+|--[\w-]+|\.[a-z]+\b|\w+_\w+|\S*[/\\]\S*|\S+\.(?:toml|json|mp4|png|jpe?g|wav|webm|qm|ts|html)\b|rtmps?://\S*|\*\.\w+"
)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d+|%n")


def english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>|&\w+;", " ", text)  # rich text: the tags are not shown
    text = _DATA.sub(" ", text)
    words = (w.strip("'") for w in _WORD.findall(text))
    return [w for w in words if len(w) > 1 and w not in ALLOWED]


def readable_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything of ``root`` and its children a user can read."""
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if CORE_TEXTS.fullmatch(widget.objectName()):
            continue
        tip = widget.toolTip()
        if widget.objectName() == "voiceCombo":  # it opens with the entry shown, a voice's name
            tip = tip.partition("\n\n")[2]
        yield where + " tooltip", tip
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        if isinstance(widget, QLabel):
            yield where, widget.text()
        if isinstance(widget, QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QGroupBox):
            yield where, widget.title()
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
            yield where + " placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{where} item {i}", _voice_words(widget, i)
        if isinstance(widget, QAbstractSpinBox):
            yield where + " special", widget.specialValueText()
        if isinstance(widget, QSpinBox):
            yield where + " suffix", widget.suffix() + widget.prefix()
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{where} tab {i}", widget.tabText(i) + " " + widget.tabToolTip(i)
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                item = widget.item(i)
                yield f"{where} item {i}", item.text() + " " + item.toolTip()
        if isinstance(widget, QWizardPage):
            yield where + " page title", widget.title() + " " + widget.subTitle()
        if isinstance(widget, QMessageBox):
            yield where + " informative", widget.informativeText()
        if isinstance(widget, QMenu):
            yield where + " menu", widget.title()
        for action in widget.actions():
            if isinstance(action, QAction) and not action.isSeparator():
                yield f"{where} action", action.text() + " " + action.toolTip()


def _voice_words(combo: QComboBox, index: int) -> str:
    """A combo entry; in the voice list, its language only ("中文（普通话） · Xiaoxiao": the
    voice's own name is a name), and none for eSpeak's own language names, which come from
    the engine (the ~100 languages only eSpeak speaks)."""
    text = combo.itemText(index)
    if combo.objectName() != "voiceCombo" or " · " not in text:
        return text
    language = text.split(" · ", 1)[0]
    if str(combo.itemData(index)).startswith("espeak") and language not in _NAMED_LANGUAGES:
        return ""
    return language


def untranslated(root: QWidget) -> list[str]:
    return [f"{where}: {text!r}" for where, text in readable_texts(root) if english_words(text)]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[list[QTranslator]]:
    translators = install_translation(qapp, CHINESE)
    assert len(translators) == 2, "the app's and Qt's zh_CN catalogues both load"
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(
        AppSettings(),
        tmp_path / "config" / "settings.json",
        library_dir=tmp_path / "avatars",
        live_panel_options={"list_devices": DeviceList},
    )
    window.settings_page._list_devices = DeviceList
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_page_menu_and_dialog_of_the_app_is_in_chinese(
    qtbot: QtBot, tmp_path: Path, chinese: list[QTranslator]
) -> None:
    window = make_window(qtbot, tmp_path)
    found: list[str] = []
    for page in ALL_PAGES:
        window.go_to(page)
        qtbot.wait(50)
        found += untranslated(window)
    qtbot.waitUntil(lambda: not window.settings_page.runner.running, timeout=10000)
    found += untranslated(window.settings_page)
    # The Help menu's message boxes.
    help_menu = window.menuBar().actions()[-1].menu()
    for action in help_menu.actions():
        action.trigger()
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 2
    for box in boxes:
        found += untranslated(box)
        box.close()
    # A confirmation: New show over the demo show.
    window.show_editor.ask_new()
    found += untranslated(window.show_editor.new_box)
    assert "4 个段落" in window.show_editor.new_box.text()
    window.show_editor.new_box.close()
    # The wizards, every page of each (a wizard holds all its pages from the start).
    from studio.ui.capture_wizard import CaptureWizard
    from studio.ui.twin_wizard import TwinWizard

    library = AvatarLibrary(tmp_path / "avatars")
    for wizard in (
        CaptureWizard(library, "photo", window, open_microphone=None),
        TwinWizard(library, open_microphone=None),
    ):
        qtbot.addWidget(wizard)
        found += untranslated(wizard)
        wizard.close()
    assert found == [], "\n".join(["English left in the Chinese app:", *found])


def test_the_live_page_while_a_show_runs_is_in_chinese(qtbot: QtBot, chinese: list[QTranslator]) -> None:
    """The strip's states and figures, the interjection list and the outputs while live (a real
    show: the demo avatar and eSpeak, no sound card)."""
    from studio.avatar.library import demo_package_path
    from studio.avatar.package import load_avatar
    from studio.live.rundown import Rundown, Segment
    from studio.outputs.devices import AudioDevice
    from studio.settings.app_settings import OutputSettings
    from studio.ui.live_panel import LivePanel

    speakers = DeviceList(audio_outputs=[AudioDevice("扬声器", "ALSA", 2, True)])
    panel = LivePanel(list_devices=lambda: speakers)
    qtbot.addWidget(panel)
    panel.set_settings(AppSettings(width=320, height=240, outputs=OutputSettings(audio_out=False)))
    panel.set_avatar(load_avatar(demo_package_path()))
    line = Segment("欢迎来到直播间。", "espeak:cmn", pause_ms=200, title="欢迎")
    panel.set_rundown_source(lambda: Rundown((line,)))
    panel.show()
    try:
        qtbot.waitUntil(lambda: panel.outputs_box.audio_found is not None)
        panel.start()
        qtbot.waitUntil(lambda: panel.state == "live", timeout=30_000)
        assert panel.interject("谢谢关注！")
        history = panel.interjection_box.history
        # Said, so the line's voice has finished with it before the show stops.
        qtbot.waitUntil(lambda: history.item(0).text().startswith("已说完"), timeout=30_000)
        qtbot.waitUntil(lambda: panel.status_strip.fps.isVisible(), timeout=10_000)
        found = untranslated(panel)
        assert panel.status_strip.state.text().startswith("● 预览")
        assert found == [], "\n".join(["English left on the live page:", *found])
    finally:
        if panel.state == "live":
            panel.stop()
            qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
        panel.shutdown()


def test_the_walk_finds_english_where_a_translation_is_missing(qtbot: QtBot, qapp: QApplication) -> None:
    """Without the catalogue the same walk reports the English texts: it is not blind."""
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(QCoreApplication.translate("SettingsPage", "Settings"), widget)
    label.setToolTip("RTMP")  # a product name alone is allowed
    assert untranslated(widget) == ["QLabel# : 'Settings'".replace("# ", "#")]
    assert english_words("Saved to /home/ana/show.rundown.toml: 3 MP4 files") == ["Saved", "to", "files"]
    assert english_words("还需要：闭合的嘴, 'p b m', 'aa' 和 'oo'") == []


def test_the_language_follows_the_setting_then_the_environment_then_the_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan)
    english = QLocale(QLocale.Language.German)
    monkeypatch.delenv("STUDIO_LANGUAGE", raising=False)
    assert choose_language("", chinese) == CHINESE
    assert choose_language("", english) == ENGLISH
    assert choose_language(ENGLISH, chinese) == ENGLISH
    assert choose_language(CHINESE, english) == CHINESE
    monkeypatch.setenv("STUDIO_LANGUAGE", "zh_CN")
    assert choose_language("", english) == CHINESE
    assert choose_language(ENGLISH, english) == ENGLISH


def test_the_settings_page_saves_the_language_and_a_bad_one_is_reset(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.go_to("settings")
    combo = window.settings_page.language_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["", ENGLISH, CHINESE]
    combo.setCurrentIndex(combo.findData(CHINESE))
    assert load_settings(window.settings_path)[0].language == CHINESE
    window.settings_page.restore_defaults()  # the language is not a device setting: it stays
    assert load_settings(window.settings_path)[0].language == CHINESE
    damaged = tmp_path / "other.json"
    damaged.write_text('{"schema_version": 1, "language": "fr"}', encoding="utf-8")
    settings, warnings = load_settings(damaged)
    assert settings.language == "" and len(warnings) == 1 and "'language'" in warnings[0]


def test_an_error_dialog_gives_the_cores_fixed_advice_in_chinese(
    qtbot: QtBot, chinese: list[QTranslator]
) -> None:
    from studio.errors import InputError
    from studio.ui.dialogs import show_error

    hint = "Check that the folder is writable and the disk is not full, then try again."
    box = show_error(None, InputError("could not save /tmp/show.toml (No space left on device).", hint))
    qtbot.addWidget(box)
    assert box.informativeText() == "请检查文件夹是否可写、磁盘是否已满，然后重试。"
    # A sentence with a value in it has no fixed text to look up: it stays as the core said it.
    assert box.text() == "Could not save /tmp/show.toml (No space left on device)."
    assert box.windowTitle() == "Studio"


def test_the_cores_own_sentences_reach_the_chinese_app_in_chinese(
    qtbot: QtBot, chinese: list[QTranslator], tmp_path: Path
) -> None:
    """The app hands its language to the core (studio.translation), so an error the core raises
    with values in it (a path, a line) is in Chinese in the app's dialog."""
    from studio.commerce import load_catalog
    from studio.errors import InputError
    from studio.translation import use_language
    from studio.ui.dialogs import show_error

    use_language(CHINESE)
    missing = tmp_path / "没有这个" / "catalog.toml"
    with pytest.raises(InputError) as raised:
        load_catalog(missing)
    box = show_error(None, raised.value)
    qtbot.addWidget(box)
    shown = box.text() + box.informativeText()
    assert str(missing) in shown and re.search(r"[\u4e00-\u9fff]{4}", shown.replace(str(missing), "")), shown
    assert not re.search(r"\b(the|does|not|exist)\b", shown), shown


def _messages(ts: Path) -> list[tuple[str, str, str, str | None]]:
    """(context, source, translation, type) of every message of ``ts``."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            text = "".join(translation.itertext())
            out.append((name, message.findtext("source") or "", text, translation.get("type")))
    return out


def test_every_marked_text_of_the_app_has_a_chinese_translation(tmp_path: Path) -> None:
    """lupdate over studio/ui, into a copy of the catalogue: nothing new, nothing unfinished."""
    ts = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, ts)
    lupdate = shutil.which("pyside6-lupdate") or str(QT_TOOLS / "lupdate")
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    subprocess.run([lupdate, "-no-obsolete", *sources, "-ts", str(ts)], check=True, capture_output=True)
    missing = [
        f"{context}: {source!r}"
        for context, source, text, kind in _messages(ts)
        if kind in ("unfinished", "vanished") or not text.strip()
    ]
    assert missing == [], "\n".join(["Texts without a Chinese translation:", *missing])


def test_every_translation_keeps_its_placeholders() -> None:
    messages = _messages(TS_FILE)
    assert len(messages) > 400
    wrong = [
        f"{context}: {source!r} -> {text!r}"
        for context, source, text, _ in messages
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text))
    ]
    assert wrong == []


def test_the_committed_catalogue_is_compiled_from_the_ts(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(QT_TOOLS / "lrelease")
    built = tmp_path / QM_FILE.name
    subprocess.run([lrelease, str(TS_FILE), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == QM_FILE.read_bytes(), "run pyside6-lrelease on the .ts and commit the .qm"
