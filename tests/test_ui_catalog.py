"""The Catalogue page, driven offscreen on real files: the demo catalogue opened, edited (both
languages) and saved through the core's atomic save; a blocked fact named inline with its rule and
never saved; a spreadsheet imported; a product made from nothing by typing; the show written from
the catalogue in Chinese."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.commerce import load_catalog
from studio.live.rundown import Rundown
from studio.ui.catalog_draft import blocked_claims, to_catalog
from studio.ui.catalog_page import CatalogPage

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The demo catalogue and its pictures, in a folder of the test's own."""
    for name in ("catalog.toml", "mug.png", "board.png", "lamp.png", "products.csv"):
        shutil.copyfile(DEMO / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def page(qtbot) -> CatalogPage:  # noqa: ANN001
    widget = CatalogPage(ask_open=lambda *_: None, ask_save=lambda *_: None)
    qtbot.addWidget(widget)
    return widget


def _type(qtbot, widget, text: str) -> None:  # noqa: ANN001
    """Type ``text`` over the field's words (Qt's key clicks take ASCII only: Chinese is pasted)."""
    widget.setFocus()
    widget.selectAll()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)
    assert widget.text() == text


def test_the_demo_catalogue_is_edited_in_both_languages_and_saved(qtbot, page, folder) -> None:  # noqa: ANN001
    path = folder / "catalog.toml"
    assert page.open_file(path)
    assert page.products.count() == 5 and page.products.currentRow() == 0
    form = page.form
    assert form.name_edit.text() == "Ceramic travel mug" and form.name_second.text() == "陶瓷随行杯"
    assert form.price_edit.text() == "19.99" and form.currency_edit.text() == "USD"
    assert form.facts_edit.toPlainText().splitlines()[1] == "Keeps drinks hot for 6 hours."
    assert form.faq_table.rowCount() == 4 and form.faq_table.item(0, 2).text() == "可以放微波炉吗？"
    assert form.image_edit.text() == "mug.png"
    assert page.problems.text() == "" and not page.dirty

    _type(qtbot, form.price_edit, "17.50")
    _type(qtbot, form.promotion_second, "今天包邮。")
    facts = form.facts_second.toPlainText().splitlines()
    facts[1] = "热饮保温8小时。"
    form.facts_second.setPlainText("\n".join(facts))
    form.facts_edit.setPlainText(form.facts_edit.toPlainText().replace("6 hours", "8 hours"))
    form.add_faq()
    for column, text in enumerate(
        ("Is it dishwasher safe?", "Only the lid.", "能洗碗机洗吗？", "只有杯盖可以。")
    ):
        form.faq_table.item(form.faq_table.rowCount() - 1, column).setText(text)
    assert page.dirty and "(changed)" in page.path_label.text()
    page.products.setCurrentRow(1)  # another product: the mug's edits are kept
    assert form.name_edit.text() == "Bamboo cutting board"
    assert page.save()

    saved = load_catalog(path)  # the core's own loader, claims checked again
    mug = saved.product("mug")
    assert mug.price == Decimal("17.50")
    assert mug.promotion_in("zh") == "今天包邮。"
    assert mug.facts[1] == "Keeps drinks hot for 8 hours." and mug.facts_in("zh")[1] == "热饮保温8小时。"
    assert (mug.faq[-1].q, mug.faq[-1].answer("zh", "en")) == ("Is it dishwasher safe?", "只有杯盖可以。")
    assert saved.product("board") == load_catalog(DEMO / "catalog.toml").product("board")
    assert not page.dirty and not list(folder.glob("*.tmp*"))


def test_a_blocked_fact_is_named_with_its_rule_and_never_saved(qtbot, page, folder) -> None:  # noqa: ANN001
    path = folder / "catalog.toml"
    before = path.read_bytes()
    page.open_file(path)
    page.products.setCurrentRow(2)
    form = page.form
    blocked_product = form.id_edit.text()
    form.facts_edit.setPlainText(form.facts_edit.toPlainText() + "\nThe best lamp in the world.")
    # As the user types, before the fact is translated (the catalogue is not whole yet): both said.
    qtbot.waitUntil(lambda: "EN-ABS-01" in page.problems.text())
    assert "'facts_zh' has" in page.problems.text()
    form.facts_second.setPlainText(form.facts_second.toPlainText() + "\n全网最低价。")
    assert [(b.product, b.field) for b in page.check()] == [
        (b.product, b.field) for b in blocked_claims(to_catalog(page.draft))
    ]  # named as the core's own check names them
    assert not page.save()
    text = page.problems.text()
    assert text.startswith("Not saved")
    assert f'"{blocked_product}", facts[' in text and "superlative claim" in text and "The best" in text
    assert "ZH-ABS-06" in text and "全网最低价" in text
    assert page.products.item(2).text().startswith("⚠")
    assert not page.products.item(0).text().startswith("⚠")
    assert path.read_bytes() == before  # nothing written

    form.facts_edit.setPlainText(
        form.facts_edit.toPlainText().replace("The best lamp in the world.", "Has a switch.")
    )
    form.facts_second.setPlainText(form.facts_second.toPlainText().replace("全网最低价。", "有开关。"))
    assert page.save()
    assert page.problems.text() == "" and not page.products.item(2).text().startswith("⚠")
    assert load_catalog(path).product(blocked_product).facts[-1] == "Has a switch."


def test_a_spreadsheet_is_imported_and_saved_as_a_catalogue(qtbot, folder) -> None:  # noqa: ANN001
    target = folder / "shop" / "catalog.toml"
    target.parent.mkdir()
    for name in ("mug.png", "board.png", "lamp.png"):
        shutil.copyfile(folder / name, target.parent / name)
    page = CatalogPage(ask_open=lambda *_: folder / "products.csv", ask_save=lambda *_: target)
    qtbot.addWidget(page)
    page.ask_import()
    assert page.products.count() == 5 and page.dirty
    assert "not saved yet" in page.path_label.text()
    assert page.save()  # no file yet: Save asks where (Save as…)
    assert load_catalog(target).products == load_catalog(folder / "catalog.toml").products


def test_a_product_typed_from_nothing_is_checked_then_saved(qtbot, page, folder) -> None:  # noqa: ANN001
    path = folder / "new.toml"
    page.new_catalog()
    form = page.form
    _type(qtbot, form.id_edit, "kettle")
    _type(qtbot, form.name_edit, "Glass kettle")
    _type(qtbot, form.price_edit, "abc")
    page.check()
    assert "'price'" in page.problems.text()  # the core's own message, naming the field
    assert not page.save_to(path) and not path.exists()
    _type(qtbot, form.price_edit, "39")
    form.facts_edit.setPlainText("Holds 1.7 litres.\nBoils in 4 minutes.")
    assert page.products.item(0).text() == "Glass kettle"
    # A picture from elsewhere is copied beside the catalogue once it has a file.
    assert not page.use_image(folder / "mug.png")  # not saved yet: said, nothing copied
    assert page.save_to(path)
    assert not page.use_image(folder / "products.csv")  # not a picture: said, nothing named
    assert page.form.image_edit.text() == ""
    picture = folder / "elsewhere" / "kettle.png"
    picture.parent.mkdir()
    shutil.copyfile(folder / "lamp.png", picture)
    assert page.use_image(picture) and (folder / "kettle.png").is_file()
    assert page.save()
    kettle = load_catalog(path).product("kettle")
    assert (kettle.name, kettle.price, kettle.facts) == (
        "Glass kettle",
        Decimal(39),
        ("Holds 1.7 litres.", "Boils in 4 minutes."),
    )
    assert kettle.image == Path("kettle.png")


def test_the_show_is_written_from_the_catalogue_in_chinese(qtbot, page, folder) -> None:  # noqa: ANN001
    page.open_file(folder / "catalog.toml")
    got: list[Rundown] = []
    page.show_written.connect(got.append)
    page.show_language.setCurrentIndex(page.show_language.findData("zh"))
    qtbot.mouseClick(page.write_show_button, Qt.MouseButton.LeftButton)
    assert len(got) == 1
    rundown = got[0]
    assert [s.product for s in rundown.segments][:4] == ["mug"] * 4
    assert "陶瓷随行杯" in rundown.segments[0].text and "容量350毫升" in rundown.segments[1].text
    assert {s.product for s in rundown.segments} == {
        p.id for p in load_catalog(folder / "catalog.toml").products
    }
    # An unsaved edit must be saved before the show is written from the file.
    page.form.name_edit.setText("Mug")
    assert page.write_show() is None and len(got) == 1


def test_unsaved_changes_are_kept_unless_the_user_discards_them(qtbot, page, folder) -> None:  # noqa: ANN001
    page.open_file(folder / "catalog.toml")
    page.form.name_edit.setText("Ceramic mug")
    assert page.dirty
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    box = page.discard_box
    assert box is not None and box.isVisible()
    box.reject()  # Cancel: the edits stay
    assert page.products.count() == 5 and page.form.name_edit.text() == "Ceramic mug"
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    box = page.discard_box
    discard = next(b for b in box.buttons() if b.text() == "Discard changes")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.products.count() == 1)
    assert page.form.id_edit.text() == "product-1"


def test_a_catalogue_written_in_chinese_has_english_as_its_second_language(qtbot, page, folder) -> None:  # noqa: ANN001
    path = folder / "zh.toml"
    page.new_catalog()
    page.language.setCurrentIndex(page.language.findData("zh"))
    assert "name_en" in page.form.name_second_label.text()
    form = page.form
    form.id_edit.setText("tea")
    form.name_edit.setText("绿茶")
    form.name_second.setText("Green tea")
    form.price_edit.setText("39")
    form.currency_edit.setText("CNY")
    form.facts_edit.setPlainText("每罐250克。")
    form.facts_second.setPlainText("250 g a tin.")
    assert page.save_to(path)
    tea = load_catalog(path)
    assert tea.language == "zh" and tea.products[0].name_in("en") == "Green tea"
    assert tea.products[0].facts_in("zh") == ("每罐250克。",)
    page.new_catalog()
    assert page.open_file(path) and page.language.currentData() == "zh"


def test_a_catalogue_whose_picture_is_missing_opens_to_be_fixed(qtbot, page, folder) -> None:  # noqa: ANN001
    path = folder / "catalog.toml"
    (folder / "lamp.png").unlink()
    before = path.read_bytes()
    assert page.open_file(path) and page.products.count() == 5
    assert "lamp.png does not exist" in page.problems.text()
    assert not page.save_to(path) and path.read_bytes() == before
    page.products.setCurrentRow(next(i for i, p in enumerate(page.draft.products) if p.image == "lamp.png"))
    page.form.image_edit.setText("mug.png")
    page.check()
    assert page.problems.text() == "" and page.save()
