"""``studio catalog import|check``: a spreadsheet export becomes a checked catalog.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.commerce import load_catalog
from tests.cli_output import one_error_line

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"
HEADER = "id,name,price,currency,facts,faq"


def test_the_demo_spreadsheet_imports_to_the_demo_catalogue(tmp_path: Path) -> None:
    for image in DEMO.glob("*.png"):
        shutil.copy(image, tmp_path)
    assert (DEMO / "products.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8"
    out = tmp_path / "catalog.toml"
    assert main(["catalog", "import", str(DEMO / "products.csv"), "--out", str(out)]) == 0
    assert load_catalog(out).products == load_catalog(DEMO / "catalog.toml").products


def test_semicolons_and_no_bom_import_too(tmp_path: Path) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text(
        "ID;Name;Price;Currency;Facts;FAQ;name_zh\n"
        "mug;Travel mug;$19.90;usd;Holds 350 ml. | Keeps drinks hot for 6 hours.;"
        "Is it microwave safe? => No.;随行杯\n;;;;;;\n",
        encoding="utf-8",
    )
    out = tmp_path / "catalog.toml"
    assert main(["catalog", "import", str(csv), "--out", str(out)]) == 0
    (mug,) = load_catalog(out).products
    assert mug.price_text() == "19.90 USD" and mug.facts == ("Holds 350 ml.", "Keeps drinks hot for 6 hours.")
    assert mug.faq[0].q == "Is it microwave safe?" and mug.name_in("zh") == "随行杯"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("mug,Mug,abc,USD,Holds 350 ml.,", 'row 2: price "abc" is not a number'),
        ("mug,Mug,5,USD,Holds 350 ml.,Is it safe? No.", "row 2, faq entry 1 is not 'question => answer'"),
        ("mug,Mug,5,USD,Clinically proven to work.,", 'product "mug", facts[1]: EN-MED-04'),
        ("mug,Mug,5,USD,,", "product \"mug\": 'facts' must be a list of sentences"),
    ],
)
def test_a_bad_row_is_one_line_and_writes_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], rows: str, expected: str
) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
    out = tmp_path / "catalog.toml"
    assert main(["catalog", "import", str(csv), "--out", str(out)]) == 2
    assert expected in one_error_line(capfd)
    assert not out.exists()


def test_an_unknown_column_names_the_known_ones(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text("id,name,price,currency,facts,colour\n", encoding="utf-8")
    assert main(["catalog", "import", str(csv), "--out", str(tmp_path / "c.toml")]) == 2
    line = one_error_line(capfd)
    assert "unknown column 'colour'" in line and "The columns are id, name, price" in line


def test_a_spreadsheet_saved_in_another_encoding_says_how_to_export(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "products.csv"
    csv.write_bytes(f"{HEADER}\nmug,随行杯,5,CNY,容量350毫升。,\n".encode("gb18030"))
    assert main(["catalog", "import", str(csv), "--out", str(tmp_path / "c.toml")]) == 2
    assert "is not UTF-8 text. Save it as UTF-8" in one_error_line(capfd)


def test_an_existing_catalogue_is_kept_without_force(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "catalog.toml"
    out.write_text("mine", encoding="utf-8")
    assert main(["catalog", "import", str(DEMO / "products.csv"), "--out", str(out)]) == 2
    assert "already exists" in one_error_line(capfd)
    assert out.read_text(encoding="utf-8") == "mine"


def test_check_lists_the_products(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", str(DEMO / "catalog.toml")]) == 0
    out = capfd.readouterr().out.splitlines()
    assert out[0].split("\t")[:3] == ["mug", "Ceramic travel mug", "19.99 USD"]
    assert out[-1].endswith("5 products in en, zh; no claims flagged.")


def test_an_image_not_beside_the_new_catalogue_is_named(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "catalog.toml"
    assert main(["catalog", "import", str(DEMO / "products.csv"), "--out", str(out)]) == 2
    line = one_error_line(capfd)
    assert f"{out}, product \"mug\": 'image': {tmp_path / 'mug.png'} does not exist" in line
    assert not out.exists()


def test_a_chinese_sheet_takes_english_as_its_second_language(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text(
        "id,name,price,currency,facts,faq,name_en,facts_en,faq_en\n"
        "mug,随行杯,89,CNY,容量350毫升。|热饮保温6小时。,能放微波炉吗？ => 不能。,Travel mug,"
        "Holds 350 ml.|Keeps drinks hot for 6 hours.,Microwave? => No.\n",
        encoding="utf-8-sig",
    )
    out = tmp_path / "catalog.toml"
    assert main(["catalog", "import", str(csv), "--out", str(out), "--language", "zh"]) == 0
    catalog = load_catalog(out)
    (mug,) = catalog.products
    assert catalog.language == "zh" and mug.name == "随行杯" and mug.name_in("en") == "Travel mug"
    assert mug.facts_in("en")[1] == "Keeps drinks hot for 6 hours." and mug.faq[0].answer("en", "zh") == "No."
    assert mug.price_text() == "89 CNY"
    assert main(["ask", "--catalog", str(out), "多少钱"]) == 0  # the only product needs no naming
    assert main(["ask", "--catalog", str(out), "how long does it keep coffee hot?"]) == 0
    last = [line for line in capfd.readouterr().out.splitlines() if not line.startswith("[")]
    assert last == ["随行杯的价格是89元。", "Travel mug: Keeps drinks hot for 6 hours."]
