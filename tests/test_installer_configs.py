"""The Windows and macOS installers are built on hosted runners, not here: what can be checked
here is checked. The workflow parses and smoke-tests what a user gets, the smoke test's own
command works, the macOS Info.plist serialises with the privacy notices macOS requires, and
the Inno Setup script has its Start menu entry and uninstaller."""

from __future__ import annotations

import importlib.util
import plistlib
import re
import shlex
from pathlib import Path

import yaml

from studio import __version__
from studio.cli.main import main
from tests.live_fixtures import probe

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
ISS = REPO / "installers" / "windows" / "studio.iss"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps_text(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_the_workflow_builds_and_smoke_tests_on_windows_and_macos() -> None:
    jobs = workflow()["jobs"]
    assert jobs["windows"]["runs-on"] == "windows-latest" and jobs["macos"]["runs-on"] == "macos-14"
    for name, job in jobs.items():
        text = steps_text(job)
        assert "install_build_deps.sh" in text and "installers/common/studio.spec" in text, name
        assert "--version" in text and "render --avatar demo" in text, name
        # Every file a step names is in the repository.
        for path in re.findall(r"(?:installers|assets)/[\w./-]+", text):
            assert (REPO / path).exists(), f"{name} names {path}, which is not in the repository"
    assert "studio.iss" in steps_text(jobs["windows"]) and "make_dmg.sh" in steps_text(jobs["macos"])


def test_the_smoke_tests_render_command_works(tmp_path: Path) -> None:
    line = next(
        line.strip() for line in steps_text(workflow()["jobs"]["macos"]).splitlines() if " render " in line
    )
    args = shlex.split(line)[1:]  # the app's own executable is 'studio' here
    out = tmp_path / "smoke.mp4"
    args[args.index("--out") + 1] = str(out)
    args[args.index("--audio") + 1] = str(REPO / args[args.index("--audio") + 1])
    assert main(args) == 0
    assert {s["codec_type"] for s in probe(out)["streams"]} == {"video", "audio"}


def test_the_macos_info_plist_serialises_with_the_privacy_notices() -> None:
    path = REPO / "installers" / "common" / "macos_plist.py"
    spec = importlib.util.spec_from_file_location("macos_plist", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = plistlib.loads(plistlib.dumps(module.info_plist(__version__)))
    assert entries["CFBundleShortVersionString"] == __version__
    for notice in ("NSCameraUsageDescription", "NSMicrophoneUsageDescription"):
        assert entries[notice].startswith("Studio ")  # macOS refuses the device without one
    assert "info_plist(VERSION)" in (REPO / "installers" / "common" / "studio.spec").read_text()


def test_the_inno_setup_script_installs_with_a_start_menu_entry_and_an_uninstaller() -> None:
    text = ISS.read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]", text, re.MULTILINE)
    assert {"Setup", "Files", "Icons"} <= set(sections)
    assert re.search(r'^Source: "\.\.\\\.\.\\dist\\studio\\\*"', text, re.MULTILINE)
    assert re.search(r'^Name: "\{group\}\\Studio"; Filename: "\{app\}\\studio\.exe"', text, re.MULTILINE)
    uninstall = r'^Name: "\{group\}\\Uninstall Studio"; Filename: "\{uninstallexe\}"'
    assert re.search(uninstall, text, re.MULTILINE)
    icon = re.search(r"^SetupIconFile=(.+)$", text, re.MULTILINE)
    assert icon is not None and (ISS.parent / icon.group(1).strip().replace("\\", "/")).is_file()
    guid = re.search(r"^AppId=\{\{([0-9A-F-]+)\}", text, re.MULTILINE)
    assert guid is not None and re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", guid.group(1))
