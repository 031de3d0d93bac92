"""Real-time factor and first-sound latency of the offline voices, in one run on one machine.

    python benchmarks/bench_kokoro.py [--repeats 2]

Real-time factor: synthesis time / speech length for a paragraph (lower is faster; below 1 is
faster than real time). First sound: the time to synthesise the paragraph's first sentence,
which is what a live show waits for before the voice starts. Each engine speaks once first to
load its model (not counted). Needs the Kokoro voices (bash scripts/fetch_kokoro.sh).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from studio.voice.registry import Registry

MANDARIN = (
    "家人们晚上好，欢迎来到直播间！今天给大家带来一款特别好用的精华液，一瓶三十毫升，"
    "原价¥199，今天只要¥89.90。补水保湿效果特别明显，敏感肌也可以放心用。"
    "前一百名下单的宝宝，再送一支同款小样，不要错过！"
)
ENGLISH = (
    "Good evening everyone, and welcome to the live room! Tonight we have a serum that really "
    "works: thirty millilitres, usually one hundred and ninety nine, tonight only eighty nine. "
    "It hydrates for a full day, and it is gentle on sensitive skin. The first hundred orders "
    "get a free travel size, so don't miss it!"
)
FIRST = {"zh": "家人们晚上好，欢迎来到直播间！", "en": "Good evening everyone, and welcome to the live room!"}
VOICES = {
    "zh": ["kokoro:zf_xiaoxiao", "kokoro:zm_yunxi", "espeak:cmn"],
    "en": ["kokoro:af_heart", "kokoro:bf_emma", "piper:en_US-joe-medium", "espeak:en-us"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    registry = Registry()
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    )
    print("| language | voice | speech (s) | real-time factor | first sound (s) |")
    print("| --- | --- | --- | --- | --- |")
    for language, text in (("zh", MANDARIN), ("en", ENGLISH)):
        for voice_id in VOICES[language]:
            engine, voice = registry.resolve(voice_id)
            engine.synthesize(FIRST[language], voice)  # load the model
            factors, firsts, length = [], [], 0.0
            for _ in range(args.repeats):
                started = time.perf_counter()
                speech = engine.synthesize(text, voice)
                factors.append((time.perf_counter() - started) / speech.duration)
                length = speech.duration
                started = time.perf_counter()
                engine.synthesize(FIRST[language], voice)
                firsts.append(time.perf_counter() - started)
            print(
                f"| {language} | {voice_id} | {length:.1f} | {statistics.median(factors):.3f} | "
                f"{statistics.median(firsts):.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
