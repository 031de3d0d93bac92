"""Natural offline voices in Mandarin and English: Kokoro-82M v1.0 (int8 ONNX) on our session.

The model, its vocabulary and the voices' style vectors are fetched at set-up by
``scripts/fetch_kokoro.sh`` (see ``kokoro_files``); without them the engine lists no voices and
``studio voices`` says how to get them.

Timings come from the model's own duration predictor (``/encoder/Cast_output_0``, added as a
graph output by the fetch script): one count per input token, in units of 600 samples (25 ms
at 24 kHz), summing exactly to the audio. The first token is the start pad.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.translation import tr
from studio.voice.base import (
    PhonemeTiming,
    Speech,
    SpeechPieces,
    VoiceInfo,
    check_request,
    speech_cancel,
)
from studio.voice.chunking import split_long
from studio.voice.kokoro_files import (
    DURATION_TENSOR,
    FETCH_COMMAND,
    STYLE_ROWS,
    STYLE_WIDTH,
    VOICE_FILE_BYTES,
    VOICES,
    KokoroVoice,
    installed,
    kokoro_dir,
    model_path,
    vocab_path,
    voice_path,
)
from studio.voice.kokoro_phonemes import (
    ATTACHED,
    MAX_TOKENS,
    PAUSE_SYMBOLS,
    STRESS,
    english_phonemes,
    split_tokens,
    to_ipa,
    tokenize,
)

SAMPLE_RATE = 24_000
SAMPLES_PER_UNIT = 600  # one duration unit: 25 ms
LEAD_UNITS = 2.0
# A phone before a pause ends where its sound does: the model gives sentence- and clause-final
# phones long durations (300-600 ms) whose end is already silent, which would hold the mouth
# open into the pause. Silent: this far below the piece's loudest 10 ms.
SILENCE_DB = -35.0
_FRAME = 240  # 10 ms at 24 kHz
MAX_LEAD, MAX_TRAIL = 0.1, 0.3  # seconds of silence kept before and after each piece
# Sentence ends (Latin with a space after, CJK without); the punctuation stays with its
# sentence, since the model only pauses when it sees it.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])")


def split_sentences(text: str) -> list[str]:
    """One model run per sentence (or clause-sized piece of a long one): a live show starts
    speaking after the first, and memory stays bounded."""
    return [piece for s in _SENTENCE_END.split(text) if s.strip() for piece in split_long(s)]


def timings_from_units(
    symbols: list[str], units: np.ndarray, samples_per_unit: float, offset: float = 0.0
) -> list[PhonemeTiming]:
    """Phoneme spans from one duration per token (``[pad, *symbols, pad]``).

    Tones, length and aspiration marks join the phoneme before them, stress marks the one
    after. Punctuation and the two pads are pauses (""), merged when adjacent. A space between
    two phonemes is shared between them (word gaps inside a phrase are voiced); next to a pause
    it joins the pause.
    """
    counts = [float(n) for n in units.tolist()]
    if counts:
        # The sound runs ahead of the summed durations: kokoro's own pipeline (KPipeline's
        # join_timestamps) starts its timings 3 units early; measured here on five voices, stop
        # closures line up best 50-100 ms and pauses 25-50 ms before the raw sums, so 2 units
        # (50 ms). The end pad takes the time back.
        lead = min(LEAD_UNITS, counts[0])
        counts[0] -= lead
        counts[-1] += lead
    labels = ["", *symbols, ""]
    if len(counts) != len(labels):
        raise StudioError(
            tr("the Kokoro model gave {durations} durations for {tokens} tokens.").format(
                durations=len(counts), tokens=len(labels)
            ),
            tr("Fetch the voices again with '{command}'.").format(command=FETCH_COMMAND),
        )
    # Fold marks into their phoneme: attached marks backwards, stress forwards.
    merged: list[list[Any]] = []  # [label, units]
    carried = 0.0
    for label, n in zip(labels, counts, strict=True):
        if label in STRESS:
            carried += n
        elif label in ATTACHED and merged and merged[-1][0] not in ("", " ") and not _is_pause(merged[-1][0]):
            merged[-1][0] += label
            merged[-1][1] += n
        else:
            merged.append([label, n + carried])
            carried = 0.0
    if carried and merged:
        merged[-1][1] += carried
    for i in range(1, len(merged) - 1):
        if merged[i][0] == " " and not _is_pause(merged[i - 1][0]) and not _is_pause(merged[i + 1][0]):
            half = merged[i][1] / 2.0
            merged[i - 1][1] += half
            merged[i + 1][1] += half
            merged[i][1] = 0.0
    timings: list[PhonemeTiming] = []
    cursor = 0.0  # in units, so rounding never accumulates
    for label, n in merged:
        if n <= 0:
            continue
        symbol = "" if _is_pause(label) or label == " " else to_ipa(label)
        start = offset + cursor * samples_per_unit / SAMPLE_RATE
        cursor += n
        end = offset + cursor * samples_per_unit / SAMPLE_RATE
        if symbol == "" and timings and timings[-1].phoneme == "":
            timings[-1] = PhonemeTiming("", timings[-1].start, end)
        else:
            timings.append(PhonemeTiming(symbol, start, end))
    return timings


def end_phones_at_silence(
    timings: list[PhonemeTiming], audio: np.ndarray, offset: float = 0.0
) -> list[PhonemeTiming]:
    """``timings`` (of ``audio``, which starts at ``offset`` seconds) with each phone that is
    followed by a pause ended at the last 10 ms of its span that is not silent, the pause
    starting there instead. Other boundaries are the model's own and stay."""
    frames = len(audio) // _FRAME
    if frames == 0:
        return timings
    power = np.square(audio[: frames * _FRAME].astype(np.float64)).reshape(frames, _FRAME).mean(axis=1)
    loud = power > power.max() * 10.0 ** (SILENCE_DB / 10.0)
    out = list(timings)
    for i in range(len(out) - 1):
        phone, pause = out[i], out[i + 1]
        if phone.phoneme == "" or pause.phoneme != "":
            continue
        first = int((phone.start - offset) * SAMPLE_RATE) // _FRAME
        last = min(int(np.ceil((phone.end - offset) * SAMPLE_RATE / _FRAME)), frames)
        sounding = np.flatnonzero(loud[first:last])
        keep = first + (int(sounding[-1]) + 1 if sounding.size else 1)  # a phone keeps 10 ms
        end = max(phone.start, min(phone.end, offset + keep * _FRAME / SAMPLE_RATE))
        if end < phone.end:
            out[i] = PhonemeTiming(phone.phoneme, phone.start, end)
            out[i + 1] = PhonemeTiming("", end, pause.end)
    return out


def shorten_edge_pauses(
    timings: list[PhonemeTiming], audio: np.ndarray, lead: float = MAX_LEAD, trail: float = MAX_TRAIL
) -> tuple[list[PhonemeTiming], np.ndarray]:
    """A piece's silence before its first phone cut to ``lead`` seconds and after its last to
    ``trail``: the model pads each run with about 0.35 s before and 0.2-0.5 s after, so
    sentences spoken one after another would stand over a second apart, and the first sound of
    a typed interjection would come 0.35 s late. ``timings`` start at 0 and cover ``audio``."""
    if len(timings) < 2:
        return timings, audio
    cut_front = 0
    if timings[0].phoneme == "" and timings[0].end > lead:
        cut_front = int(round((timings[0].end - lead) * SAMPLE_RATE))
    cut_back = 0
    if timings[-1].phoneme == "" and timings[-1].end - timings[-1].start > trail:
        cut_back = int(round((timings[-1].end - timings[-1].start - trail) * SAMPLE_RATE))
    if not cut_front and not cut_back:
        return timings, audio
    kept = audio[cut_front : len(audio) - cut_back]
    shift = cut_front / SAMPLE_RATE
    out = [PhonemeTiming(t.phoneme, max(t.start - shift, 0.0), t.end - shift) for t in timings]
    out[-1] = PhonemeTiming(out[-1].phoneme, out[-1].start, len(kept) / SAMPLE_RATE)
    return out, kept


def _is_pause(label: str) -> bool:
    return label == "" or label in PAUSE_SYMBOLS


def _best_first(voice: KokoroVoice) -> tuple[str, int]:
    """The model card's grade as a sort key: A before B, "+" before none before "-". Callers
    that take the first voice of a language (the suggested one) get its best."""
    return voice.grade[:1], {"+": 0, "-": 2}.get(voice.grade[1:2], 1)


class KokoroEngine:
    """Engine "kokoro". The 92 MB model loads on first use, once per engine."""

    name = "kokoro"

    def __init__(
        self, folder: Path | None = None, provider: str | None = None, max_tokens: int = MAX_TOKENS
    ) -> None:
        self._folder = folder
        self._provider = provider
        self._max_tokens = max_tokens  # tests lower it to run the splitting on short text
        self._lock = threading.Lock()
        self._session: Any = None
        self._vocab: dict[str, int] = {}
        self._styles: dict[str, np.ndarray] = {}

    @property
    def folder(self) -> Path:
        return self._folder or kokoro_dir()

    def available(self) -> bool:
        return installed(self.folder)

    def voices(self) -> list[VoiceInfo]:
        if not self.available():
            return []
        return [
            VoiceInfo(
                id=f"{self.name}:{v.name}",
                engine=self.name,
                language=v.language,
                name=v.label,
                needs_network=False,
                gender=v.gender,
            )
            for v in sorted(VOICES, key=_best_first)
        ]

    def _load(self) -> tuple[Any, dict[str, int]]:
        with self._lock:
            if self._session is None:
                if not self.available():
                    raise StudioError(
                        tr("the Kokoro voices are not installed."),
                        tr("Fetch them with '{command}'.").format(command=FETCH_COMMAND),
                    )
                from studio.inference.session import load_session

                try:
                    path = vocab_path(self.folder)
                    if path.stat().st_size > 1_000_000:  # the real one is 1.2 kB
                        raise ValueError(f"{path.name} is {path.stat().st_size} bytes")
                    vocab = json.loads(path.read_text(encoding="utf-8"))["vocab"]
                except (OSError, ValueError, KeyError) as exc:
                    raise StudioError(
                        tr("the Kokoro vocabulary cannot be read: {error}").format(error=exc),
                        tr("Fetch the voices again with '{command}'.").format(command=FETCH_COMMAND),
                    ) from exc
                self._vocab = {str(k): int(v) for k, v in vocab.items()}
                self._session = load_session(model_path(self.folder), provider=self._provider)
            return self._session, self._vocab

    def _style(self, name: str) -> np.ndarray:
        with self._lock:
            if name not in self._styles:
                path = voice_path(name, self.folder)
                try:
                    if path.stat().st_size != VOICE_FILE_BYTES:
                        raise OSError(f"{path.name} is {path.stat().st_size} bytes, not {VOICE_FILE_BYTES}")
                    data = np.fromfile(path, dtype="<f4")
                except OSError as exc:
                    raise StudioError(
                        tr("the Kokoro voice {name} cannot be read: {error}").format(name=name, error=exc),
                        tr("Fetch the voices again with '{command}'.").format(command=FETCH_COMMAND),
                    ) from exc
                self._styles[name] = data.reshape(STYLE_ROWS, 1, STYLE_WIDTH)
            return self._styles[name]

    def phonemes(self, text: str, language: str) -> str:
        """``text`` in Kokoro's symbols for a voice of ``language``."""
        if language.lower().startswith("zh"):
            from studio.voice.zh.g2p import phonemes as mandarin_phonemes

            return mandarin_phonemes(text, english_phonemes)
        return english_phonemes(text, language)

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech:
        check_request(voice, self.name, tr("a Kokoro"), rate)
        session, vocab = self._load()
        style = self._style(voice.id.partition(":")[2])
        speed = np.array([min(max(rate, 0.5), 2.0)], dtype=np.float32)
        pieces = SpeechPieces(SAMPLE_RATE)
        for sentence in split_sentences(text):
            symbols = tokenize(self.phonemes(sentence, voice.language), vocab)
            for run in split_tokens(symbols, self._max_tokens):
                if not any(s not in PAUSE_SYMBOLS and s != " " and s not in STRESS for s in run):
                    continue  # only punctuation: nothing to say
                ids = [0, *(vocab[s] for s in run), 0]
                feeds = {
                    "tokens": np.array([ids], dtype=np.int64),
                    # One style row per length 0..509 (kokoro-js clamps the same way): 510 tokens fit.
                    "style": style[min(len(run), STYLE_ROWS - 1)],
                    "speed": speed,
                }
                audio_out, units_out = session.run(feeds, ["audio", DURATION_TENSOR], cancel=speech_cancel())
                audio = np.clip(np.asarray(audio_out, dtype=np.float32).ravel(), -1.0, 1.0)
                units = np.asarray(units_out, dtype=np.float64).ravel()
                per_unit = float(SAMPLES_PER_UNIT)
                if units.sum() > 0 and abs(units.sum() * SAMPLES_PER_UNIT - len(audio)) >= SAMPLES_PER_UNIT:
                    per_unit = len(audio) / float(units.sum())  # stretch rather than drift
                timings = end_phones_at_silence(timings_from_units(run, units, per_unit), audio)
                timings, audio = shorten_edge_pauses(timings, audio)
                pieces.add(audio, timings)
        meta = {"engine": self.name, "provider": str(session.provider), "language": voice.language}
        return pieces.speech(voice.id, text, meta)
