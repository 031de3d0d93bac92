"""Offline means offline: with offline voices, ``avatar create``, ``render``, ``live`` and the
app open no network connection and make no DNS query. Each runs for real under
``strace -f -e trace=connect,sendto,sendmsg,sendmmsg``, and any address that is not loopback,
or any port 53 (DNS, even to a local stub resolver, which forwards it), fails the test.

It also checks that ONNX Runtime's telemetry leaves no trace in the home folder."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PHOTO = REPO / "assets" / "demo" / "astronaut.png"
PIPER = "piper:en_US-joe-medium"  # the offline voices run on onnxruntime (and espeak-ng)
TRACED = "connect,sendto,sendmsg,sendmmsg"
ORT_TELEMETRY = Path(".cache") / "Microsoft"  # where onnxruntime's 1DS keeps its device id

# strace's rendering of socket addresses, e.g.
#   {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}
#   {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0),
#    inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}
_FAMILY = re.compile(r"sa_family=(AF_\w+)")
_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"')
# Local by nature: Unix sockets (nscd, D-Bus, X11, PulseAudio), netlink (glibc's interface
# listing), and AF_UNSPEC (a connect() that dissolves a UDP association).
_LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}


def network_use(trace: str) -> list[str]:
    """The traced calls that reach beyond this machine or ask DNS, one line each."""
    found = []
    for line in trace.splitlines():
        families = _FAMILY.findall(line)
        if not families or all(f in _LOCAL_FAMILIES for f in families):
            continue
        addresses = [(int(p), a) for p, a in _INET.findall(line)] + [
            (int(p), a) for p, a in _INET6.findall(line)
        ]
        inet_families = [f for f in families if f in ("AF_INET", "AF_INET6")]
        if len(addresses) != len(inet_families) or len(inet_families) + sum(
            f in _LOCAL_FAMILIES for f in families
        ) != len(families):
            found.append(f"unrecognised address: {line.strip()}")  # fail safe, not silent
            continue
        if any(port == 53 or not _loopback(address) for port, address in addresses):
            found.append(line.strip())
    return found


def _loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def test_the_trace_reader_flags_dns_remote_and_ipv6_but_not_local_sockets() -> None:
    trace = "\n".join([
        '101 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '101 connect(4, {sa_family=AF_INET, sin_port=htons(1935), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '101 sendto(5, "x", 1, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
        '102 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
        '102 connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
        '103 connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("8.8.8.8")} <unfinished',
        '104 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2a00:1450::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '104 connect(9, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '105 connect(9, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL)}, 20) = 0',
        "106 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---",
    ])  # fmt: skip
    flagged = network_use(trace)
    assert [line.split()[0] for line in flagged] == ["102", "102", "103", "104", "unrecognised"]
    assert "AF_PACKET" in flagged[-1]


ORT_SESSION = """
import os
import numpy as np
from studio.inference.lipsync_model import LipSyncModel
shapes = LipSyncModel(provider="cpu").predict(np.zeros(16_000, np.float32), 16_000)
print(len(shapes), os.environ["ORT_DISABLE_TELEMETRY"])
"""


def test_onnxruntime_telemetry_writes_nothing_into_the_home_folder(tmp_path: Path) -> None:
    """Its import alone used to create ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ with a
    device id and an event queue; a real session now runs and leaves the home folder empty."""
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home) | {"ORT_DISABLE_TELEMETRY": "0"}  # a user's opt-in does not undo the promise
    result = subprocess.run(
        [sys.executable, "-c", ORT_SESSION], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    outputs, switch = result.stdout.split()
    assert int(outputs) >= 1 and switch == "1"
    assert not (home / ORT_TELEMETRY).exists()
    assert list(home.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the guard is Linux-only (/proc/self/maps)")
def test_mediapipe_usage_upload_is_pointed_at_nowhere_before_a_face_is_found() -> None:
    """The guard itself, without strace: after a landmarker is made and finds a face, the
    upload address in the loaded library is the replacement, and the file is unchanged."""
    import ctypes

    import numpy as np
    from PIL import Image

    from studio.face.landmarker import FaceLandmarker
    from studio.face.mediapipe_offline import ENDPOINT, REPLACEMENT, address_of, find_once, parse_maps

    with FaceLandmarker(max_faces=1) as landmarker:
        assert landmarker.offline_guard is None
        faces = landmarker.detect(np.asarray(Image.open(PHOTO).convert("RGB")))
    assert len(faces) == 1
    from mediapipe.tasks.python.core import mediapipe_c_bindings

    library = Path(mediapipe_c_bindings.load_raw_library()._name)
    offset = find_once(library, ENDPOINT)  # the file on disk still holds the original
    assert offset is not None
    mapping = address_of(parse_maps(Path("/proc/self/maps").read_text()), library, offset)
    assert mapping is not None and "w" not in mapping.perms  # protection restored
    assert ctypes.string_at(mapping.start + offset - mapping.offset, len(ENDPOINT)) == REPLACEMENT


def test_the_maps_reader_finds_the_mapping_that_holds_a_file_offset(tmp_path: Path) -> None:
    from studio.face.mediapipe_offline import address_of, find_once, parse_maps

    lib = tmp_path / "lib.so"
    lib.write_bytes(b"\0" * 5000 + b"needle\0" + b"\0" * 100)
    assert find_once(lib, b"needle\0") == 5000 and find_once(lib, b"absent") is None
    maps = parse_maps(
        "7f00-8f00 r--p 00000000 fe:00 1 /usr/lib/other.so\n"
        f"1000-2000 r--p 00000000 fe:00 2 {lib}\n"
        f"3000-4000 r-xp 00001000 fe:00 2 {lib}\n"
        "5000-6000 rw-p 00000000 00:00 0 [heap]\n"
    )
    assert len(maps) == 3  # the anonymous heap is not a file
    found = address_of(maps, lib, 5000)
    assert found is not None and (found.start, found.prot) == (0x3000, 1 | 4)
    assert found.start + 5000 - found.offset == 0x3000 + 5000 - 0x1000
    assert address_of(maps, lib, 0x2000) is None


# --- the real commands -----------------------------------------------------------------------


def _strace_problem() -> str | None:
    if shutil.which("strace") is None:
        return "strace is not installed (apt install strace)"
    try:
        probe = subprocess.run(
            ["strace", "-f", "-qq", "-e", "trace=connect", "true"], capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"strace cannot run: {exc}"
    if probe.returncode != 0:
        return f"ptrace is not permitted here: {probe.stderr.decode(errors='replace').strip()}"
    return None


STRACE_PROBLEM = _strace_problem()
needs_strace = pytest.mark.skipif(STRACE_PROBLEM is not None, reason=STRACE_PROBLEM or "")


def _env(home: Path) -> dict[str, str]:
    """A fresh home for the run: Studio's settings and data, and anything a library would
    write under ~/.cache, land where the test can look."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORT_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    return env


def traced(argv: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` under strace; assert it succeeded and reached no network."""
    home.mkdir(parents=True, exist_ok=True)
    trace = home.parent / f"{home.name}.strace"
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "signal=none", "-e", f"trace={TRACED}", "-o", str(trace), *argv],
        cwd=REPO, env=_env(home), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert network_use(trace.read_text(errors="replace")) == []
    assert not (home / ORT_TELEMETRY).exists(), "onnxruntime telemetry wrote into the home folder"
    return result


def _studio(*args: str) -> list[str]:
    return [sys.executable, "-m", "studio", *args]


@needs_strace
def test_the_tracer_sees_a_connection_attempt(tmp_path: Path) -> None:
    """The control: a UDP connect() to TEST-NET-1 sends no packet, yet must be caught."""
    code = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('192.0.2.1', 9))"
    trace = tmp_path / "control.strace"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", f"trace={TRACED}", "-o", str(trace), sys.executable, "-c", code],
        check=True,
    )
    assert any("192.0.2.1" in line for line in network_use(trace.read_text()))


@needs_strace
def test_avatar_create_stays_offline(tmp_path: Path) -> None:
    # MediaPipe's usage report to play.googleapis.com was the leak here.
    library = tmp_path / "avatars"
    traced(
        _studio("avatar", "create", "--photo", str(PHOTO), "--name", "Offline",
                "--consent-by", "Jane Doe", "--library", str(library)),
        tmp_path / "home",
    )  # fmt: skip
    assert (library / "Offline").is_dir()


@needs_strace
def test_render_with_an_offline_voice_stays_offline(tmp_path: Path) -> None:
    out = tmp_path / "hello.mp4"
    traced(
        _studio("render", "--avatar", "demo", "--text", "Hello, this stays on this machine.",
                "--voice", PIPER, "--lipsync", "model", "--size", "320x180", "--out", str(out)),
        tmp_path / "home",
    )  # fmt: skip
    assert out.stat().st_size > 0


@needs_strace
def test_live_with_an_offline_voice_stays_offline(tmp_path: Path) -> None:
    # onnxruntime's telemetry looked up mobile.events.data.microsoft.com here.
    script = tmp_path / "show.txt"
    script.write_text("Welcome to the show.\nEverything here runs offline.\n", encoding="utf-8")
    out = tmp_path / "live.mp4"
    traced(
        _studio("live", "--avatar", "demo", "--script", str(script), "--voice", PIPER,
                "--lipsync", "model", "--record", str(out), "--duration", "3", "--size", "320x180"),
        tmp_path / "home",
    )  # fmt: skip
    assert out.stat().st_size > 0


@needs_strace
def test_the_app_opens_offline(tmp_path: Path) -> None:
    result = traced(
        _studio("app", "--exit-when-ready", "--settings", str(tmp_path / "settings.json"),
                "--library", str(tmp_path / "avatars")),
        tmp_path / "home",
    )  # fmt: skip
    assert "ready in" in result.stdout


# What the app's Start button runs, with Qt loaded as in the app: a show into the preview.
APP_SHOW = f"""
from fractions import Fraction
import studio.ui.app  # noqa: F401 - Qt and the app's modules, as when the app runs a show
from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.live.rundown import Rundown, Segment
from studio.outputs.preview import PreviewOutput
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings
from studio.tasks import CancelToken

rundown = Rundown((Segment("Hello from the app, offline."),), loop=True)
options = LiveOptions(rundown=rundown, voice={PIPER!r}, lipsync="model", duration_s=2.0)
preview = PreviewOutput()
show = LiveShow(load_avatar(demo_package_path(), ""), RenderSettings(160, 96, Fraction(30)),
                options, extra_outputs=(preview,))
show.start(lambda fraction, message: None, CancelToken())
try:
    assert show.wait(120), "the show did not end"
finally:
    show.stop()
assert show.error is None, show.error
assert preview.latest() is not None
print("show ran")
"""


@needs_strace
def test_a_show_started_in_the_app_stays_offline(tmp_path: Path) -> None:
    result = traced([sys.executable, "-c", APP_SHOW], tmp_path / "home")
    assert "show ran" in result.stdout
