"""``studio live``: run the avatar live into a virtual camera, an audio device, a recording
and RTMP, driven by a rundown, the microphone or an audio file.

Typing a line while live queues it as an interjection (spoken after the current sentence);
a line starting with ``!`` interrupts at once. Ctrl-C, SIGTERM and SIGHUP stop cleanly:
recordings are finalised (and a kill still leaves one that plays: they are fragmented MP4). An
output that failed during the show (a full disk) makes the command end non-zero, with one line.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from studio.cli.render_options import (
    add_frame_options,
    add_trust_options,
    check_output,
    disclosure_option,
    frame_size,
    parse_fps,
    parse_size_option,
)
from studio.cli.rtmp_address import rtmp_address
from studio.cli.stop_signals import StopSignal, print_safely
from studio.errors import InputError, printable
from studio.media.mp4_fragments import recover_partials
from studio.render.label import LabelSettings, check_label_fits, check_label_text
from studio.translation import tr

STATUS_EVERY_S = 1.0
LOG_EVERY_S = 10.0  # when stderr is not a terminal, a line every 10 s instead of a live line


def register(sub: Any) -> None:
    p = sub.add_parser(
        "live",
        help=tr("go live: virtual camera, audio device, recording, RTMP"),
        description=tr(
            "Run the avatar live. Type a line to interject after the current sentence; "
            "start it with ! to interrupt at once; with --catalog, a line starting with ? is a viewer's "
            "question (?name: question). Ctrl-C (or SIGTERM, SIGHUP) stops and finalises "
            "recordings. A recording is a fragmented MP4: if the show is killed or the disk fills up, "
            "the file still plays up to its last 2 seconds."
        ),
    )
    p.add_argument("--avatar", required=True, help=tr("avatar name, package folder, or 'demo'"))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--script", type=Path, help=tr("a rundown (.toml) or a text file, one sentence a line"))
    src.add_argument("--mic", action="store_true", help=tr("drive the mouth with your microphone"))
    src.add_argument(
        "--audio",
        type=Path,
        help=tr("drive it with a speech file (.wav, .mp3, .m4a, ...) of any length, decoded as it plays"),
    )
    p.add_argument(
        "--mic-device", help=tr("microphone by name (see 'studio devices'); default: the system's")
    )
    p.add_argument("--voice", help=tr("voice for segments that name none (see 'studio voices')"))
    p.add_argument(
        "--lipsync",
        choices=("model", "phonemes"),
        default="phonemes",
        help=tr("with --script: mouth shapes from the voice's phoneme timings (default) or the audio model"),
    )
    p.add_argument(
        "--provider", help=tr("where the lip-sync model runs: auto, cpu, cuda, directml or coreml")
    )
    p.add_argument(
        "--vcam",
        nargs="?",
        const="",
        metavar="DEVICE",
        help=tr("feed a virtual camera (optionally by name)"),
    )
    p.add_argument(
        "--audio-out",
        nargs="?",
        const="",
        metavar="DEVICE",
        help=tr(
            "play the voice on an audio device, e.g. a virtual cable (default device if no name); "
            "with --mic this passes your voice through"
        ),
    )
    p.add_argument("--av-offset", type=float, default=0.0, metavar="MS", help=tr("delay the voice by MS ms"))
    p.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help=tr("record to an MP4 file (fragmented: it plays even if the show is killed)"),
    )
    p.add_argument(
        "--rtmp", metavar="URL",
        help=tr(
            "push to rtmp://host/app/key; 'saved' takes the app's saved address (key from the keychain), "
            "'env:NAME' the address in environment variable NAME, so the key stays out of ps and history"
        ),
    )  # fmt: skip
    p.add_argument("--duration", type=float, metavar="S", help=tr("stop after S seconds"))
    p.add_argument(
        "--watchdog", type=float, metavar="S", default=10.0,
        help=tr("restart the show at the line it was on after S seconds without a frame or sound (0: off)"),
    )  # fmt: skip
    p.add_argument("--library", type=Path, help=tr("avatar library folder (default: your user data folder)"))
    room = p.add_argument_group(tr("viewers' questions (answered only from the catalogue's facts)"))
    room.add_argument(
        "--catalog", type=Path, metavar="FILE", help=tr("catalog.toml: answer approved questions on air")
    )
    room.add_argument(
        "--room",
        action="store_true",
        help=tr("serve the audience page and moderator console on 127.0.0.1"),
    )
    room.add_argument(
        "--port", type=int, metavar="N", help=tr("the audience page's port (default: any free one)")
    )
    room.add_argument(
        "--auto", default="", metavar="KINDS",
        help=tr("approve these kinds of answer without a person, e.g. price,shipping"),
    )  # fmt: skip
    add_frame_options(p, tr("a recording"))
    add_trust_options(p, live=True)
    p.set_defaults(handler=run)


def options_from(args: argparse.Namespace) -> Any:
    from studio.pipeline.live_show import LiveOptions

    if args.duration is not None and not 0 < args.duration <= 7 * 24 * 3600:
        raise InputError(
            tr("--duration {seconds:g} is out of range.").format(seconds=args.duration),
            tr("Give seconds, e.g. --duration 60."),
        )
    if not 0 <= args.watchdog <= 3600:
        raise InputError(
            tr("--watchdog {seconds:g} is out of range.").format(seconds=args.watchdog),
            tr("Give seconds, e.g. --watchdog 10 (0: off)."),
        )
    if args.vcam is None and args.audio_out is None and args.record is None and args.rtmp is None:
        raise InputError(
            tr("live output goes nowhere."),
            tr("Add at least one of --vcam, --audio-out, --record FILE or --rtmp URL."),
        )
    if args.mic_device and not args.mic:
        raise InputError(
            tr("--mic-device chooses the microphone for --mic."), tr("Add --mic, or drop --mic-device.")
        )
    if not args.script and (args.voice or args.lipsync != "phonemes"):
        raise InputError(tr("--voice and --lipsync apply to --script."), tr("Drop them, or use --script."))
    if args.audio is not None:
        from studio.cli.lipsync_cmd import check_audio_file

        check_audio_file(args.audio)
    if args.script is not None and not args.script.is_file():
        raise InputError(
            tr("the script {path} does not exist.").format(path=args.script),
            tr("Check the path given to --script."),
        )
    record = (
        check_output(args.record, ".mp4", "out/live.mp4", "--record") if args.record is not None else None
    )
    unlabelled_by = args.acknowledge_unlabelled.strip()
    if unlabelled_by and not args.no_label:
        raise InputError(
            tr("--acknowledge-unlabelled goes with --no-label."), tr("Drop it, or add --no-label.")
        )
    if args.no_label and not unlabelled_by and (args.vcam is not None or args.rtmp is not None):
        raise InputError(
            tr("--no-label with --rtmp or --vcam streams an AI host without its visible label."),
            tr('Drop --no-label, or add --acknowledge-unlabelled "YOUR NAME" (the session log records it).'),
        )
    if args.script is None and (args.disclosure_every is not None or args.no_disclosure):
        raise InputError(
            tr("the spoken AI notice is said in a script's voice; --mic and --audio have none."),
            tr("Drop --disclosure-every and --no-disclosure, or use --script."),
        )
    disclosure = disclosure_option(args) if args.script is not None else None
    room = _room_options(args)
    rtmp, rtmp_note = rtmp_address(args.rtmp) if args.rtmp is not None else (None, None)
    if rtmp_note:
        print(tr("studio: {note}").format(note=rtmp_note), file=sys.stderr)
    return LiveOptions(
        script=args.script, mic=args.mic, audio=args.audio, voice=args.voice, lipsync=args.lipsync,
        provider=args.provider, vcam=args.vcam is not None, vcam_device=args.vcam or None,
        audio_out=args.audio_out, av_offset_ms=args.av_offset, mic_device=args.mic_device,
        record=record, rtmp=rtmp, duration_s=args.duration, credit_name=args.credit_name,
        disclosure=disclosure, unlabelled_by=unlabelled_by, room=room,
        watchdog_s=args.watchdog if args.watchdog > 0 else None,
    )  # fmt: skip


def _room_options(args: argparse.Namespace) -> Any:
    from studio.pipeline.live_room import RoomOptions
    from studio.room import auto_kinds

    if args.catalog is None:
        if args.room or args.port is not None or args.auto:
            raise InputError(
                tr("--room, --port and --auto answer viewers from a catalogue."), tr("Add --catalog FILE.")
            )
        return None
    if args.script is None:
        raise InputError(tr("answers are spoken in a script's voice."), tr("Use --script with --catalog."))
    if args.port is not None and not args.room:
        raise InputError(tr("--port is the audience page's."), tr("Add --room, or drop --port."))
    if args.port is not None and not 1 <= args.port <= 65535:
        raise InputError(tr("--port {port} is not a TCP port.").format(port=args.port), tr("Use 1 to 65535."))
    if not args.catalog.is_file():
        raise InputError(
            tr("the catalogue {path} does not exist.").format(path=args.catalog),
            tr("Check the path given to --catalog."),
        )
    return RoomOptions(args.catalog, args.room, args.port or 0, tuple(sorted(auto_kinds(args.auto))))


def run(args: argparse.Namespace) -> int:
    from studio.avatar.library import AvatarLibrary
    from studio.pipeline.live_show import LiveShow
    from studio.render.photo_renderer import RenderSettings

    size = parse_size_option(args.size)
    fps = parse_fps(args.fps)
    options = options_from(args)
    label = LabelSettings(not args.no_label, check_label_text(args.label_text), args.label_corner)
    avatar = AvatarLibrary(args.library).load(args.avatar)
    width, height = frame_size(size, avatar.manifest.image_size)
    if label.enabled:  # refused now, not once the first sentence is being spoken
        check_label_fits(label.text, width, height)
    if args.no_label:
        print(tr("studio: note: the visible AI label is off; platforms may require it."), file=sys.stderr)
    if options.record is not None:
        notice = recover_partials(options.record)
        if notice:
            print(tr("studio: note: {notice}").format(notice=notice), file=sys.stderr)
    show = LiveShow(avatar, RenderSettings(width=width, height=height, fps=fps, label=label), options)
    lines: queue.Queue[str] = queue.Queue()
    if options.script is not None:
        threading.Thread(
            target=_read_lines, args=(sys.stdin, lines), name="studio-stdin", daemon=True
        ).start()
    print(
        tr("studio: live with {avatar} at {width}x{height} {fps:g} fps; Ctrl-C stops.").format(
            avatar=printable(avatar.name), width=width, height=height, fps=float(fps)
        ),
        file=sys.stderr,
    )
    show.start()
    print(tr("studio: session log: {path}").format(path=show.log_path), file=sys.stderr)
    if show.room is not None:
        _print_room(show.room)
    try:
        _watch(show, lines)
    except StopSignal as exc:
        print_safely(
            "\n" + tr("studio: {signal} received; stopping.").format(signal=exc.name), file=sys.stderr
        )
    except KeyboardInterrupt:
        print_safely("", file=sys.stderr)
    finally:
        stats = show.stop()
    # From here on the terminal may be gone (a SIGHUP): nothing said may end the command.
    status = show.status()
    print_safely(
        tr("studio: stopped at {status}").format(status=printable(status.line(final=True))), file=sys.stderr
    )
    for name, out in stats.items():
        if out.last_error:
            detail = tr("{frames} frames, {dropped} dropped, {error}").format(
                frames=out.frames, dropped=out.dropped, error=printable(out.last_error)
            )
        else:
            detail = tr("{frames} frames, {dropped} dropped").format(frames=out.frames, dropped=out.dropped)
        print_safely(
            tr("studio: {output}: {state} ({detail})").format(output=name, state=out.state, detail=detail),
            file=sys.stderr,
        )
    print_safely(
        tr("studio: session log: {path} ('studio report' summarises it)").format(path=show.log_path),
        file=sys.stderr,
    )
    if show.log.problem:
        print_safely(
            tr("studio: warning: {message}").format(message=printable(show.log.problem)), file=sys.stderr
        )
    if show.engine.error is not None:
        raise show.engine.error
    if options.record is not None and options.record.exists():
        print_safely(options.record)
    failed = [f"{name} {out.state}" for name, out in stats.items() if out.state.startswith("failed")]
    if failed:
        print_safely(tr("studio: error: {message}").format(message="; ".join(failed)), file=sys.stderr)
        return 1
    return 0


def _print_room(room: Any) -> None:
    if room.page is not None:
        print(tr("studio: viewers: {url}").format(url=room.page.viewer_url), file=sys.stderr)
        print(tr("studio: moderator: {url}").format(url=room.page.moderator_url), file=sys.stderr)
    auto = ", ".join(room.queue.auto) or tr("none (every answer waits for the moderator)")
    print(tr("studio: answered without a person: {kinds}").format(kinds=auto), file=sys.stderr, flush=True)


def _ask(room: Any, line: str) -> None:
    """A question typed on a viewer's behalf (``?user: text``): it joins the moderation queue."""
    from studio.room import parse_line

    comment = parse_line(line, "stdin")
    item = room.queue.submit(comment) if comment is not None else None
    if item is not None:
        asked = tr("studio: asked: {question} [{kind}]").format(
            question=item.comment.text, kind=item.answer.kind
        )
        print("\n" + printable(asked), file=sys.stderr)


def _watch(show: Any, lines: queue.Queue[str]) -> None:
    tty = sys.stderr.isatty()
    every = STATUS_EVERY_S if tty else LOG_EVERY_S
    next_status = time.monotonic() + every
    warned = 0
    states: dict[str, str] = {}
    while not show.wait(0.1):
        outputs = show.status().outputs
        if _all_failed(outputs):
            print("\n" + tr("studio: every output has failed; stopping."), file=sys.stderr)
            return
        while not lines.empty():
            line = lines.get()
            if line.startswith("?") and show.room is not None:
                _ask(show.room, line[1:])
                continue
            interrupt = line.startswith("!")
            text = line[1:] if interrupt else line
            try:
                taken = bool(text.strip()) and show.interject(text, interrupt)
            except InputError as exc:  # a prohibited claim: the show goes on without the line
                print("\n" + tr("studio: {message}").format(message=exc), file=sys.stderr)
                continue
            if taken:
                said = tr("studio: interrupting with: {text}") if interrupt else tr("studio: queued: {text}")
                print("\n" + said.format(text=text.strip()), file=sys.stderr)
        total, notes = show.warnings()
        for message in notes[len(notes) - min(total - warned, len(notes)) :] if total > warned else []:
            print("\n" + tr("studio: warning: {message}").format(message=printable(message)), file=sys.stderr)
        warned = total
        states = _report_outputs(outputs, states)
        if time.monotonic() >= next_status:
            next_status += every
            line = printable(show.status().line())  # it quotes the rundown's text
            print(f"\r{line}\x1b[K" if tty else line, end="" if tty else "\n", file=sys.stderr, flush=True)
    if tty:
        print("", file=sys.stderr)


_TROUBLE = ("stalled", "reconnecting", "failed", "stuck")


def _all_failed(states: dict[str, str]) -> bool:
    """Nothing is going anywhere any more: the show has no reason to go on."""
    return bool(states) and all(state.startswith("failed") for state in states.values())


def _report_outputs(now: dict[str, str], before: dict[str, str]) -> dict[str, str]:
    """Say at once when an output gets into trouble, and when it is running again (not at the
    next status line). ``before`` keeps each output's last trouble until it runs again."""
    kept = dict(before)
    for name, state in now.items():
        trouble = kept.get(name, "")
        if state.startswith(_TROUBLE):
            if state.split(":")[0] != trouble.split(":")[0]:
                print(
                    "\n"
                    + tr("studio: warning: {output} {state}").format(output=name, state=printable(state)),
                    file=sys.stderr,
                )
            kept[name] = state
        elif state.startswith("running") and trouble:
            print("\n" + tr("studio: {output} running again").format(output=name), file=sys.stderr)
            kept[name] = ""
    return kept


def _read_lines(stream: TextIO, lines: queue.Queue[str]) -> None:
    try:
        for line in stream:
            lines.put(line.rstrip("\n"))
    except (OSError, ValueError):
        return  # no usable stdin (a service, a test runner): no interjections from it
