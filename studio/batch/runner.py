"""The batch loop, the same for a local process pool and a Ray cluster.

Finished outputs are skipped (``manifest.is_done``); the rest go to the backend, at most as
many at a time as it has workers, so every job handed out is one a worker is running (a worker
that dies takes only those with it). A failed job is tried once more, on whichever worker is
free, then reported with its reason; the batch goes on. A stop (Ctrl-C, SIGTERM) ends the
workers and reports the jobs it cut short, which the next run of the same command does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from studio.batch.manifest import is_done, read_manifest
from studio.batch.plan import PlannedJob
from studio.batch.progress import BatchProgress
from studio.batch.worker import JobDone
from studio.errors import one_line

MAX_ATTEMPTS = 2  # a job is retried once
_POLL_S = 0.5


class Backend(Protocol):
    """Where jobs run. ``capacity``: how many run at once."""

    name: str
    capacity: int

    def submit(self, job: PlannedJob) -> None: ...

    def wait(self, timeout: float) -> list[tuple[int, JobDone | BaseException]]:
        """The jobs (by number) that ended within ``timeout`` seconds, with what each gave."""
        ...

    def abort(self) -> None:
        """End every worker now (the batch was stopped)."""
        ...

    def close(self) -> None: ...


@dataclass
class Outcome:
    """What became of one job, for the summary and ``batch-report.json``."""

    number: int
    where: str
    name: str
    state: str = "pending"  # done | skipped | failed | stopped
    attempts: int = 0
    reason: str = ""
    retried_because: str = ""  # why the first try failed, when it was tried again
    seconds: float = 0.0  # of video
    frames: int = 0
    voice: str = ""
    wall: float = 0.0
    worker: str = ""


def new_outcomes(jobs: Sequence[PlannedJob]) -> dict[int, Outcome]:
    return {job.number: Outcome(job.number, job.where, job.name) for job in jobs}


def run_batch(
    jobs: Sequence[PlannedJob], backend: Backend, progress: BatchProgress, outcomes: dict[int, Outcome]
) -> list[Outcome]:
    """Run every job not already done, filling ``outcomes`` (from ``new_outcomes``) as jobs end,
    so that a stop still leaves what happened; the outcomes in the jobs file's order."""
    by_number = {job.number: job for job in jobs}
    todo: deque[PlannedJob] = deque()
    done = [job for job in jobs if is_done(job.out, job.input_hash)]
    skip = {job.number for job in done}
    todo.extend(job for job in jobs if job.number not in skip)
    progress.begin(len(jobs), len(todo))
    for job in done:
        outcomes[job.number].state = "skipped"
        progress.skipped(job)
    running: set[int] = set()
    try:
        while todo or running:
            ended: list[tuple[int, JobDone | BaseException]] = []
            while todo and len(running) < backend.capacity:
                job = todo.popleft()
                outcomes[job.number].attempts += 1
                try:
                    backend.submit(job)
                    running.add(job.number)
                except Exception as exc:  # e.g. its avatar's files went away: this job's failure
                    ended.append((job.number, exc))
            ended += backend.wait(_POLL_S) if running else []
            for number, result in ended:
                running.discard(number)
                outcome, job = outcomes[number], by_number[number]
                if isinstance(result, JobDone):
                    _done(outcome, result)
                    progress.finished(job, outcome)
                elif outcome.attempts < MAX_ATTEMPTS:
                    outcome.retried_because = one_line(result)
                    progress.retrying(job, outcome.retried_because)
                    todo.appendleft(job)
                else:
                    outcome.state, outcome.reason = "failed", one_line(result)
                    progress.finished(job, outcome)
            progress.tick()
    except KeyboardInterrupt:
        backend.abort()
        for number in running:  # a job may have finished as the stop came
            _finished_anyway(outcomes[number], by_number[number])
        for job in todo:
            outcomes[job.number].state = "stopped"
        raise
    finally:
        backend.close()
        progress.end()
    return [outcomes[job.number] for job in jobs]


def _finished_anyway(outcome: Outcome, job: PlannedJob) -> None:
    """ "done" when the job's output and manifest were complete before its worker was ended."""
    data = read_manifest(job.out) if is_done(job.out, job.input_hash) else None
    if data is None:
        outcome.state = "stopped"
        return
    outcome.state, outcome.reason = "done", ""
    outcome.seconds, outcome.frames = float(data.get("seconds", 0.0)), int(data.get("frames", 0))
    outcome.voice = str(data.get("voice", ""))


def _done(outcome: Outcome, result: JobDone) -> None:
    outcome.state, outcome.reason = "done", ""
    outcome.seconds, outcome.frames, outcome.voice = result.seconds, result.frames, result.voice
    outcome.wall, outcome.worker = result.wall, result.worker
