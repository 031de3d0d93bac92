"""Intelligibility, speed and first-sound latency of the English voices, on the same 100 sentences.

    python benchmarks/bench_voice_wer.py synth OUT [--every N]        # Studio's venv: WAVs, timings
    /path/to/venv/bin/python benchmarks/bench_voice_wer.py score OUT  # a venv with pocketsphinx
    python benchmarks/bench_voice_wer.py latency OUT [--rounds N] [--voice en=VOICE ...]
        # typed interjections, Kokoro: first sound spoken whole vs a clause at a time

The sentences are ``benchmarks/voice_wer_sentences.txt`` (100 live-commerce lines, numbers
written as words). ``--every N`` keeps every N-th sentence (the 1st, the N+1-th, ...): a
deterministic subset for a slow machine; ``score`` reads the subset ``synth`` wrote.

``synth`` interleaves the voices sentence by sentence, so a change in the machine's load touches
all of them alike, and writes ``OUT/timings.md``: the real-time factor (synthesis time / speech
length over all the sentences) and the first sound (the time to synthesise a short typed line,
the one sentence a live show waits for before the voice starts; median of five rounds, also
interleaved). Each voice speaks once first to load its model (not counted).

The recogniser is PocketSphinx (PyPI ``pocketsphinx``, its bundled en-us model), kept out of
Studio's own dependencies: it only measures. Its error rate is high even on clean speech, so
compare voices with one another, not with zero.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import time
import wave
from pathlib import Path
from typing import Any

# af_heart (A) is the English default; af_bella (A-) is the other Kokoro English voice graded B
# or better in hexgrad's VOICES.md (af_nicole and bf_emma are B-).
VOICES = ("kokoro:af_heart", "kokoro:af_bella", "piper:en_US-joe-medium", "espeak:en-us")
SENTENCE_FILE = Path(__file__).with_name("voice_wer_sentences.txt")
TYPED_LINE = "Yes, it comes in blue too."
FIRST_SOUND_ROUNDS = 5


def sentences(every: int = 1) -> list[str]:
    lines = SENTENCE_FILE.read_text(encoding="utf-8").splitlines()
    kept = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return kept[::every]


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


def _folder(out: Path, voice_id: str) -> Path:
    return out / voice_id.replace(":", "_")


def _load() -> str:
    try:
        return "/".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


def synth(out: Path, every: int) -> None:
    import numpy as np
    from scipy.signal import resample_poly

    from studio.voice.registry import Registry

    chosen = sentences(every)
    registry = Registry()
    resolved = {voice_id: registry.resolve(voice_id) for voice_id in VOICES}
    for voice_id, (engine, voice) in resolved.items():
        engine.synthesize(TYPED_LINE, voice)  # load the model
        _folder(out, voice_id).mkdir(parents=True, exist_ok=True)
    (out / "sentences.txt").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    load_before = _load()
    spent = dict.fromkeys(VOICES, 0.0)
    spoken = dict.fromkeys(VOICES, 0.0)
    for number, sentence in enumerate(chosen):
        for voice_id, (engine, voice) in resolved.items():
            started = time.perf_counter()
            speech = engine.synthesize(sentence, voice)
            spent[voice_id] += time.perf_counter() - started
            spoken[voice_id] += speech.duration
            audio = resample_poly(speech.audio.astype(np.float64), 16_000, speech.sample_rate)
            pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
            with wave.open(str(_folder(out, voice_id) / f"{number:03d}.wav"), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(16_000)
                wav.writeframes(pcm.tobytes())
        if number % 10 == 9:
            print(f"{number + 1}/{len(chosen)} sentences, load {_load()}", flush=True)
    firsts: dict[str, list[float]] = {voice_id: [] for voice_id in VOICES}
    for _ in range(FIRST_SOUND_ROUNDS):
        for voice_id, (engine, voice) in resolved.items():
            started = time.perf_counter()
            engine.synthesize(TYPED_LINE, voice)
            firsts[voice_id].append(time.perf_counter() - started)
    lines = [
        f"# {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{len(chosen)} sentences (every {every}), load average (1/5/15 min) {load_before} before, "
        f"{_load()} after",
        "",
        f'| voice | speech | synthesis | real-time factor | first sound ("{TYPED_LINE}"), median / max |',
        "| --- | --- | --- | --- | --- |",
    ]
    for voice_id in VOICES:
        lines.append(
            f"| {voice_id} | {spoken[voice_id]:.1f} s | {spent[voice_id]:.1f} s | "
            f"{spent[voice_id] / spoken[voice_id]:.3f} | {statistics.median(firsts[voice_id]):.2f} s / "
            f"{max(firsts[voice_id]):.2f} s |"
        )
    (out / "timings.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines), flush=True)


def score(out: Path) -> None:
    from pocketsphinx import Decoder

    chosen = (out / "sentences.txt").read_text(encoding="utf-8").splitlines()
    decoder = Decoder(samprate=16_000, loglevel="FATAL")
    print(f"{len(chosen)} sentences")
    print("| voice | words | errors | word error rate |")
    print("| --- | --- | --- | --- |")
    for voice_id in VOICES:
        folder = _folder(out, voice_id)
        words = errors = 0
        for number, sentence in enumerate(chosen):
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


# Ten typed interjections per language, as an operator or a viewer's answer would put them.
INTERJECTIONS = {
    "en": (
        "Yes, it comes in blue too.",
        "Good question, the blue one is in stock, and if you order tonight it ships tomorrow morning.",
        "Thanks for the follow, welcome to the stream!",
        "Hi Lisa, great to see you again.",
        "The large size fits a chest of about one hundred centimetres.",
        "Sorry, that colour is sold out, but the grey one is very close.",
        "Only ten left at this price, so grab yours now.",
        "Shipping is free on orders over fifty dollars.",
        "Let me check that for you, one moment.",
        "Absolutely, it is machine washable at thirty degrees.",
    ),
    "zh": (
        "有的，蓝色也有货。",
        "这个问题问得好，蓝色现在有货，今晚下单的话明天上午就能发出，家人们放心拍。",
        "欢迎新来的宝宝，点个关注不迷路！",
        "感谢大家的支持，我们继续看下一款。",
        "这款是纯棉的，穿着很舒服。",
        "不好意思，红色已经卖完了，灰色也很好看。",
        "最后十单，拍完就没有了！",
        "满九十九包邮，偏远地区除外。",
        "稍等一下，我帮你查一下库存。",
        "可以机洗的，三十度水温就行。",
    ),
}
LATENCY_VOICES = {"en": "kokoro:af_heart", "zh": "kokoro:zf_xiaoxiao"}


def _first_sound(speech: Any) -> float:
    """Seconds of silence before the speech's first sound."""
    from studio.voice.clause_stream import sound_span

    span = sound_span(speech.audio, speech.sample_rate)
    return span[0] / speech.sample_rate if span else 0.0


def _streamed(engine: Any, voice: Any, text: str) -> tuple[float, float, int]:
    """Spoken a clause at a time: (first sound, seconds the playback would hold waiting for a
    late clause, how many joins held), the pieces played back to back from the first sound on."""
    from studio.voice.clause_stream import speak_clauses

    started = time.perf_counter()
    first = playing_until = 0.0
    held, holds = 0.0, 0
    for number, (speech, _) in enumerate(speak_clauses(text, lambda piece: engine.synthesize(piece, voice))):
        ready = time.perf_counter() - started
        if number == 0:
            first = ready + _first_sound(speech)
            playing_until = ready
        elif ready > playing_until:
            held, holds = held + ready - playing_until, holds + 1
            playing_until = ready
        playing_until += speech.duration
    return first, held, holds


def latency(out: Path, rounds: int = 3, voices: dict[str, str] | None = None) -> None:
    """Time from a typed line to its first sound, spoken whole and a clause at a time (interleaved,
    line by line, so a change in the machine's load touches both alike)."""
    from studio.voice.clause_stream import stream_pieces
    from studio.voice.registry import Registry

    registry = Registry()
    voices = voices or LATENCY_VOICES
    resolved = {language: registry.resolve(voice_id) for language, voice_id in voices.items()}
    for language, (engine, voice) in resolved.items():
        engine.synthesize(INTERJECTIONS[language][0], voice)  # load the model (and jieba)
        stream_pieces(INTERJECTIONS[language][1])
    whole: dict[tuple[str, int], list[float]] = {}
    streamed: dict[tuple[str, int], list[tuple[float, float, int]]] = {}
    load_before = _load()
    for _ in range(rounds):
        for language, (engine, voice) in resolved.items():
            for number, text in enumerate(INTERJECTIONS[language]):
                started = time.perf_counter()
                speech = engine.synthesize(text, voice)
                whole.setdefault((language, number), []).append(
                    time.perf_counter() - started + _first_sound(speech)
                )
                streamed.setdefault((language, number), []).append(_streamed(engine, voice, text))
    lines = [
        f"# {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{rounds} interleaved rounds, load average {load_before} before, {_load()} after",
        "",
        "| voice | line | pieces | first sound whole, median / max | a clause at a time, median / max "
        "| held at joins (joins) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (language, number), times in whole.items():
        text = INTERJECTIONS[language][number]
        firsts = [f for f, _, _ in streamed[(language, number)]]
        held = sum(h for _, h, _ in streamed[(language, number)]) / rounds
        joins = sum(n for _, _, n in streamed[(language, number)]) / rounds
        pieces = len(stream_pieces(text))
        lines.append(
            f"| {voices[language]} | {text} | {pieces} | {statistics.median(times):.2f} s / "
            f"{max(times):.2f} s | {statistics.median(firsts):.2f} s / {max(firsts):.2f} s | "
            f"{held:.2f} s ({joins:.1f}) |"
        )
    for language in resolved:
        alls = [t for (lang, _), ts in whole.items() if lang == language for t in ts]
        firsts = [f for (lang, _), fs in streamed.items() if lang == language for f, _, _ in fs]
        within = sum(f <= 1.0 for f in firsts)
        lines.append(
            f"| {voices[language]} | all {len(INTERJECTIONS[language])} lines | | "
            f"{statistics.median(alls):.2f} s / {max(alls):.2f} s | {statistics.median(firsts):.2f} s / "
            f"{max(firsts):.2f} s ({within} of {len(firsts)} within 1 s) | |"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "latency.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("synth", "score", "latency"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--every", type=int, default=1, help="keep every N-th sentence")
    parser.add_argument("--rounds", type=int, default=3, help="latency: rounds over the lines")
    parser.add_argument(
        "--voice",
        action="append",
        default=[],
        metavar="LANG=VOICE",
        help="latency: e.g. en=piper:en_US-joe-medium",
    )
    args = parser.parse_args()
    if args.step == "synth":
        synth(args.out, args.every)
    elif args.step == "score":
        score(args.out)
    else:
        chosen = dict(v.split("=", 1) for v in args.voice) or None
        latency(args.out, args.rounds, chosen)
