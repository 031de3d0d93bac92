"""The app's look: Qt's Fusion style with a calm light palette and a few accents.

Fusion looks the same on Windows, macOS and Linux, so screenshots and docs match what every
user sees.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2f6fde"
STYLESHEET = f"""
QListWidget#navigation {{
    background: #f1f3f6; border: none; border-right: 1px solid #dde1e7; padding-top: 8px;
    font-size: 14px;
}}
QListWidget#navigation::item {{ padding: 10px 14px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QLabel[role="title"] {{ font-size: 20px; font-weight: 600; }}
QLabel[role="subtitle"] {{ color: #5b6472; }}
QLabel[role="hint"] {{ color: #5b6472; font-size: 12px; }}
QLabel[role="error"] {{ color: #b3261e; }}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: white; border: none; border-radius: 5px; padding: 7px 16px;
    font-weight: 600;
}}
QPushButton[role="primary"]:disabled {{ background: #a9bde6; }}
QPushButton[role="primary"]:hover {{ background: #285fc0; }}
QPushButton[role="danger"] {{ color: #b3261e; }}
QPushButton:disabled, QPushButton[role="danger"]:disabled {{ color: #a3aab4; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QFrame[role="card"] {{ background: white; border: 1px solid #dde1e7; border-radius: 8px; }}
QStatusBar {{ color: #5b6472; }}
"""


def add_cjk_font() -> None:
    """Chinese and Japanese scripts must show in the editor on machines without a CJK font; the
    AI label's font (a PyPI package Studio already needs) covers them and costs ~15 ms."""
    try:
        import noto_cjk_sans_otc  # noqa: PLC0415
    except ImportError:
        return
    QFontDatabase.addApplicationFont(str(noto_cjk_sans_otc.FONT_PATH))


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    add_cjk_font()
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f1f3f6"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#f1f3f6"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1d232b"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1d232b"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1d232b"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
