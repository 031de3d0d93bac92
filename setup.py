"""Build hook: the wheel carries the committed models and assets as package data.

The repository keeps them at the top level (``onnx_models/``, ``assets/``) because the
training recipe, the tests and the docs use them there. A wheel must carry them inside the
``studio`` package, where ``studio.resources`` finds them through ``importlib.resources``;
so the build copies both folders into ``studio/_data/``. An editable install keeps reading
them from the checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("onnx_models", "assets")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for folder in DATA_FOLDERS:
            source = root / folder
            if not source.is_dir():
                raise SystemExit(f"setup.py: {folder}/ is missing; build from a checkout or an sdist")
            self.copy_tree(str(source), str(Path(self.build_lib) / "studio" / "_data" / folder))


setup(cmdclass={"build_py": BuildWithData})
