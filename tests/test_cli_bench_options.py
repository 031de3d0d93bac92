"""``studio bench`` checks its options before running any stage."""

from __future__ import annotations

import pytest

from studio.cli.main import main
from studio.cli.render_options import parse_preset
from studio.errors import InputError
from studio.media.avstreams import X264_PRESETS


@pytest.mark.parametrize("preset", ["nonsense", "placebo", "", "very fast"])
def test_an_unknown_preset_is_refused_in_one_line_before_any_stage(
    preset: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", "--preset", preset]) == 2
    out, err = capsys.readouterr()
    assert out == "", "no stage ran"
    assert err.count("\n") == 1 and "not an x264 preset" in err and "veryfast" in err
    assert "Traceback" not in err


def test_every_x264_preset_is_accepted() -> None:
    assert [parse_preset(p) for p in X264_PRESETS] == list(X264_PRESETS)
    assert parse_preset(" Medium ") == "medium"
    with pytest.raises(InputError, match="--preset"):
        parse_preset("medium2")
