"""Help and tables in terminal columns: Chinese characters take two columns and wrap between
characters; closing punctuation never starts a line, opening punctuation never ends one."""

from __future__ import annotations

import textwrap

import pytest

from studio.cli.main import main
from studio.cli.text_width import display_width, pad, wrap_columns

SENTENCE = (
    "把数字人说脚本的画面渲染为 MP4 文件。文件只在完整生成后才会出现：被停止（Ctrl-C、SIGTERM、SIGHUP）"
    "或磁盘写满时，不会留下不完整的文件。"
)


def test_widths_count_columns() -> None:
    assert display_width("数字人 demo") == 11
    assert pad("数字人", 8) == "数字人  " and pad("abc", 2) == "abc"


@pytest.mark.parametrize("width", [20, 31, 40, 57])
def test_chinese_wraps_by_columns_with_its_punctuation_rules(width: int) -> None:
    lines = wrap_columns(SENTENCE, width)
    assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")  # nothing lost or added
    assert all(display_width(line) <= width for line in lines)
    assert max(display_width(line) for line in lines) > width - 4  # the lines are filled
    assert not any(line[0] in "，。：、）" for line in lines[1:])
    assert not any(line[-1] in "（" for line in lines)


def test_english_wraps_as_textwrap_does() -> None:
    text = " ".join(["the spoken AI notice is said at the start and every ten minutes"] * 4)
    assert wrap_columns(text, 50) == textwrap.wrap(text, 50)


def test_chinese_help_fits_the_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDIO_LANGUAGE", "zh_CN")
    monkeypatch.setenv("COLUMNS", "80")
    for command in (["render", "--help"], ["live", "--help"], ["avatar", "create", "--help"]):
        with pytest.raises(SystemExit):
            main(command)
        shown = capsys.readouterr().out
        too_wide = [line for line in shown.splitlines() if display_width(line) > 80 and " " in line.strip()]
        assert too_wide == [], too_wide
