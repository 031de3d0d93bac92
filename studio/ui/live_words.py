"""What the live page says, in a merchant's words rather than the engine's.

Plain functions (no widgets), so tests check them directly. The core keeps its ids and
exception names for the CLI and the logs; the strip and the dialogs say them as the Show page
does: voices by name, where the show goes by whether an audience can see it yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from studio.live.supply import INTERJECTION
from studio.outputs.base import OutputError
from studio.ui.app_words import app_words
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.show_voice_names import language_name, voice_name
from studio.voice.base import VoiceInfo

# Outputs an audience sees; a sound card alone is heard in the room, like the preview.
ON_AIR_OUTPUTS = ("vcam", "rtmp")
# The engine's output names, in the words of the Outputs box.
OUTPUT_NAMES = {
    "vcam": QT_TRANSLATE_NOOP("live_words", "Virtual camera"),
    "audio": QT_TRANSLATE_NOOP("live_words", "Sound"),
    "record": QT_TRANSLATE_NOOP("live_words", "Recording"),
    "rtmp": QT_TRANSLATE_NOOP("live_words", "Stream"),
}
# The AI label's corners (studio.render.label.CORNERS) as the Settings page and the strip say them.
_CORNER_WORDS = {
    "top-left": QT_TRANSLATE_NOOP("live_words", "top left"),
    "top-right": QT_TRANSLATE_NOOP("live_words", "top right"),
    "bottom-left": QT_TRANSLATE_NOOP("live_words", "bottom left"),
    "bottom-right": QT_TRANSLATE_NOOP("live_words", "bottom right"),
}
STREAM_GRACE_S = 10.0  # how long a stream may take to connect before the operator is told

# -- where the show goes ------------------------------------------------------------------------


def air_state(targets: Iterable[str], outputs: Mapping[str, str], was_live: bool) -> str:
    """ "live", "connecting", "reconnecting", "recording" or "preview".

    Live only while an on-air output (virtual camera, stream) runs; until one first does,
    connecting; after one did and none runs now, reconnecting. An on-air output that has
    failed for good no longer counts: the show is then what the rest of its outputs make it.
    """
    names = set(targets)
    on_air = [n for n in ON_AIR_OUTPUTS if n in names and not outputs.get(n, "").startswith("failed")]
    if on_air:
        if any(outputs.get(name, "") == "running" for name in on_air):
            return "live"
        return "reconnecting" if was_live else "connecting"
    return "recording" if "record" in names else "preview"


def corner_words(corner: str) -> str:
    return translated("live_words", _CORNER_WORDS.get(corner, corner.replace("-", " ")))


def saying_text(label: str) -> str:
    """What the status line shows as said: the sentence itself, never the engine's kind of
    clip ("interjection: Thanks!" -> "Thanks!")."""
    return label.removeprefix(INTERJECTION)


# -- lip sync -----------------------------------------------------------------------------------
_DEVICES = {
    "CPUExecutionProvider": "CPU",
    "CUDAExecutionProvider": "GPU (CUDA)",
    "TensorrtExecutionProvider": "GPU (TensorRT)",
    "ROCMExecutionProvider": "GPU (ROCm)",
    "MIGraphXExecutionProvider": "GPU (ROCm)",
    "DmlExecutionProvider": "GPU (DirectML)",
    "CoreMLExecutionProvider": QT_TRANSLATE_NOOP("live_words", "Apple Neural Engine"),
    "OpenVINOExecutionProvider": "OpenVINO",
}


def provider_text(provider: str) -> str:
    """ "lip sync: phonemes" -> "Lip sync: voice timing"; "lip sync: model on
    CPUExecutionProvider" -> "Lip sync: AI model on CPU"."""
    what = provider.removeprefix("lip sync:").strip()
    if not what:
        return ""
    if what == "phonemes":
        return QCoreApplication.translate("live_words", "Lip sync: voice timing")
    if what.startswith("model"):
        device = what.removeprefix("model").strip().removeprefix("on").strip()
        where = translated("live_words", _DEVICES.get(device, device.removesuffix("ExecutionProvider")))
        return (
            QCoreApplication.translate("live_words", "Lip sync: AI model on {where}").format(where=where)
            if where
            else QCoreApplication.translate("live_words", "Lip sync: AI model")
        )
    return QCoreApplication.translate("live_words", "Lip sync: {what}").format(what=what)


# -- warnings -----------------------------------------------------------------------------------
_EXCEPTION = re.compile(r"\s*\((?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Timeout)\)")
_VOICE_ID = re.compile(r"\b(?:piper|espeak|edge):[\w.+-]*\w")
_ONLINE = re.compile(
    r"the online voice (?P<voice>\S+) needs the network, and its service could not be reached"
    r"(?: \((?P<kind>[\w.]+)\))?\."
)
_FALLBACK = re.compile(r"Spoken with (?P<voice>\S+) instead\.")


def _why(kind: str) -> str:
    # What the library's error class says, in words: only a timeout is not "no network".
    return (
        QCoreApplication.translate("live_words", "it did not answer in time")
        if "Timeout" in kind
        else QCoreApplication.translate("live_words", "no network")
    )


class VoiceWords:
    """Says voice ids the way the Show page names them. ``voices`` is read once, when a text
    first names a voice (the registry's list takes a moment to build)."""

    def __init__(self, voices: Callable[[], Sequence[VoiceInfo]] | None = None) -> None:
        self._source = voices
        self._by_id: dict[str, VoiceInfo] | None = None

    def _voices(self) -> dict[str, VoiceInfo]:
        if self._by_id is None:
            if self._source is None:
                from studio.voice.registry import all_voices  # noqa: PLC0415 - only when needed

                self._source = all_voices
            try:
                found = list(self._source())
            except Exception:  # noqa: BLE001 - a warning is still worth showing with its ids
                found = []
            self._by_id = {v.id.casefold(): v for v in found}
        return self._by_id

    def name(self, voice_id: str) -> str:
        """ "Aria (online)", "Joe (English (US))"; an id no voice has stays as it is."""
        voice = self._voices().get(voice_id.casefold())
        if voice is None:
            return voice_id
        kind = "online" if voice.needs_network else language_name(voice)
        return f"{voice_name(voice)} ({kind})"

    def plain(self, text: str) -> str:
        """``text`` with voice ids named, Python's exception names dropped, a capital first."""

        def online(match: re.Match[str]) -> str:
            voice = self.name(match["voice"])
            return QCoreApplication.translate(
                "VoiceWords", "{voice} could not reach its service: {why}."
            ).format(voice=voice, why=_why(match["kind"] or ""))

        text = _ONLINE.sub(online, text)
        text = _FALLBACK.sub(lambda m: f"{self.name(m['voice'])} spoke the line instead.", text)
        text = _EXCEPTION.sub("", text)
        text = _VOICE_ID.sub(lambda m: self.name(m.group(0)), text)
        text = app_words(text)
        return text[:1].upper() + text[1:]


# -- a stream that does not connect -------------------------------------------------------------
_REASONS = (
    ("refused", QT_TRANSLATE_NOOP("live_words", "refused the connection")),
    (QT_TRANSLATE_NOOP("live_words", "timed out"), QT_TRANSLATE_NOOP("live_words", "did not answer")),
    (QT_TRANSLATE_NOOP("live_words", "no answer"), QT_TRANSLATE_NOOP("live_words", "did not answer")),
    (
        QT_TRANSLATE_NOOP("live_words", "name or service not known"),
        QT_TRANSLATE_NOOP("live_words", "could not be found (check the address for a typo)"),
    ),
    (
        QT_TRANSLATE_NOOP("live_words", "nodename nor servname"),
        QT_TRANSLATE_NOOP("live_words", "could not be found (check the address for a typo)"),
    ),
    (
        QT_TRANSLATE_NOOP("live_words", "temporary failure in name resolution"),
        QT_TRANSLATE_NOOP("live_words", "could not be looked up (is this computer online?)"),
    ),
    (
        QT_TRANSLATE_NOOP("live_words", "network is unreachable"),
        QT_TRANSLATE_NOOP("live_words", "could not be reached (is this computer online?)"),
    ),
    (
        QT_TRANSLATE_NOOP("live_words", "no route to host"),
        QT_TRANSLATE_NOOP("live_words", "could not be reached (is this computer online?)"),
    ),
    (
        QT_TRANSLATE_NOOP("live_words", "closed the connection"),
        QT_TRANSLATE_NOOP("live_words", "closed the connection"),
    ),
)
_DEFAULT_PORTS = {"rtmp": 1935, "rtmps": 443}


def server_name(masked_url: str) -> str:
    """ "127.0.0.1:1" from "rtmp://127.0.0.1:1/live/sk_l****"; the port only when unusual."""
    parts = urlsplit(masked_url)
    host = parts.hostname or masked_url
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != _DEFAULT_PORTS.get(parts.scheme) else host


def stream_problem(state: str, masked_url: str) -> OutputError:
    """Why the stream is not live yet, from the RTMP output's state, in plain words."""
    reason = state.partition("): ")[2].strip() if state.startswith("reconnecting") else ""
    said = next((translated("live_words", words) for key, words in _REASONS if key in reason.casefold()), "")
    if not said:
        said = (
            QCoreApplication.translate("live_words", "could not be reached ({reason})").format(reason=reason)
            if reason
            else QCoreApplication.translate("live_words", "has not answered yet")
        )
    return OutputError(
        QCoreApplication.translate(
            "live_words", "Not live yet: the stream server at {server} {said}."
        ).format(server=server_name(masked_url), said=said),
        QCoreApplication.translate(
            "live_words",
            "Check the stream address and your network. Studio keeps trying every 30 s; "
            "press Stop to give up.",
        ),
    )
