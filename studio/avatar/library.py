"""The avatar library: one package folder per avatar under a root folder.

The folder name is the avatar name. Hidden entries (``.NAME.*.partial``) are packages
being written or deleted and are never listed. Names are compared case-insensitively,
because the library may live on a case-insensitive file system (macOS, Windows) where
"Ana" and "ana" are the same folder. The folder name is what counts: a manifest whose
``name`` differs (a rename cut short by a crash) is listed and loaded under its folder's name.

Only packages Studio made are avatars (``looks_like_package``): any other folder, or a
package under a folder name Studio cannot use (``Mia.bak``), is listed apart as left alone,
and is never loaded, renamed or deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.avatar.library_lock import ensure_library_folder, library_lock
from studio.avatar.names import DEMO_NAME, check_new_name, name_rules, normalize_name
from studio.avatar.package import (
    IMAGE,
    LANDMARKS,
    MANIFEST,
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    Avatar,
    AvatarManifest,
    load_avatar,
    looks_like_package,
    make_private,
    read_manifest_json,
    recreate_hint,
)
from studio.errors import InputError, printable
from studio.resources import asset_path
from studio.storage.atomic import atomic_file
from studio.translation import tr

# Re-exported: callers take the name rules from the library.
__all__ = ["DEMO_NAME", "AvatarLibrary", "LeftAlone", "check_new_name", "demo_package_path", "normalize_name"]
# The longest file name common file systems allow, in bytes.
MAX_FILE_NAME_BYTES = 255


def default_library_root() -> Path:
    import platformdirs

    # appauthor=False: on Windows this avoids a redundant "Studio\\Studio" level.
    return Path(platformdirs.user_data_dir("Studio", appauthor=False)) / "avatars"


def demo_package_path() -> Path:
    return asset_path("demo", "avatar")


@dataclass(frozen=True)
class LeftAlone:
    """A visible folder in the library that is not an avatar Studio can use."""

    name: str  # the folder's name, as on disk
    reason: str  # why, for a listing: "not an avatar (left alone)", ...
    is_package: bool  # an avatar package under a folder name Studio cannot use


NOT_AN_AVATAR = "not an avatar (left alone)"  # in English; a listing shows it translated (_scan)


def _key(name: str) -> str:
    """How names are compared: NFC, case-folded, surrounding spaces dropped."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _usable_name(folder_name: str) -> bool:
    try:
        normalize_name(folder_name)
    except InputError:
        return False
    return _key(folder_name) != DEMO_NAME


def _read_manifest(folder: Path) -> AvatarManifest:
    """Read a package's manifest cheaply (no image decode), raising on any damage."""
    return _checked_manifest(folder)[0]


def _checked_manifest(folder: Path) -> tuple[AvatarManifest, dict[str, Any]]:
    """The manifest and the JSON it was read from, raising ``InputError`` on any damage."""
    for part in (MANIFEST, IMAGE, LANDMARKS):
        if not (folder / part).is_file():  # a FIFO is never opened: that would block the scan
            if (folder / part).exists():
                raise InputError(tr("{part} is not a regular file").format(part=part))
            raise InputError(tr("{part} is missing").format(part=part))
    try:
        data = read_manifest_json(folder)
        return AvatarManifest.from_json(data), data
    except InputError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InputError(
            tr("unreadable manifest ({reason})").format(reason=" ".join(str(exc).split()))
        ) from exc


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:
    with atomic_file(folder / MANIFEST, mode=PRIVATE_FILE_MODE) as tmp:
        tmp.write_bytes((json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


class AvatarLibrary:
    """Avatar packages under ``root`` (default: the user's data folder)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_library_root()

    # -- lookup -----------------------------------------------------------------

    def _scan(self) -> tuple[list[Path], list[LeftAlone]]:
        """(avatar package folders, other visible folders), each sorted by name."""
        if not self.root.is_dir():
            return [], []
        packages: list[Path] = []
        others: list[LeftAlone] = []
        for path in sorted(self.root.iterdir(), key=lambda p: p.name.casefold()):
            if path.name.startswith(".") or not path.is_dir():
                continue
            if not looks_like_package(path):
                others.append(LeftAlone(path.name, tr("not an avatar (left alone)"), is_package=False))
            elif not _usable_name(path.name):
                reason = tr("an avatar package under a folder name Studio cannot use (left alone)")
                others.append(LeftAlone(path.name, reason, is_package=True))
            else:
                packages.append(path)
        return packages, others

    def _folders(self) -> list[Path]:
        return self._scan()[0]

    def names(self) -> list[str]:
        return [p.name for p in self._folders()]

    def left_alone(self) -> list[LeftAlone]:
        """Visible folders in the library that are not usable avatars, which Studio never touches."""
        return self._scan()[1]

    def _find(self, name: str) -> Path | None:
        key = _key(name)
        return next((p for p in self._folders() if _key(p.name) == key), None)

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
            clean = None
        folder = self._find(clean) if clean is not None else None
        if folder is None:
            raise self._left_alone_error(name) or self._unknown(name)
        return folder

    def _left_alone_error(self, name: str) -> InputError | None:
        """Why the folder called ``name`` is not an avatar, if there is one."""
        key = _key(name)
        other = next((o for o in self.left_alone() if _key(o.name) == key), None)
        if other is None:
            return None
        shown = printable(other.name)
        if other.is_package:
            return InputError(
                tr(
                    "'{name}' in {root} is an avatar package under a folder name Studio cannot use; "
                    "Studio leaves it alone."
                ).format(name=shown, root=self.root),
                tr("Rename the folder by hand to use it as an avatar.") + " " + name_rules(),
            )
        return InputError(
            tr("'{name}' in {root} is not an avatar made by Studio; Studio leaves it alone.").format(
                name=shown, root=self.root
            ),
            tr("Check the library folder, and give the name of an avatar (see 'studio avatar list')."),
        )

    def _unknown(self, name: str) -> InputError:
        names = self.names()
        listing = ", ".join(printable(n) for n in names) if names else tr("none yet")
        return InputError(
            tr("no avatar called '{name}' in {root}.").format(name=printable(name), root=self.root),
            tr("Existing avatars: {listing}. See 'studio avatar list'.").format(listing=listing),
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
        left_alone = self._left_alone_error(ref)
        if left_alone is not None:
            raise left_alone
        if path.is_dir():
            raise InputError(
                tr("{path} is a folder but not an avatar package (no {manifest}).").format(
                    path=path, manifest=MANIFEST
                )
            )
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
            return tr("Reinstall Studio to restore the demo avatar.")
        if self._is_member(folder):
            return tr("Delete it with 'studio avatar delete' and create it again.")
        return recreate_hint()

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

    # -- writing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def creating(self, folder_name: str) -> Iterator[Path]:
        """Hold the library's write lock while a new package is put at the path yielded.

        The library folder is made (private) if needed, and the name is checked under the
        lock, so of two creates racing for "Mia" and "mia" exactly one gets through and the
        other gets ``InputError``. Raises ``InputError`` if the folder cannot be made.
        """
        try:
            ensure_library_folder(self.root)
        except OSError as exc:  # e.g. a file where the library folder should be
            raise InputError(
                tr("could not create the avatar library folder {root} ({reason}).").format(
                    root=self.root, reason=exc.strerror or exc
                ),
                tr("Choose another library folder, or check its permissions."),
            ) from exc
        with self._locked():
            self.check_free(folder_name)
            yield self.root / folder_name

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with library_lock(self.root):
            self._tighten()
            yield

    def _tighten(self) -> None:
        """Make a library of avatars only private. A folder that holds anything else, even a
        plain file (``--library ~/Documents``), is the user's and keeps its permissions."""
        with contextlib.suppress(OSError):
            packages, others = self._scan()
            visible = [p for p in self.root.iterdir() if not p.name.startswith(".")]
            if not others and len(visible) == len(packages):
                os.chmod(self.root, PRIVATE_DIR_MODE)

    def check_free(self, name: str) -> None:
        """``InputError`` if an avatar or any other entry already has ``name`` in any case."""
        key = _key(name)
        entries = self.root.iterdir() if self.root.is_dir() else iter(())
        taken = next((p for p in entries if _key(p.name) == key), None)
        if taken is None:
            return
        if taken in self._folders():
            raise InputError(
                tr("an avatar called '{name}' already exists in {root}.").format(
                    name=printable(taken.name), root=self.root
                ),
                tr("Choose another name, or delete it first with 'studio avatar delete'."),
            )
        raise InputError(
            tr("'{name}' in {root} already exists and is not an avatar.").format(
                name=printable(taken.name), root=self.root
            ),
            tr("Choose another name, or move that out of the library folder."),
        )

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
                tr("the built-in demo avatar cannot be renamed."),
                tr("Create your own avatar with 'studio avatar create' and name it as you like."),
            )
        folder = self.find(old)
        clean = check_new_name(new)
        if clean == folder.name:
            return folder
        with self._locked():
            return self._rename_locked(folder, clean)

    def _rename_locked(self, folder: Path, clean: str) -> Path:
        if _key(clean) != _key(folder.name):  # a pure change of case keeps the avatar's own slot
            self.check_free(clean)
        try:
            _manifest, data = _checked_manifest(folder)
        except InputError as exc:
            raise InputError(
                tr("avatar '{name}' is damaged ({reason}) and cannot be renamed.").format(
                    name=printable(folder.name), reason=exc.problem
                ),
                tr("Delete it with 'studio avatar delete' and create it again."),
            ) from exc
        target = self.root / clean
        try:
            # Every other field is kept as written, including any this version does not know.
            _write_manifest(folder, data | {"name": clean})
            make_private(folder)  # a package written before packages were private becomes so
        except OSError as exc:
            raise self._rename_error(folder, clean, exc) from exc
        try:
            os.rename(folder, target)
        except OSError as exc:
            # Put the old name back, so the package says what its folder says.
            # If even that fails, the package is still valid: the library goes by the folder name.
            with contextlib.suppress(OSError):
                _write_manifest(folder, data)
            raise self._rename_error(folder, clean, exc) from exc
        return target

    @staticmethod
    def _rename_error(folder: Path, new: str, exc: OSError) -> InputError:
        return InputError(
            tr("could not rename avatar '{name}' to '{new}' ({reason}).").format(
                name=printable(folder.name), new=new, reason=exc.strerror or exc
            ),
            tr("Close any program using its files and retry."),
        )

    # -- removal ----------------------------------------------------------------

    def delete(self, name: str) -> Path:
        """Remove the avatar's whole folder, biometric data included; return where it was.
        Only an avatar package is ever removed: any other folder is refused by ``find``.

        The folder is first renamed to a hidden temporary name, so the avatar disappears
        from the library at once and a crash mid-removal leaves no half-package behind.
        """
        folder = self.find(name)
        shown = printable(folder.name)
        tag = uuid.uuid4().hex[:8]
        doomed = folder.with_name(f".{folder.name}.{tag}.deleting.partial")
        if len(os.fsencode(doomed.name)) > MAX_FILE_NAME_BYTES:  # a name made before the byte limit
            doomed = folder.with_name(f".{tag}.deleting.partial")
        try:
            os.rename(folder, doomed)
        except OSError as exc:
            raise InputError(
                tr("could not delete avatar '{name}' ({reason}).").format(name=shown, reason=exc.strerror),
                tr("Close any program using it and retry."),
            ) from exc
        shutil.rmtree(doomed, ignore_errors=True)
        if doomed.exists():
            raise InputError(
                tr("avatar '{name}' was removed from the library, but some files remain in {folder}.").format(
                    name=shown, folder=doomed
                ),
                tr("Delete that folder by hand."),
            )
        return folder
