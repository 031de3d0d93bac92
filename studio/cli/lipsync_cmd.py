"""``studio lipsync predict|eval``: run the lip-sync model on audio files and score it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import InputError

if TYPE_CHECKING:
    from studio.inference.lipsync_model import LipSyncModel

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus")


def register(sub: Any) -> None:
    p = sub.add_parser("lipsync", help="predict mouth shapes from audio, or score the model")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    pr = verbs.add_parser("predict", help="write 15 viseme weights per 10 ms frame to a CSV file")
    pr.add_argument("audio", type=Path, help="speech file (.wav, .mp3, .m4a, ...)")
    pr.add_argument("--out", type=Path, required=True, help="CSV file to write")
    pr.add_argument("--provider", help="execution provider: auto (default), cpu, cuda, directml, coreml")
    pr.set_defaults(handler=run_predict)

    ev = verbs.add_parser("eval", help="score the model and the energy baseline on labelled speech")
    ev.add_argument("folder", type=Path, help="folder of NAME.wav + NAME.tsv (start, end, viseme)")
    ev.add_argument("--provider", help="execution provider: auto (default), cpu, cuda, directml, coreml")
    ev.add_argument("--model", type=Path, help="a lip-sync ONNX file to score (default: the bundled one)")
    ev.set_defaults(handler=run_eval)


def check_audio_file(path: Path) -> Path:
    if path.is_dir():
        raise InputError(f"{path} is a folder.", "Give an audio file such as speech.wav.")
    if not path.exists():
        raise InputError(f"the audio file {path} does not exist.", "Check the path.")
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        raise InputError(
            f"{path.name} is not an audio file Studio reads.", f"Use one of: {', '.join(AUDIO_SUFFIXES)}."
        )
    return path


def run_predict(args: argparse.Namespace) -> int:
    from studio.cli.render_options import check_output
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.labels import write_viseme_csv
    from studio.media.audio import read_audio

    out = check_output(args.out, ".csv", "out/visemes.csv")  # before minutes of decoding
    audio, rate = read_audio(check_audio_file(args.audio))
    model = LipSyncModel(provider=args.provider)
    weights = model.predict(audio, rate)
    try:
        write_viseme_csv(out, weights)
    except OSError as exc:
        raise InputError(
            f"cannot write {out} ({exc.strerror or exc}).", "Choose a writable file for --out."
        ) from None
    print(f"{len(weights)} frames of 10 ms on {model.provider}", file=sys.stderr)
    print(args.out)
    return 0


def load_model(path: Path | None, provider: str | None) -> LipSyncModel:
    """The bundled model, or a user's own file, whose faults are then the user's to fix."""
    from studio.errors import StudioError
    from studio.inference.lipsync_model import LipSyncModel

    if path is None:
        return LipSyncModel(provider=provider)
    if not path.is_file():
        raise InputError(f"the model file {path} does not exist.", "Check the path given to --model.")
    try:
        return LipSyncModel(path, provider=provider)
    except InputError:
        raise
    except StudioError as exc:
        raise InputError(
            f"{path} is not a lip-sync model Studio can use: {exc.problem}",
            "Give an ONNX file written by 'python -m training.lipsync.train'.",
        ) from None


def run_eval(args: argparse.Namespace) -> int:
    from studio.lipsync.evaluate import format_report
    from studio.pipeline.lipsync_eval import evaluate_folder

    model = load_model(args.model, args.provider)
    result = evaluate_folder(args.folder, model)
    print(
        f"{result.files} files, {result.seconds:.1f} s of speech in {args.folder}; model on "
        f"{model.provider}, look-ahead {model.info.lookahead_ms:.1f} ms"
    )
    print(format_report([("model", result.model), ("energy baseline", result.baseline)]))
    return 0
