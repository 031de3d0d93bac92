"""RtmpOutput against a real nginx-rtmp server: what it records and what a player reads live,
reconnecting when the server goes away, a silent server, and the address checks."""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np
import pytest

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.lipsync.visemes import VISEME_POSES
from studio.media.clock import frame_start_sample
from studio.outputs.base import AudioChunk, OutputError, StreamFormat, VideoFrame
from studio.outputs.rtmp import URL_FORM, RtmpOutput, parse_rtmp_url
from studio.outputs.rtmp_client import RtmpPublisher
from studio.outputs.rtmp_wire import (
    ChunkReader,
    amf_decode,
    amf_encode,
    chunked,
    split_flv_tags,
)
from studio.render.photo_renderer import PhotoRenderer, RenderSettings

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

W, H, RATE = 320, 180, 48000
FPS = Fraction(30)
FMT = StreamFormat(W, H, FPS)
KEY = "live_8f3k2-mq9z-4tbd-secret"
LEAD = 3  # audio goes out this many frames ahead of video, as in the engine
# A send only queues: far below a frame's 33 ms on any machine, however loaded. The real check
# is structural (NetworkSpy); this bound only catches a send that waits out a network timeout.
SEND_BOUND_S = 0.5


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    """2 s of the demo avatar talking, looped by the tests."""
    avatar = load_avatar(demo_package_path(), "")
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, RenderSettings(W, H, FPS))
    poses = [np.array(p, np.float32) for p in VISEME_POSES.values()]
    return [renderer.render(i, poses[(i // 3) % len(poses)]) for i in range(60)]


def tone(start: int, end: int) -> np.ndarray:
    return (0.4 * np.sin(2 * np.pi * 440.0 * np.arange(start, end) / RATE)).astype(np.float32)


class NetworkSpy:
    """Counts the publisher's socket work, and the part of it done inside the engine's own
    send calls: by design none, since a send only queues for the output's thread."""

    NETWORK = ("connect", "send", "poll", "close", "_send_raw", "_receive", "_recv_exact")

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.calls_inside_sends = 0
        self._local = threading.local()
        for name in self.NETWORK:
            monkeypatch.setattr(RtmpPublisher, name, self._spy(getattr(RtmpPublisher, name)))

    def _spy(self, original: Callable[..., object]) -> Callable[..., object]:
        def spy(*args: object, **kwargs: object) -> object:
            self.calls += 1
            self.calls_inside_sends += bool(getattr(self._local, "sending", False))
            return original(*args, **kwargs)

        return spy

    @contextmanager
    def sending(self) -> Iterator[None]:
        self._local.sending = True
        try:
            yield
        finally:
            self._local.sending = False

    def check(self, *shows: Show) -> None:
        assert self.calls > 0, "the spy saw the network being used"
        assert self.calls_inside_sends == 0, "the engine's sends never touch the network"
        slowest = max(show.slowest_send for show in shows)
        assert slowest < SEND_BOUND_S, f"a send took {slowest:.3f} s"


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> NetworkSpy:
    return NetworkSpy(monkeypatch)


class Show:
    """Sends frames and audio to an output in real time, as the engine does, and times each
    send (the engine must never wait on an output)."""

    def __init__(self, out: RtmpOutput, frames: list[np.ndarray], spy: NetworkSpy | None = None) -> None:
        self.out, self.frames = out, frames
        self.spy = spy
        self.index = 0
        self.sent = 0
        self.slowest_send = 0.0
        self.states: list[str] = []
        self._t0 = time.monotonic()

    def play(self, seconds: float, until: Callable[[], bool] | None = None) -> None:
        """Play ``seconds``, or until ``until()`` is true (failing after ``seconds``)."""
        end = self.index + round(seconds * FPS)
        while self.index < end:
            i = self.index
            a, b = (frame_start_sample(j, RATE, FPS) for j in (i + LEAD, i + LEAD + 1))
            image = self.frames[i % len(self.frames)]
            with self.spy.sending() if self.spy is not None else contextlib.nullcontext():
                t = time.perf_counter()
                if i == 0:
                    for j in range(LEAD):
                        lo, hi = frame_start_sample(j, RATE, FPS), frame_start_sample(j + 1, RATE, FPS)
                        self.out.send_audio(AudioChunk(lo, tone(lo, hi)))
                self.out.send_audio(AudioChunk(a, tone(a, b)))
                self.out.send_video(VideoFrame(i, frame_start_sample(i, RATE, FPS), image))
                self.slowest_send = max(self.slowest_send, time.perf_counter() - t)
            self.sent += 1
            self.index += 1
            if not self.states or self.states[-1] != self.out.stats.state:
                self.states.append(self.out.stats.state)
            if until is not None and until():
                return
            time.sleep(max(0.0, self._t0 + self.index / float(FPS) - time.monotonic()))
        if until is not None:
            pytest.fail(f"not reached in {seconds} s; states: {self.states}")


def probe(path: Path | str, *extra: str, timeout: float = 20) -> dict:
    cmd = ["ffprobe", "-v", "error", "-of", "json", *extra, str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, proc.stderr
    result: dict = json.loads(proc.stdout)
    return result


def keyframe_times(path: Path) -> list[float]:
    packets = probe(path, "-select_streams", "v", "-show_packets", "-show_entries", "packet=pts_time,flags")
    return [float(p["pts_time"]) for p in packets["packets"] if "K" in p["flags"]]


def check_recording(path: Path, seconds: float, tolerance: float) -> None:
    info = probe(path, "-show_streams", "-show_format")
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    assert (video["codec_name"], video["width"], video["height"]) == ("h264", W, H)
    assert (audio["codec_name"], int(audio["sample_rate"]), int(audio["channels"])) == ("aac", RATE, 2)
    assert float(info["format"]["duration"]) == pytest.approx(seconds, abs=tolerance)
    # The publish starts near 0 (the reconnect point is rebased), and with a keyframe.
    assert float(video["start_time"]) < 0.1 and float(audio["start_time"]) < 0.1
    keys = keyframe_times(path)
    assert keys[0] == pytest.approx(float(video["start_time"]), abs=1e-3)
    gaps = np.diff(keys + [float(info["format"]["duration"])])
    assert gaps.max() <= 2.0 + 1e-3, f"keyframes at {keys}"
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    seg = sound[RATE // 4 : RATE // 4 + RATE // 2]  # 0.5 s: 2 Hz bins
    spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    assert abs(int(np.argmax(spectrum)) * 2 - 440) <= 2, "the tone comes back as sent"


def test_a_push_is_recorded_and_can_be_watched_live(
    rtmp_server: RtmpServer, frames: list[np.ndarray], network: NetworkSpy
) -> None:
    out = RtmpOutput(rtmp_server.url(KEY))
    out.start(FMT)
    show = Show(out, frames, network)
    show.play(5, until=lambda: out.publishes == 1)
    connected_after = show.index / float(FPS)
    # A player reads the stream back while it is being pushed.
    player = subprocess.Popen(
        [
            "ffprobe",
            "-v",
            "error",
            "-rw_timeout",
            "5000000",
            "-show_streams",
            "-of",
            "json",
            rtmp_server.url(KEY),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        show.play(4)
        live, err = player.communicate(timeout=10)
    finally:
        if player.poll() is None:
            player.kill()
            player.wait()
    stats = out.close()

    assert player.returncode == 0, err
    codecs = {s["codec_type"]: s for s in json.loads(live)["streams"]}
    assert codecs["video"]["codec_name"] == "h264" and codecs["video"]["width"] == W
    assert codecs["audio"]["codec_name"] == "aac" and int(codecs["audio"]["sample_rate"]) == RATE
    assert connected_after < 5.0, "a local server is reached at the first try, with no retry wait"
    assert (stats.state, stats.errors, out.publishes) == ("closed", 0, 1)
    assert stats.frames + stats.dropped == show.sent and stats.frames >= show.sent - 10
    network.check(show)
    recordings = rtmp_server.recordings(KEY)
    assert len(recordings) == 1
    check_recording(recordings[0], stats.frames / float(FPS), tolerance=0.15)


def test_it_reconnects_when_the_server_comes_back(
    rtmp_server: RtmpServer, frames: list[np.ndarray], network: NetworkSpy
) -> None:
    out = RtmpOutput(rtmp_server.url(KEY), timeout_s=2.0)
    out.start(FMT)
    show = Show(out, frames, network)
    show.play(5, until=lambda: out.publishes == 1)
    show.play(1.0)
    frames_before = out.stats.frames

    rtmp_server.stop()
    show.play(5, until=lambda: "attempt 2" in out.stats.state)  # attempt 1 found no server
    dropped_at = show.index
    restarted = time.monotonic()
    rtmp_server.start()
    show.play(15, until=lambda: out.publishes == 2)  # the next try is due within 2 s
    reconnect_s = time.monotonic() - restarted
    resumed_at = show.index
    show.play(2.5)
    stats = out.close()

    states = " | ".join(show.states)
    assert re.search(r"reconnecting in 1 s \(attempt 1\): ", states), states
    assert re.search(r"reconnecting in 2 s \(attempt 2\): Connection refused", states), states
    network.check(show)  # the engine never waits while the server is away
    # Back within a few tries of the server's return (the backoff is 1, 2, 4 s), not after a
    # wait for a network timeout. Which try it was depends on how fast nginx starts here.
    assert reconnect_s < 10.0
    assert stats.state == "closed" and stats.errors >= 2
    assert stats.dropped >= resumed_at - dropped_at, "frames sent while disconnected are dropped"
    assert out.audio_dropped > 0
    assert stats.frames > frames_before
    first, second = rtmp_server.recordings(KEY)
    check_recording(first, frames_before / float(FPS), tolerance=0.3)
    check_recording(second, (show.index - resumed_at) / float(FPS), tolerance=0.3)
    assert KEY not in states and KEY not in stats.last_error


def test_a_silent_server_times_out_and_close_does_not_wait(
    frames: list[np.ndarray], network: NetworkSpy
) -> None:
    # The kernel completes the TCP connection, but nothing ever answers the handshake.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"rtmp://127.0.0.1:{silent.getsockname()[1]}/live/{KEY}"
        out = RtmpOutput(url, timeout_s=0.5)
        out.start(FMT)
        show = Show(out, frames, network)
        show.play(10, until=lambda: "attempt 1" in out.stats.state)
        assert 0.4 < show.index / float(FPS) < 5.0, "given up after the timeout, not before"
        stats = out.close()
        assert re.fullmatch(r"closed", stats.state) and "timed out" in stats.last_error
        assert out.publishes == 0 and stats.frames == 0 and stats.dropped == show.sent

        waiting = RtmpOutput(url, timeout_s=30)
        waiting.start(FMT)
        more = Show(waiting, frames, network)
        more.play(0.5)  # all this time in the handshake
        assert waiting.stats.state.startswith("connecting to ")
        t = time.monotonic()
        waiting.close()
        assert time.monotonic() - t < 5.0, "close() cuts a 30 s handshake short"
    network.check(show, more)  # a silent server never holds up the engine


def test_a_refused_connection_is_retried_and_the_key_stays_hidden(frames: list[np.ndarray]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: connections are refused
        out = RtmpOutput(f"rtmp://127.0.0.1:{port}/live/{KEY}")
        out.start(FMT)
        show = Show(out, frames)
        show.play(2, until=lambda: "attempt 1" in out.stats.state)
        stats = out.close()
    assert re.fullmatch(r"reconnecting in 1 s \(attempt 1\): Connection refused", show.states[-1])
    for text in [*show.states, stats.last_error, repr(out), out.target.masked]:
        assert KEY not in text and "secret" not in text
    assert out.target.masked == f"rtmp://127.0.0.1:{port}/live/live****"


class TlsProxy:
    """rtmps:// in front of the plain nginx: TLS ends here and the bytes go on to the server,
    as a platform's ingest does. One connection, pumped on a thread that is joined at exit."""

    def __init__(self, tmp_path: Path, upstream: int) -> None:
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        self.server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.server_context.load_cert_chain(cert, key)
        self.client_context = ssl.create_default_context(cafile=str(cert))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.upstream = upstream
        self.handshakes = 0
        self.thread = threading.Thread(target=self._serve, name="tls-proxy")
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(10)
        raw, _ = self.listener.accept()
        with (
            self.server_context.wrap_socket(raw, server_side=True) as tls,
            socket.create_connection(("127.0.0.1", self.upstream)) as plain,
        ):
            self.handshakes += 1
            tls.setblocking(False)
            while True:
                ready = [tls] if tls.pending() else select.select([tls, plain], [], [], 10)[0]
                if not ready:
                    return
                for src, dst in ((tls, plain), (plain, tls)):
                    if src in ready:
                        try:
                            data = src.recv(65536)
                        except ssl.SSLWantReadError:
                            continue
                        except OSError:  # the client hung up without a TLS goodbye
                            return
                        if not data:
                            return
                        dst.setblocking(True)
                        dst.sendall(data)
                        dst.setblocking(dst is plain)

    def close(self) -> None:
        self.thread.join(timeout=10)
        self.listener.close()


def test_rtmps_publishes_over_tls(rtmp_server: RtmpServer, frames: list[np.ndarray], tmp_path: Path) -> None:
    proxy = TlsProxy(tmp_path, rtmp_server.port)
    try:
        out = RtmpOutput(f"rtmps://localhost:{proxy.port}/live/{KEY}", ssl_context=proxy.client_context)
        out.start(FMT)
        show = Show(out, frames)
        show.play(5, until=lambda: out.publishes == 1)
        show.play(2.5)
        stats = out.close()
    finally:
        proxy.close()
    assert proxy.handshakes == 1 and out.publishes == 1 and stats.errors == 0
    (recording,) = rtmp_server.recordings(KEY)
    check_recording(recording, stats.frames / float(FPS), tolerance=0.15)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtmp://a.rtmp.youtube.com/live2/ab-cd-ef", ("a.rtmp.youtube.com", 1935, "live2", "ab-cd-ef")),
        ("rtmps://live-api.fb.com:443/rtmp/FB-1?s=1", ("live-api.fb.com", 443, "rtmp", "FB-1?s=1")),
        (" rtmp://127.0.0.1:19350/live/key \n", ("127.0.0.1", 19350, "live", "key")),
        ("RTMPS://ingest.example/app/user/stream", ("ingest.example", 443, "app", "user/stream")),
    ],
)
def test_valid_addresses_are_split(url: str, expected: tuple[str, int, str, str]) -> None:
    target = parse_rtmp_url(url)
    assert (target.host, target.port, target.app, target.key) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://a.rtmp.youtube.com/live2/secretkey123456", "must start with rtmp:// or rtmps://"),
        ("a.rtmp.youtube.com/live2/secretkey123456", "must start with rtmp:// or rtmps://"),
        ("rtmp:///live2/secretkey123456", "no host"),
        ("rtmp://host:99999/live2/secretkey123456", "invalid port"),
        ("rtmp://host", "no app"),
        ("rtmp://host/secretkey123456", "no stream key"),
        ("rtmp://host/live2/", "no stream key"),
    ],
)
def test_bad_addresses_name_the_problem_and_never_show_the_key(url: str, problem: str) -> None:
    with pytest.raises(OutputError) as err:
        RtmpOutput(url)
    assert problem in str(err.value) and URL_FORM in str(err.value)
    assert "secretkey" not in str(err.value)


def test_bad_settings_are_refused_before_the_show() -> None:
    url = f"rtmp://127.0.0.1:1935/live/{KEY}"
    with pytest.raises(OutputError, match="too low"):
        RtmpOutput(url, video_bitrate=1000)
    with pytest.raises(OutputError, match="preset"):
        RtmpOutput(url, preset="warp9")
    with pytest.raises(OutputError, match="321x180"):
        RtmpOutput(url).start(StreamFormat(321, 180, FPS))


def test_protocol_pieces_survive_being_cut_anywhere() -> None:
    values = [
        "onStatus",
        0.0,
        None,
        {"level": "error", "code": "NetStream.Publish.BadName", "n": 2.5, "ok": True},
    ]
    assert amf_decode(amf_encode(*values)) == values
    # Server messages larger than its chunk size, arriving a few bytes at a time.
    payload = amf_encode("_result", 4.0, None, 1.0) + bytes(range(256)) * 40
    reader = ChunkReader()
    reader.chunk_size = 4096  # what chunked writes
    wire = chunked(3, 20, 0, 0, payload) + chunked(2, 1, 0, 0, (4096).to_bytes(4, "big"))
    got = []
    for i in range(0, len(wire), 7):
        reader.buffer += wire[i : i + 7]
        got += list(reader.messages())
    assert got == [(20, payload), (1, (4096).to_bytes(4, "big"))]
    # FLV tags come out whole however the muxer's writes are cut.
    tags = [(9, 0, b"\x17" * 50), (8, 21, b"\xaf" * 9), (9, 2**24 + 5, b"\x27" * 3)]
    flv = b"".join(
        bytes([t]) + len(p).to_bytes(3, "big") + (ts & 0xFFFFFF).to_bytes(3, "big") + bytes([ts >> 24])
        + b"\0\0\0" + p + (11 + len(p)).to_bytes(4, "big")
        for t, ts, p in tags
    )  # fmt: skip
    buffer, out = bytearray(), []
    for i in range(0, len(flv), 5):
        buffer += flv[i : i + 5]
        out += list(split_flv_tags(buffer))
    assert out == tags and not buffer
