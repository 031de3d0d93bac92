"""Local mode: a process pool on this machine (``concurrent.futures.ProcessPoolExecutor``).

Workers are spawned (as on Windows and macOS), so each starts clean, and ignore Ctrl-C: the
batch's own process handles a stop and ends them. A worker that dies (killed, out of memory)
breaks the pool: the jobs it had are reported as failed by that death, and a new pool takes
their retry and every job after.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
from concurrent.futures.process import BrokenProcessPool

from studio.batch.plan import PlannedJob
from studio.batch.worker import JobDone, run_job
from studio.translation import tr


def default_workers() -> int:
    """One worker per core this process may use: a render keeps one core busy."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch's process decides what a Ctrl-C stops


def _run(job: PlannedJob) -> JobDone:
    return run_job(job, f"pid {os.getpid()}")


class LocalPool:
    """A ``Backend`` of ``workers`` processes."""

    def __init__(self, workers: int) -> None:
        self.capacity = workers
        self.name = f"local, {workers} worker{'s' if workers != 1 else ''}"
        self._pool: cf.ProcessPoolExecutor | None = None
        self._futures: dict[cf.Future[JobDone], int] = {}

    def _executor(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                self.capacity, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker
            )
        return self._pool

    def submit(self, job: PlannedJob) -> None:
        try:
            future = self._executor().submit(_run, job)
        except BrokenProcessPool:  # broken since the last wait: start a new pool
            self._drop_pool()
            future = self._executor().submit(_run, job)
        self._futures[future] = job.number

    def wait(self, timeout: float) -> list[tuple[int, JobDone | BaseException]]:
        if not self._futures:
            return []
        finished, _ = cf.wait(self._futures, timeout, return_when=cf.FIRST_COMPLETED)
        ended: list[tuple[int, JobDone | BaseException]] = []
        broken = False
        for future in finished:
            number = self._futures.pop(future)
            exc = future.exception()
            if isinstance(exc, BrokenProcessPool):
                broken = True
                exc = RuntimeError(tr("its worker process died (killed, or out of memory)"))
            ended.append((number, exc if exc is not None else future.result()))
        if broken:
            self._drop_pool()
        return ended

    def _drop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """End the workers now: a render cut off leaves only a temporary file, which the next
        render of that output removes."""
        pool = self._pool
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to end running workers before Python 3.14.
        terminate = getattr(pool, "terminate_workers", None)
        if terminate is not None:
            terminate()
        else:
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(OSError, AttributeError):
                    process.terminate()
        self._futures.clear()
        self._drop_pool()

    def close(self) -> None:
        self._futures.clear()
        self._drop_pool()
