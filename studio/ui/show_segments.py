"""What the show editor says about segments: labels, spoken-length estimates and problems.

Plain functions (no widgets) so the live panel can ask the same questions of a rundown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from studio.live.rundown import Segment, split_sentences
from studio.ui.i18n import QT_TRANSLATE_NOOP
from studio.ui.show_voice_names import voice_label
from studio.voice.base import VoiceInfo
from studio.voice.language import has_cjk
from studio.voice.registry import LANGUAGE, UNKNOWN, find_voice, voice_problems

# Rough speaking rates of a calm presenter, for the estimate only: the voices differ.
WORDS_PER_SECOND = 2.5  # about 150 words a minute
CJK_CHARS_PER_SECOND = 4.5  # about 270 characters (syllables) a minute
ESTIMATE_NOTE = QT_TRANSLATE_NOOP(
    "show_segments", "an estimate at about 150 words or 270 Chinese characters a minute"
)
_WORD = re.compile(r"[^\W_]+")


def spoken_seconds(text: str) -> float:
    """About how long ``text`` takes to say once, pauses not included."""
    cjk = sum(1 for ch in text if has_cjk(ch))
    other = "".join(" " if has_cjk(ch) else ch for ch in text)
    return cjk / CJK_CHARS_PER_SECOND + len(_WORD.findall(other)) / WORDS_PER_SECOND


def segment_seconds(segment: Segment, repeats: bool = True) -> float:
    """About how long the segment lasts: speech plus the pause after each sentence."""
    once = spoken_seconds(segment.text) + len(split_sentences(segment.text)) * segment.pause_ms / 1000
    return once * (segment.repeat if repeats else 1)


def format_seconds(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def segment_label(number: int, segment: Segment, width: int = 48) -> str:
    """The title, or the start of the text when there is none."""
    if segment.title.strip():
        return segment.title.strip()
    words = " ".join(segment.text.split())
    if not words:
        return QCoreApplication.translate("show_segments", "Segment {number} (empty)").format(number=number)
    return words if len(words) <= width else words[: width - 1].rstrip() + "…"


def segment_name(number: int, segment: Segment) -> str:
    """How a message names a segment: its number, and its title when it has one."""
    title = segment.title.strip()
    return (
        QCoreApplication.translate("show_segments", "Segment {number} “{title}”").format(
            number=number, title=title
        )
        if title
        else QCoreApplication.translate("show_segments", "Segment {number}").format(number=number)
    )


def voice_known(voice_id: str, voices: Sequence[VoiceInfo]) -> bool:
    """Whether the registry would find ``voice_id`` among ``voices`` (qualified or bare ids,
    eSpeak variants such as "espeak:en-us+f2")."""
    return find_voice(voice_id, voices) is not None


def rundown_problems(segments: Sequence[Segment], voices: Sequence[VoiceInfo] | None) -> list[str]:
    """What stops the show from running as written (nothing to say) or would spoil a part of
    it (an empty segment, a voice that is not installed or cannot read its text). Empty when
    all is well."""
    problems: list[str] = []
    if not any(split_sentences(s.text) for s in segments):
        problems.append(
            QCoreApplication.translate(
                "show_segments",
                "The show has nothing to say yet: write some text in a segment, or import a show.",
            )
        )
    elif any(not split_sentences(s.text) for s in segments):
        for number, segment in enumerate(segments, 1):
            if not split_sentences(segment.text):
                problems.append(
                    QCoreApplication.translate(
                        "show_segments", "{segment} has no text, so it is left out: write some, or remove it."
                    ).format(segment=segment_name(number, segment))
                )
    if voices is not None:
        # Online voices are said beside the voice (the form's voice check, ☁ in the list).
        for problem in voice_problems(segments, voices):
            named = segment_name(problem.segment, segments[problem.segment - 1])
            if problem.kind == UNKNOWN:
                voice = QCoreApplication.translate("show_segments", "the voice '{voice_id}'").format(
                    voice_id=problem.voice_id
                )
                problems.append(
                    QCoreApplication.translate(
                        "show_segments",
                        "{named} uses {voice}, which is not installed here: pick another voice.",
                    ).format(named=named, voice=voice)
                )
            elif problem.kind == LANGUAGE and problem.voice is not None:
                label = voice_label(problem.voice)
                voice = (
                    QCoreApplication.translate("show_segments", "its voice, {label},").format(label=label)
                    if problem.voice_id
                    else QCoreApplication.translate("show_segments", "the default voice, {label},").format(
                        label=label
                    )
                )
                problems.append(
                    QCoreApplication.translate(
                        "show_segments",
                        "{named} is in {script}, which {voice} cannot read: pick one that can.",
                    ).format(named=named, script=problem.script, voice=voice)
                )
    return problems
