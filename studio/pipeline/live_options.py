"""What a live show is asked for: its driver, voice, outputs, room and log (``LiveOptions``).

The CLI's options and the app's pages both come down to one of these; ``live_show`` builds the
show from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studio.compliance.disclosure import Disclosure
from studio.compliance.session_log import PART_BYTES
from studio.live.rundown import Rundown
from studio.live.watchdog import STALL_S

if TYPE_CHECKING:
    from studio.pipeline.live_room import RoomOptions


@dataclass(frozen=True)
class LiveOptions:
    script: Path | None = None  # a rundown (.toml) or a plain text file, one sentence a line
    rundown: Rundown | None = None  # the app's show editor hands its rundown over directly
    mic: bool = False
    audio: Path | None = None
    voice: str | None = None  # for segments that name none
    lipsync: str = "phonemes"  # for the script; the microphone and audio files use the model
    provider: str | None = None
    vcam: bool = False
    vcam_device: str | None = None
    audio_out: str | None = None  # device name; "" for the default device
    av_offset_ms: float = 0.0
    mic_device: str | None = None
    record: Path | None = None
    rtmp: str | None = None
    duration_s: float | None = None
    render_threads: int = 2
    credit_name: bool = False  # the consenting person's full name in a recording's metadata
    # The spoken AI notice, before the first sentence and every so often; None: not said.
    disclosure: Disclosure | None = field(default_factory=Disclosure)
    unlabelled_by: str = ""  # who acknowledged streaming without the visible label
    log_dir: Path | None = None  # where the session log goes; None: ``default_log_dir()``
    room: RoomOptions | None = None  # viewers' questions answered from a catalogue (``live_room``)
    watchdog_s: float | None = STALL_S  # restart a show stalled this long (``live.watchdog``); None: off
    log_part_bytes: int = PART_BYTES  # the session log's rotation (a simulated day tests it small)
