"""The row of buttons over the Catalogue page: the file (New, Open, Save, Import CSV), the
catalogue's language, and writing the show from it. Only made and placed here; the page acts."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

LANGUAGES = (("en", "English"), ("zh", "中文"))  # each in its own words, as a language menu shows it


def language_combo(current: str = "en") -> QComboBox:
    combo = QComboBox()
    for code, name in LANGUAGES:
        combo.addItem(name, code)
    set_language(combo, current)
    return combo


def set_language(combo: QComboBox, code: str) -> None:
    """Show ``code`` chosen, without telling anyone (a code Studio has no name for is listed as is)."""
    combo.blockSignals(True)
    if combo.findData(code) < 0:
        combo.addItem(code, code)
    combo.setCurrentIndex(combo.findData(code))
    combo.blockSignals(False)


class CatalogToolbar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = QPushButton(self.tr("New"))
        self.open_button = QPushButton(self.tr("Open…"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_as_button = QPushButton(self.tr("Save as…"))
        self.import_button = QPushButton(self.tr("Import CSV…"))
        self.import_button.setToolTip(self.tr("A spreadsheet saved as CSV, one product a row"))
        self.language = language_combo()
        self.language.setToolTip(
            self.tr("The language of the names, facts and FAQ; the second language's fields are below them")
        )
        self.show_language = language_combo()
        self.show_language.setToolTip(self.tr("The language the show is written in"))
        self.write_show_button = QPushButton(self.tr("Write show from catalogue"))
        self.write_show_button.setToolTip(
            self.tr("Make the show's script from the saved catalogue: intro, facts, offer, call to action")
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.new_button, self.open_button, self.save_button, self.save_as_button):
            row.addWidget(button)
        row.addWidget(self.import_button)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Written in")))
        row.addWidget(self.language)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("Show in")))
        row.addWidget(self.show_language)
        row.addWidget(self.write_show_button)
