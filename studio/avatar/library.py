"""The avatar library: one package folder per avatar under a root folder.

The folder name is the avatar name. Hidden entries (``.NAME.*.partial``) are packages
being written or deleted and are never listed. Names are compared case-insensitively,
because the library may live on a case-insensitive file system (macOS, Windows) where
"Ana" and "ana" are the same folder. The folder name is what counts: a manifest whose
``name`` differs (a rename cut short by a crash) is listed and loaded under its folder's name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from studio.avatar.package import (
    IMAGE,
    LANDMARKS,
    MANIFEST,
    RECREATE_HINT,
    Avatar,
    AvatarManifest,
    load_avatar,
)
from studio.errors import InputError
from studio.resources import asset_path
from studio.storage.atomic import atomic_write_json

DEMO_NAME = "demo"
MAX_NAME_LENGTH = 64
# Letters (any script) and digits, plus space, '-' and '_'. ``[^\W_]`` is "word character
# but not underscore", i.e. a Unicode letter or digit.
_NAME_RE = re.compile(r"(?:[^\W_]|[ _-])+")
# Folder names Windows refuses whatever the extension; a library must be portable.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def default_library_root() -> Path:
    import platformdirs

    # appauthor=False: on Windows this avoids a redundant "Studio\\Studio" level.
    return Path(platformdirs.user_data_dir("Studio", appauthor=False)) / "avatars"


def demo_package_path() -> Path:
    return asset_path("demo", "avatar")


def normalize_name(name: str) -> str:
    """Return the canonical form of an avatar name or raise ``InputError`` explaining why not.

    Surrounding spaces are dropped and the name is NFC-normalised (macOS would otherwise
    store "é" decomposed and the same name could appear twice).
    """
    clean = unicodedata.normalize("NFC", name.strip())
    rules = "Use 1-64 letters, digits, spaces, '-' or '_'."
    if not clean:
        raise InputError("the avatar name is empty.", rules)
    if len(clean) > MAX_NAME_LENGTH:
        raise InputError(f"the avatar name is {len(clean)} characters long.", rules)
    if not _NAME_RE.fullmatch(clean):
        bad = sorted({ch for ch in clean if not _NAME_RE.fullmatch(ch)})
        shown = " ".join(repr(ch) for ch in bad)
        raise InputError(f"the avatar name '{clean}' contains {shown}.", rules)
    if clean.casefold() in _WINDOWS_RESERVED:
        raise InputError(f"'{clean}' cannot be used as an avatar name on Windows.", rules)
    return clean


def check_new_name(name: str) -> str:
    """``normalize_name`` plus the names a user may not create."""
    clean = normalize_name(name)
    if clean.casefold() == DEMO_NAME:
        raise InputError(
            "the avatar name 'demo' is reserved for the built-in demo avatar.", "Pick another name."
        )
    return clean


def _read_manifest(folder: Path) -> AvatarManifest:
    """Read a package's manifest cheaply (no image decode), raising on any damage."""
    return _checked_manifest(folder)[0]


def _checked_manifest(folder: Path) -> tuple[AvatarManifest, dict[str, Any]]:
    """The manifest and the JSON it was read from, raising ``InputError`` on any damage."""
    for part in (MANIFEST, IMAGE, LANDMARKS):
        if not (folder / part).is_file():
            raise InputError(f"{part} is missing")
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return AvatarManifest.from_json(data), data
    except InputError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InputError(f"unreadable manifest ({' '.join(str(exc).split())})") from exc


class AvatarLibrary:
    """Avatar packages under ``root`` (default: the user's data folder)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_library_root()

    # -- lookup -----------------------------------------------------------------

    def _folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(
            (p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")),
            key=lambda p: p.name.casefold(),
        )

    def names(self) -> list[str]:
        return [p.name for p in self._folders()]

    def _find(self, name: str) -> Path | None:
        key = name.casefold()
        return next((p for p in self._folders() if p.name.casefold() == key), None)

    def path_for(self, name: str) -> Path:
        """Where the avatar called ``name`` lives (whether or not it exists yet)."""
        clean = normalize_name(name)
        found = self._find(clean)
        return found if found is not None else self.root / clean

    def exists(self, name: str) -> bool:
        try:
            clean = normalize_name(name)
        except InputError:
            return False
        return self._find(clean) is not None

    def find(self, name: str) -> Path:
        """The folder of the existing avatar ``name``; ``InputError`` listing names if none."""
        try:
            clean = normalize_name(name)
        except InputError:
            raise self._unknown(name) from None
        folder = self._find(clean)
        if folder is None:
            raise self._unknown(name)
        return folder

    def _unknown(self, name: str) -> InputError:
        names = self.names()
        listing = ", ".join(names) if names else "none yet"
        return InputError(
            f"no avatar called '{name}' in {self.root}.",
            f"Existing avatars: {listing}. See 'studio avatar list'.",
        )

    def resolve(self, ref: str) -> Path:
        """A package folder for ``ref``: "demo", a library name, or a path to a package."""
        if ref.strip().casefold() == DEMO_NAME:
            return demo_package_path()
        if self.exists(ref):
            return self.path_for(ref)
        path = Path(ref).expanduser()
        if path.is_dir() and (path / MANIFEST).is_file():
            return path
        if path.is_dir():
            raise InputError(f"{path} is a folder but not an avatar package (no {MANIFEST}).")
        raise self._unknown(ref)

    def load(self, ref: str) -> Avatar:
        folder = self.resolve(ref)
        avatar = load_avatar(folder, self._damaged_hint(folder))
        if avatar.manifest.name != folder.name and self._is_member(folder):
            return replace(avatar, manifest=replace(avatar.manifest, name=folder.name))
        return avatar

    def _is_member(self, folder: Path) -> bool:
        return folder.parent.resolve() == self.root.resolve() and self.exists(folder.name)

    def _damaged_hint(self, folder: Path) -> str:
        """What to do about a damaged package at ``folder``: only an avatar of this library
        can be deleted with 'studio avatar delete'."""
        if folder == demo_package_path():
            return "Reinstall Studio to restore the demo avatar."
        if self._is_member(folder):
            return "Delete it with 'studio avatar delete' and create it again."
        return RECREATE_HINT

    def list(self) -> list[AvatarManifest]:
        """Every package, sorted by name. An unreadable one is included as
        ``AvatarManifest.damaged`` (``is_damaged`` true, problem in ``source_note``), so it
        stays visible and deletable."""
        manifests = []
        for folder in self._folders():
            try:
                manifest = _read_manifest(folder)
            except InputError as exc:
                manifests.append(AvatarManifest.damaged(folder.name, exc.problem))
                continue
            if manifest.name != folder.name:
                manifest = replace(manifest, name=folder.name)
            manifests.append(manifest)
        return manifests

    # -- renaming ---------------------------------------------------------------------

    def rename(self, old: str, new: str) -> Path:
        """Give the avatar ``old`` the name ``new``; return its new folder.

        The manifest is rewritten (atomically) inside the old folder first, then the folder
        is renamed, which is atomic. A crash in between leaves a complete package under its
        old folder name, which is the name it is listed and loaded by, so the library stays
        valid at every step and renaming again finishes the job.
        """
        if old.strip().casefold() == DEMO_NAME:
            raise InputError(
                "the built-in demo avatar cannot be renamed.",
                "Create your own avatar with 'studio avatar create' and name it as you like.",
            )
        folder = self.find(old)
        clean = check_new_name(new)
        if clean == folder.name:
            return folder
        other = self._find(clean)
        if other is not None and other != folder:  # a pure change of case finds the avatar itself
            raise InputError(
                f"there is already an avatar called '{other.name}'.",
                "Pick another name, or delete that avatar first.",
            )
        try:
            _manifest, data = _checked_manifest(folder)
        except InputError as exc:
            raise InputError(
                f"avatar '{folder.name}' is damaged ({exc.problem}) and cannot be renamed.",
                "Delete it with 'studio avatar delete' and create it again.",
            ) from exc
        target = self.root / clean
        try:
            # Every other field is kept as written, including any this version does not know.
            atomic_write_json(folder / MANIFEST, data | {"name": clean})
        except OSError as exc:
            raise self._rename_error(folder, clean, exc) from exc
        try:
            os.rename(folder, target)
        except OSError as exc:
            # Put the old name back, so the package says what its folder says.
            # If even that fails, the package is still valid: the library goes by the folder name.
            with contextlib.suppress(OSError):
                atomic_write_json(folder / MANIFEST, data)
            raise self._rename_error(folder, clean, exc) from exc
        return target

    @staticmethod
    def _rename_error(folder: Path, new: str, exc: OSError) -> InputError:
        return InputError(
            f"could not rename avatar '{folder.name}' to '{new}' ({exc.strerror or exc}).",
            "Close any program using its files and retry.",
        )

    # -- removal ----------------------------------------------------------------

    def delete(self, name: str) -> Path:
        """Remove the avatar's whole folder, biometric data included; return where it was.

        The folder is first renamed to a hidden temporary name, so the avatar disappears
        from the library at once and a crash mid-removal leaves no half-package behind.
        """
        folder = self.find(name)
        doomed = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:8]}.deleting.partial")
        try:
            os.rename(folder, doomed)
        except OSError as exc:
            raise InputError(
                f"could not delete avatar '{folder.name}' ({exc.strerror}).",
                "Close any program using it and retry.",
            ) from exc
        shutil.rmtree(doomed, ignore_errors=True)
        if doomed.exists():
            raise InputError(
                f"avatar '{folder.name}' was removed from the library, but some files remain in {doomed}.",
                "Delete that folder by hand.",
            )
        return folder
