"""Where the committed models and assets are.

They sit at the repository root (``onnx_models/``, ``assets/``); Studio runs from a
checkout (an editable install). ``STUDIO_DATA_DIR`` points elsewhere, e.g. for an
installer that lays the data out next to a frozen app.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    override = os.environ.get("STUDIO_DATA_DIR")
    return Path(override) if override else _REPO_ROOT


def model_path(name: str) -> Path:
    return data_root() / "onnx_models" / name


def asset_path(*parts: str) -> Path:
    return data_root().joinpath("assets", *parts)


FACE_LANDMARKER_MODEL = "face_landmarker.task"
DEMO_PHOTO = ("demo", "astronaut.png")
