"""Every committed model matches its manifest entry (file, sha256, size, licence, source)."""

from __future__ import annotations

import hashlib

from studio.resources import data_root


def _entries() -> list[list[str]]:
    text = (data_root() / "onnx_models" / "MANIFEST").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_every_committed_model_is_listed_with_a_matching_hash() -> None:
    folder = data_root() / "onnx_models"
    listed = {row[0] for row in _entries()}
    on_disk = {p.name for p in folder.iterdir() if p.name != "MANIFEST" and not p.name.endswith(".md")}
    assert on_disk == listed
    for name, sha, size, licence, source in _entries():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha, name
        assert len(data) == int(size), name
        assert licence and source
