"""The requirements a desktop bundle is built with: Studio's own, swapped for smaller builds.

A bundle carries one platform's files, so it needs neither of pip's general-purpose choices:
- the CPU ONNX Runtime instead of ``onnxruntime-gpu`` (a GPU bundle is a separate build);
- headless OpenCV instead of the ``opencv-contrib-python`` that MediaPipe asks for, which
  brings Qt 5 and X11 libraries of its own (Studio draws with Qt 6 and only computes with
  OpenCV); and MediaPipe's ``matplotlib``, which only its drawing helpers import.

Prints one requirement per line for ``pip install -c constraints.txt -r -``; MediaPipe is
installed with ``--no-deps`` (see ``NO_DEPS``) so pip does not bring the swapped-out wheels back.
"""

from __future__ import annotations

import importlib.metadata as metadata
import sys

from packaging.markers import default_environment
from packaging.requirements import Requirement

SWAP = {"onnxruntime-gpu": "onnxruntime", "opencv-contrib-python": "opencv-contrib-python-headless"}
DROP = {"matplotlib"}
NO_DEPS = ("mediapipe",)


def bundle_requirements(dist: str = "studio") -> list[str]:
    """Names (with their version specifiers) of what the bundle installs besides ``NO_DEPS``."""
    environment = {**default_environment(), "extra": ""}
    wanted: dict[str, str] = {}

    def add(requirements: list[str]) -> None:
        for line in requirements:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate(environment):
                continue
            name = req.name.lower()
            if name in DROP:
                continue
            if name in SWAP:  # the replacement's version comes from constraints.txt
                wanted.setdefault(SWAP[name], SWAP[name])
            elif name not in NO_DEPS:
                wanted.setdefault(name, f"{name}{req.specifier}")

    add(metadata.requires(dist) or [])
    for name in NO_DEPS:  # their own requirements, swapped the same way
        add(metadata.requires(name) or [])
    return sorted(wanted.values())


if __name__ == "__main__":
    print("\n".join(NO_DEPS if sys.argv[1:] == ["--no-deps"] else bundle_requirements()))
