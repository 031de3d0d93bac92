"""``studio lipsync predict|eval``: run the lip-sync model on audio files and score it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import InputError
from studio.translation import tr

if TYPE_CHECKING:
    from studio.inference.lipsync_model import LipSyncModel

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus")


def register(sub: Any) -> None:
    p = sub.add_parser("lipsync", help=tr("predict mouth shapes from audio, or score the model"))
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    pr = verbs.add_parser("predict", help=tr("write 15 viseme weights per 10 ms frame to a CSV file"))
    pr.add_argument("audio", type=Path, help=tr("speech file (.wav, .mp3, .m4a, ...)"))
    pr.add_argument("--out", type=Path, required=True, help=tr("CSV file to write"))
    pr.add_argument("--provider", help=tr("execution provider: auto (default), cpu, cuda, directml, coreml"))
    pr.set_defaults(handler=run_predict)

    ev = verbs.add_parser("eval", help=tr("score the model and the energy baseline on labelled speech"))
    ev.add_argument("folder", type=Path, help=tr("folder of NAME.wav + NAME.tsv (start, end, viseme)"))
    ev.add_argument("--provider", help=tr("execution provider: auto (default), cpu, cuda, directml, coreml"))
    ev.add_argument("--model", type=Path, help=tr("a lip-sync ONNX file to score (default: the bundled one)"))
    ev.set_defaults(handler=run_eval)


def check_audio_file(path: Path) -> Path:
    if path.is_dir():
        raise InputError(
            tr("{path} is a folder.").format(path=path), tr("Give an audio file such as speech.wav.")
        )
    if not path.exists():
        raise InputError(tr("the audio file {path} does not exist.").format(path=path), tr("Check the path."))
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        raise InputError(
            tr("{name} is not an audio file Studio reads.").format(name=path.name),
            tr("Use one of: {suffixes}.").format(suffixes=", ".join(AUDIO_SUFFIXES)),
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
            tr("cannot write {path} ({reason}).").format(path=out, reason=exc.strerror or exc),
            tr("Choose a writable file for --out."),
        ) from None
    done = tr("{frames} frames of 10 ms on {provider}").format(frames=len(weights), provider=model.provider)
    print(done, file=sys.stderr)
    print(args.out)
    return 0


def load_model(path: Path | None, provider: str | None) -> LipSyncModel:
    """The bundled model, or a user's own file, whose faults are then the user's to fix."""
    from studio.errors import StudioError
    from studio.inference.lipsync_model import LipSyncModel

    if path is None:
        return LipSyncModel(provider=provider)
    if not path.is_file():
        raise InputError(
            tr("the model file {path} does not exist.").format(path=path),
            tr("Check the path given to --model."),
        )
    try:
        return LipSyncModel(path, provider=provider)
    except InputError:
        raise
    except StudioError as exc:
        raise InputError(
            tr("{path} is not a lip-sync model Studio can use: {problem}").format(
                path=path, problem=exc.problem
            ),
            tr("Give an ONNX file written by 'python -m training.lipsync.train'."),
        ) from None


def run_eval(args: argparse.Namespace) -> int:
    from studio.lipsync.evaluate import format_report
    from studio.pipeline.lipsync_eval import evaluate_folder

    model = load_model(args.model, args.provider)
    result = evaluate_folder(args.folder, model)
    summary = tr(
        "{files} files, {seconds:.1f} s of speech in {folder}; model on {provider}, "
        "look-ahead {lookahead:.1f} ms"
    )
    print(
        summary.format(
            files=result.files,
            seconds=result.seconds,
            folder=args.folder,
            provider=model.provider,
            lookahead=model.info.lookahead_ms,
        )
    )
    print(format_report([(tr("model"), result.model), (tr("energy baseline"), result.baseline)]))
    return 0
