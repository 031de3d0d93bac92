"""Intelligibility of the English voices: word error rate of an offline recogniser on their speech.

    python benchmarks/bench_voice_wer.py synth OUT        # Studio's venv: one WAV per voice and sentence
    /path/to/venv/bin/python benchmarks/bench_voice_wer.py score OUT   # a venv with pocketsphinx

The recogniser is PocketSphinx (PyPI ``pocketsphinx``, its bundled en-us model), kept out of
Studio's own dependencies: it only measures. Its error rate is high even on clean speech, so
compare voices with one another, not with zero.
"""

from __future__ import annotations

import re
import sys
import wave
from pathlib import Path

VOICES = ("kokoro:af_heart", "kokoro:am_michael", "kokoro:bf_emma", "piper:en_US-joe-medium", "espeak:en-us")
SENTENCES = (
    "Welcome to the live room, everyone.",
    "Today we have a special offer for you.",
    "This serum keeps your skin soft all day.",
    "The price is only nineteen dollars tonight.",
    "Click the yellow cart below to order.",
    "We only have fifty pieces left in stock.",
    "Free shipping on every order this week.",
    "This jacket is warm and very light.",
    "Please follow the channel for more deals.",
    "The battery lasts for two full days.",
    "You can return it within seven days.",
    "This mug keeps your coffee hot for hours.",
    "Buy two and get the third one free.",
    "The lamp has three brightness levels.",
    "Our best seller is back in stock today.",
    "Ask me anything about the product in the chat.",
    "The cream is gentle on sensitive skin.",
    "This bag fits a laptop and a water bottle.",
    "Thank you all for watching the show.",
    "The sale ends at midnight tonight.",
    "Each pack has thirty sheets inside.",
    "The color looks even better in daylight.",
    "It comes with a one year warranty.",
    "Tell your friends about this great deal.",
    "The shoes are made of soft leather.",
    "We ship to your door within two days.",
    "This blender is quiet and easy to clean.",
    "Try it once and you will love it.",
    "The first ten buyers get a small gift.",
    "See you again tomorrow night, bye bye.",
)


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words."""
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[-1]


def synth(out: Path) -> None:
    import numpy as np
    from scipy.signal import resample_poly

    from studio.voice.registry import Registry

    registry = Registry()
    for voice_id in VOICES:
        engine, voice = registry.resolve(voice_id)
        folder = out / voice_id.replace(":", "_")
        folder.mkdir(parents=True, exist_ok=True)
        for number, sentence in enumerate(SENTENCES):
            speech = engine.synthesize(sentence, voice)
            audio = resample_poly(speech.audio.astype(np.float64), 16_000, speech.sample_rate)
            pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
            with wave.open(str(folder / f"{number:03d}.wav"), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(16_000)
                wav.writeframes(pcm.tobytes())
        print(f"{voice_id}: {len(SENTENCES)} sentences", flush=True)


def score(out: Path) -> None:
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16_000, loglevel="FATAL")
    print("| voice | words | errors | word error rate |")
    print("| --- | --- | --- | --- |")
    for voice_id in VOICES:
        folder = out / voice_id.replace(":", "_")
        words = errors = 0
        for number, sentence in enumerate(SENTENCES):
            with wave.open(str(folder / f"{number:03d}.wav"), "rb") as wav:
                data = wav.readframes(wav.getnframes())
            decoder.start_utt()
            decoder.process_raw(data, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp().hypstr if decoder.hyp() else ""
            reference = _words(sentence)
            words += len(reference)
            errors += word_errors(reference, _words(hypothesis))
        print(f"| {voice_id} | {words} | {errors} | {errors / words:.3f} |", flush=True)


if __name__ == "__main__":
    {"synth": synth, "score": score}[sys.argv[1]](Path(sys.argv[2]))
