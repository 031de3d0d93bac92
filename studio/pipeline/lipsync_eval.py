"""Score a lip-sync model beside the energy baseline on a folder of labelled speech.

``studio lipsync eval`` prints it; the training recipe's model card and reports are made of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.errors import InputError
from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.evaluate import Scores, energy_baseline, score
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate
from studio.lipsync.labels import frame_labels, read_labels_tsv
from studio.media.audio import read_audio
from studio.translation import tr

EVAL_AUDIO_SUFFIXES = (".wav", ".flac")  # FLAC: the real-speech sets, lossless at half the size


def eval_pairs(folder: Path) -> list[tuple[Path, Path]]:
    if not folder.is_dir():
        raise InputError(
            tr("{folder} is not a folder.").format(folder=folder),
            tr("Give a folder of NAME.wav and NAME.tsv files."),
        )
    wavs = sorted(p for p in folder.iterdir() if p.suffix.lower() in EVAL_AUDIO_SUFFIXES)
    if not wavs:
        raise InputError(
            tr("{folder} holds no .wav or .flac files.").format(folder=folder),
            tr("Give a folder of NAME.wav and NAME.tsv files."),
        )
    missing = [w.name for w in wavs if not w.with_suffix(".tsv").exists()]
    if missing:
        raise InputError(
            tr("{count} recording(s) in {folder} have no labels, e.g. {first}.").format(
                count=len(missing), folder=folder, first=missing[0]
            ),
            tr("Give each NAME.wav a NAME.tsv with the header start<TAB>end<TAB>viseme."),
        )
    return [(w, w.with_suffix(".tsv")) for w in wavs]


@dataclass(frozen=True)
class FolderScores:
    files: int
    seconds: float
    model: Scores
    baseline: Scores


def evaluate_folder(folder: Path, model: LipSyncModel) -> FolderScores:
    """Score ``model`` and the energy baseline side by side on a folder of labelled speech."""
    pairs = eval_pairs(folder)
    predicted, baseline, labels = [], [], []
    seconds = 0.0
    for wav, tsv in pairs:
        audio, rate = read_audio(wav)
        mono = to_model_rate(audio, rate)
        seconds += len(mono) / SAMPLE_RATE
        labels.append(frame_labels(read_labels_tsv(tsv), num_frames(len(mono))))
        predicted.append(model.predict(mono, SAMPLE_RATE))
        baseline.append(energy_baseline(mono, SAMPLE_RATE))
    return FolderScores(len(pairs), seconds, score(predicted, labels), score(baseline, labels))
