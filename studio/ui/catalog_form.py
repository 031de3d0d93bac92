"""The form of one product on the Catalogue page: name, price, facts, FAQ and picture, in the
catalogue's language and its second one (the ``_zh`` fields of an English catalogue).

It holds no catalogue: ``set_draft`` fills it, ``draft()`` reads it back, and ``changed`` says the
user typed. Facts are one a line; the second language's facts are one per fact, in the same order.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.ui.catalog_draft import FaqDraft, ProductDraft, lines

_FAQ_COLUMNS = 4


class ProductForm(QWidget):
    changed = Signal()
    choose_image = Signal()  # the Choose… button beside the picture's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.id_edit, self.name_edit, self.name_second = QLineEdit(), QLineEdit(), QLineEdit()
        self.price_edit, self.currency_edit = QLineEdit(), QLineEdit()
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText(self.tr("USD, CNY, EUR…"))
        self.price_edit.setPlaceholderText(self.tr("19.99"))
        self.promotion_edit, self.promotion_second = QLineEdit(), QLineEdit()
        self.image_edit = QLineEdit()
        self.image_edit.setPlaceholderText(self.tr("A picture beside catalog.toml, e.g. mug.png"))
        self.image_button = QPushButton(self.tr("Choose…"))
        self.facts_edit, self.facts_second = QPlainTextEdit(), QPlainTextEdit()
        self.facts_edit.setPlaceholderText(self.tr("One fact a line, e.g. Holds 350 ml."))
        self.facts_second.setPlaceholderText(self.tr("The same facts translated, one a line, same order"))
        self.faq_table = QTableWidget(0, _FAQ_COLUMNS)
        self.faq_table.setMinimumHeight(160)
        self.faq_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.faq_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_faq_button, self.remove_faq_button = (
            QPushButton(self.tr("Add question")),
            QPushButton(self.tr("Remove question")),
        )
        self.second_note = QLabel()
        self.second_note.setProperty("role", "subtitle")

        image_row = QHBoxLayout()
        image_row.addWidget(self.image_edit, 1)
        image_row.addWidget(self.image_button)
        form = QFormLayout()
        form.addRow(self.tr("Id"), self.id_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Price"), self.price_edit)
        form.addRow(self.tr("Currency"), self.currency_edit)
        form.addRow(self.tr("Promotion"), self.promotion_edit)
        form.addRow(self.tr("Facts"), self.facts_edit)
        form.addRow(self.tr("Picture"), image_row)
        form.addRow(self.second_note)
        self.name_second_label = QLabel()
        self.promotion_second_label = QLabel()
        self.facts_second_label = QLabel()
        form.addRow(self.name_second_label, self.name_second)
        form.addRow(self.promotion_second_label, self.promotion_second)
        form.addRow(self.facts_second_label, self.facts_second)
        faq_buttons = QHBoxLayout()
        faq_buttons.addWidget(self.add_faq_button)
        faq_buttons.addWidget(self.remove_faq_button)
        faq_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Viewers' questions and their answers (FAQ)")))
        layout.addWidget(self.faq_table, 1)
        layout.addLayout(faq_buttons)

        for edit in (
            self.id_edit, self.name_edit, self.name_second, self.price_edit, self.currency_edit,
            self.promotion_edit, self.promotion_second, self.image_edit,
        ):  # fmt: skip
            edit.textChanged.connect(self._edited)
        for text in (self.facts_edit, self.facts_second):
            text.textChanged.connect(self._edited)
        self.faq_table.itemChanged.connect(self._edited)
        self.add_faq_button.clicked.connect(self.add_faq)
        self.remove_faq_button.clicked.connect(self.remove_faq)
        self.image_button.clicked.connect(self.choose_image)
        self.set_second_language("zh")

    def set_second_language(self, code: str) -> None:
        """Name the second language's fields by their key in catalog.toml (``name_zh``…)."""
        self.second_note.setText(
            self.tr("Second language (%1): what the host says to viewers who ask in it").replace("%1", code)
        )
        self.name_second_label.setText(self.tr("Name (%1)").replace("%1", f"name_{code}"))
        self.promotion_second_label.setText(self.tr("Promotion (%1)").replace("%1", f"promotion_{code}"))
        self.facts_second_label.setText(self.tr("Facts (%1)").replace("%1", f"facts_{code}"))
        self.faq_table.setHorizontalHeaderLabels(
            [
                self.tr("Question"),
                self.tr("Answer"),
                self.tr("Question (%1)").replace("%1", f"q_{code}"),
                self.tr("Answer (%1)").replace("%1", f"a_{code}"),
            ]
        )

    # -- filling and reading ----------------------------------------------------------------------
    def set_draft(self, draft: ProductDraft | None) -> None:
        self._filling = True
        try:
            draft = draft or ProductDraft()
            self.id_edit.setText(draft.id)
            self.name_edit.setText(draft.name)
            self.price_edit.setText(draft.price)
            self.currency_edit.setText(draft.currency)
            self.promotion_edit.setText(draft.promotion)
            self.facts_edit.setPlainText("\n".join(draft.facts))
            self.image_edit.setText(draft.image)
            self.name_second.setText(draft.name_second)
            self.promotion_second.setText(draft.promotion_second)
            self.facts_second.setPlainText("\n".join(draft.facts_second))
            self.faq_table.setRowCount(0)
            for entry in draft.faq:
                self._add_row((entry.q, entry.a, entry.q_second, entry.a_second))
        finally:
            self._filling = False

    def draft(self) -> ProductDraft:
        faq = []
        for row in range(self.faq_table.rowCount()):
            cells = [self._cell(row, column) for column in range(_FAQ_COLUMNS)]
            if any(cells):
                faq.append(FaqDraft(*cells))
        return ProductDraft(
            id=self.id_edit.text().strip(),
            name=self.name_edit.text().strip(),
            price=self.price_edit.text().strip(),
            currency=self.currency_edit.text().strip().upper(),
            promotion=self.promotion_edit.text().strip(),
            facts=lines(self.facts_edit.toPlainText()),
            image=self.image_edit.text().strip(),
            name_second=self.name_second.text().strip(),
            promotion_second=self.promotion_second.text().strip(),
            facts_second=lines(self.facts_second.toPlainText()),
            faq=tuple(faq),
        )

    def set_image(self, name: str) -> None:
        self.image_edit.setText(name)
        self._edited()

    # -- the FAQ table ------------------------------------------------------------------------------
    def add_faq(self) -> None:
        self._add_row(("", "", "", ""))
        self.faq_table.setCurrentCell(self.faq_table.rowCount() - 1, 0)
        self._edited()

    def remove_faq(self) -> None:
        row = self.faq_table.currentRow()
        if row >= 0:
            self.faq_table.removeRow(row)
            self._edited()

    def _add_row(self, cells: tuple[str, str, str, str]) -> None:
        was, self._filling = self._filling, True
        row = self.faq_table.rowCount()
        self.faq_table.insertRow(row)
        for column, text in enumerate(cells):
            self.faq_table.setItem(row, column, QTableWidgetItem(text))
        self._filling = was

    def _cell(self, row: int, column: int) -> str:
        item = self.faq_table.item(row, column)
        return "" if item is None else item.text().strip()

    def _edited(self) -> None:
        if not self._filling:
            self.changed.emit()
