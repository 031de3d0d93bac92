"""``studio render``: an avatar speaks a script into an MP4 file.

The file appears only once it is complete: Ctrl-C, SIGTERM, SIGHUP or a full disk leave no
partial file (a kill's leftover is removed at the next render to the same name)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli.progress import ProgressBar
from studio.cli.render_options import (
    add_frame_options,
    add_trust_options,
    check_output,
    check_text,
    disclosure_option,
    frame_size,
    parse_fps,
    parse_size_option,
    read_script,
)
from studio.errors import InputError, printable
from studio.media.mp4_fragments import recover_partials
from studio.render.label import LabelSettings, check_label_fits, check_label_text
from studio.translation import tr


def register(sub: Any) -> None:
    p = sub.add_parser(
        "render",
        help=tr("render an avatar speaking a script to an MP4 file"),
        description=tr(
            "Render an avatar speaking a script to an MP4 file. The file appears only when "
            "it is complete: stopped (Ctrl-C, SIGTERM, SIGHUP) or on a full disk, no partial file is left."
        ),
    )
    p.add_argument("--avatar", required=True, help=tr("avatar name, package folder, or 'demo'"))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help=tr("what the avatar says"))
    src.add_argument(
        "--script",
        type=Path,
        help=tr(
            "a UTF-8 text file with what the avatar says, or a show's rundown (.toml), said once through"
        ),
    )
    src.add_argument("--audio", type=Path, help=tr("speech to lip-sync: .wav, .mp3, .m4a, ... (any voice)"))
    p.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help=tr(
            "with --script SHOW.toml (e.g. from 'studio show from-catalog'): the show said once "
            "through, each product's card on the video while its segment is said, as live"
        ),
    )
    p.add_argument(
        "--lipsync",
        choices=("model", "phonemes"),
        help=tr(
            "mouth shapes from the audio model, or from the voice's phoneme timings "
            "(default: phonemes for --text/--script, model for --audio)"
        ),
    )
    p.add_argument(
        "--provider",
        help=tr("where the lip-sync model runs: auto (default), cpu, cuda, directml or coreml"),
    )
    p.add_argument("--voice", help=tr("voice id (see 'studio voices'); default: by the script's language"))
    p.add_argument("--out", required=True, type=Path, help=tr("output file, .mp4"))
    p.add_argument("--library", type=Path, help=tr("avatar library folder (default: your user data folder)"))
    add_frame_options(p, tr("the file"))
    add_trust_options(p, live=False)
    p.set_defaults(handler=run)


def refuse_claims_in(text: str, source: str) -> None:
    """One line for the first prohibited claim in ``text``, before a voice speaks it."""
    from studio.compliance import Checker, check_script

    findings = check_script(text, Checker())
    if findings:
        first = findings[0]
        claim = printable(first.describe())
        if len(findings) > 1:
            problem = tr(
                "{source}:{line}:{col}: {claim} ({more} more; 'studio check' lists them all)."
            ).format(source=source, line=first.line, col=first.col, claim=claim, more=len(findings) - 1)
        else:
            problem = tr("{source}:{line}:{col}: {claim}.").format(
                source=source, line=first.line, col=first.col, claim=claim
            )
        raise InputError(problem, tr("Rephrase the line; the avatar says no prohibited claim."))


def rundown_show(args: argparse.Namespace) -> tuple[Any, Any]:
    """A ``--script SHOW.toml`` rundown (said segment by segment, not as the file's text) and the
    ``--catalog`` for its cards (None without), checked before anything is spoken: the rundown's
    lines (claims included), its products in the catalogue, its voices known."""
    from studio.commerce import load_catalog
    from studio.live.rundown import read_show_script
    from studio.pipeline.live_room import segment_products
    from studio.voice.registry import all_voices, require_known_voices

    if args.script is None or args.script.suffix.lower() != ".toml":
        raise InputError(
            tr("--catalog puts each product's card on a show's rundown."),
            tr("Give the show with --script SHOW.toml (make one with 'studio show from-catalog')."),
        )
    rundown = read_show_script(args.script, args.voice)
    require_known_voices(rundown.segments, all_voices())
    if args.catalog is None:
        return rundown, None
    catalog = load_catalog(args.catalog)
    if not any(segment.product for segment in rundown.segments):
        raise InputError(
            tr("no segment of {path} names a product, so no card would be shown.").format(path=args.script),
            tr("Make the show with 'studio show from-catalog', or drop --catalog."),
        )
    segment_products(rundown, catalog)  # an id the catalogue lacks: one line now, not after the voices
    return rundown, catalog


def run(args: argparse.Namespace) -> int:
    from studio.avatar.consent import check_consent
    from studio.avatar.library import AvatarLibrary
    from studio.cli.lipsync_cmd import check_audio_file
    from studio.compliance.disclosure import with_disclosure
    from studio.compliance.session_log import SessionLog, default_log_dir
    from studio.pipeline.render_job import (
        StageTimes,
        describe_driver,
        make_driver,
        render_speech,
        render_text,
        speech_from_file,
    )
    from studio.pipeline.show_log import RenderLog
    from studio.render.photo_renderer import RenderSettings

    size = parse_size_option(args.size)
    fps = parse_fps(args.fps)
    out = check_output(args.out)
    rundown_file = args.script is not None and args.script.suffix.lower() == ".toml"
    show = rundown_show(args) if args.catalog is not None or rundown_file else None  # (rundown, catalogue)
    if show is not None:
        raw, disclosed = "", ""  # said line by line: the log has each line as the file says it
    elif args.audio is not None:
        if args.lipsync == "phonemes":
            raise InputError(
                tr("--lipsync phonemes needs a voice's phoneme timings, and an audio file has none."),
                tr("Leave --lipsync out (or use --lipsync model) with --audio."),
            )
        if args.voice:
            raise InputError(
                tr("--voice picks a voice for text, but --audio is already speech."), tr("Drop --voice.")
            )
        audio_path = check_audio_file(args.audio)
        raw, disclosed = "", ""  # a recording's words are not known: its notice is the voice's own
    else:
        raw = read_script(args.script) if args.script else str(args.text)
        check_text(raw)
        refuse_claims_in(raw, str(args.script) if args.script else "--text")  # the lines as written
        # The spoken AI notice opens the file, in the language of its first line.
        spoken, disclosed = with_disclosure(raw, disclosure_option(args))
        text = check_text(spoken)
    lipsync = args.lipsync or ("model" if args.audio is not None else "phonemes")
    if args.provider and lipsync != "model":
        raise InputError(
            tr("--provider picks where the lip-sync model runs, and this render uses the voice's phonemes."),
            tr("Drop --provider, or add --lipsync model."),
        )
    label = LabelSettings(not args.no_label, check_label_text(args.label_text), args.label_corner)
    avatar = AvatarLibrary(args.library).load(args.avatar)
    voices: tuple[str, ...] | None = () if args.audio is not None else (args.voice,) if args.voice else None
    if show is not None:  # a rundown: each segment may name a voice of its own
        from studio.live.rundown import spoken_voices

        voices = spoken_voices(show[0])
    check_consent(avatar, "render", voices)
    width, height = frame_size(size, avatar.manifest.image_size)
    if label.enabled:  # refused now, not once the speech is made
        check_label_fits(label.text, width, height)
    driver = make_driver(lipsync, args.provider)
    if args.no_label:
        print(tr("studio: note: the visible AI label is off; platforms may require it."), file=sys.stderr)
    settings = RenderSettings(width=width, height=height, fps=fps, label=label)
    notice = recover_partials(out)
    if notice:
        print(tr("studio: note: {notice}").format(notice=notice), file=sys.stderr)
    progress, credit = ProgressBar(tr("render")), args.credit_name
    source = str(args.script or args.audio or "--text")
    log = RenderLog(SessionLog(default_log_dir(), "render", source, avatar.name).open())
    log.begin(avatar, voices, label)
    try:
        if show is not None:
            from studio.pipeline.render_show import render_show

            said, times = render_show(
                avatar, *show, out, settings, args.voice, driver, progress, disclosure_option(args), credit
            )
            speech, disclosed = said.speech, said.notice
            raw = "\n".join(text for segment, text, _ in said.said if segment)
        elif args.audio is not None:
            speech = speech_from_file(audio_path)
            times = render_speech(
                avatar, speech, out, settings, driver, progress, StageTimes(), credit_name=credit
            )
        else:
            speech, times = render_text(
                avatar, text, out, settings, args.voice, driver, progress, credit_name=credit
            )
    except BaseException as exc:
        log.failed(exc)
        raise
    log.rendered(out, speech.voice_id, disclosed, raw, times)
    print(tr("studio: session log: {path}").format(path=log.path), file=sys.stderr)
    print(
        tr(
            "rendered {seconds:.1f} s ({frames} frames) with {voice}, "
            "lip sync: {driver}, in {took:.1f} s "
            "({speed:.1f}x real time)"
        ).format(
            seconds=times.audio_seconds,
            frames=times.frames,
            voice=speech.voice_id,
            driver=describe_driver(driver),
            took=times.total,
            speed=times.realtime_factor,
        ),
        file=sys.stderr,
    )
    print(out)
    return 0
