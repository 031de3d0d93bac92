"""The product catalogue: the demo file, exact prices, one-line errors, claims refused, atomic saves."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from studio.commerce import format_catalog, load_catalog, save_catalog
from studio.errors import InputError

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"
MUG = """version = 1
[[product]]
id = "mug"
name = "Ceramic travel mug"
price = 19.99
currency = "USD"
facts = ["Holds 350 ml.", "Keeps drinks hot for 6 hours.", "The lid is dishwasher safe."]
[[product.faq]]
q = "Is it microwave safe?"
a = "No, the steel lining must not go in the microwave."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_catalog(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_issue_example_loads_into_typed_values(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, MUG))
    (mug,) = catalog.products
    assert mug.price == Decimal("19.99") and mug.price_text() == "19.99 USD"
    assert mug.facts[1] == "Keeps drinks hot for 6 hours."
    assert mug.faq[0].answer("zh", "en") == "No, the steel lining must not go in the microwave."


def test_the_demo_catalogue_has_five_products_in_english_and_chinese() -> None:
    catalog = load_catalog(DEMO / "catalog.toml")
    assert [p.id for p in catalog.products] == ["mug", "board", "tshirt", "lamp", "stand"]
    assert catalog.languages() == ("en", "zh")
    board = catalog.product("board")
    assert board.price_text() == "24.50 USD"  # the trailing zero as written, never 24.5
    assert board.name_in("zh") == "竹制砧板" and board.facts_in("zh")[3] == "重1.2公斤。"
    assert all(len(p.facts_in("zh")) == len(p.facts) for p in catalog.products)
    assert catalog.product("mug").image == Path("mug.png")


def test_a_saved_catalogue_reads_back_equal(tmp_path: Path) -> None:
    for image in DEMO.glob("*.png"):
        shutil.copy(image, tmp_path)
    catalog = load_catalog(DEMO / "catalog.toml")
    save_catalog(catalog, tmp_path / "copy.toml")
    back = load_catalog(tmp_path / "copy.toml")
    assert back.products == catalog.products
    assert format_catalog(back) == format_catalog(catalog)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("version = 1", "version = 2"), "catalogue version is 2; this Studio reads version 1"),
        (("price = 19.99", "price = -1"), "product \"mug\": 'price' is -1; a price is from 0"),
        (("price = 19.99", 'price = "cheap"'), "product \"mug\": 'price' is 'cheap'; it must be a number"),
        (("price = 19.99", "price = 19.999"), "'price' is 19.999; a price has at most two decimals"),
        (("price = 19.99", "price = nan"), "'price' is NaN"),
        (('currency = "USD"', 'currency = "dollars"'), "'currency' must be a three-letter code"),
        (('id = "mug"', 'id = "My Mug"'), "'id' is \"My Mug\"; an id is 1 to 40 lower-case"),
        (
            ('facts = ["Holds', 'colour = "red"\nfacts = ["Holds'),
            "product \"mug\" has an unknown key 'colour'",
        ),
        (("facts = [", 'image = "mug.png"\nfacts = ['), "product \"mug\": 'image':"),
        (
            ("facts = [", 'facts_zh = ["容量350毫升。"]\nfacts = ['),
            "'facts_zh' has 1 facts and 'facts' has 3",
        ),
        (('a = "No', 'a_zh = "不可以。"\na = "No'), "give both q_zh and a_zh, or neither"),
    ],
)
def test_a_bad_value_is_one_line_naming_file_product_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, MUG.replace(*change, 1))
    message = error(path)
    assert str(path) in message and expected in message


def test_a_missing_image_says_which_file(tmp_path: Path) -> None:
    message = error(write(tmp_path, MUG.replace("facts = [", 'image = "mug.png"\nfacts = [')))
    assert (
        f"{tmp_path / 'mug.png'} does not exist" in message and "Put the image beside catalog.toml" in message
    )


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    second = MUG.split("\n", 1)[1]
    assert 'two products have the id "mug"' in error(write(tmp_path, MUG + second))


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    with open(path, "wb") as fh:
        fh.truncate(3 * 1024 * 1024)  # sparse: the check must come from stat, not from reading it
    assert "is 3.0 MB; Studio reads at most 2.0 MB" in error(path)


@pytest.mark.parametrize(
    ("fact", "rule", "field"),
    [
        ("Cures insomnia overnight.", "EN-MED-01", "facts[2]"),
        ("全网最低价。", "ZH-ABS-06", "facts[2]"),
    ],
)
def test_a_fact_making_a_prohibited_claim_is_refused_with_the_finding(
    tmp_path: Path, fact: str, rule: str, field: str
) -> None:
    message = error(write(tmp_path, MUG.replace("Keeps drinks hot for 6 hours.", fact)))
    assert f'product "mug", {field}: {rule} ' in message


def test_an_faq_answer_is_checked_too(tmp_path: Path) -> None:
    text = MUG.replace(
        "No, the steel lining must not go in the microwave.", "It is the best mug in the world."
    )
    assert "faq 1 'a': EN-ABS-01 superlative claim" in error(write(tmp_path, text))


def test_saving_a_flagged_catalogue_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    path = write(tmp_path, MUG)
    catalog = load_catalog(path)
    (mug,) = catalog.products
    bad = replace(catalog, products=(replace(mug, facts=(*mug.facts, "No side effects at all.")),))
    with pytest.raises(InputError, match="EN-MED-01"):
        save_catalog(bad, path)
    assert path.read_text(encoding="utf-8") == MUG
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.toml"]  # no temporary file left


def test_a_flagged_fact_is_placed_at_its_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, MUG.replace("Keeps drinks hot for 6 hours.", "Cures insomnia."))
    assert error(path).startswith(f'{path}:7:28: product "mug", facts[2]: EN-MED-01 medical claim')


def test_a_huge_image_is_refused_by_its_size(tmp_path: Path) -> None:
    with open(tmp_path / "mug.png", "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    message = error(write(tmp_path, MUG.replace("facts = [", 'image = "mug.png"\nfacts = [')))
    assert "the product image" in message and "is 21.0 MB; Studio reads at most 20.0 MB" in message


def test_an_image_outside_the_catalogue_folder_is_refused(tmp_path: Path) -> None:
    # A merchant's spreadsheet must not put a picture from elsewhere on the user's disk on air.
    folder = tmp_path / "catalogue"
    folder.mkdir()
    shutil.copy(DEMO / "mug.png", tmp_path / "private.png")
    for name in ("../private.png", str(tmp_path / "private.png"), "C:/private.png"):
        text = MUG.replace("facts = [", f"image = {name!r}\nfacts = [".replace("'", '"'))
        path = folder / "catalog.toml"
        path.write_text(text, encoding="utf-8")
        message = error(path)
        assert "'image'" in message and "inside the catalogue's folder" in message
    (folder / "pictures").mkdir()
    shutil.copy(DEMO / "mug.png", folder / "pictures" / "mug.png")
    path.write_text(MUG.replace("facts = [", 'image = "pictures/mug.png"\nfacts = ['), encoding="utf-8")
    assert load_catalog(path).product("mug").image == Path("pictures/mug.png")


def test_a_catalogue_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, MUG))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        save_catalog(catalog, blocker / "catalog.toml")
    assert "could not save the catalogue" in str(caught.value) and "\n" not in str(caught.value)
