"""The wheel works outside the checkout: it carries its models and assets.

The sdist and the wheel are built from a copy of the files a release is made of (so the
build never writes into the checkout), the wheel goes into a fresh venv, and ``studio`` runs
from a folder outside the repository with a bare environment (``env -i``). The venv borrows
the dependencies already installed here through a ``.pth`` line instead of downloading them
again: the editable install of Studio itself is not visible that way (its finder is a
``.pth`` hook, and hooks are only run from site folders), which the test checks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.live_fixtures import probe

REPO = Path(__file__).resolve().parent.parent
# What a release is built from; everything else in the checkout stays out of the copy.
RELEASE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
RELEASE_FOLDERS = ("studio", "onnx_models", "assets")
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", "_data")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``(sdist, wheel)``, the wheel built from the sdist as ``python -m build`` does."""
    pytest.importorskip("build")
    source = tmp_path_factory.mktemp("source")
    for name in RELEASE_FILES:
        shutil.copy2(REPO / name, source / name)
    for name in RELEASE_FOLDERS:
        shutil.copytree(REPO / name, source / name, ignore=CACHES)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,) = dist.glob("studio-*.tar.gz")
    (wheel,) = dist.glob("studio-*.whl")
    return sdist, wheel


def test_the_wheel_carries_the_committed_models_and_assets_byte_for_byte(built: tuple[Path, Path]) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for folder in ("onnx_models", "assets"):
            for path in sorted((REPO / folder).rglob("*")):
                if path.is_dir() or "__pycache__" in path.parts:
                    continue
                inside = f"studio/_data/{path.relative_to(REPO).as_posix()}"
                assert inside in names, f"the wheel lacks {inside}"
                assert archive.read(inside) == path.read_bytes(), f"{inside} differs from the checkout"
        # The claims rules are package data of their own package.
        assert any(n.startswith("studio/compliance/rules/") and n.endswith(".toml") for n in names)


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its ``bin`` folder."""
    _, wheel = built
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv / "bin"


def studio(bin_dir: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``studio ARGS`` from the venv, outside the checkout, with a bare environment."""
    work = home / "work"
    work.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(bin_dir / "studio"), *args], cwd=work, env=env, capture_output=True, text=True, check=False
    )


def test_studio_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    python = installed / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import studio, studio.resources as r; print(studio.__file__); print(r.data_root())",
        ],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    venv = installed.parent
    assert Path(where[0]).is_relative_to(venv), f"studio came from {where[0]}, not the wheel"
    assert Path(where[1]) == Path(where[0]).parent / "_data"

    version = studio(installed, home, "--version")
    assert version.returncode == 0 and version.stdout.startswith("studio "), version.stderr

    voices = studio(installed, home, "voices")
    assert voices.returncode == 0, voices.stderr
    assert "piper:en_US-joe-medium" in voices.stdout and "espeak:en-us" in voices.stdout

    photo = Path(where[1]) / "assets" / "demo" / "astronaut.png"
    created = studio(
        installed,
        home,
        "avatar",
        "create",
        "--photo",
        str(photo),
        "--name",
        "Wheel",
        "--consent-by",
        "Ana Lima",
    )
    assert created.returncode == 0, created.stderr
    assert (home / ".local" / "share" / "Studio" / "avatars" / "Wheel" / "manifest.json").is_file()

    out = tmp_path / "wheel.mp4"
    rendered = studio(
        installed, home, "render", "--avatar", "Wheel", "--text", "Hello from the wheel.", "--out", str(out)
    )
    assert rendered.returncode == 0, rendered.stderr
    streams = probe(out)
    assert float(streams["format"]["duration"]) > 0.8
    assert {s["codec_type"] for s in streams["streams"]} == {"video", "audio"}
