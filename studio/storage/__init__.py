"""Atomic writes: a crash mid-write leaves the previous file or folder intact."""

from studio.storage.atomic import atomic_dir, atomic_file, atomic_write_bytes, atomic_write_json

__all__ = ["atomic_dir", "atomic_file", "atomic_write_bytes", "atomic_write_json"]
