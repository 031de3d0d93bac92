"""``studio bench``: per-stage timings of the render pipeline on this machine."""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.cli.native_logs import native_logs_held_back
from studio.cli.render_options import parse_fps, parse_preset, parse_size
from studio.cli.text_width import pad
from studio.translation import tr

PITCH = (  # what the voice says: the same English in every language, so timings compare
    "Hello everyone, and welcome back to the live room! Today's deal is our hydrating serum. "
    "It is light, it absorbs fast, and it is thirty percent off for the next hour only. "
    "Tap the cart below to grab yours before the stock runs out."
)


def register(sub: Any) -> None:
    p = sub.add_parser("bench", help=tr("time each stage of a render on this machine"))
    p.add_argument("--size", default="1280x720", help=tr("frame size (default 1280x720)"))
    p.add_argument("--fps", default="30", help=tr("frames per second (default 30)"))
    p.add_argument(
        "--avatar",
        default=None,
        help=tr("avatar name or package folder to render (default: one made from the demo photo)"),
    )
    p.add_argument("--library", type=Path, help=tr("avatar library folder (default: your user data folder)"))
    p.add_argument(
        "--preset",
        default=None,
        help=tr("x264 preset for the encode stage, ultrafast to veryslow (default: the renderer's)"),
    )
    p.set_defaults(handler=run)


def _line(name: str, value: str) -> None:
    print(f"  {pad(name, 34)}{value}")  # in columns as a terminal shows them


def run(args: argparse.Namespace) -> int:
    from studio.avatar.create import create_from_photo
    from studio.avatar.library import AvatarLibrary
    from studio.media.clock import frame_count
    from studio.media.encoder import Mp4Writer
    from studio.pipeline.render_job import DEFAULT_PRESET, default_driver, render_speech
    from studio.render.factory import renderers_for
    from studio.render.photo_renderer import RenderSettings
    from studio.resources import DEMO_PHOTO, asset_path
    from studio.voice import resolve

    width, height = parse_size(args.size)
    fps = parse_fps(args.fps)
    # Checked before any stage runs, not found out by the encoder minutes later.
    preset = parse_preset(args.preset) if args.preset is not None else DEFAULT_PRESET
    machine = platform.processor() or platform.machine()
    # Found before any stage runs: a wrong name fails in one line, not after the TTS.
    chosen = AvatarLibrary(args.library).load(args.avatar) if args.avatar else None
    print(
        tr("studio bench: {machine}, {cores} cores, {width}x{height} @ {fps} fps").format(
            machine=machine, cores=_cores(), width=width, height=height, fps=fps
        )
    )

    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        tmpdir = Path(tmp)
        if chosen is None:
            t = time.perf_counter()
            with native_logs_held_back():
                avatar = create_from_photo(
                    asset_path(*DEMO_PHOTO), "bench", "Bench Person", AvatarLibrary(tmpdir / "lib")
                )
            _line(tr("landmarks (avatar create, photo)"), f"{time.perf_counter() - t:6.2f} s")
        else:
            avatar = chosen
            _line(tr("avatar"), f"{avatar.name} ({avatar.manifest.kind})")

        engine, voice = resolve(None, PITCH)
        t = time.perf_counter()
        engine.synthesize("Warm up.", voice)
        _line(tr("tts model load + first sentence"), f"{time.perf_counter() - t:6.2f} s")
        t = time.perf_counter()
        speech = engine.synthesize(PITCH, voice)
        tts = time.perf_counter() - t
        _line(
            tr("tts {voice}").format(voice=voice.id),
            tr("{took:6.2f} s for {seconds:.1f} s = {speed:5.1f}x real time").format(
                took=tts, seconds=speech.duration, speed=speech.duration / tts
            ),
        )

        frames = frame_count(len(speech.audio), speech.sample_rate, fps)
        t = time.perf_counter()
        track = default_driver().drive(speech, Fraction(fps), frames)
        drv = time.perf_counter() - t
        _line(
            tr("lip-sync driver (phonemes)"),
            tr("{ms:6.1f} ms = {speed:7.0f}x real time").format(
                ms=drv * 1000, speed=speech.duration / max(drv, 1e-9)
            ),
        )

        _bench_model(speech)

        settings = RenderSettings(width=width, height=height, fps=fps)
        t = time.perf_counter()
        renderers = renderers_for(avatar, settings)
        renderer = renderers.workers[0]
        _line(tr("renderer setup"), f"{(time.perf_counter() - t) * 1000:6.1f} ms")
        n = min(frames, 150)
        t = time.perf_counter()
        planned = renderers.planner.plan_track(track.values[:n])
        per = (time.perf_counter() - t) / n
        _line(tr("mouth plan (whole track)"), f"{per * 1000:6.3f} ms/frame")
        rendered = []
        t = time.perf_counter()
        for i in range(n):
            rendered.append(renderer.render(i, planned[i]))
        per = (time.perf_counter() - t) / n
        renderers.close()
        _line(tr("render (one thread)"), f"{per * 1000:6.2f} ms/frame = {1 / per:6.1f} fps")

        t = time.perf_counter()
        with Mp4Writer(tmpdir / "enc.mp4", width, height, fps, preset=preset) as w:
            for i, frame in enumerate(rendered):
                w.write_video(frame, i)
        per = (time.perf_counter() - t) / n
        _line(
            tr("encode (x264 {preset})").format(preset=preset),
            f"{per * 1000:6.2f} ms/frame = {1 / per:6.1f} fps",
        )

        times = render_speech(avatar, speech, tmpdir / "whole.mp4", settings, preset=preset)
        _line(
            tr("whole render + encode"),
            tr("{took:6.2f} s for {seconds:.1f} s = {speed:4.2f}x real time").format(
                took=times.total, seconds=times.audio_seconds, speed=times.realtime_factor
            ),
        )
        size = (tmpdir / "whole.mp4").stat().st_size
        _line(tr("output size"), f"{size / 1e6:6.2f} MB ({8 * size / times.audio_seconds / 1e6:.2f} Mbit/s)")
    return 0


def _bench_model(speech: Any) -> None:
    """The lip-sync model on this speech: offline on one thread, then streamed in 10 ms pushes."""
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.features import SAMPLE_RATE, log_mel, to_model_rate

    t = time.perf_counter()
    model = LipSyncModel(threads=1)
    _line(
        tr("lip-sync model load"),
        tr("{ms:6.1f} ms on {provider}").format(ms=(time.perf_counter() - t) * 1000, provider=model.provider),
    )
    audio = to_model_rate(speech.audio, speech.sample_rate)
    seconds = len(audio) / SAMPLE_RATE
    t = time.perf_counter()
    feats = log_mel(audio)
    front = time.perf_counter() - t
    _line(
        tr("log-mel front end"),
        tr("{ms:6.1f} ms = {speed:7.0f}x real time").format(ms=front * 1000, speed=seconds / front),
    )
    best = min(_timed(lambda: model.predict_features(feats)) for _ in range(3))
    _line(
        tr("lip-sync model, one thread"),
        tr("{ms:6.1f} ms = {speed:7.0f}x real time").format(ms=best * 1000, speed=seconds / best),
    )
    stream = model.stream()
    t = time.perf_counter()
    for i in range(0, len(audio), SAMPLE_RATE // 100):
        stream.push_audio(audio[i : i + SAMPLE_RATE // 100])
    stream.flush()
    per_push = (time.perf_counter() - t) / max(1, len(audio) // (SAMPLE_RATE // 100))
    _line(
        tr("lip-sync model, streaming 10 ms"),
        tr("{ms:6.2f} ms/push, look-ahead {lookahead:.1f} ms").format(
            ms=per_push * 1000, lookahead=model.info.lookahead_ms
        ),
    )


def _timed(call: Any) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def _cores() -> int:
    import os

    return os.cpu_count() or 1
