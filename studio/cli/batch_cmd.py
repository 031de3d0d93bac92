"""``studio batch``: many labelled, checked MP4s from one TOML or CSV jobs file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from studio.cli.render_options import add_trust_options
from studio.cli.stop_signals import print_safely
from studio.errors import InputError, printable
from studio.translation import tr, tr_n


def register(sub: Any) -> None:
    p = sub.add_parser(
        "batch",
        help=tr("render many videos from a TOML or CSV jobs file, here or on a Ray cluster"),
        description=tr(
            "Render every job of a TOML or CSV jobs file into --out: a process pool on this "
            "machine, or a Ray cluster with --ray."
        ),
        epilog=tr(
            """\
jobs file (TOML), the smallest form:
  [[job]]
  avatar = "demo"
  text = "Welcome to the live room!"
  out = "welcome.mp4"

job fields: avatar (default demo), one of text / script (a file) / audio (a file) / product
(a catalogue id), voice, size (WIDTHxHEIGHT or auto), fps (default 30), label (true, false or
the label's text), label_corner, out (default PRODUCT.mp4 or job-N.mp4). TOML may also set
catalog = "FILE", template = "... {name} ..." and a [defaults] table. CSV: a header row, a row
per job; other columns are fields for --template (e.g. sku,name,price -> "{name} for {price}").

Finished outputs are skipped when their inputs are unchanged, so after a crash or a stop the
same command finishes only what is missing. Every job passes the claims checker and consent
before anything renders. batch-report.json in --out says what became of each job.
"""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("jobs", type=Path, metavar="JOBS", help=tr("the jobs file, .toml or .csv"))
    p.add_argument("--out", required=True, type=Path, help=tr("the folder the videos and the report go to"))
    p.add_argument("--workers", type=int, help=tr("local worker processes (default: one per core)"))
    p.add_argument(
        "--ray",
        metavar="auto|local|ADDRESS",
        help=tr(
            "run on Ray: 'auto' (the cluster 'ray start' made here), 'local' (a one-machine Ray of "
            "--workers CPUs) or a cluster's address; needs pip install 'studio[cluster]'"
        ),
    )
    p.add_argument("--template", type=Path, help=tr("a text file: the script, with {column} placeholders"))
    p.add_argument("--catalog", type=Path, help=tr("the product catalogue for jobs that name a product"))
    p.add_argument("--library", type=Path, help=tr("avatar library folder (default: your user data folder)"))
    add_trust_options(p, live=False)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studio.avatar.library import AvatarLibrary
    from studio.batch.batch_run import prepare, run_jobs
    from studio.batch.jobs import JobsFileError
    from studio.batch.local_pool import LocalPool, default_workers
    from studio.batch.progress import BatchProgress
    from studio.batch.report import summary_table
    from studio.batch.runner import Backend
    from studio.cli.render_options import disclosure_option

    if args.workers is not None and not 1 <= args.workers <= 256:
        raise InputError(
            tr("--workers {workers} is out of range.").format(workers=args.workers), tr("Give 1 to 256.")
        )
    out_dir: Path = args.out
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            tr("--out {path} is a file.").format(path=out_dir), tr("Give a folder for the videos.")
        )
    backend: Backend
    if args.ray:
        from studio.batch.ray_cluster import RayCluster, check_ray_installed

        check_ray_installed()  # before the jobs are checked: say at once what to install
    try:
        jobs = prepare(
            args.jobs,
            out_dir,
            AvatarLibrary(args.library),
            disclosure_option(args),
            args.template,
            args.catalog,
        )
    except JobsFileError as exc:
        for problem in exc.problems:  # one line each, naming the job and the field
            print_safely(
                tr("studio: error: {source}: {problem}").format(
                    source=printable(exc.source), problem=printable(problem)
                ),
                file=sys.stderr,
            )
        count = len(exc.problems)
        raise InputError(
            tr_n(
                "{count} problem in {source}; nothing was rendered.",
                "{count} problems in {source}; nothing was rendered.",
                count,
            ).format(count=count, source=exc.source),
            tr("Fix them and run again."),
        ) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out_dir).close()  # found now, not after the first render
    except OSError as exc:
        raise InputError(
            tr("cannot make the folder {folder} ({reason}).").format(
                folder=out_dir, reason=exc.strerror or exc
            ),
            tr("Choose another --out."),
        ) from None
    if args.ray:
        backend = RayCluster(args.ray, args.workers)
    else:
        backend = LocalPool(min(args.workers or default_workers(), len(jobs)))
    result = run_jobs(jobs, args.jobs, out_dir, backend, BatchProgress())
    print(summary_table(result.report))
    print(tr("studio: report: {path}").format(path=result.report_path), file=sys.stderr)
    return 1 if result.failed else 0
