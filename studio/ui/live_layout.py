"""How the Live page is laid out: the preview, and beside it a column of what the user drives
(the source, Start and Stop, the outputs, the typed lines), over the status strip. The live
panel connects these widgets to the show; here they are only made and placed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from studio.outputs.devices import DeviceList
from studio.ui.live_catalog import CatalogBox
from studio.ui.live_drive import DriveBox
from studio.ui.live_interject import InterjectionBox
from studio.ui.live_outputs import OutputsBox
from studio.ui.live_readiness import ReadinessBox
from studio.ui.live_room import RoomBox

SIDE_WIDTH = 380


class LiveControls(QWidget):
    """The column beside the preview."""

    def __init__(self, list_devices: Callable[[], DeviceList]) -> None:
        super().__init__()
        self.drive_box = DriveBox()
        self.start_button = QPushButton(self.tr("&Start"))
        self.start_button.setObjectName("startButton")
        self.start_button.setProperty("role", "primary")
        self.start_button.setToolTip(
            self.tr("Start the show: the preview shows it, and the outputs switched on get it")
        )
        self.stop_button = QPushButton(self.tr("S&top"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the show; recordings are finished and closed"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.stop_button, 1)
        self.outputs_box = OutputsBox(list_devices=list_devices)
        # Whether each output can work here, checked with the folder and address set above.
        self.readiness_box = ReadinessBox(
            context=lambda: (self.outputs_box.record_folder(), self.outputs_box.typed_rtmp_url)
        )
        self.outputs_box.changed.connect(self.readiness_box.settings_changed)
        self.interjection_box = InterjectionBox()
        self.room_box = RoomBox()  # viewers' questions, while a show with a catalogue runs
        self.catalog_box = CatalogBox()  # the room's catalogue and audience page, for the next start

        side = QVBoxLayout(self)
        side.setSpacing(12)
        side.addWidget(self.drive_box)
        side.addWidget(self.catalog_box)
        side.addLayout(buttons)
        side.addWidget(self.outputs_box)
        side.addWidget(self.readiness_box)
        side.addWidget(self.interjection_box)
        side.addWidget(self.room_box)
        side.addStretch(1)
        self.setFixedWidth(SIDE_WIDTH)


def lay_out_live_page(page: QWidget, preview: QWidget, controls: QWidget, strip: QWidget) -> None:
    """The page's title over the preview and ``controls`` side by side, ``strip`` at the foot."""
    title = QLabel(QCoreApplication.translate("live_layout", "Live"))
    title.setProperty("role", "title")
    subtitle = QLabel(
        QCoreApplication.translate(
            "live_layout", "Watch the avatar talk, then send it to a virtual camera, a recording or a stream."
        )
    )
    subtitle.setProperty("role", "subtitle")
    body = QHBoxLayout()
    body.setSpacing(16)
    body.addWidget(preview, 1)
    # The column scrolls: with the room's boxes it is taller than a laptop's screen, and its
    # height (boxes shown or hidden as a show starts) must never push the preview around.
    column = QScrollArea()
    column.setObjectName("liveColumn")
    column.setWidget(controls)
    column.setWidgetResizable(True)
    column.setFrameShape(QFrame.Shape.NoFrame)
    column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    column.setFixedWidth(SIDE_WIDTH + column.verticalScrollBar().sizeHint().width())
    body.addWidget(column)
    top = QVBoxLayout()
    top.setContentsMargins(24, 20, 24, 12)
    top.addWidget(title)
    top.addWidget(subtitle)
    top.addSpacing(8)
    top.addLayout(body, 1)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addLayout(top, 1)
    layout.addWidget(strip)
