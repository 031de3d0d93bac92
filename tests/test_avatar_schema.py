"""Package schema 2: the avatar's kind is written; version-1 packages (photos) still load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from cli_output import one_error_line

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import MANIFEST, AvatarManifest, ManifestError, load_avatar
from studio.cli.main import main
from studio.errors import InputError

V1_PACKAGE = Path(__file__).parent / "data" / "avatar_v1"


def test_a_version_1_package_written_by_the_v1_code_loads_as_a_photo(tmp_path):
    data = json.loads((V1_PACKAGE / MANIFEST).read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and "kind" not in data  # really written by the old code
    avatar = load_avatar(V1_PACKAGE)
    assert avatar.manifest.kind == "photo" and avatar.manifest.schema_version == 1
    assert avatar.image.shape == (256, 256, 3) and np.isfinite(avatar.landmarks).all()
    # In a library it lists, renders and is deleted like any other avatar.
    shutil.copytree(V1_PACKAGE, tmp_path / "Version One")
    library = AvatarLibrary(tmp_path)
    assert library.names() == ["Version One"]
    assert library.load("Version One").manifest.kind == "photo"


def test_the_kind_round_trips_and_an_unknown_kind_is_refused():
    data = json.loads((V1_PACKAGE / MANIFEST).read_text(encoding="utf-8"))
    data.update(schema_version=2, kind="twin", twin={"fps": 25, "idle_frames": 250})
    manifest = AvatarManifest.from_json(data)
    assert manifest.kind == "twin" and manifest.twin["idle_frames"] == 250
    assert AvatarManifest.from_json(manifest.to_json()) == manifest
    with pytest.raises(ManifestError, match="'kind' is 'hologram'"):
        AvatarManifest.from_json({**data, "kind": "hologram"})
    without = {k: v for k, v in data.items() if k != "kind"}
    with pytest.raises(ManifestError, match="has no 'kind'"):
        AvatarManifest.from_json(without)


def test_a_newer_schema_is_refused_in_one_line(tmp_path, capfd):
    folder = tmp_path / "Future"
    shutil.copytree(V1_PACKAGE, folder)
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    (folder / MANIFEST).write_text(json.dumps({**data, "schema_version": 3}), encoding="utf-8")
    with pytest.raises(InputError, match="this Studio reads 1 and 2"):
        load_avatar(folder)
    code = main(["render", "--avatar", str(folder), "--text", "Hi.", "--out", str(tmp_path / "o.mp4")])
    assert code == 2
    assert "schema version 3" in one_error_line(capfd)
