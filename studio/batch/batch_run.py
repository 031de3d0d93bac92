"""A whole batch: read and check the jobs, run them on a backend, write the report."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.avatar.library import AvatarLibrary
from studio.batch.jobs import read_jobs_file
from studio.batch.plan import PlannedJob, plan_jobs
from studio.batch.progress import BatchProgress
from studio.batch.report import REPORT_NAME, build_report, write_report
from studio.batch.runner import Backend, new_outcomes, run_batch
from studio.compliance.disclosure import Disclosure
from studio.errors import InputError
from studio.translation import tr


@dataclass(frozen=True)
class BatchResult:
    report: dict[str, Any]
    report_path: Path

    @property
    def failed(self) -> int:
        return int(self.report["totals"]["failed"])


def prepare(
    jobs_path: Path,
    out_dir: Path,
    library: AvatarLibrary,
    disclosure: Disclosure | None,
    template: Path | None = None,
    catalog: Path | None = None,
) -> list[PlannedJob]:
    """Every job read and checked; ``JobsFileError`` (every problem, one line each) if any fails."""
    return plan_jobs(read_jobs_file(jobs_path, template, catalog), out_dir, library, disclosure)


def run_jobs(
    jobs: list[PlannedJob], jobs_path: Path, out_dir: Path, backend: Backend, progress: BatchProgress
) -> BatchResult:
    """Run ``jobs`` on ``backend``; the report is written whatever ends the batch (a stop too)."""
    started, t0 = time.time(), time.perf_counter()
    outcomes = new_outcomes(jobs)
    mode, workers = backend.name, backend.capacity
    try:
        run_batch(jobs, backend, progress, outcomes)
    finally:
        ordered = [outcomes[job.number] for job in jobs]
        report = build_report(ordered, jobs_path, mode, workers, started, time.perf_counter() - t0)
        try:
            path = write_report(out_dir, report)
        except OSError as exc:  # a full disk: the videos that were made are kept, with their manifests
            raise InputError(
                tr("could not write {path} ({reason}).").format(
                    path=out_dir / REPORT_NAME, reason=exc.strerror or exc
                ),
                tr("Free some space and run the same command again: finished videos are skipped."),
            ) from None
    return BatchResult(report, path)
