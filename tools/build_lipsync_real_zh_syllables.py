"""Build assets/lipsync_eval/real-zh-syllables: isolated Mandarin syllables read by one person.

    .venv/bin/python tools/build_lipsync_real_zh_syllables.py [--model onnx_models/lipsync.onnx]

Source: Debian 12 package ``gcin-voice`` (pinned in ``DEB`` by sha256, fetched with
``apt-get download`` into build/), ``/usr/share/gcin-voice/ogg/<zhuyin><tone>/5.ogg``: one
syllable per file read by the voice actor 羅竺 (Chu Lo), CC-BY-3.0. The folder name is the
syllable in zhuyin plus gcin's tone digit (none: tone 1; 2, 3, 4; 1: the neutral tone ˙, pinyin
tone 5). ``3.ogg`` is another speaker under GPL/LGPL and is never read.

The syllables are taken in the package's (zhuyin) order, resampled to 16 kHz and joined with
``GAP`` seconds of silence into files of about 18 s; each file's transcript is its pinyin with
tone digits. Labels as tools/build_lipsync_real_zh.py makes them (espeak-ng's pinyin Mandarin
voice phonemises the transcript, Viterbi aligns the viseme chain to ``--model``'s posteriors),
but each syllable alone in its own stretch of the file, since where each lies is known
(``--whole-file``: the whole transcript in one pass, as real-zh, for comparison).
Each source ogg is checked against the sha256 in the set's sources.json when that exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lipsync_realspeech import model_label, write_flac  # noqa: E402

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.align import (  # noqa: E402
    AlignConfig,
    align_posteriors,
    labels_to_spans,
    mandarin_ipa,  # the real-zh fix-ups of espeak-ng's Mandarin IPA
    word_visemes,
)
from studio.lipsync.features import HOP, SAMPLE_RATE, to_model_rate  # noqa: E402
from studio.lipsync.labels import write_labels_tsv  # noqa: E402
from studio.lipsync.visemes import VISEME_INDEX  # noqa: E402
from studio.media.audio import read_audio  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "lipsync_eval" / "real-zh-syllables"
CACHE = ROOT / "build" / "gcin-voice"
OGG_DIR = "usr/share/gcin-voice/ogg"
OGG_NAME = "5.ogg"  # 羅竺's recordings (CC-BY-3.0); 3.ogg is another speaker under GPL/LGPL
SPEAKER = "gcin-voice-chu-lo"
GAP = 0.15  # seconds of silence between syllables, and before the first and after the last
FILES = 30  # the syllables split into this many files of about equal length (~18 s)
PINYIN_VOICE = "cmn-latn-pinyin"  # espeak-ng's Mandarin that reads Latin letters as pinyin


@dataclass(frozen=True)
class Deb:
    name: str
    version: str
    filename: str
    sha256: str


DEB = Deb(
    "gcin-voice",
    "0~20170223-3",
    "gcin-voice_0~20170223-3_all.deb",
    "6a0353f0294d06f7bd901bada3d5d9eec63b66c2ec029f92da3124d93d45de70",
)

# Left out, with why (found by their level: a syllable that is read aloud peaks far above this).
LEFT_OUT = {
    "ㄏㄡ2": "near silent (peak -43 dBFS, RMS -50 dBFS; ㄏㄡ3 and ㄏㄡ4 have the same envelope)",
    "ㄏㄡ3": "near silent (peak -37 dBFS; the same envelope as ㄏㄡ2)",
    "ㄏㄡ4": "near silent (peak -42 dBFS; the same envelope as ㄏㄡ2)",
}

LICENCE = """The recordings are by the voice actor 羅竺 (Chu Lo), recorded by 徵音梅林開發委員會錄音組
(the ChionMeilin development committee's recording group), and licensed under the Creative
Commons Attribution 3.0 licence (CC-BY-3.0, https://creativecommons.org/licenses/by/3.0/), as
the package's copyright file states: "Files: */5.ogg / Copyright: 聲優　羅竺與徵音梅林開發委員會錄音組
(ChionMeilin with the vocal source from Chu Lo) / License: CC-BY-3". Upstream: gcin-voice,
http://hyperrate.com/thread.php?tid=30325#30325; packaged for Debian by ChangZhuo Chen.
Changes made here (an adaptation under CC-BY-3.0 3(b)): each recording decoded from Ogg Vorbis,
resampled from 44.1 kHz to 16 kHz, quantised to 16 bits, and joined with others and with
silence into longer files; the audio is otherwise unaltered. The aligned labels (`.tsv`) and
the transcripts are ours. The other speaker in the package (`3.ogg`, GPL-3 or LGPL-3) is not used."""

# --- zhuyin to pinyin ---------------------------------------------------------------------------

INITIALS = {"ㄅ": "b", "ㄆ": "p", "ㄇ": "m", "ㄈ": "f", "ㄉ": "d", "ㄊ": "t", "ㄋ": "n", "ㄌ": "l",
            "ㄍ": "g", "ㄎ": "k", "ㄏ": "h", "ㄐ": "j", "ㄑ": "q", "ㄒ": "x", "ㄓ": "zh", "ㄔ": "ch",
            "ㄕ": "sh", "ㄖ": "r", "ㄗ": "z", "ㄘ": "c", "ㄙ": "s"}  # fmt: skip
RIMES = {"ㄚ": "a", "ㄛ": "o", "ㄜ": "e", "ㄝ": "ê", "ㄞ": "ai", "ㄟ": "ei", "ㄠ": "ao", "ㄡ": "ou",
         "ㄢ": "an", "ㄣ": "en", "ㄤ": "ang", "ㄥ": "eng", "ㄦ": "er"}  # fmt: skip
# Finals after a medial, in their written form after an initial; the second entry alone.
I_FINALS = {"": ("i", "yi"), "ㄚ": ("ia", "ya"), "ㄛ": ("io", "yo"), "ㄝ": ("ie", "ye"),
            "ㄞ": ("iai", "yai"), "ㄠ": ("iao", "yao"), "ㄡ": ("iu", "you"), "ㄢ": ("ian", "yan"),
            "ㄣ": ("in", "yin"), "ㄤ": ("iang", "yang"), "ㄥ": ("ing", "ying")}  # fmt: skip
U_FINALS = {"": ("u", "wu"), "ㄚ": ("ua", "wa"), "ㄛ": ("uo", "wo"), "ㄞ": ("uai", "wai"),
            "ㄟ": ("ui", "wei"), "ㄢ": ("uan", "wan"), "ㄣ": ("un", "wen"), "ㄤ": ("uang", "wang"),
            "ㄥ": ("ong", "weng")}  # fmt: skip
V_FINALS = {"": ("ü", "yu"), "ㄝ": ("üe", "yue"), "ㄢ": ("üan", "yuan"), "ㄣ": ("ün", "yun"),
            "ㄥ": ("iong", "yong")}  # fmt: skip
MEDIALS = {"ㄧ": I_FINALS, "ㄨ": U_FINALS, "ㄩ": V_FINALS}
# gcin's tone digit (its tone keys "˙ˊˇˋ" are 1-4, no digit the first tone) to pinyin's.
TONES = {"": "1", "1": "5", "2": "2", "3": "3", "4": "4"}


def zhuyin_to_pinyin(name: str) -> str:
    """A gcin-voice folder name (zhuyin, then gcin's tone digit) as pinyin with a tone digit 1-5."""
    tone = name[-1] if name[-1:].isdigit() else ""
    body = name[: len(name) - len(tone)]
    initial = INITIALS.get(body[:1], "")
    rest = body[1:] if initial else body
    if tone not in TONES or not body:
        raise ValueError(f"not a zhuyin syllable with a gcin tone digit: {name!r}")
    if not rest:
        if initial not in ("zh", "ch", "sh", "r", "z", "c", "s"):
            raise ValueError(f"an initial alone is no syllable: {name!r}")
        syllable = initial + "i"  # the apical vowel: ㄓ zhi, ㄙ si
    elif rest[0] in MEDIALS:
        finals = MEDIALS[rest[0]]
        if rest[1:] not in finals:
            raise ValueError(f"unknown final after {rest[0]}: {name!r}")
        after, alone = finals[rest[1:]]
        if rest[0] == "ㄩ" and initial in ("j", "q", "x"):
            after = after.replace("ü", "u")  # ju, que, xuan, jun
        syllable = initial + after if initial else alone
    elif rest in RIMES:
        syllable = initial + RIMES[rest]
    else:
        raise ValueError(f"unknown final: {name!r}")
    return syllable + TONES[tone]


# --- sources ------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(cache: Path = CACHE) -> Path:
    """The package unpacked under ``cache``; the .deb fetched with apt-get and checked by sha256."""
    deb = cache / DEB.filename
    if not deb.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", f"{DEB.name}={DEB.version}"], cwd=cache, check=True)
    digest = _sha256(deb.read_bytes())
    if digest != DEB.sha256:
        raise SystemExit(f"{deb}: sha256 {digest}, expected {DEB.sha256}; delete it and rebuild")
    root = cache / "unpacked"
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@dataclass(frozen=True)
class Syllable:
    zhuyin: str  # the package's folder name
    pinyin: str
    path: str  # inside the package
    sha256: str


def syllables(root: Path, pins: dict[str, str] | None = None) -> list[Syllable]:
    """Every 5.ogg in the package, in folder order, bar LEFT_OUT; checked against ``pins``."""
    out = []
    for folder in sorted((root / OGG_DIR).iterdir()):
        ogg = folder / OGG_NAME
        if not ogg.is_file() or folder.name in LEFT_OUT:
            continue
        path = str(ogg.relative_to(root))
        digest = _sha256(ogg.read_bytes())
        if pins is not None and pins.get(path) != digest:
            raise SystemExit(f"{path}: sha256 {digest}, sources.json pins {pins.get(path)}")
        out.append(Syllable(folder.name, zhuyin_to_pinyin(folder.name), path, digest))
    return out


# --- the set ------------------------------------------------------------------------------------


def pinyin_visemes(transcript: str) -> list[list[str]]:
    """The viseme chain of each syllable: espeak-ng's pinyin voice, the real-zh fix-ups."""
    from studio.voice import espeak_lib

    ipa = espeak_lib.text_to_ipa(transcript, espeak_lib.voice_for(PINYIN_VOICE))
    words = [mandarin_ipa(w) for w in ipa.split() if w.strip()]
    if len(words) != len(transcript.split()):
        raise SystemExit(f"espeak-ng gave {len(words)} words for {len(transcript.split())}: {transcript}")
    return word_visemes(words)


def join(parts: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The parts with GAP seconds of silence around each, and each part's sample span."""
    gap = np.zeros(round(GAP * SAMPLE_RATE), np.float32)
    pieces, spans, at = [gap], [], len(gap)
    for part in parts:
        pieces += [part.astype(np.float32), gap]
        spans.append((at, at + len(part)))
        at += len(part) + len(gap)
    return np.concatenate(pieces), spans


def align_syllables(
    posteriors: np.ndarray, words: list[list[str]], spans: list[tuple[int, int]], cfg: AlignConfig
) -> np.ndarray:
    """Each syllable's chain aligned in its own stretch of the posteriors: from the middle of the
    silence before it to the middle of the silence after it (the whole chain in one pass lets
    a syllable slide into its neighbour's audio, leaving its own unlabelled)."""
    frames = len(posteriors)
    half = round(GAP * SAMPLE_RATE / 2)
    edges = [0, *((a - half) // HOP for a, _ in spans[1:]), frames]
    labels = np.full(frames, VISEME_INDEX["sil"], np.int64)
    for word, lo, hi in zip(words, edges[:-1], edges[1:], strict=True):
        labels[lo:hi] = align_posteriors(posteriors[lo:hi], [word], cfg)
    return labels


def squeezed(labels: np.ndarray, spans: list[tuple[int, int]], frames: int = 8) -> list[int]:
    """Indices of syllables given fewer than ``frames`` speech frames inside their own audio."""
    sil = VISEME_INDEX["sil"]
    out = []
    for n, (a, b) in enumerate(spans):
        window = labels[a // HOP : -(-b // HOP)]
        if int((window != sil).sum()) < frames:
            out.append(n)
    return out


def readme(files: list[dict[str, Any]], model_name: str, cfg: AlignConfig, silence: float) -> str:
    seconds = sum(f["seconds"] for f in files)
    count = sum(len(f["syllables"]) for f in files)
    table = ["| file | seconds | syllables | transcript (pinyin) |", "|---|---|---|---|"]
    table += [
        f"| {f['file']} | {f['seconds']:.1f} | {len(f['syllables'])} | {f['transcript']} |" for f in files
    ]
    left = "\n".join(f"- `{z}` ({zhuyin_to_pinyin(z)}): {why}" for z, why in LEFT_OUT.items())
    return f"""# Lip-sync evaluation set: isolated Mandarin syllables, one real speaker, aligned labels

{count} Mandarin syllables read one at a time by one person (voice actor 羅竺, Chu Lo), joined
into {len(files)} files, {seconds:.1f} s in all, speaker `{SPEAKER}`. No lip-sync model trains on it.

**This is not connected speech.** Each syllable was recorded on its own (for the gcin input
method, which plays each character's sound as one types) and the files here are those
syllables in zhuyin order with {int(GAP * 1000)} ms of silence between them: no words, no
sentences, no coarticulation across syllables, every syllable in its citation form (full
tone, no sandhi, no reduction). Scores here measure the mouth shape of each syllable read
alone, not how a model follows running speech; use real-zh (connected speech, far shorter)
for that.

Labels come from `studio.lipsync.align`, as in real-zh: espeak-ng phonemises the transcript with
its pinyin Mandarin voice (`{PINYIN_VOICE}`; the transcript here is pinyin with tone digits,
one word per syllable) and Viterbi aligns its viseme chain, with optional pauses, to the
posteriors of the model named below. Unlike real-zh, each syllable is aligned on its own, in
the stretch of the file from the middle of the silence before it to the middle of the silence
after it (where each recording lies is known: `sources.json`). Aligning a whole file in one
pass (`--whole-file`) let syllables slide into a neighbour's audio: 18 of 1155 got no speech
frame in their own recording, and their neighbours two syllables' chains. The labels are
self-aligned: the aligning model scores higher on labels it aligned itself than on independent
ones (on Kokoro's Mandarin 0.78 against 0.67 7-group, docs/BENCHMARKS.md), so its scores here
are optimistic; another model is at a disadvantage here.

{silence:.0%} of the frames are labelled silence (the gaps, and the lead-in of each recording),
which a model and the energy baseline both get mostly right: that lifts the overall accuracy
of both, so read the per-viseme recall too.

Aligned with `{model_name}` ({AlignConfig.__name__}: {cfg}).

- `NAME.flac`: 16 kHz mono; `NAME.tsv`: `start`, `end`, `viseme` spans on the 10 ms grid
  (`studio.lipsync.labels`). Score with `studio lipsync eval` on this folder.
- `sources.json`: the package (sha256) and, for every file, each syllable's zhuyin, pinyin,
  path in the package, sha256 of that ogg, and where it lies in the file (seconds).

{chr(10).join(table)}

## Source and licence

Debian 12 package `{DEB.name}` {DEB.version} (`{DEB.filename}`, sha256 `{DEB.sha256}`), files
`/{OGG_DIR}/<zhuyin><tone>/{OGG_NAME}`. A folder's name is the syllable in zhuyin and gcin's tone
digit: none for tone 1, 2-4 for tones 2-4, and 1 for the neutral tone (pinyin tone 5: ㄉㄜ1 de5,
ㄌㄜ1 le5).

{LICENCE}

Left out:

{left}

## Rebuild

    .venv/bin/python tools/build_lipsync_real_zh_syllables.py
"""


def build(model_path: Path, final: Path, whole_file: bool = False) -> None:
    pins_file = final / "sources.json"
    pins = None
    if pins_file.is_file():  # the sha256 of every ogg from the last build must not change
        old = json.loads(pins_file.read_text(encoding="utf-8"))
        pins = {s["path"]: s["sha256"] for f in old["files"] for s in f["syllables"]}
    root = fetch()
    found = syllables(root, pins)
    model = LipSyncModel(model_path, threads=1)
    cfg = AlignConfig()
    out = final.with_name(final.name + ".new")  # built aside: a failed build keeps the old set
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files: list[dict[str, Any]] = []
    silent = total = 0
    for n, chunk in enumerate(np.array_split(np.arange(len(found)), FILES)):
        group = [found[i] for i in chunk]
        parts = []
        for syl in group:
            audio, rate = read_audio(root / syl.path)
            parts.append(to_model_rate(audio, rate))
        audio, spans = join(parts)
        transcript = " ".join(s.pinyin for s in group)
        posteriors, words = model.predict(audio, SAMPLE_RATE), pinyin_visemes(transcript)
        if whole_file:  # as real-zh: the whole transcript in one pass
            labels = align_posteriors(posteriors, words, cfg)
        else:
            labels = align_syllables(posteriors, words, spans, cfg)
        key = f"gcin-chulo-{n + 1:02d}"
        write_flac(out / f"{key}.flac", audio, SAMPLE_RATE)
        write_labels_tsv(out / f"{key}.tsv", labels_to_spans(labels))
        thin = squeezed(labels, spans)
        silent, total = silent + int((labels == VISEME_INDEX["sil"]).sum()), total + len(labels)
        seconds = len(audio) / SAMPLE_RATE
        files.append({"file": key, "seconds": round(seconds, 3), "transcript": transcript, "syllables": [
            {"zhuyin": s.zhuyin, "pinyin": s.pinyin, "path": s.path, "sha256": s.sha256,
             "start": round(a / SAMPLE_RATE, 4), "end": round(b / SAMPLE_RATE, 4)}
            for s, (a, b) in zip(group, spans, strict=True)
        ]})  # fmt: skip
        print(f"{key}  {seconds:.1f} s  {len(group)} syllables  squeezed: "
              f"{' '.join(group[i].pinyin for i in thin) or 'none'}", flush=True)  # fmt: skip
    manifest = {"package": {"name": DEB.name, "version": DEB.version, "filename": DEB.filename,
                            "sha256": DEB.sha256}, "speaker": SPEAKER, "files": files}  # fmt: skip
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (out / "sources.json").write_text(text, encoding="utf-8")
    text = readme(files, model_label(model_path), cfg, silent / total)
    (out / "README.md").write_text(text, encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)  # never mix an old build with a new one
    out.rename(final)
    print(f"{final}: {len(files)} files, {sum(f['seconds'] for f in files):.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, default=ROOT / "onnx_models" / "lipsync.onnx")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--whole-file", action="store_true", help="align each file in one pass (to compare)")
    args = parser.parse_args(argv)
    build(args.model, args.out, args.whole_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
