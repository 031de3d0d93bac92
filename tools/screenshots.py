"""Screenshots of every screen of the app, taken from a real X server (Xvfb).

Run: xvfb-run -a -s "-screen 0 1600x1200x24" .venv/bin/python tools/screenshots.py [--out docs/screenshots]
     [--language zh_CN]  (the Chinese app, into docs/screenshots/zh_CN unless --out says otherwise)

It drives the app the way a first-time user would, in a throw-away settings folder and
library: the avatar library, the capture wizard on a "webcam" that plays a clip of the demo
avatar (camera, consent and build pages), the show editor, the live panel while the show is
running, the settings and the product catalogue. Each PNG is grabbed from the X server's
screen, so it shows what a user's display would.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZE = (1280, 800)


def wait(app: object, seconds: float) -> None:
    """Run the event loop for a while. (QTest.qWait holds the GIL here and starves the show.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_for(app: object, condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        wait(app, 0.05)


def grab(widget: object, path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    widget.raise_()
    widget.activateWindow()
    QApplication.processEvents()
    geometry = widget.frameGeometry()
    screen = QApplication.primaryScreen()
    shot = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
    path.parent.mkdir(parents=True, exist_ok=True)
    shot.save(str(path))
    print(f"screenshots: {path} ({geometry.width()}x{geometry.height()})")


def demo_clip(folder: Path) -> Path:
    """A few seconds of the demo avatar talking: what the stand-in webcam plays."""
    from studio.cli.main import main

    clip = folder / "webcam.mp4"
    code = main(
        ["render", "--avatar", "demo", "--text", "Hello! Let me show you today's offer.",
         "--voice", "espeak:en-us", "--size", "960x540", "--no-label", "--out", str(clip)]
    )  # fmt: skip
    if code:
        raise SystemExit("screenshots: could not render the stand-in webcam clip")
    return clip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="default: docs/screenshots[/LANGUAGE]")
    parser.add_argument("--language", choices=("en", "zh_CN"), default="en", help="the app's language")
    args = parser.parse_args()
    english = args.language == "en"
    out = args.out or (Path("docs/screenshots") if english else Path("docs/screenshots") / args.language)
    if not os.environ.get("DISPLAY"):
        raise SystemExit(
            "screenshots: run under an X server, e.g. xvfb-run -a -s '-screen 0 1600x1200x24' ..."
        )
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from studio.ui.app import make_application

    app = make_application()
    from studio.ui.i18n import install_translation

    translators = install_translation(app, args.language)
    if not english and not translators:
        raise SystemExit(f"screenshots: no {args.language} catalogue in studio/ui/translations")
    from studio.settings.app_settings import AppSettings, OutputSettings, save_settings
    from studio.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings_path = tmp / "config" / "settings.json"
        record_dir = tmp / "recordings"
        settings = AppSettings(
            width=960,
            height=540,
            outputs=OutputSettings(record=True, record_dir=str(record_dir)),
            language="" if english else args.language,
        )
        save_settings(settings, settings_path)
        clip = demo_clip(tmp)
        window = MainWindow(settings, settings_path, library_dir=tmp / "avatars")
        window.resize(*SIZE)
        window.move(40, 40)
        window.show()
        wait(app, 0.5)
        shots = out

        # Ends on the library with the new avatar.
        capture_wizard(app, window, clip, shots, "Eileen Collins" if english else "李安娜")

        window.go_to("show")
        wait(app, 0.4)
        grab(window, shots / "05-show.png")

        window.go_to("live")
        panel = window.live_panel
        panel.start()
        wait_for(app, lambda: panel.state == "live", 60, "the show to start")
        wait(app, 4.0)
        panel.interject("Welcome to everyone who just joined!" if english else "欢迎刚进直播间的朋友们！")
        wait(app, 2.0)
        grab(window, shots / "06-live.png")
        panel.stop()
        wait_for(app, lambda: panel.state == "stopped", 60, "the show to stop")

        window.go_to("settings")
        wait(app, 1.0)
        grab(window, shots / "07-settings.png")

        window.go_to("catalogue")
        wait(app, 0.5)
        grab(window, shots / "09-catalogue.png")
        window.close()
        wait(app, 0.2)


def capture_wizard(app: object, window: object, clip: Path, shots: Path, person: str) -> None:
    """The webcam route, with a stand-in camera playing ``clip`` (Studio's VideoFileCamera)."""
    import numpy as np

    from studio.capture.checklist import KEYS
    from studio.outputs.file_microphone import FileMicrophone
    from studio.ui.capture_wizard import CaptureWizard
    from studio.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    wizard = CaptureWizard(
        window.library,
        "webcam",
        window,
        camera_device=str(clip),
        # A microphone is present (so the consent page offers to record); nothing is recorded.
        open_microphone=lambda: FileMicrophone(np.zeros(48000, np.float32), 48000),
    )
    window.library_page.wizard = wizard
    wizard.avatar_created.connect(window.library_page._created)
    wizard.open()
    page = wizard.source_page
    wait_for(app, lambda: page.camera_running and page.view.showing_frame, 30, "the camera picture")
    wait_for(app, lambda: all(page.checks.state(k)[0] == "✓" for k in KEYS), 30, "the checklist to pass")
    page.capture_button.click()
    wait_for(app, lambda: page.view.countdown == 2, 10, "the countdown")
    grab(wizard, shots / "02-capture-camera.png")
    wait_for(app, lambda: page.picture is not None, 10, "the capture")
    wizard.next()
    consent = wizard.consent_page
    consent.name_edit.setText(person)
    consent.attest.setChecked(True)
    wait(app, 0.3)
    grab(wizard, shots / "03-capture-consent.png")
    wizard.next()
    wizard.build_page.name_edit.setText("Eileen")
    wait(app, 0.3)
    grab(wizard, shots / "04-capture-name.png")
    wizard.button(wizard.WizardButton.FinishButton).click()
    wait_for(app, lambda: window.library.exists("Eileen") and not wizard.isVisible(), 60, "the avatar")
    wait(app, 0.5)
    grab(window, shots / "01-avatars.png")


if __name__ == "__main__":
    main()
