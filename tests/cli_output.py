"""What a CLI test reads back of the ``studio`` command's output."""

from __future__ import annotations

import pytest


def one_error_line(capfd: pytest.CaptureFixture[str]) -> str:
    """The one ``studio: error: …`` line the command printed, no traceback anywhere."""
    out, err = capfd.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("studio: error: "), err
    assert "Traceback" not in out + err
    return lines[0]
