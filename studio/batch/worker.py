"""One job, run in a worker process (a local pool's or a Ray worker's): render, then its manifest.

The job renders as ``studio render`` does (the render pipeline, its session log, both labels),
into a temporary file that becomes the output only when complete; the manifest follows. A
worker keeps each avatar it loaded, by content hash, for the next job that uses it.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path

from studio.avatar.package import Avatar, load_avatar
from studio.batch.manifest import OutputManifest, sha256_file, write_manifest
from studio.batch.plan import PlannedJob
from studio.compliance.session_log import SessionLog, default_log_dir


@dataclass(frozen=True)
class JobDone:
    """What a worker reports for a finished job."""

    number: int
    seconds: float  # of video
    frames: int
    voice: str
    wall: float  # seconds it took here
    worker: str  # "pid 1234" or "node:pid"


@functools.lru_cache(maxsize=4)
def _loaded(avatar_hash: str, folder: Path) -> Avatar:
    return load_avatar(folder)


def avatar_for(job: PlannedJob, folder: Path | None = None) -> Avatar:
    """The job's avatar, loaded (and its seal verified) once per worker process and content hash."""
    return _loaded(job.avatar_hash, folder or job.avatar_dir)


def _open_log(job: PlannedJob, avatar: Avatar) -> SessionLog:
    """The job's session log (two workers starting one in the same second get two names)."""
    return SessionLog(default_log_dir(), "render", f"batch {job.where}", avatar.name).open()


def run_job(job: PlannedJob, worker: str) -> JobDone:
    """Render ``job`` to its output, then write its manifest (a local worker: same disk)."""
    done, manifest = render_one(job, job.out, worker)
    write_manifest(job.out, manifest)
    return done


def render_one(
    job: PlannedJob, out: Path, worker: str, avatar_folder: Path | None = None
) -> tuple[JobDone, OutputManifest]:
    """Render ``job`` into ``out`` (atomically) and say what the manifest records of it."""
    from studio.media.mp4_fragments import recover_partials
    from studio.pipeline.render_job import (
        StageTimes,
        make_driver,
        render_speech,
        render_text,
        speech_from_file,
    )
    from studio.pipeline.show_log import RenderLog
    from studio.render.photo_renderer import RenderSettings

    start = time.perf_counter()
    avatar = avatar_for(job, avatar_folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_partials(out)  # what a killed worker left of this output
    settings = RenderSettings(width=job.width, height=job.height, fps=job.fps, label=job.label)
    driver = make_driver(job.lipsync)
    voices = () if job.audio is not None else (job.voice,)
    log = RenderLog(_open_log(job, avatar))
    log.begin(avatar, voices, job.label)
    try:
        if job.audio is not None:
            speech = speech_from_file(job.audio)
            times = render_speech(avatar, speech, out, settings, driver, None, StageTimes())
        else:
            speech, times = render_text(avatar, job.text, out, settings, job.voice, driver)
    except BaseException as exc:
        log.failed(exc)
        raise
    log.rendered(job.out, speech.voice_id, job.notice, job.script, times)
    manifest = OutputManifest(
        input_hash=job.input_hash,
        size=out.stat().st_size,
        sha256=sha256_file(out),
        inputs={"job": job.where, "avatar": job.avatar_hash, "voice": job.voice, "lipsync": job.lipsync},
        voice=speech.voice_id,
        seconds=round(times.audio_seconds, 3),
        frames=times.frames,
        produce_id=times.produce_id,
    )
    wall = time.perf_counter() - start
    return JobDone(job.number, times.audio_seconds, times.frames, speech.voice_id, wall, worker), manifest
