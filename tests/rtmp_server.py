"""A real RTMP server for the tests: nginx with the rtmp module, loaded with
``pytest_plugins = ["rtmp_server"]``.

``rtmp_server`` starts nginx on 127.0.0.1 on a free port, in the foreground, with its own
config, pid and logs under the test's tmp_path. Every publish to ``live`` is recorded to its
own .flv (``record_unique``), and a player can read it back live. ``stop()`` and ``start()``
again reuse the same port, for reconnect tests.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_MODULE_CANDIDATES = (
    Path("/usr/lib/nginx/modules/ngx_rtmp_module.so"),
    Path("/usr/lib64/nginx/modules/ngx_rtmp_module.so"),
    Path("/usr/local/nginx/modules/ngx_rtmp_module.so"),
)
_MODULES_AVAILABLE = Path("/usr/share/nginx/modules-available/mod-rtmp.conf")
_MISSING = "nginx with the RTMP module is needed for the RTMP tests: run scripts/setup.sh (CI installs it)"

# master_process off: one process, run as the invoking user (as root nginx would hand the work to
# a "nobody" worker that cannot write into pytest's private tmp folders).
_CONFIG = """\
load_module {module};
daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 64; }}
rtmp {{
    server {{
        listen 127.0.0.1:{port};
        chunk_size 4096;
        application live {{
            live on;
            meta copy;  # players get the publisher's own onMetaData (its AI label), as platforms relay it
            record all;
            record_path {records};
            record_unique on;
        }}
    }}
}}
"""


def _find_nginx() -> tuple[str, Path]:
    exe = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )
    module = next((p for p in _MODULE_CANDIDATES if p.is_file()), None)
    if module is None and _MODULES_AVAILABLE.is_file():
        found = re.search(r"load_module\s+(\S+);", _MODULES_AVAILABLE.read_text())
        if found:
            path = Path(found.group(1))
            path = path if path.is_absolute() else Path("/usr/share/nginx") / path
            module = path if path.is_file() else None
    if exe is None or module is None:
        pytest.fail(_MISSING)
    return exe, module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RtmpServer:
    def __init__(self, root: Path, port: int) -> None:
        self.exe, self.module = _find_nginx()
        self.root = root
        self.port = port
        self.records = root / "records"
        self.records.mkdir(parents=True, exist_ok=True)
        self.config = root / "nginx.conf"
        self.config.write_text(_CONFIG.format(module=self.module, root=root, port=port, records=self.records))
        self._proc: subprocess.Popen[bytes] | None = None

    def url(self, key: str, app: str = "live") -> str:
        return f"rtmp://127.0.0.1:{self.port}/{app}/{key}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        assert not self.running, "already running"
        log = self.root / "error.log"
        self._proc = subprocess.Popen(
            [self.exe, "-p", str(self.root), "-c", str(self.config), "-e", str(log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                self._proc = None
                pytest.fail(f"nginx exited at start: {err.strip()} {self.error_log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(
            f"nginx did not listen on port {self.port} within {timeout:.0f} s: {self.error_log()[-2000:]}"
        )

    def stop(self) -> None:
        """Fast shutdown (SIGTERM): connections drop at once, as when a server goes away."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()

    def recordings(self, key: str) -> list[Path]:
        """The .flv files recorded for ``key``, oldest first (one per publish)."""
        return sorted(self.records.glob(f"{key}-*.flv"), key=lambda p: (p.stat().st_mtime, p.name))

    def error_log(self) -> str:
        log = self.root / "error.log"
        return log.read_text(errors="replace") if log.is_file() else ""


@pytest.fixture
def rtmp_server(tmp_path: Path) -> Iterator[RtmpServer]:
    server = RtmpServer(tmp_path / "nginx", free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
