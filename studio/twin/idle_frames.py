"""The idle loop's frames, decoded on demand by one decoder every render thread shares.

Frames are asked for roughly in increasing order (the engine hands consecutive frames to
its render threads round robin), so the decoder runs forward and keeps the last few frames
in a small cache; a frame behind the decoder that has left the cache (the loop came round,
or a thread fell far behind) restarts it from the first frame. Memory is the cache, never
the whole loop.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from studio.errors import InputError
from studio.translation import tr

CACHE_FRAMES = 16  # a few frames per render thread, and the engine's look-ahead


class IdleFrames:
    """``get(i)``: RGB uint8 (h, w, 3), read-only, of loop frame ``i % count``. Thread-safe."""

    def __init__(self, video: Path, count: int, cache_frames: int = CACHE_FRAMES) -> None:
        if count < 1:
            raise ValueError("the idle loop has no frames")
        self.video = Path(video)
        self.count = count
        self._cache_frames = max(2, cache_frames)
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._container: Any = None
        self._frames: Iterator[Any] | None = None
        self._next = 0  # loop index of the frame the decoder gives next
        self._last: np.ndarray | None = None  # the last frame decoded from the file
        self.restarts = 0  # how often decoding began again from the first frame (for tests)
        self._users = 0  # renderers sharing this decoder (``attach`` / ``detach``)

    def get(self, index: int) -> np.ndarray:
        i = index % self.count
        with self._lock:
            cached = self._cache.get(i)
            if cached is not None:
                self._cache.move_to_end(i)
                return cached
            if self._frames is None or i < self._next:
                if self._frames is not None and self.count - self._next <= self._cache_frames // 2:
                    # The loop is coming round, and a slower render thread may still ask for its
                    # last frames: decode them into the cache now, or that thread would restart
                    # the decoder and run it through the whole loop again.
                    while self._next < self.count:
                        self._decode()
                self._restart()
            while True:
                frame = self._decode()
                if self._next - 1 == i:
                    return frame

    def _restart(self) -> None:
        import av

        self._close()
        try:
            self._container = av.open(str(self.video))
            stream = self._container.streams.video[0]
            stream.thread_type = "AUTO"
            self._frames = iter(self._container.decode(stream))
        except (av.FFmpegError, OSError, IndexError) as exc:
            self._close()
            raise _damaged(self.video) from exc
        self._next = 0
        self.restarts += 1

    def _decode(self) -> np.ndarray:
        import av

        assert self._frames is not None
        try:
            frame = next(self._frames)
        except StopIteration:
            frame = None
        except av.FFmpegError as exc:
            raise _damaged(self.video) from exc
        if frame is None:
            if self._next == 0:
                raise _damaged(self.video)
            # The video holds fewer frames than the loop says: the last one decoded stands in.
            image = self._last
            if image is None:
                raise _damaged(self.video)
        else:
            image = _rgb(frame)
            image.setflags(write=False)
            self._last = image
        self._cache[self._next] = image
        self._cache.move_to_end(self._next)
        while len(self._cache) > self._cache_frames:
            self._cache.popitem(last=False)
        self._next += 1
        return image

    @property
    def decoding(self) -> bool:
        """Whether the decoder (an open file) is held."""
        with self._lock:
            return self._container is not None

    def cached(self) -> int:
        with self._lock:
            return len(self._cache)

    def _close(self) -> None:
        container, self._container, self._frames = self._container, None, None
        if container is not None:
            container.close()

    def close(self) -> None:
        """Closes the decoder and drops the cache (a later ``get`` would open it again)."""
        with self._lock:
            self._close()
            self._cache.clear()

    def attach(self) -> None:
        """One more renderer shares this decoder."""
        with self._lock:
            self._users += 1

    def detach(self) -> None:
        """A renderer is done with it: the last one to leave closes the decoder."""
        with self._lock:
            self._users = max(0, self._users - 1)
            last = self._users == 0
        if last:
            self.close()


def _rgb(frame: Any) -> np.ndarray:
    """RGB of a decoded frame. 4:2:0 (what the store writes) is converted by OpenCV: several
    times faster than FFmpeg's own conversion, and this runs for every loop frame."""
    if frame.format.name == "yuv420p" and frame.width % 2 == 0 and frame.height % 2 == 0:
        yuv = frame.to_ndarray()
        return np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420))
    return np.asarray(frame.to_ndarray(format="rgb24"))


def _damaged(video: Path) -> InputError:
    return InputError(
        tr("the twin's idle loop {video} could not be decoded.").format(video=video),
        tr("The avatar package is damaged: build the twin again from its video."),
    )
