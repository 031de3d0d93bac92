"""Real-time figures of the live engine on this machine.

Run: .venv/bin/python benchmarks/bench_live.py [--minutes 10] [--size 1280x720] [--part all]
     [--rtmp rtmp://127.0.0.1:1935/live/bench] [--avatar PACKAGE_FOLDER]

``--avatar``: any package (a photo or a twin); the default is the demo photo. Its renderers come
from the one factory every command uses.

* ``live``: the demo rundown live at 30 fps while recording to MP4, for ``--minutes``:
  late and skipped frames, fps, RSS at the start and the end (and each minute), CPU use.
* ``interject``: five interjections submitted to a running show (offline voice, at once):
  time from submit to their first sound on the show clock.
* ``mic``: a speech file played in real time through a microphone stand-in (10 ms blocks
  stamped with their capture time, as PortAudio does) into the live model: mic-to-frame
  latency, i.e. from a frame's first sample being heard to the frame being shown.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.avatar.library import demo_package_path  # noqa: E402
from studio.avatar.package import load_avatar  # noqa: E402
from studio.compliance.session_log import FRAMES, SAID, SessionLog  # noqa: E402
from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.live.clock import CaptureClock, MonotonicClock  # noqa: E402
from studio.live.engine import EngineConfig, LiveEngine  # noqa: E402
from studio.live.mic_source import MicSource  # noqa: E402
from studio.live.program import Program  # noqa: E402
from studio.live.rundown import load_rundown  # noqa: E402
from studio.live.supply import SpeechSupply  # noqa: E402
from studio.media.audio import read_audio, resample  # noqa: E402
from studio.outputs.base import Output, StreamFormat  # noqa: E402
from studio.outputs.file_microphone import FileMicrophone  # noqa: E402
from studio.outputs.recording import RecordingOutput  # noqa: E402
from studio.outputs.rtmp import RtmpOutput  # noqa: E402
from studio.pipeline.render_job import default_driver  # noqa: E402
from studio.render.factory import RendererSet, renderers_for  # noqa: E402
from studio.render.photo_renderer import RenderSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNDOWN = ROOT / "assets" / "demo" / "demo.rundown.toml"
SPEECH = sorted((ROOT / "assets" / "lipsync_eval" / "piper-joe").glob("*.wav"))


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def renderers(fmt: StreamFormat, package: Path | None, count: int = 2) -> RendererSet:
    avatar = load_avatar(package or demo_package_path(), "")
    settings = RenderSettings(fmt.width, fmt.height, fmt.fps)
    return renderers_for(avatar, settings, count)


def engine_for(fmt: StreamFormat, source: Any, made: RendererSet, outputs: list[Output], clock: Any,
               config: EngineConfig | None = None, provider: str = "") -> LiveEngine:  # fmt: skip
    return LiveEngine(fmt, source, made.workers, outputs, clock, config, provider, made.planner)


def log_every_frame(engine: LiveEngine, log: SessionLog) -> None:
    """The session log fed harder than a show feeds it: ``said`` for each clip and a ``frames``
    record for every frame shown, both from the presenter thread (a show logs frames once a
    second, from a thread of its own)."""
    rate = engine.fmt.sample_rate

    def said(clip: Any, pts: int) -> None:
        log.record(SAID, kind=clip.kind, text=clip.label, voice=clip.voice, pts_s=pts / rate)

    engine.on_clip = said
    shown = engine.stats.shown

    def shown_and_logged(pts: int, *args: Any) -> None:
        shown(pts, *args)
        log.record(FRAMES, pts_s=pts / rate, frames=engine.stats.frames, late=engine.stats.late)

    engine.stats.shown = shown_and_logged  # type: ignore[method-assign]


def bench_live(
    fmt: StreamFormat,
    package: Path | None,
    minutes: float,
    rtmp: str | None = None,
    session_log: bool = False,
) -> None:
    supply = SpeechSupply(fmt, default_driver(), load_rundown(RUNDOWN))
    program = Program(fmt, supply)
    supply.on_interjection = program.interject
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "live.mp4"
        outputs: list[Output] = [RecordingOutput(out, {"ai_generated": "true"})]
        if rtmp:
            outputs.append(RtmpOutput(rtmp))
        engine = engine_for(
            fmt, program, renderers(fmt, package), outputs, MonotonicClock(fmt.sample_rate),
            EngineConfig(duration_s=minutes * 60),
        )  # fmt: skip
        log = SessionLog(Path(tmp), "live", "bench", "demo").open() if session_log else None
        if log is not None:
            log_every_frame(engine, log)
        supply.start()
        supply.wait_ready(15)  # as `studio live` does: the voice is loaded before the show starts
        start_rss, cpu0, t0 = rss_mb(), time.process_time(), time.monotonic()
        samples = []
        engine.start()
        engine.wait(10)  # renderers, encoder and voice have allocated what they keep
        warm_rss = rss_mb()
        while not engine.wait(60):
            status = engine.status()
            samples.append(rss_mb())
            print(f"  {status.line()} | RSS {samples[-1]:.0f} MB", flush=True)
        stats = engine.stop()
        supply.close()
        wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
        if log is not None:
            log.close()
            lines = sum(p.read_text(encoding="utf-8").count("\n") for p in log.parts)
            print(f"  session log: {lines} lines in {len(log.parts)} part(s), problem: {log.problem}")
        status = engine.status()
        end_rss = rss_mb()
        size = out.stat().st_size / 2**20 if out.exists() else 0.0
    shown = status.frames + status.skipped
    also = (" and an RTMP push" if rtmp else "") + (", logging every frame" if session_log else "")
    print(f"live {fmt.width}x{fmt.height}@{float(fmt.fps):g} with MP4 recording{also}, {wall / 60:.1f} min:")
    if rtmp:
        push = stats["rtmp"]
        print(f"  rtmp: {push.frames} frames sent, {push.dropped} dropped, state {push.state}")
    print(f"  frames {shown}, late {status.late} ({status.late_percent:.2f} %), skipped {status.skipped}")
    print(
        f"  recording: {stats['record'].frames} frames written, "
        f"{stats['record'].dropped} dropped, {size:.1f} MB"
    )
    print(f"  RSS before start {start_rss:.0f} MB, at 10 s {warm_rss:.0f} MB, end {end_rss:.0f} MB")
    print(
        f"  growth from 10 s to the end {end_rss - warm_rss:+.1f} MB "
        f"(from before start {end_rss - start_rss:+.1f})"
    )
    if samples:
        print(f"  RSS each minute: {', '.join(f'{s:.0f}' for s in samples)} MB")
    print(f"  CPU {cpu / wall * 100:.0f} % of one core (2 cores = 200 %)")
    print(f"  speech gaps {program.gaps}, sentences synthesised {supply.synthesised}")


def bench_interjections(fmt: StreamFormat, package: Path | None) -> None:
    supply = SpeechSupply(fmt, default_driver(), load_rundown(RUNDOWN))
    program = Program(fmt, supply)
    supply.on_interjection = program.interject
    engine = engine_for(fmt, program, renderers(fmt, package), [], MonotonicClock(fmt.sample_rate))
    supply.start()
    supply.wait_ready(15)  # as `studio live` does: the voice is loaded before the show starts
    engine.start()
    lines = [
        "Thanks for the follow!",
        "Yes, it ships today.",
        "Welcome, Lina, great to see you here!",
        "The link is in the cart below.",
        "Good question, it suits every skin type.",
    ]
    try:
        time.sleep(3.0)
        for line in lines:
            supply.submit(line, interrupt=True)
            time.sleep(4.0)
    finally:
        engine.stop()
        supply.close()
    delays = engine.stats.interjection_delays
    print(f"interjections at {fmt.width}x{fmt.height} on a running show (offline voice, interrupt):")
    print(f"  submit to first sound: {', '.join(f'{d:.0f}' for d in delays)} ms; max {max(delays):.0f} ms")


def bench_mic(fmt: StreamFormat, package: Path | None, seconds: float = 30.0) -> None:
    model = LipSyncModel(provider="cpu")
    source = MicSource(fmt, model.stream, model.info.lookahead_ms / 1000)
    speech = np.concatenate([read_audio(p)[0] for p in SPEECH])
    audio = resample(speech, 16000, fmt.sample_rate)[: int(seconds * fmt.sample_rate)]
    mic = FileMicrophone(audio, fmt.sample_rate)
    clock = CaptureClock(fmt.sample_rate, source.position)
    engine = engine_for(
        fmt, source, renderers(fmt, package), [], clock, EngineConfig(duration_s=seconds - 1), model.provider
    )
    engine.start()
    mic.start(source.feed)
    try:
        engine.wait(seconds + 10)
    finally:
        mic.close()
        engine.stop()
    lat = sorted(engine.stats.latencies_ms)
    status = engine.status()
    print(f"microphone to frame at {fmt.width}x{fmt.height}, {len(lat)} frames ({model.provider}):")
    print(
        f"  latency median {statistics.median(lat):.0f} ms, "
        f"95th percentile {lat[int(0.95 * len(lat))]:.0f} ms, "
        f"max {lat[-1]:.0f} ms; budget {source.delay_samples / fmt.sample_rate * 1000:.0f} ms; "
        f"late {status.late} ({status.late_percent:.2f} %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--part", choices=("all", "live", "interject", "mic"), default="all")
    parser.add_argument(
        "--rtmp", help="also push the live part to this rtmp:// URL (e.g. a local nginx-rtmp)"
    )
    parser.add_argument("--avatar", type=Path, help="an avatar package folder (default: the demo photo)")
    parser.add_argument(
        "--session-log", action="store_true", help="live part: also write a session log record every frame"
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    fmt = StreamFormat(width, height, Fraction(30))
    print(f"bench_live on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    if args.part in ("all", "interject"):
        bench_interjections(fmt, args.avatar)
    if args.part in ("all", "mic"):
        bench_mic(fmt, args.avatar)
    if args.part in ("all", "live"):
        bench_live(fmt, args.avatar, args.minutes, args.rtmp, args.session_log)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
