"""The Linux desktop bundle works on its own: no venv, a bare environment, outside the checkout.

``installers/linux/build.sh`` is run once for the module (a few minutes: a build venv, then
PyInstaller), then the bundle renders the demo, opens the app under Xvfb and is installed and
removed as a .deb with apt, the way a user gets it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.live_fixtures import probe

REPO = Path(__file__).resolve().parent.parent
BARE = {"PATH": "/usr/bin:/bin"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder: ``dist/studio/`` and ``studio_*.deb``."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed (Debian/Ubuntu only)")
    out = tmp_path_factory.mktemp("linux-bundle")
    done = subprocess.run(
        ["bash", str(REPO / "installers" / "linux" / "build.sh"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return out


def bare(home: Path, *command: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``command`` with only PATH=/usr/bin:/bin and a fresh HOME, run from inside HOME."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        list(command),
        cwd=home,
        env={**BARE, "HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def test_the_bundle_renders_the_demo_with_nothing_but_itself(bundle: Path, tmp_path: Path) -> None:
    app = bundle / "dist" / "studio"
    studio = str(app / "studio")
    assert (app / "studio.desktop").is_file() and (app / "studio.png").is_file()
    assert (app / "setup-virtual-camera.sh").stat().st_mode & 0o111  # the README's virtual camera step
    assert (app / "_internal" / "studio" / "_data" / "onnx_models" / "lipsync.onnx").is_file()

    version = bare(tmp_path, studio, "--version")
    assert version.returncode == 0 and version.stdout.startswith("studio "), version.stderr
    # The CPU build of ONNX Runtime, the one the bundle is sized for.
    assert not list((app / "_internal").glob("onnxruntime/capi/libonnxruntime_providers_cuda*"))

    out = tmp_path / "demo.mp4"
    rendered = bare(
        tmp_path,
        studio,
        "render",
        "--avatar",
        "demo",
        "--text",
        "Hello from the app bundle.",
        "--out",
        str(out),
    )
    assert rendered.returncode == 0, rendered.stderr
    info = probe(out)
    assert float(info["format"]["duration"]) > 1.0
    assert {s["codec_type"] for s in info["streams"]} == {"video", "audio"}


def test_the_bundle_opens_the_app_under_xvfb(bundle: Path, tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    shot = tmp_path / "app.png"
    studio = str(bundle / "dist" / "studio" / "studio")
    opened = bare(
        tmp_path, "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", studio, "app", "--screenshot", str(shot)
    )
    assert opened.returncode == 0, opened.stdout[-2000:] + opened.stderr[-2000:]
    assert "ready in" in opened.stdout
    assert "Traceback" not in opened.stderr, opened.stderr[-3000:]
    pixels = np.asarray(Image.open(shot).convert("RGB"), np.float32)
    assert pixels.shape[0] >= 400 and pixels.shape[1] >= 600
    assert pixels.std() > 20  # a drawn window, not a blank one


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("apt-get") is None, reason="installs a .deb: root and apt only"
)
def test_the_deb_installs_runs_and_removes_cleanly(bundle: Path, tmp_path: Path) -> None:
    if subprocess.run(["dpkg-query", "-W", "studio"], capture_output=True, check=False).returncode == 0:
        pytest.skip("a 'studio' package is already installed here; leaving it alone")
    (deb,) = bundle.glob("studio_*.deb")
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True, check=True
    )
    assert "espeak-ng" in fields.stdout and "libportaudio2" in fields.stdout
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", f"./{deb.name}"],
        cwd=deb.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        assert install.returncode == 0, install.stderr[-3000:]
        assert Path("/usr/share/applications/studio.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/256x256/apps/studio.png").is_file()
        version = bare(tmp_path, "studio", "--version")  # found on PATH=/usr/bin:/bin
        assert version.returncode == 0 and version.stdout.startswith("studio "), version.stderr
    finally:
        removed = subprocess.run(
            ["apt-get", "remove", "-y", "-qq", "studio"], env=env, capture_output=True, text=True, check=False
        )
    assert removed.returncode == 0, removed.stderr[-3000:]
    assert not Path("/opt/studio").exists() and not Path("/usr/bin/studio").exists()
    assert not Path("/usr/share/applications/studio.desktop").exists()
