"""Sound devices by name, shared by the audio output and the microphone.

PortAudio numbers devices in enumeration order, which changes when a headset is plugged in,
so users choose by name: an exact name wins, otherwise a case-insensitive substring must
pick one device. sounddevice is imported lazily: importing this module works without
libportaudio, and the error then says what to install.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from studio.outputs.base import OutputError
from studio.translation import tr

Direction = Literal["input", "output"]

# The CLI options that choose a device, named in error messages.
MIC_OPTION = "--mic-device"
SPEAKER_OPTION = "--audio-out"


@dataclass(frozen=True)
class SoundDevice:
    index: int  # PortAudio's index: valid only until PortAudio is re-initialised
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} [{self.hostapi}]"

    def channels(self, direction: Direction) -> int:
        return self.max_input_channels if direction == "input" else self.max_output_channels

    def is_default(self, direction: Direction) -> bool:
        return self.is_default_input if direction == "input" else self.is_default_output


def portaudio_fix(system: str | None = None) -> str:
    system = system or platform.system()
    if system == "Linux":
        return tr("Install PortAudio: sudo apt install libportaudio2 (Fedora: sudo dnf install portaudio).")
    return tr(
        "Reinstall sounddevice, whose wheel ships PortAudio: pip install --force-reinstall sounddevice."
    )


def load_sounddevice() -> ModuleType:
    """sounddevice, or an OutputError naming the fix when PortAudio cannot be loaded."""
    try:
        import sounddevice
    except OSError as exc:
        raise OutputError(
            tr("The audio library PortAudio could not be loaded ({error}).").format(error=exc),
            portaudio_fix(),
        ) from exc
    return sounddevice


def query_sound_devices(sd: Any = None) -> list[SoundDevice]:
    """Every device PortAudio reports, with host API names and defaults resolved."""
    sd = sd or load_sounddevice()
    hostapis = [str(api["name"]) for api in sd.query_hostapis()]
    default_in, default_out = _default_indices(sd)
    devices = []
    for info in sd.query_devices():
        index = int(info["index"])
        devices.append(
            SoundDevice(
                index=index,
                name=str(info["name"]),
                hostapi=hostapis[int(info["hostapi"])],
                max_input_channels=int(info["max_input_channels"]),
                max_output_channels=int(info["max_output_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return devices


def _default_indices(sd: Any) -> tuple[int, int]:
    device = sd.default.device
    try:
        return int(device[0]), int(device[1])
    except (TypeError, ValueError):  # a user-set default given by name: PortAudio's own then
        return -1, -1


def pick_device(devices: list[SoundDevice], name: str | None, direction: Direction) -> SoundDevice:
    """The one device ``name`` means, or the default one when ``name`` is None."""
    usable = [d for d in devices if d.channels(direction) > 0]
    microphone = direction == "input"
    option = MIC_OPTION if microphone else SPEAKER_OPTION
    # The app and the CLI show the same messages, so they name both places to choose.
    if microphone:
        where = tr("on the app's Settings page or with {option}").format(option=option)
    else:
        where = tr("on the app's Live page or with {option}").format(option=option)
    if not usable:
        if microphone:
            problem = tr("No microphone found.")
            hint = tr(
                "Connect a microphone or headset, then choose it {where} (list them with 'studio devices')."
            )
        else:
            problem = tr("No audio output device found.")
            hint = tr(
                "Connect speakers or headphones, then choose it {where} (list them with 'studio devices')."
            )
        raise OutputError(problem, hint.format(where=where))
    if name is None:
        # Without a default (some Linux setups), the first device is as good a guess as any.
        return next((d for d in usable if d.is_default(direction)), usable[0])
    wanted = name.strip().casefold()
    matches = [d for d in usable if wanted in (d.name.casefold(), d.label.casefold())]
    if not matches:
        matches = [d for d in usable if wanted in d.label.casefold()]
    # One physical device is listed once per host API on Windows (MME, DirectSound, WASAPI...):
    # the same name everywhere is one choice, the system default's entry when it is among them.
    if matches and len({d.name for d in matches}) == 1:
        return next((d for d in matches if d.is_default(direction)), matches[0])
    names = ", ".join(f"'{d.label}'" for d in (matches or usable))
    if matches:
        several = (
            tr("'{name}' matches several microphones: {names}.")
            if microphone
            else tr("'{name}' matches several audio output devices: {names}.")
        )
        raise OutputError(
            several.format(name=name, names=names),
            tr("Pick one {where}, giving more of the name.").format(where=where),
        )
    missing = (
        tr("No microphone matches '{name}'. Available: {names}.")
        if microphone
        else tr("No audio output device matches '{name}'. Available: {names}.")
    )
    raise OutputError(
        missing.format(name=name, names=names), tr("Choose one of them {where}.").format(where=where)
    )
