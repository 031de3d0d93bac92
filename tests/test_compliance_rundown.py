"""Rundowns refuse a line with a prohibited claim unless the line carries a recorded override."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.compliance import Override
from studio.errors import InputError
from studio.live.rundown import format_rundown, load_rundown, parse_rundown, save_rundown

FLAGGED = """version = 1
loop = true

[[segment]]
title = "Ranking"
text = "我们是行业第一的品牌。欢迎大家。"
"""
OVERRIDE = """
[[segment.override]]
rule = "ZH-ABS-02"
text = "行业第一"
by = "li.wei"
at = 2026-12-07T14:05:00Z
reason = "China Cosmetics Association ranking 2026, certificate 123"
"""


def test_a_flagged_line_is_refused_with_its_finding_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(FLAGGED, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rundown(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        f'{path}:6:12: ZH-ABS-02 ranking claim (第一 / No.1) without a cited ranking: "行业第一"'
    )
    assert '[[segment.override]] rule = "ZH-ABS-02", text = "行业第一"' in message


def test_an_override_lets_exactly_its_words_through_and_survives_a_save(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(FLAGGED + OVERRIDE, encoding="utf-8")
    rundown = load_rundown(path)
    assert rundown.segments[0].overrides == (
        Override(
            "ZH-ABS-02",
            "行业第一",
            "li.wei",
            datetime(2026, 12, 7, 14, 5, tzinfo=UTC),
            "China Cosmetics Association ranking 2026, certificate 123",
        ),
    )
    copy = tmp_path / "copy.toml"
    save_rundown(rundown, copy)
    assert load_rundown(copy) == rundown
    # The override covers 行业第一 only: a new claim under the same rule in an edited line is refused.
    edited = FLAGGED.replace("欢迎大家", "销量第一") + OVERRIDE
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(InputError, match='"销量第一"'):
        load_rundown(path)


def test_an_editor_can_open_a_flagged_draft_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "draft.toml"
    path.write_text(FLAGGED, encoding="utf-8")
    assert load_rundown(path, check_claims=False).segments[0].text.startswith("我们是行业第一")


def test_false_urgency_is_refused_only_in_a_show_that_repeats_it(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    once = 'version = 1\nloop = false\n[[segment]]\ntext = "Only 3 left, tap the cart."\n'
    path.write_text(once, encoding="utf-8")
    assert load_rundown(path).segments[0].repeat == 1
    path.write_text(once.replace("loop = false", "loop = true"), encoding="utf-8")
    with pytest.raises(InputError, match=r"show.toml:4:9: EN-URG-01 .*\"Only 3 left\""):
        load_rundown(path)


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ('rule = "ZH-ABS-02"\ntext = "行业第一"\nat = 2026-12-07T14:05:00Z\n', "needs 'by' as text"),
        ('rule = "ZH-ABS-02"\ntext = "行业第一"\nby = "li"\nat = 2026-12-07T14:05:00\n', "with its zone"),
        (
            'rule = "ZH-ABS-02"\ntext = "行业第一"\nby = "li"\nat = 2026-12-07T14:05:00Z\nwho = 1\n',
            "unknown keys: who",
        ),
    ],
)
def test_a_bad_override_is_one_clear_error(override: str, problem: str) -> None:
    import tomllib

    data = tomllib.loads(FLAGGED + "\n[[segment.override]]\n" + override)
    with pytest.raises(InputError, match=problem):
        parse_rundown(data, "show.toml")


def test_a_rundown_without_overrides_is_written_as_before() -> None:
    data = {"segment": [{"text": "Hello there.", "repeat": 2}]}
    assert "override" not in format_rundown(parse_rundown(data))
