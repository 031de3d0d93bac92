"""Keep native libraries' log lines off the user's terminal unless something breaks."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator

from studio.errors import StudioError


@contextlib.contextmanager
def native_logs_held_back() -> Iterator[None]:
    """MediaPipe and TFLite log INFO/WARNING lines straight to file descriptor 2, bypassing
    sys.stderr, which would bury the one-line result. Hold them in a temporary file and
    show them only if something unexpected fails, so a real crash stays diagnosable."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (e.g. a windowed launcher): nothing to protect
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        expected = False
        try:
            yield
            expected = True
        except StudioError:
            expected = True
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            if not expected:
                held.seek(0)
                sys.stderr.write(held.read().decode("utf-8", errors="replace"))
