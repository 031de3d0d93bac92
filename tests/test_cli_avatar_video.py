"""``studio avatar create --video``: the app's video route, on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.avatar.library import AvatarLibrary
from studio.cli.main import main

pytest_plugins = ["capture_fixtures"]


def test_still_from_a_video_uses_its_best_frame(demo_video: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    lib = tmp_path / "lib"
    code = main(["avatar", "create", "--video", str(demo_video), "--still", "--name", "Clip",
                 "--consent-by", "Ana Lima", "--library", str(lib)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    avatar = AvatarLibrary(lib).load("Clip")
    assert avatar.manifest.source_kind == "video"
    assert avatar.manifest.consent.name == "Ana Lima"


def test_photo_and_video_together_are_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["avatar", "create", "--photo", "a.png", "--video", "b.mp4", "--name", "X", "--consent-by", "Y"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_text_file_as_video_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video", encoding="utf-8")
    code = main(["avatar", "create", "--video", str(fake), "--name", "X", "--consent-by", "Ana Lima",
                 "--library", str(tmp_path / "lib")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "notes.mp4" in err
    assert not (tmp_path / "lib" / "X").exists()
