"""``studio show from-catalog``: a rundown from the catalogue that ``studio live`` loads, all checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.live.rundown import load_rundown
from tests.cli_output import one_error_line

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
TEMPLATES = Path(__file__).resolve().parents[1] / "studio" / "commerce" / "templates"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_written_rundown_loads_in_the_live_rundown_loader(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "show.toml"
    assert main(["show", "from-catalog", str(DEMO), "--lang", lang, "--out", str(out)]) == 0
    rundown = load_rundown(out)  # with the claims check that `studio live` runs
    assert rundown.loop and len(rundown.segments) == 4 * 5
    titles = [s.title for s in rundown.segments[:4]]
    assert titles == ["mug: intro", "mug: feature", "mug: offer", "mug: call_to_action"]
    texts = [s.text for s in rundown.segments]
    if lang == "en":
        assert "Keeps drinks hot for 6 hours." in texts[1]
        assert texts[2] == "The Ceramic travel mug is $19.99. A second mug is half price."
        assert "$24.50" in texts[6]
    else:
        assert "热饮保温6小时。" in texts[1] and "Keeps" not in texts[1]
        assert texts[2] == "陶瓷随行杯的价格是19.99美元。第二个杯子半价。"


def test_without_out_it_prints_the_rundown(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "from-catalog", str(DEMO), "--no-loop"]) == 0
    out = capfd.readouterr().out
    assert out.startswith("# Studio rundown\nversion = 1\nloop = false\n")


def own_templates(tmp_path: Path, key: str, line: str) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    en = folder / "en.toml"
    text = en.read_text(encoding="utf-8")
    start = text.index(f"\n{key} = ") + 1
    end = text.index("\n", start)
    en.write_text(text[:start] + f'{key} = "{line}"' + text[end:], encoding="utf-8")
    return folder


def test_an_edited_template_changes_the_lines(tmp_path: Path) -> None:
    folder = own_templates(tmp_path, "call_to_action", "Add the {name} to your cart for {price}.")
    out = tmp_path / "show.toml"
    assert main(["show", "from-catalog", str(DEMO), "--templates", str(folder), "--out", str(out)]) == 0
    assert load_rundown(out).segments[3].text == "Add the Ceramic travel mug to your cart for $19.99."


@pytest.mark.parametrize(
    ("key", "line", "expected"),
    [
        (
            "offer",
            "The {name} is {price}, the lowest price ever.",
            "'offer' makes a flagged line for product",
        ),
        ("intro", "Only 3 left of the {name}!", "'intro' makes a flagged line for product \"mug\": EN-URG"),
        ("intro", "Meet the {nmae}.", "'intro' uses {nmae}; it may use {name}, {price}."),
        ("intro", "Meet the {name.", "'intro' has a broken placeholder"),
        # A format spec is no part of a sentence: a huge width would fill memory, a bad one raise.
        ("intro", "Meet the {name:>99999999999999999999}.", "'intro' formats {name}"),
        ("intro", "Meet the {name:d}.", "'intro' formats {name}"),
        ("intro", "Meet the {name!r}.", "'intro' formats {name}"),
    ],
)
def test_a_template_that_would_make_a_bad_line_is_refused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], key: str, line: str, expected: str
) -> None:
    folder = own_templates(tmp_path, key, line)
    out = tmp_path / "show.toml"
    assert main(["show", "from-catalog", str(DEMO), "--templates", str(folder), "--out", str(out)]) == 2
    message = one_error_line(capfd)
    assert expected in message and str(folder / "en.toml") in message
    assert not out.exists()


def test_an_out_that_cannot_be_written_is_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "show.toml"
    assert main(["show", "from-catalog", str(DEMO), "--out", str(out)]) == 2
    assert f"could not write {out}" in one_error_line(capfd)
