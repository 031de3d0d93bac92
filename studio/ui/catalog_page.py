"""The Catalogue page: the products the host may talk about, and everything it may say about them.

Open, make, import (CSV) and save a ``catalog.toml``; list its products; edit each one's name, price,
facts, FAQ, picture and promotion, and their second-language (``_zh``) texts. Every text the host
would say is checked by the claims checker as the user types and again on Save: a blocked fact is
named under the form with the rule's reason, its product marked in the list, and the catalogue is
not saved while one is left. "Write show from catalogue" makes the show's rundown from the saved
catalogue (``studio show from-catalog``'s own function) and hands it to the Show page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.commerce.catalog_csv import import_csv
from studio.commerce.show_script import load_templates, show_from_catalog
from studio.errors import InputError, StudioError
from studio.live.rundown import Rundown
from studio.ui.catalog_draft import (
    Blocked,
    CatalogDraft,
    ProductDraft,
    adopt_picture,
    blocked_claims,
    blocked_in_draft,
    draft_catalog,
    new_product_id,
    open_draft,
    require_saved,
    save_draft,
    to_catalog,
)
from studio.ui.catalog_form import ProductForm
from studio.ui.catalog_toolbar import CatalogToolbar, set_language
from studio.ui.dialogs import confirm, show_error
from studio.ui.file_dialogs import memory_of

CHECK_MS = 300  # after the last keystroke, the catalogue is checked again
_BLOCKED_MARK = "⚠ "

AskOpen = Callable[[str, str], Path | None]  # (title, filter) -> the chosen file, or None
AskSave = Callable[[str, str, str], Path | None]  # (title, suggested name, filter)


class CatalogPage(QWidget):
    show_written = Signal(object)  # a Rundown made from the catalogue, for the Show page
    catalog_saved = Signal(str)  # the path just saved (the Live page may take it)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        ask_open: AskOpen | None = None,
        ask_save: AskSave | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("catalogPage")
        self._ask_open = ask_open or self._open_dialog
        self._ask_save = ask_save or self._save_dialog
        self.draft = CatalogDraft()
        self.dirty = False
        self.blocked: list[Blocked] = []
        self.discard_box: QMessageBox | None = None  # "Discard changes?", while it is asked
        self.replace_box: QMessageBox | None = None  # "Replace the Show page's show?"
        self._row = -1
        self._build()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_MS)
        self._check_timer.timeout.connect(self.check)
        self._show_draft(CatalogDraft(), select=-1)

    def _build(self) -> None:
        self.toolbar = top = CatalogToolbar()
        self.new_button, self.open_button, self.save_button = top.new_button, top.open_button, top.save_button
        self.save_as_button, self.import_button = top.save_as_button, top.import_button
        self.language, self.show_language = top.language, top.show_language
        self.write_show_button = top.write_show_button
        self.path_label = QLabel()
        self.path_label.setProperty("role", "subtitle")

        self.products = QListWidget()
        self.add_button, self.remove_button = (
            QPushButton(self.tr("Add product")),
            QPushButton(self.tr("Remove")),
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.products, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left_layout.addLayout(row)
        self.form = ProductForm()
        scroll = QScrollArea()  # a product with many facts and questions is taller than the window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        self.problems = QLabel()
        self.problems.setObjectName("catalogProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(top)
        layout.addWidget(self.path_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.problems)

        self.new_button.clicked.connect(lambda: self._unless_unsaved(self.new_catalog))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.open_button.clicked.connect(self.ask_open)
        self.save_button.clicked.connect(self.save)
        self.save_as_button.clicked.connect(self.ask_save_as)
        self.import_button.clicked.connect(self.ask_import)
        self.write_show_button.clicked.connect(self.write_show)
        self.add_button.clicked.connect(self.add_product)
        self.remove_button.clicked.connect(self.remove_product)
        self.products.currentRowChanged.connect(self._select)
        self.form.changed.connect(self._edited)
        self.form.choose_image.connect(self.ask_image)

    # -- files ------------------------------------------------------------------------------------
    def new_catalog(self) -> None:
        first = ProductDraft(id="product-1")
        self._show_draft(CatalogDraft((first,)), select=0)
        self.dirty = True

    def open_file(self, path: Path) -> bool:
        """Open the catalogue in ``path`` (its claims, if any, are shown to be fixed)."""
        try:
            draft = open_draft(path)
        except StudioError as exc:
            show_error(self, exc, self.tr("Could not open the catalogue"))
            return False
        self._show_draft(draft, select=0)
        return True

    def import_csv_file(self, path: Path) -> bool:
        """A catalogue from a spreadsheet (not saved yet: Save as… names its file)."""
        try:
            catalog = import_csv(path)
        except StudioError as exc:
            show_error(self, exc, self.tr("Could not import the spreadsheet"))
            return False
        self._show_draft(draft_catalog(catalog, None), select=0)
        self.dirty = True
        return True

    def save(self) -> bool:
        if self.draft.path is None:
            return self.ask_save_as()
        return self.save_to(self.draft.path)

    def save_to(self, path: Path) -> bool:
        """Check every text and write ``path`` atomically; False (nothing written) if a text is
        blocked or anything else is wrong, said on the page or in a dialog."""
        self._store_form()
        try:
            saved, blocked = save_draft(self.draft, path)
        except StudioError as exc:
            self._say_problems([], exc)
            show_error(self, exc, self.tr("Catalogue not saved"))
            return False
        if blocked:
            self._say_problems(blocked, None, saving=True)
            return False
        self.draft, self.dirty = saved, False
        self._say_problems([], None)
        self._show_path()
        self.catalog_saved.emit(str(path))
        return True

    def _unless_unsaved(self, then: Callable[[], None]) -> None:
        """``then()``, after asking when the catalogue on screen has changes not saved."""
        if not self.dirty:
            then()
            return
        self.discard_box = confirm(
            self,
            self.tr("Unsaved catalogue"),
            self.tr("The catalogue has changes that are not saved. Discard them?"),
            self.tr("Discard changes"),
            then,
        )

    def ask_open(self) -> None:
        self._unless_unsaved(self._ask_open_now)

    def _ask_open_now(self) -> None:
        path = self._ask_open(self.tr("Open a catalogue"), self.tr("Catalogues (*.toml);;All files (*)"))
        if path is not None:
            self.open_file(path)

    def ask_save_as(self) -> bool:
        path = self._ask_save(
            self.tr("Save the catalogue"), "catalog.toml", self.tr("Catalogues (*.toml);;All files (*)")
        )
        return False if path is None else self.save_to(path)

    def ask_import(self) -> None:
        self._unless_unsaved(self._ask_import_now)

    def _ask_import_now(self) -> None:
        path = self._ask_open(
            self.tr("Import products from a spreadsheet"),
            self.tr("Spreadsheets (*.csv *.tsv *.txt);;All files (*)"),
        )
        if path is not None:
            self.import_csv_file(path)

    def ask_image(self) -> None:
        path = self._ask_open(
            self.tr("Choose the product's picture"),
            self.tr("Pictures (*.png *.jpg *.jpeg *.webp);;All files (*)"),
        )
        if path is not None:
            self.use_image(path)

    def use_image(self, picture: Path) -> bool:
        """Name ``picture`` as the product's image, copied beside the catalogue if it is elsewhere."""
        try:
            name = adopt_picture(self.draft, picture)
        except StudioError as exc:
            show_error(self, exc, self.tr("Picture not added"))
            return False
        self.form.set_image(name)
        return True

    # -- the show ---------------------------------------------------------------------------------
    def write_show(self) -> Rundown | None:
        """The show's rundown from the saved catalogue in the chosen language, handed to the Show page."""
        lang = str(self.show_language.currentData())
        try:
            if self.dirty:
                raise InputError(
                    self.tr("the catalogue has changes that are not saved."), self.tr("Save it first.")
                )
            path = require_saved(self.draft)
            catalog = to_catalog(self.draft, path)
            if blocked_claims(catalog):
                raise InputError(
                    self.tr("the catalogue has a blocked fact."), self.tr("Fix it and save, then try again.")
                )
            rundown = show_from_catalog(catalog, load_templates(lang))
        except StudioError as exc:
            show_error(self, exc, self.tr("Could not write the show"))
            return None
        self.show_written.emit(rundown)
        return rundown

    def confirm_replace(self, show_exists: bool, replace_show: Callable[[], None]) -> None:
        """``replace_show()`` at once when the Show page holds no show, else once the user agrees."""
        if not show_exists:
            replace_show()
            return
        self.replace_box = confirm(
            self,
            self.tr("Write show from catalogue"),
            self.tr("The show on the Show page is replaced by the one written from the catalogue."),
            self.tr("Replace the show"),
            replace_show,
        )

    # -- products ---------------------------------------------------------------------------------
    def add_product(self) -> None:
        self._store_form()
        product = ProductDraft(id=new_product_id(self.draft))
        self.draft = replace(self.draft, products=(*self.draft.products, product))
        self.dirty = True
        self._fill_list(len(self.draft.products) - 1)
        self._check_timer.start()

    def remove_product(self) -> None:
        row = self.products.currentRow()
        if row < 0:
            return
        products = list(self.draft.products)
        del products[row]
        self._row = -1
        self.draft = replace(self.draft, products=tuple(products))
        self.dirty = True
        self._fill_list(min(row, len(products) - 1))
        self._check_timer.start()

    def _language_changed(self) -> None:
        self._store_form()
        self.draft = replace(self.draft, language=str(self.language.currentData()))
        self.form.set_second_language(self.draft.second)
        self._edited()

    def _show_draft(self, draft: CatalogDraft, select: int) -> None:
        self._row = -1
        self.draft, self.dirty = draft, False
        set_language(self.language, draft.language)
        self.form.set_second_language(draft.second)
        self._show_path()
        self._fill_list(select if draft.products else -1)
        self.check()

    def _fill_list(self, select: int) -> None:
        self.products.blockSignals(True)
        self.products.clear()
        for product in self.draft.products:
            self.products.addItem(self._item_text(product))
        self.products.blockSignals(False)
        self.products.setCurrentRow(select)
        self._select(select)

    def _item_text(self, product: ProductDraft) -> str:
        mark = _BLOCKED_MARK if any(b.product == product.id for b in self.blocked) else ""
        return f"{mark}{product.name or product.id}"

    def _select(self, row: int) -> None:
        if row == self._row:
            return
        self._store_form()
        self._row = row
        has = 0 <= row < len(self.draft.products)
        self.form.set_draft(self.draft.products[row] if has else None)
        self.form.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _store_form(self) -> None:
        if 0 <= self._row < len(self.draft.products):
            products = list(self.draft.products)
            products[self._row] = self.form.draft()
            self.draft = replace(self.draft, products=tuple(products))

    def _edited(self) -> None:
        self._store_form()
        self.dirty = True
        item = self.products.item(self._row)
        if item is not None:
            item.setText(self._item_text(self.draft.products[self._row]))
        self._show_path()
        self._check_timer.start()

    # -- checking ---------------------------------------------------------------------------------
    def check(self) -> list[Blocked]:
        """Check the catalogue as it is on screen; the blocked texts (also shown on the page)."""
        self._check_timer.stop()
        self._store_form()
        if not self.draft.products:
            self._say_problems([], None)
            return []
        blocked, error = blocked_in_draft(self.draft), None
        try:
            to_catalog(self.draft)
        except StudioError as exc:  # a field not filled in yet, a price that is no number…
            error = exc
        self._say_problems(blocked, error)
        return blocked

    def _say_problems(self, blocked: list[Blocked], error: StudioError | None, saving: bool = False) -> None:
        self.blocked = blocked
        lines = [self.tr("Blocked: %1").replace("%1", b.describe()) for b in blocked]
        if blocked and saving:
            lines.insert(0, self.tr("Not saved: rephrase or remove the blocked texts first."))
        if error is not None:
            lines.append(str(error))
        self.problems.setText("\n".join(lines))
        for row, product in enumerate(self.draft.products):
            item = self.products.item(row)
            if item is not None:
                item.setText(self._item_text(product))

    def _show_path(self) -> None:
        where = str(self.draft.path) if self.draft.path else self.tr("not saved yet")
        changed = self.tr(" (changed)") if self.dirty else ""
        self.path_label.setText(self.tr("Catalogue: %1").replace("%1", where) + changed)

    # -- dialogs ----------------------------------------------------------------------------------
    def _open_dialog(self, title: str, filters: str) -> Path | None:
        return memory_of(self).open_file(self, "show", title, filters)

    def _save_dialog(self, title: str, name: str, filters: str) -> Path | None:
        return memory_of(self).save_file(self, "show", title, name, filters)
