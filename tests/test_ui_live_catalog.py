"""Starting a show with the room from the Live page: the catalogue and the audience page chosen
there (and remembered in the settings) reach the show as the same ``RoomOptions`` that ``studio live
--catalog FILE --room`` builds; while live, the page's address is shown and copied, a viewer's
question posted to the real page is approved with Enter and said on air. The sound card is the
fake boundary (the panel is handed the device list)."""

from __future__ import annotations

import json
import socket
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.cli.live_cmd import options_from
from studio.cli.main import build_parser
from studio.commerce import load_catalog
from studio.commerce.show_script import load_templates, show_from_catalog
from studio.errors import InputError
from studio.outputs.devices import AudioDevice, DeviceList
from studio.pipeline.live_room import RoomOptions
from studio.settings.app_settings import AppSettings, OutputSettings, load_settings, save_settings
from studio.ui.live_catalog import CatalogBox
from studio.ui.live_panel import LivePanel

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
SETTINGS = AppSettings(
    width=320, height=240, fps=30, voice="espeak:en-us", outputs=OutputSettings(audio_out=False)
)
SPEAKERS = DeviceList(audio_outputs=[AudioDevice("Test Speakers", "ALSA", 2, True)])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def test_the_catalogue_and_the_page_are_chosen_and_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    box = CatalogBox(ask_catalog=lambda: CATALOG)
    qtbot.addWidget(box)
    remembered: list[tuple[str, bool]] = []
    box.chosen.connect(lambda path, page: remembered.append((path, page)))
    assert box.room_options() is None and box.page_check.isHidden()
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    box.page_check.setChecked(True)
    assert remembered[-1] == (str(CATALOG), True)
    # The app's room is the command line's: studio live --catalog FILE --room.
    (tmp_path / "show.toml").write_text('[[segment]]\ntext = "Hello."\n', encoding="utf-8")
    args = build_parser().parse_args(
        ["live", "--avatar", "demo", "--script", str(tmp_path / "show.toml"), "--record", "x.mp4",
         "--catalog", str(CATALOG), "--room"]
    )  # fmt: skip
    assert box.room_options() == options_from(args).room
    # Remembered in the typed settings, read back from the file.
    path = tmp_path / "settings.json"
    save_settings(AppSettings(catalog_path=remembered[-1][0], room_page=remembered[-1][1]), path)
    settings, warnings = load_settings(path)
    assert warnings == [] and (settings.catalog_path, settings.room_page) == (str(CATALOG), True)
    # A catalogue moved away since is one line at Start, not a crash.
    box.set_catalog(str(tmp_path / "gone.toml"))
    with pytest.raises(InputError, match="not there any more"):
        box.room_options()
    qtbot.mouseClick(box.clear_button, Qt.MouseButton.LeftButton)
    assert box.room_options() is None and remembered[-1] == ("", True)


def test_start_runs_the_room_with_the_audience_page_and_its_address_is_shown(
    qtbot: QtBot, avatar: Avatar
) -> None:
    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    panel = LivePanel(list_devices=lambda: SPEAKERS)
    qtbot.addWidget(panel)
    changed: list[AppSettings] = []
    panel.settings_changed.connect(changed.append)
    panel.set_settings(SETTINGS)
    panel.set_avatar(avatar)
    panel.set_rundown_source(lambda: rundown)
    panel.show()
    try:
        box = panel.catalog_box
        assert box.catalog == "" and panel.room_box.isHidden()
        box.set_catalog(str(CATALOG), remember=True)
        assert box.port_box.isHidden()  # the port belongs to the page, shown with it
        box.page_check.setChecked(True)
        assert not box.port_box.isHidden() and box.port_box.value() == 0
        port = _free_port()  # a fixed port keeps the page's address from one show to the next
        box.set_catalog(str(CATALOG), remember=True, port=port)
        assert (changed[-1].catalog_path, changed[-1].room_page) == (str(CATALOG), True)
        assert changed[-1].room_port == port
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "live", timeout=30_000)
        show = panel.current_show
        assert show is not None and show.room is not None and show.room.page is not None
        assert show.options.room is not None and show.options.room.catalog == CATALOG
        assert show.room.cards is not None  # the product card, as studio live draws it
        assert not box.choose_button.isEnabled() and not box.page_check.isEnabled()
        url = show.room.page.viewer_url
        assert url.startswith(f"http://127.0.0.1:{port}/") and not box.port_box.isEnabled()
        assert box.viewer_url == url and f'href="{url}"' in box.viewer_link.text()
        assert box.viewer_link.isVisible() and not panel.room_box.isHidden()
        qtbot.mouseClick(box.copy_button, Qt.MouseButton.LeftButton)
        assert QGuiApplication.clipboard().text() == url
        # A viewer asks through the real page; the operator approves it with Enter.
        body = json.dumps({"user": "ann", "text": "Is it microwave safe?"}).encode()
        request = urllib.request.Request(f"{url}comment", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own loopback page
            pass
        questions = panel.room_box.questions
        qtbot.waitUntil(lambda: questions.count() == 1, timeout=10_000)
        questions.setFocus()
        qtbot.keyClick(questions, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: show.room is not None and show.room.answered == 1, timeout=60_000)
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
        assert box.viewer_url == "" and box.viewer_link.isHidden() and box.choose_button.isEnabled()
        assert show.room.page._thread is None  # noqa: SLF001 - the page stopped with the show
    finally:
        panel.shutdown()


def test_a_microphone_show_cannot_take_questions_and_a_saved_catalogue_is_offered(qtbot: QtBot) -> None:
    box = CatalogBox()
    qtbot.addWidget(box)
    box.offer_catalog(str(CATALOG))  # none chosen yet: taken
    assert box.catalog == str(CATALOG)
    with pytest.raises(InputError, match="microphone has none"):
        box.room_options(mic=True)
    box.offer_catalog("/elsewhere/catalog.toml")  # one is chosen: kept
    assert box.catalog == str(CATALOG)


def test_the_kinds_answered_without_a_person_are_the_next_shows_too(
    qtbot: QtBot, avatar: Avatar, tmp_path: Path
) -> None:
    """Ticked during a show, the kinds approved without a person are remembered in the settings and
    the next show starts with them, as ``studio live --auto`` would."""
    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    panel = LivePanel(list_devices=lambda: SPEAKERS)
    qtbot.addWidget(panel)
    changed: list[AppSettings] = []
    panel.settings_changed.connect(changed.append)
    panel.set_settings(replace(SETTINGS, catalog_path=str(CATALOG), room_auto=("price",)))
    panel.set_avatar(avatar)
    panel.set_rundown_source(lambda: rundown)
    panel.show()
    try:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "live", timeout=30_000)
        show = panel.current_show
        assert show is not None and show.room is not None
        assert show.room.queue.auto == frozenset({"price"})
        boxes = panel.room_box.auto
        assert boxes["price"].isChecked() and not boxes["shipping"].isChecked()
        boxes["shipping"].setChecked(True)
        assert show.room.queue.auto == frozenset({"price", "shipping"})
        assert changed[-1].room_auto == ("price", "shipping")
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
        assert panel.catalog_box.room_options() == RoomOptions(CATALOG, auto=("price", "shipping"))
    finally:
        panel.shutdown()
    # Kept in the settings file, and a kind that is not one is reset with a warning.
    path = tmp_path / "settings.json"
    save_settings(changed[-1], path)
    settings, warnings = load_settings(path)
    assert warnings == [] and settings.room_auto == ("price", "shipping")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["room_auto"] = ["price", "discounts"]
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert (
        settings.room_auto == ()
        and len(warnings) == 1
        and "'discounts' is not a question kind" in warnings[0]
    )


def test_the_kinds_answered_without_a_person_can_be_chosen_before_the_show(
    qtbot: QtBot, avatar: Avatar
) -> None:
    """An overnight show is set up before it starts: with a catalogue chosen, the questions box is
    there with its kinds (the list and buttons waiting for a show), and what is ticked reaches the
    settings and the show that starts next. Without a catalogue it is hidden."""
    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    panel = LivePanel(list_devices=lambda: SPEAKERS)
    qtbot.addWidget(panel)
    changed: list[AppSettings] = []
    panel.settings_changed.connect(changed.append)
    panel.set_settings(replace(SETTINGS, catalog_path=""))
    panel.set_avatar(avatar)
    panel.set_rundown_source(lambda: rundown)
    panel.show()
    try:
        assert panel.room_box.isHidden()
        panel.catalog_box.set_catalog(str(CATALOG), remember=True)
        assert not panel.room_box.isHidden()
        boxes = panel.room_box.auto
        assert boxes["shipping"].isEnabled() and not panel.room_box.approve_button.isEnabled()
        boxes["shipping"].setChecked(True)
        assert changed[-1].room_auto == ("shipping",) and changed[-1].catalog_path == str(CATALOG)
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "live", timeout=30_000)
        show = panel.current_show
        assert show is not None and show.room is not None
        assert show.room.queue.auto == frozenset({"shipping"})
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
        assert not panel.room_box.isHidden() and boxes["shipping"].isChecked()
        panel.catalog_box.set_catalog("", remember=True)
        assert panel.room_box.isHidden()
    finally:
        panel.shutdown()


def test_the_audience_pages_port_is_kept_in_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(replace(SETTINGS, room_port=8765), path)
    settings, warnings = load_settings(path)
    assert warnings == [] and settings.room_port == 8765
    data = json.loads(path.read_text(encoding="utf-8"))
    data["room_port"] = 70000
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.room_port == 0 and len(warnings) == 1 and "room_port" in warnings[0]
    del data["room_port"]  # a file from before the field reads as any free port
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_settings(path) == (replace(settings, room_port=0), [])
