"""The jobs file of ``studio batch``: the smallest TOML form, CSV rows through a template,
catalogue products, and every problem refused up front, one line each, before anything renders."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from studio.avatar.library import AvatarLibrary, demo_package_path
from studio.batch.batch_run import prepare
from studio.cli.main import main
from studio.compliance.disclosure import Disclosure
from studio.render.framing import propose_output_size
from studio.resources import asset_path
from studio.voice import default_voice_id
from tests.consent_helpers import edit_consent

SMALLEST = '[[job]]\navatar = "demo"\ntext = "Welcome to the live room!"\nout = "welcome.mp4"\n'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_smallest_toml_form_works_as_written_with_everything_else_defaulted(tmp_path: Path) -> None:
    jobs = prepare(write(tmp_path, "jobs.toml", SMALLEST), tmp_path / "out", AvatarLibrary(tmp_path), None)
    [job] = jobs
    demo = AvatarLibrary(tmp_path).load("demo")
    assert job.out == tmp_path / "out" / "welcome.mp4" and job.avatar_dir == demo_package_path()
    assert (job.width, job.height) == propose_output_size(*demo.manifest.image_size)
    assert job.fps == Fraction(30) and job.label.enabled and job.label.text == "AI-generated"
    assert job.text == "Welcome to the live room!" and job.voice == default_voice_id(job.text)
    assert job.audio is None and job.lipsync == "phonemes"


def test_the_spoken_ai_notice_opens_each_job_and_changes_its_hash(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.toml", SMALLEST)
    [plain] = prepare(path, tmp_path / "out", AvatarLibrary(tmp_path), None)
    [noticed] = prepare(path, tmp_path / "out", AvatarLibrary(tmp_path), Disclosure())
    assert noticed.text == "This host is AI-generated. Welcome to the live room!"
    assert noticed.notice == "This host is AI-generated." and noticed.input_hash != plain.input_hash


def test_csv_rows_fill_the_template_from_their_columns(tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "products.csv",
        "sku,name,price,voice,size,out\n"
        "A1,Travel mug,$19.99,espeak:en-us,256x256,mug.mp4\n"
        ",,,,,\n"  # an empty row from a spreadsheet is no job
        "B2,Bamboo board,$24.50,,320x240,\n",
    )
    template = write(tmp_path, "script.txt", "Meet the {name}, only {price}. Item {sku}.")
    mug, board = prepare(csv, tmp_path / "out", AvatarLibrary(tmp_path), None, template)
    assert mug.text == "Meet the Travel mug, only $19.99. Item A1." and mug.voice == "espeak:en-us"
    assert (mug.width, mug.height, mug.name) == (256, 256, "mug.mp4")
    assert (
        board.where == "row 3 (line 4)"
        and board.name == "job-3.mp4"
        and (board.width, board.height) == (320, 240)
    )
    assert board.text.startswith("Meet the Bamboo board, only $24.50.")


def test_a_product_job_says_the_catalogue_facts_through_the_show_template(tmp_path: Path) -> None:
    catalog = asset_path("demo_catalog", "catalog.toml")
    path = write(
        tmp_path, "jobs.toml", f'catalog = "{catalog}"\n[[job]]\nproduct = "mug"\nvoice = "espeak:en-us"\n'
    )
    [job] = prepare(path, tmp_path / "out", AvatarLibrary(tmp_path), None)
    assert job.name == "mug.mp4"
    assert "Ceramic travel mug" in job.text and "$19.99" in job.text and "Holds 350 ml." in job.text
    # With a template of its own, a product's fields fill it.
    path = write(
        tmp_path,
        "own.toml",
        f'catalog = "{catalog}"\ntemplate = "{{name}}: {{price}}."\n[[job]]\nproduct = "lamp"\n',
    )
    [lamp] = prepare(path, tmp_path / "out", AvatarLibrary(tmp_path), None)
    assert lamp.text == "LED desk lamp: $39.90."


def test_every_problem_is_listed_up_front_one_line_each_and_nothing_renders(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    shutil.copytree(demo_package_path(), library / "Mia")
    edit_consent(library / "Mia", revoked_at="2026-01-01T00:00:00+00:00")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    path = write(
        tmp_path,
        "jobs.toml",
        SMALLEST  # job 1 is fine
        + '\n[[job]]\ntext = "The best mug in the world, it cures colds."\nout = "claim.mp4"\n'
        + '\n[[job]]\ntext = "Hi."\ncolour = "red"\n'
        + '\n[[job]]\ntext = "Hi."\nsize = "300x7"\nout = "b.mp4"\n'
        + '\n[[job]]\ntext = "Hi."\nout = "welcome.mp4"\n'
        + '\n[[job]]\navatar = "Mia"\ntext = "Hi."\nout = "mia.mp4"\n'
        + '\n[[job]]\naudio = "a.txt"\nout = "c.mp4"\n'
        + '\n[[job]]\nout = "d.mp4"\n',
    )
    out = tmp_path / "out"
    args = ["batch", str(path), "--out", str(out), "--library", str(library), "--no-disclosure"]
    assert main(args) == 2
    err = capfd.readouterr().err
    lines = err.splitlines()
    assert all(line.startswith("studio: error: ") for line in lines) and "Traceback" not in err
    assert len(lines) == 8  # seven problems, then how many and what to do
    said = "\n".join(lines)
    assert "job 2 (line 6): text:1:" in said  # the claims checker, at the line and column
    assert "job 3 (line 10): unknown field 'colour'" in said
    assert "job 4 (line 14): size 300x7" in said
    assert "job 5 (line 19): out 'welcome.mp4' is also the output of job 1 (line 1)" in said
    assert "job 6 (line 23): avatar: the consent for avatar 'Mia' was revoked" in said
    assert "job 7 (line 28): audio: a.txt is not one of" in said
    assert "job 8 (line 32): no script" in said
    assert "7 problems" in lines[-1] and "nothing was rendered" in lines[-1]
    assert not out.exists()


def test_a_jobs_file_that_is_neither_toml_nor_csv_is_refused_in_one_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "jobs.json", "{}")
    assert main(["batch", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capfd.readouterr().err.splitlines()
    assert len(err) == 1 and "neither .toml nor .csv" in err[0]


def test_without_ray_the_ray_option_says_how_to_install_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # as on a machine without the cluster extra
    path = write(tmp_path, "jobs.toml", SMALLEST)
    assert main(["batch", str(path), "--out", str(tmp_path / "out"), "--ray", "auto"]) == 2
    err = capfd.readouterr().err.splitlines()
    assert len(err) == 1 and "pip install 'studio[cluster]'" in err[0]


def test_the_command_lines_catalogue_is_found_from_where_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs_dir = tmp_path / "jobs"
    jobs_dir.mkdir()
    shutil.copytree(asset_path("demo_catalog"), tmp_path / "shop")
    csv = write(jobs_dir, "rows.csv", "product,voice\nboard,espeak:en-us\n")
    monkeypatch.chdir(tmp_path)
    [job] = prepare(csv, tmp_path / "out", AvatarLibrary(tmp_path), None, catalog=Path("shop/catalog.toml"))
    assert job.name == "board.mp4" and "Bamboo cutting board" in job.text


@pytest.mark.parametrize(
    "name", ["../up.mp4", "/tmp/abs.mp4", "C:/Windows/x.mp4", "c:x.mp4", "a.mp4:hidden.mp4"]
)
def test_an_out_name_that_leaves_the_out_folder_on_any_system_is_refused(tmp_path: Path, name: str) -> None:
    # On Windows, out_dir / "C:/x.mp4" is C:/x.mp4 and "a.mp4:b" is an NTFS stream: a colon is no file name.
    path = write(tmp_path, "jobs.toml", SMALLEST.replace("welcome.mp4", name))
    with pytest.raises(Exception, match="inside the batch's --out folder"):
        prepare(path, tmp_path / "out", AvatarLibrary(tmp_path), None)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("jobs.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("jobs.csv", '"' + "a" * 200_000 + '",text\n1,hi\n', "is not valid CSV"),
    ],
)
def test_a_jobs_file_that_breaks_its_parser_is_one_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    path = write(tmp_path, name, text)
    assert main(["batch", str(path), "--out", str(tmp_path / "out"), "--no-disclosure"]) == 2
    err = capfd.readouterr().err
    assert "Traceback" not in err and err.startswith("studio: error: ") and expected in err


def test_a_template_placeholder_with_a_width_is_refused_before_it_fills_memory(tmp_path: Path) -> None:
    csv = write(tmp_path, "products.csv", "name\nTravel mug\n")
    template = write(tmp_path, "script.txt", "Meet the {name:>999999999}.")
    with pytest.raises(Exception, match=r"template: .*\{name\}"):
        prepare(csv, tmp_path / "out", AvatarLibrary(tmp_path), None, template)
