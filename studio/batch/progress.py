"""Progress of a batch on stderr: overall and per worker, with the time left.

On a terminal a status line (jobs done of all, video made, time left, each worker's count) is
redrawn in place; a log gets no redraws. Either way each finished job gets a line of its own,
so a long batch's log says what happened to every job.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

from studio.batch.jobs import shown_where
from studio.translation import tr

if TYPE_CHECKING:
    from studio.batch.plan import PlannedJob
    from studio.batch.runner import Outcome

_REDRAW_S = 0.5


class BatchProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = self.to_run = self.finished_count = self.failed = 0
        self.workers: dict[str, list[float]] = {}  # worker -> [jobs, video seconds]
        self._start = time.perf_counter()
        self._drawn = 0.0
        self._status = False

    def begin(self, total: int, to_run: int) -> None:
        self.total, self.to_run = total, to_run
        self._start = time.perf_counter()
        skipped = total - to_run
        note = tr(", {skipped} already done (skipped)").format(skipped=skipped) if skipped else ""
        self._line(
            tr("batch: {to_run} of {total} jobs to render{note}").format(
                to_run=to_run, total=total, note=note
            )
        )

    def skipped(self, job: PlannedJob) -> None:
        if not self.tty:
            self._line(
                tr("batch: {where} {name}: skipped (done, inputs unchanged)").format(
                    where=shown_where(job.where), name=job.name
                )
            )

    def retrying(self, job: PlannedJob, reason: str) -> None:
        self._line(
            tr("batch: {where} {name}: failed ({reason}); trying once more").format(
                where=shown_where(job.where), name=job.name, reason=reason
            )
        )

    def finished(self, job: PlannedJob, outcome: Outcome) -> None:
        self.finished_count += 1
        if outcome.state == "done":
            counts = self.workers.setdefault(outcome.worker, [0.0, 0.0])
            counts[0] += 1
            counts[1] += outcome.seconds
            said = tr("done, {seconds:.1f} s of video in {wall:.1f} s on {worker}").format(
                seconds=outcome.seconds, wall=outcome.wall, worker=outcome.worker
            )
        else:
            self.failed += 1
            said = tr("FAILED after {attempts} tries: {reason}").format(
                attempts=outcome.attempts, reason=outcome.reason
            )
        self._line(
            tr("batch: [{done}/{total}] {where} {name}: {said}; {eta}").format(
                done=self.finished_count,
                total=self.to_run,
                where=shown_where(job.where),
                name=job.name,
                said=said,
                eta=self.eta(),
            )
        )

    def eta(self) -> str:
        left = self.to_run - self.finished_count
        elapsed = time.perf_counter() - self._start
        if left <= 0:
            return tr("all finished")
        if not self.finished_count:
            return tr("time left: estimating")
        return tr("time left ~{clock}").format(clock=_clock(elapsed / self.finished_count * left))

    def tick(self) -> None:
        now = time.perf_counter()
        if not self.tty or now - self._drawn < _REDRAW_S:
            return
        self._drawn = now
        per_worker = "  ".join(
            tr("{worker}: {n} job(s)").format(worker=w, n=int(n))
            for w, (n, _) in sorted(self.workers.items())
        )
        video = sum(s for _, s in self.workers.values())
        status = tr(
            "batch {done}/{total} finished, {video:.0f} s of video, {elapsed} elapsed, {eta}  {per_worker}"
        ).format(
            done=self.finished_count,
            total=self.to_run,
            video=video,
            elapsed=_clock(now - self._start),
            eta=self.eta(),
            per_worker=per_worker,
        )
        self.stream.write(f"\r\x1b[K{status}")
        self.stream.flush()
        self._status = True

    def end(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._status:
            self.stream.write("\r\x1b[K")
            self._status = False

    def _line(self, text: str) -> None:
        self._clear()
        self.stream.write(text + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
