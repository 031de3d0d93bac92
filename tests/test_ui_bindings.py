"""The Qt bindings must not leak or drop references to None.

PySide6 6.12.0 drops one reference to ``None`` on every Qt call that returns nothing. On
Python 3.11 ``None`` is not immortal, so the app aborted with "Fatal Python error:
none_dealloc" after enough such calls (the camera page makes about 90 a frame). This test
fails on such a build, whatever version numbers say.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_qt_calls_that_return_nothing_keep_none_referenced(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(str(i))
        label.setToolTip("tip")
    assert abs(sys.getrefcount(None) - before) < 50
