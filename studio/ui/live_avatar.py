"""The face on air while the show runs: an avatar being deleted (its consent withdrawn) leaves
every output at once, for a neutral slate, and its replacement goes on air when it is ready.

The slate is cheap and goes on the GUI thread; the replacement's renderers take a moment to
make (~75 ms each at 720p), so a worker makes them and the GUI thread hands them to the show.
Avatars are told apart by their package folder, never by name (names differ in case).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from studio.avatar.package import Avatar
from studio.pipeline.live_show import LiveShow
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.dialogs import show_error


def same_package(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


class OnAirAvatar(QObject):
    """Withdraws and replaces the avatar of the shows ``shows()`` returns (running or starting)."""

    def __init__(self, parent: QWidget, shows: Callable[[], list[LiveShow]]) -> None:
        super().__init__(parent)
        self._parent, self._shows = parent, shows
        self._replacement: Avatar | None = None  # what goes on air once its renderers are made
        self._wanted = 0  # counts requests: renderers made for an earlier one are dropped
        self._gone: list[Path] = []  # deleted while a show was being made, which may use one
        self.runner = TaskRunner(self)
        self.runner.succeeded.connect(self._made)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._make_next)

    def withdraw(self, package: Path, replacement: Avatar | None) -> bool:
        """Take the avatar of the folder ``package`` off every output now (a neutral slate from
        the next frame), then put ``replacement`` on air when ready, unless it is the same one.
        True if a show was using it."""
        self._gone.append(package)
        if self._replacement is not None and same_package(self._replacement.path, package):
            self._replacement, self._wanted = None, self._wanted + 1  # not to go on air after all
        shows = self._shows()
        on_air = [s for s in shows if not s.withdrawn and same_package(s.avatar.path, package)]
        for show in on_air:
            show.change_avatar(None)
        if on_air and replacement is not None and not same_package(replacement.path, package):
            self.replace(replacement)
        return bool(on_air)

    def new_show(self) -> None:
        """A start begins: only what is deleted from now on concerns it."""
        self._gone.clear()

    def started(self, replacement: Avatar | None) -> None:
        """The show made on a worker has started: if its avatar was deleted meanwhile (before
        the worker handed the show over), it leaves the air now."""
        for package in list(self._gone):
            self.withdraw(package, replacement)
        self._gone.clear()

    def replace(self, avatar: Avatar) -> None:
        """Put ``avatar`` on air in place of the slate of a show whose avatar was withdrawn."""
        if any(s.withdrawn for s in self._shows()):
            self._replacement, self._wanted = avatar, self._wanted + 1
            self._make_next()

    def _make_next(self) -> None:
        avatar, wanted = self._replacement, self._wanted
        show = next((s for s in self._shows() if s.withdrawn), None)
        if avatar is None or show is None or self.runner.running:
            return  # a worker still making renderers looks again when it ends

        def work(_p: ProgressFn, _t: CancelToken) -> tuple[LiveShow, Avatar, int, Any]:
            return show, avatar, wanted, show.build_renderers(avatar)

        self.runner.start(work, f"getting {avatar.name} ready")

    def _made(self, result: tuple[LiveShow, Avatar, int, Any]) -> None:
        show, avatar, wanted, renderers = result
        if wanted == self._wanted and show.withdrawn and show in self._shows():
            show.change_avatar(avatar, renderers)
            self._replacement = None

    def _failed(self, exc: BaseException) -> None:
        self._replacement = None  # the slate stays on air
        show_error(self._parent, exc, self.tr("Could not put the avatar on air"))

    def shutdown(self) -> None:
        self._replacement = None
        self.runner.wait()
