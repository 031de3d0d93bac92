"""The one door to onnxruntime, which opens with its telemetry switched off.

The official onnxruntime wheels (1.2x and later on Linux and macOS) carry Microsoft's 1DS
telemetry: on first use they create ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/`` with a
persistent device id and an event queue, and upload it to ``mobile.events.data.microsoft.com``.
Studio promises that offline use sends nothing anywhere, so:

- ``ORT_DISABLE_TELEMETRY=1`` is set before the first import. Measured on 1.31: the import
  itself creates the environment (and that folder), so the variable has to be there first; it
  stops the uploader, the events and the device id for the life of the process.
- ``disable_telemetry_events()`` is called as well, for a process where something imported
  onnxruntime before Studio could set the variable (it then at least stops further events).
"""

from __future__ import annotations

import os
from types import ModuleType

TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"


def import_onnxruntime() -> ModuleType:
    """onnxruntime, imported (once) with telemetry off. Use this instead of ``import onnxruntime``."""
    os.environ[TELEMETRY_SWITCH] = "1"  # forced: a user's "0" would break the offline promise
    import onnxruntime

    onnxruntime.disable_telemetry_events()  # a flag in the runtime: cheap to set again
    return onnxruntime
