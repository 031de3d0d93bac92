"""Consent that means something: scope, expiry, revocation, and the seal on the biometric files.

Render and live run through ``studio.cli.main.main`` on real packages (the photo avatar of the
shared fixtures, the version-1 package in tests/data, a twin built from a real video). Dates
are written into the manifests or passed as ``now``, so no result depends on the day the
tests run.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from cli_output import one_error_line
from consent_helpers import edit_consent

from studio.avatar.consent import SEALED_FILES, check_consent, consent_problem, renew
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import IMAGE, MANIFEST, load_avatar, read_manifest_json
from studio.cli.main import main
from studio.errors import InputError

pytest_plugins = ["avatar_fixtures", "twin_fixtures"]

V1_PACKAGE = Path(__file__).parent / "data" / "avatar_v1"
PAST = "2020-01-01T00:00:00+00:00"


def render(lib: Path, tmp_path: Path, name: str = "Ana", *extra: str) -> int:
    out = tmp_path / "out.mp4"
    return main([
        "render", "--avatar", name, "--text", "Hello there.", "--out", str(out),
        "--size", "160x160", "--library", str(lib), *extra,
    ])  # fmt: skip


def live(lib: Path, tmp_path: Path, name: str = "Ana") -> int:
    script = tmp_path / "show.txt"
    script.write_text("Hello there.\n", encoding="utf-8")
    return main([
        "live", "--avatar", name, "--script", str(script), "--record", str(tmp_path / "live.mp4"),
        "--duration", "1", "--size", "160x160", "--library", str(lib),
    ])  # fmt: skip


def consent_cmd(lib: Path, name: str, *args: str) -> int:
    return main(["avatar", "consent", name, *args, "--library", str(lib)])


def test_a_new_package_is_sealed_and_runs_a_year(library):
    consent = read_manifest_json(library.root / "Ana")["consent"]
    assert set(consent["sha256"]) == {"image.png", "landmarks.npy"}
    assert consent["scope"] == ["render", "live"] and consent["voices"] == []
    recorded = datetime.fromisoformat(consent["recorded_at"])
    assert datetime.fromisoformat(consent["expires_at"]) == recorded.replace(year=recorded.year + 1)


def test_the_version_1_package_loads_and_counts_a_year_from_its_recording(tmp_path, capfd):
    avatar = load_avatar(V1_PACKAGE)  # no seal, no expiry: loads unchecked
    recorded = datetime.fromisoformat(avatar.manifest.consent.recorded_at)
    assert consent_problem(avatar.manifest, "render", None, recorded + timedelta(days=364)) is None
    later = recorded + timedelta(days=366)
    assert "expired on" in (consent_problem(avatar.manifest, "live", None, later) or "")
    # Rendered as it is, but recorded now, so the render does not depend on today's date.
    lib = tmp_path / "lib"
    shutil.copytree(V1_PACKAGE, lib / "Version One")
    edit_consent(lib / "Version One", recorded_at=datetime.now(UTC).isoformat(timespec="seconds"))
    assert json.loads((lib / "Version One" / MANIFEST).read_text())["schema_version"] == 1
    assert render(lib, tmp_path, "Version One") == 0, capfd.readouterr().err
    assert (tmp_path / "out.mp4").stat().st_size > 0
    assert consent_cmd(lib, "Version One", "--show") == 0
    out = capfd.readouterr().out
    assert "none written, so recorded + 1 year" in out and "written before seals" in out


def test_an_expired_consent_refuses_render_and_live_until_renewed(lib, tmp_path, capfd):
    edit_consent(lib / "Ana", expires_at=PAST)
    assert render(lib, tmp_path) == 2
    line = one_error_line(capfd)
    assert "the consent for avatar 'Ana' expired on 2020-01-01" in line
    assert 'studio avatar consent "Ana" --renew' in line
    assert not (tmp_path / "out.mp4").exists()
    assert live(lib, tmp_path) == 2
    assert "expired on 2020-01-01" in one_error_line(capfd)
    assert not (tmp_path / "live.mp4").exists()

    assert consent_cmd(lib, "Ana", "--renew", "--years", "2") == 0
    next_year = datetime.now(UTC).year + 2
    assert f"renewed the consent for avatar 'Ana' until {next_year}-" in capfd.readouterr().out
    assert render(lib, tmp_path) == 0, capfd.readouterr().err
    assert live(lib, tmp_path) == 0, capfd.readouterr().err
    assert (tmp_path / "live.mp4").stat().st_size > 0


def test_a_revoked_consent_is_refused_and_shown(lib, tmp_path, capfd):
    assert consent_cmd(lib, "Ana", "--revoke") == 0
    assert "revoked the consent for avatar 'Ana'" in capfd.readouterr().out
    assert render(lib, tmp_path) == 2
    assert "the consent for avatar 'Ana' was revoked on " in one_error_line(capfd)
    assert consent_cmd(lib, "Ana", "--show") == 0
    assert "status:     REVOKED" in capfd.readouterr().out
    # The rewrite kept the seal and everything else of the manifest.
    assert set(read_manifest_json(lib / "Ana")["consent"]["sha256"]) == {"image.png", "landmarks.npy"}


def test_a_use_or_voice_outside_the_scope_is_refused(library, tmp_path, capfd):
    renew(library, "Ana", scope=("render",), voices=("en_US-lessac-medium",))
    avatar = library.load("Ana")
    check_consent(avatar, "render", ("en_US-lessac-medium",))
    with pytest.raises(InputError, match="does not cover live"):
        check_consent(avatar, "live", ("en_US-lessac-medium",))
    with pytest.raises(InputError, match="does not cover the voice de_DE-x"):
        check_consent(avatar, "render", ("de_DE-x",))
    assert render(library.root, tmp_path) == 2  # no --voice: the default voice is not named
    assert "covers only the voices en_US-lessac-medium" in one_error_line(capfd)
    assert live(library.root, tmp_path) == 2
    assert "does not cover live (only render)" in one_error_line(capfd)


def test_a_face_swapped_after_consent_is_refused(lib, tmp_path, capfd):
    from PIL import Image

    image = lib / "Ana" / IMAGE
    Image.fromarray(np.asarray(Image.open(image))[:, ::-1].copy()).save(image)  # same size, other face
    with pytest.raises(InputError) as info:
        AvatarLibrary(lib).load("Ana")
    assert str(info.value.problem) == "the avatar 'Ana' was changed after consent (image.png differs)."
    assert info.value.hint == "Recreate it with the person's consent."
    assert render(lib, tmp_path) == 2
    assert "was changed after consent (image.png differs)" in one_error_line(capfd)
    assert consent_cmd(lib, "Ana", "--show") == 0
    assert "CHANGED (image.png differs)" in capfd.readouterr().out


def test_the_seal_survives_a_rename(library):
    before = read_manifest_json(library.root / "Ana")["consent"]["sha256"]
    folder = library.rename("Ana", "Bea")
    assert read_manifest_json(folder)["consent"]["sha256"] == before
    assert library.load("Bea").manifest.consent.sha256 == before


def test_a_twins_parts_are_sealed_and_a_changed_atlas_refused(jon_twin_avatar, tmp_path):
    assert set(jon_twin_avatar.manifest.consent.sha256) == set(SEALED_FILES) - {"consent.wav"}
    copy = tmp_path / "Jon"
    shutil.copytree(jon_twin_avatar.path, copy)
    load_avatar(copy)
    with np.load(copy / "atlas.npz") as atlas:
        arrays = {k: atlas[k] for k in atlas.files}
    first = next(iter(arrays))
    arrays[first] = arrays[first].copy()
    arrays[first].flat[0] += 1
    np.savez(copy / "atlas.npz", **arrays)
    with pytest.raises(InputError, match=r"'Jon' was changed after consent \(atlas.npz differs\)"):
        load_avatar(copy)


def test_consent_options_are_checked_in_one_line(lib, capfd):
    assert consent_cmd(lib, "Ana", "--revoke", "--years", "3") == 2
    assert "--years, --scope and --voices go with --renew" in one_error_line(capfd)
    assert consent_cmd(lib, "Ana", "--renew", "--scope", "render,broadcast") == 2
    assert "--scope names 'broadcast'" in one_error_line(capfd)
    assert consent_cmd(lib, "Nobody", "--show") == 2
    one_error_line(capfd)
    assert consent_cmd(lib, "demo", "--renew") == 2
    assert "public-domain" in one_error_line(capfd)


def test_a_rundown_segments_own_voice_is_held_to_the_consent(library, tmp_path, capfd):
    """--voice names the show's voice, but a rundown's segment may name another: the consent
    covers every voice the show speaks with, in render and in live."""
    renew(library, "Ana", voices=("espeak:en-us",))
    show = tmp_path / "show.rundown.toml"
    show.write_text(
        'version = 1\n\n[[segment]]\ntext = "Hello there."\n\n'
        '[[segment]]\ntext = "Ni hao."\nvoice = "espeak:cmn"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.mp4"
    common = ["--avatar", "Ana", "--script", str(show), "--voice", "espeak:en-us", "--size", "160x160",
              "--library", str(library.root)]  # fmt: skip
    assert main(["render", *common, "--out", str(out)]) == 2
    assert "does not cover the voice espeak:cmn" in one_error_line(capfd)
    assert not out.exists()
    live_out = tmp_path / "live.mp4"
    assert main(["live", *common, "--record", str(live_out), "--duration", "1"]) == 2
    assert "does not cover the voice espeak:cmn" in one_error_line(capfd)
    # The same show in the consented voice only goes ahead.
    show.write_text(show.read_text(encoding="utf-8").replace('voice = "espeak:cmn"\n', ""), encoding="utf-8")
    assert main(["render", *common, "--out", str(out)]) == 0
