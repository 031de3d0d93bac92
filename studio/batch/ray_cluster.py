"""Ray mode: the same jobs on a Ray cluster (``pip install 'studio[cluster]'``).

Each avatar package goes into Ray's object store once, by content hash (``ray.put``); a worker
writes it to a private cache folder named by that hash the first time a job of its node needs
it, and checks the hash. A task asks for one CPU (and part of a GPU for the lip-sync model,
where the cluster has GPUs). Workers need no shared disk: a task returns its video's bytes, and
this process writes the output and its manifest, as local mode does. Ray retries nothing by
itself: the batch loop retries a failed job once, whatever failed (the job, or its worker).

Offline means offline: Ray's usage statistics are switched off before Ray is imported, and a
local Ray (``--ray local``) starts without its dashboard. (Ray 2.60 turns a loopback node
address into the machine's own, so its gRPC servers listen on every interface, behind the
token authentication Ray switches on by default; Studio's own servers stay on 127.0.0.1.)
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from studio.batch.local_pool import default_workers
from studio.batch.manifest import OutputManifest, package_hash, package_parts, write_manifest
from studio.batch.plan import PlannedJob
from studio.batch.worker import JobDone, render_one
from studio.errors import InputError, one_line
from studio.storage.atomic import atomic_dir, atomic_file
from studio.translation import tr

LOCAL = "local"
MODEL_GPU_SHARE = 0.25  # four lip-sync model jobs share a GPU
_LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


def check_ray_installed() -> None:
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # read when Ray starts: never report usage
    try:
        import ray  # noqa: F401
    except ImportError:
        raise InputError(
            tr("--ray needs Ray, which is not installed."),
            tr("Install it with: pip install 'studio[cluster]'"),
        ) from None


class RayCluster:
    """A ``Backend`` on a Ray cluster: ``address`` "auto", "local" or a cluster's address."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        check_ray_installed()
        import ray

        if address == LOCAL:
            ray.init(
                num_cpus=workers or default_workers(),
                include_dashboard=False,
                object_store_memory=_LOCAL_OBJECT_STORE_BYTES,
                log_to_driver=False,
                configure_logging=False,
            )
        else:
            try:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise InputError(
                    tr("could not connect to the Ray cluster at '{address}' ({reason}).").format(
                        address=address, reason=one_line(exc)
                    ),
                    tr("Start one with 'ray start --head' (or give its address), or use --ray local."),
                ) from None
        resources = ray.cluster_resources()
        cpus = max(1, int(resources.get("CPU", 1)))
        self.capacity = min(workers, cpus) if workers else cpus
        self.gpus = float(resources.get("GPU", 0.0))
        self.name = f"ray {address}, {cpus} CPU{'s' if cpus != 1 else ''}" + (
            f", {self.gpus:g} GPU" if self.gpus else ""
        )
        self._ray = ray
        self._task = ray.remote(num_cpus=1, max_retries=0)(_render_remote)
        self._packs: dict[str, Any] = {}  # avatar content hash -> its package in the object store
        self._refs: dict[Any, PlannedJob] = {}

    def _pack(self, job: PlannedJob) -> Any:
        """The avatar's package in the object store, put there once per content hash."""
        if job.avatar_hash not in self._packs:
            parts = {part.name: part.read_bytes() for part in package_parts(job.avatar_dir)}
            self._packs[job.avatar_hash] = self._ray.put(parts)
        return self._packs[job.avatar_hash]

    def submit(self, job: PlannedJob) -> None:
        audio = job.audio.read_bytes() if job.audio is not None else None
        options: dict[str, Any] = {}
        if self.gpus and job.lipsync == "model":
            options["num_gpus"] = MODEL_GPU_SHARE
        task = self._task.options(**options) if options else self._task
        self._refs[task.remote(job, self._pack(job), audio)] = job

    def wait(self, timeout: float) -> list[tuple[int, JobDone | BaseException]]:
        if not self._refs:
            return []
        refs = list(self._refs)
        ready, rest = self._ray.wait(refs, num_returns=1, timeout=timeout)
        if ready and rest:
            more, _ = self._ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        ended: list[tuple[int, JobDone | BaseException]] = []
        for ref in ready:
            job = self._refs.pop(ref)
            try:
                done, manifest, video = self._ray.get(ref)
                _commit(job, manifest, video)
                ended.append((job.number, done))
            except Exception as exc:  # the job's own error, or its worker's death
                ended.append((job.number, self._why(exc)))
        return ended

    def _why(self, exc: Exception) -> BaseException:
        errors = self._ray.exceptions
        if isinstance(exc, errors.RayTaskError):
            cause = getattr(exc, "cause", None)
            return cause if isinstance(cause, BaseException) else RuntimeError(one_line(exc).split("\n")[0])
        if isinstance(exc, errors.WorkerCrashedError | errors.NodeDiedError | errors.ActorDiedError):
            return RuntimeError(tr("its Ray worker died (killed, or out of memory)"))
        return exc

    def abort(self) -> None:
        for ref in list(self._refs):
            with contextlib.suppress(Exception):
                self._ray.cancel(ref, force=True)
        self._refs.clear()

    def close(self) -> None:
        self._refs.clear()
        self._packs.clear()
        self._ray.shutdown()


def _commit(job: PlannedJob, manifest: OutputManifest, video: bytes) -> None:
    """A worker's video becomes the job's output (atomically), then its manifest."""
    job.out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(job.out, ".mp4") as tmp:
        tmp.write_bytes(video)
    write_manifest(job.out, manifest)


def _render_remote(
    job: PlannedJob, parts: dict[str, bytes], audio: bytes | None
) -> tuple[JobDone, OutputManifest, bytes]:
    """On a Ray worker: the job rendered in a temporary folder; its video's bytes come back."""
    import ray

    folder = _cached_package(job.avatar_hash, parts)
    worker = f"node {ray.get_runtime_context().get_node_id()[:6]} pid {os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="studio-batch-") as tmp:
        if audio is not None and job.audio is not None:
            local_audio = Path(tmp) / f"speech{job.audio.suffix}"
            local_audio.write_bytes(audio)
            job = replace(job, audio=local_audio)
        out = Path(tmp) / "out.mp4"
        done, manifest = render_one(job, out, worker, folder)
        return done, manifest, out.read_bytes()


def _cached_package(content_hash: str, parts: dict[str, bytes]) -> Path:
    """The package written once per node under its content hash, in a folder private to this user."""
    root = Path(tempfile.gettempdir()) / f"studio-batch-avatars-{os.getuid() if hasattr(os, 'getuid') else 0}"
    root.mkdir(mode=0o700, exist_ok=True)
    if hasattr(os, "getuid"):  # a guessable name in a shared folder: it must be this user's own
        st = root.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise InputError(
                tr(
                    "the avatar cache {root} is not private to this user (a link, or another's folder)."
                ).format(root=root),
                tr("Remove it on that node, then run the batch again."),
            )
    folder = root / content_hash
    if folder.is_dir() and package_hash(folder) == content_hash:
        return folder
    try:
        with atomic_dir(folder) as tmp:
            for name, data in parts.items():
                (tmp / Path(name).name).write_bytes(data)
            if package_hash(tmp) != content_hash:
                raise InputError(
                    tr("the avatar package arrived damaged (its content hash differs)."), tr("Retry.")
                )
    except OSError:
        if not folder.is_dir():  # another worker of this node wrote it first: that one is used
            raise
    return folder
