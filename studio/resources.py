"""Where the committed models and assets are.

In a checkout (an editable install) they sit at the repository root (``onnx_models/``,
``assets/``). A wheel carries them as package data in ``studio/_data/`` (copied there by
``setup.py``), found through ``importlib.resources``. ``STUDIO_DATA_DIR`` points elsewhere,
e.g. for an installer that lays the data out next to a frozen app.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    override = os.environ.get("STUDIO_DATA_DIR")
    if override:
        return Path(override)
    packaged = resources.files("studio") / "_data"
    # Models are opened by path (onnxruntime, PyAV): only a package on disk can serve them,
    # which is how pip and pipx install a wheel.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _REPO_ROOT


def model_path(name: str) -> Path:
    return data_root() / "onnx_models" / name


def asset_path(*parts: str) -> Path:
    return data_root().joinpath("assets", *parts)


FACE_LANDMARKER_MODEL = "face_landmarker.task"
DEMO_PHOTO = ("demo", "astronaut.png")
