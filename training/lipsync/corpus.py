"""The data recipe: speech with exact viseme timings from offline engines, augmented, as features.

    python -m training.lipsync.corpus --out build/lipsync-corpus [--scale 1.0] [--seed 1]

Each utterance is one or two sentences from ``training.lipsync.texts`` spoken by one voice of
espeak-ng, flite or festival at a random rate and pitch, then put through a random chain of
room, microphone, noise, music and codec effects (``training.lipsync.augment``). What is stored
is what the model reads: ``studio.lipsync.features.log_mel`` frames and one viseme per frame.

The plan is drawn from the seed before anything is synthesised, and every utterance has its
own seed, so the corpus is the same whichever worker makes which shard. The Piper voice is
never synthesised here: it is the evaluation voice. Held-out engines and families are chosen
at training time (``--exclude-engine``), so one corpus serves every leave-one-out run.

``--eval-out`` also writes evaluation folders (``NAME.wav`` + ``NAME.tsv``) for
``studio lipsync eval``: each engine reading the evaluation sentences, clean and augmented.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from studio.lipsync.features import SAMPLE_RATE, log_mel, to_model_rate
from studio.lipsync.labels import frame_labels, write_labels_tsv
from studio.lipsync.visemes import VisemeTiming
from studio.media.audio import write_wav
from training.lipsync import augment, engines, texts

# Utterances per engine at --scale 1. At about 3.5 s each, that is roughly 4 h of espeak-ng,
# 3 h of flite and 1 h of festival.
PLAN = {"espeak": 4200, "flite": 3000, "festival": 1000}
VAL_SHARE = 0.04
SHARD = 200  # utterances per shard file
# Share of espeak-ng utterances per language; the rest go to every other language it speaks.
ESPEAK_LANGUAGES = {"en": 0.45, "zh": 0.2}
RATE_RANGE = (0.75, 1.35)  # duration stretch: 1.35 is 35 % slower
SALES_WEIGHT = 3  # extra copies of each sales line in the English and Chinese pools
UNREADABLE = frozenset({"ja"})  # espeak-ng reads kana and kanji as "Chinese letter"
PITCH_RANGE = (0.8, 1.25)


@dataclass(frozen=True)
class Job:
    engine: str
    voice: str
    language: str
    text: str
    rate: float
    pitch: float
    split: str
    seed: int


@dataclass
class CorpusUtterance:
    feats: np.ndarray  # float16 (frames, N_MELS)
    labels: np.ndarray  # uint8 (frames,) indices into VISEMES
    engine: str
    family: str
    voice: str
    language: str
    split: str


def _join(sentences: Sequence[str], language: str) -> str:
    return ("" if language == "zh" else " ").join(s.strip() for s in sentences)


def plan(seed: int, scale: float = 1.0) -> list[Job]:
    """Every utterance to make, in order. Pure: the same seed gives the same list."""
    rng = np.random.default_rng(seed)
    lines = texts.corpus(seed)
    # Sales lines are what the product speaks; catalog strings add coverage. Weight the former.
    for language, name in (("en", "en_sales"), ("zh", "zh_sales")):
        lines[language] = lines[language] + texts.load_lines(name) * SALES_WEIGHT
    val_lines = {
        lang: set(rng.permutation(ls)[: max(1, int(len(ls) * VAL_SHARE))]) for lang, ls in lines.items()
    }
    jobs: list[Job] = []
    for engine, count in PLAN.items():
        by_language: dict[str, list[engines.VoiceSpec]] = {}
        for spec in engines.voices(engine):
            by_language.setdefault(spec.language, []).append(spec)
        if engine == "espeak":
            speakable = set(by_language) & set(lines) - UNREADABLE
            others = sorted(speakable - set(ESPEAK_LANGUAGES))
            rest = (1.0 - sum(ESPEAK_LANGUAGES.values())) / max(len(others), 1)
            shares = {**ESPEAK_LANGUAGES, **dict.fromkeys(others, rest)}
        else:
            shares = {"en": 1.0}
        languages = list(shares)
        weights = np.array([shares[lang] for lang in languages])
        for _ in range(int(count * scale)):
            language = languages[int(rng.choice(len(languages), p=weights / weights.sum()))]
            candidates = by_language[language]
            spec = candidates[int(rng.integers(len(candidates)))]
            split = "val" if rng.random() < VAL_SHARE else "train"
            pool = [ln for ln in lines[language] if (ln in val_lines[language]) == (split == "val")]
            picked = [pool[int(i)] for i in rng.integers(0, len(pool), size=int(rng.integers(1, 3)))]
            jobs.append(
                Job(
                    engine,
                    spec.voice,
                    language,
                    _join(picked, language),
                    float(rng.uniform(*RATE_RANGE)),
                    float(rng.uniform(*PITCH_RANGE)) if engines.supports_pitch(spec) else 1.0,
                    split,
                    int(rng.integers(2**31)),
                )
            )
    return jobs


def _synth(job: Job) -> tuple[np.ndarray, list[VisemeTiming], str]:
    spec = engines.VoiceSpec(job.engine, job.voice, job.language)
    utt = engines.synthesize(spec, job.text, rate=job.rate, pitch=job.pitch)
    return to_model_rate(utt.audio, utt.sample_rate), utt.segments, spec.family


def _make_shard(task: tuple[int, list[Job], str]) -> str:
    index, jobs, out = task
    feats, labels, meta = [], [], []
    babble: list[np.ndarray] = []  # clean speech of earlier utterances, mixed in as crowd noise
    for job in jobs:
        try:
            audio, segments, family = _synth(job)
        except engines.EngineError as exc:
            print(f"skipped {job.engine}:{job.voice} {job.text[:40]!r}: {exc}", flush=True)
            continue
        if len(audio) < SAMPLE_RATE // 4:
            continue
        rng = np.random.default_rng(job.seed)
        noisy = augment.augment(audio, rng, pool=babble[-8:])
        babble.append(audio)
        f = log_mel(noisy)
        feats.append(f.astype(np.float16))
        labels.append(frame_labels(segments, len(f)).astype(np.uint8))
        meta.append({**asdict(job), "family": family, "frames": len(f)})
    path = Path(out) / f"shard-{index:04d}.npz"
    np.savez(
        path,
        feats=np.concatenate(feats) if feats else np.zeros((0, 80), np.float16),
        labels=np.concatenate(labels) if labels else np.zeros(0, np.uint8),
        meta=np.array(json.dumps(meta)),
    )
    return str(path)


def build(out: Path, seed: int, scale: float, workers: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    jobs = plan(seed, scale)
    tasks = [(i // SHARD, jobs[i : i + SHARD], str(out)) for i in range(0, len(jobs), SHARD)]
    todo = [t for t in tasks if not (out / f"shard-{t[0]:04d}.npz").exists()]  # resumable
    print(f"{len(jobs)} utterances in {len(tasks)} shards; {len(todo)} to make", flush=True)
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for done, path in enumerate(pool.imap_unordered(_make_shard, todo), 1):
            print(f"[{done}/{len(todo)}] {path}", flush=True)
    (out / "recipe.json").write_text(json.dumps({"seed": seed, "scale": scale, "plan": PLAN}, indent=2))


def load_corpus(folder: Path) -> list[CorpusUtterance]:
    """Every utterance of every shard in ``folder``, in shard order."""
    found: list[CorpusUtterance] = []
    for path in sorted(folder.glob("shard-*.npz")):
        data = np.load(path)
        feats, labels = data["feats"], data["labels"]
        offset = 0
        for m in json.loads(str(data["meta"])):
            n = int(m["frames"])
            found.append(
                CorpusUtterance(
                    feats[offset : offset + n],
                    labels[offset : offset + n],
                    m["engine"],
                    m["family"],
                    m["voice"],
                    m["language"],
                    m["split"],
                )
            )
            offset += n
    return found


def _eval_voices(engine: str) -> Iterator[engines.VoiceSpec]:
    yield from (s for s in engines.voices(engine) if s.language == "en")


def write_eval_sets(out: Path, seed: int) -> None:
    """``out/<engine>/`` and ``out/<engine>-aug/``: the evaluation sentences, never trained on."""
    lines = texts.load_lines("eval_en")
    for engine in PLAN:
        specs = list(_eval_voices(engine))
        if engine == "espeak":  # one clear English voice per variant is plenty
            specs = specs[:6]
        for variant in ("", "-aug"):
            folder = out / f"{engine}{variant}"
            folder.mkdir(parents=True, exist_ok=True)
            rng = np.random.default_rng(seed)
            for i, line in enumerate(lines):
                spec = specs[i % len(specs)]
                audio, segments, _family = _synth(Job(engine, spec.voice, "en", line, 1.0, 1.0, "eval", 0))
                if variant:
                    audio = augment.augment(audio, rng)
                write_wav(folder / f"{i:03d}.wav", audio, SAMPLE_RATE)
                write_labels_tsv(folder / f"{i:03d}.tsv", segments)
        print(f"wrote {out / engine} and {out / engine}-aug", flush=True)


def augment_eval_set(source: Path, out: Path, seed: int) -> None:
    """A copy of a shipped evaluation set under the augmentation chain (same labels)."""
    from studio.media.audio import read_audio

    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for wav in sorted(source.glob("*.wav")):
        audio, rate = read_audio(wav)
        clean = to_model_rate(audio, rate)
        write_wav(out / wav.name, augment.augment(clean, rng), SAMPLE_RATE)
        (out / wav.with_suffix(".tsv").name).write_text(wav.with_suffix(".tsv").read_text())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=float, default=1.0, help="multiply the number of utterances")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--eval-out", type=Path, help="also write evaluation folders here")
    args = p.parse_args()
    build(args.out, args.seed, args.scale, args.workers)
    if args.eval_out:
        write_eval_sets(args.eval_out, args.seed)
        augment_eval_set(Path("assets/lipsync_eval/piper-joe"), args.eval_out / "piper-joe-aug", args.seed)


if __name__ == "__main__":
    main()
