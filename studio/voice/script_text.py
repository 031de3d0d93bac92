"""A script as the voices read it: one sentence per line, each ending in punctuation.

``studio render`` and ``studio batch`` turn what the user wrote into the text a voice speaks
the same way, so a job reads as the same render would.
"""

from __future__ import annotations

from studio.errors import InputError
from studio.translation import tr
from studio.voice.espeak_lib import CLAUSE_PUNCTUATION
from studio.voice.language import has_cjk

MAX_TEXT_CHARS = 20000  # one render's script

# What ends a clause for the voices (so a pause is already there), plus closing quotes and brackets.
_ENDS_CLAUSE = (*CLAUSE_PUNCTUATION, "…", "」", "』", "”", "’", ")", "）", '"', "'")


def check_text(text: str) -> str:
    """One line of speech. Each line of a script is a sentence: a line without closing
    punctuation gets a full stop, so the voice pauses there instead of running lines together."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    sentences = []
    for line in filter(None, lines):
        if not line.endswith(_ENDS_CLAUSE):
            line += "。" if has_cjk(line[-1]) else "."
        sentences.append(line)
    clean = " ".join(sentences)
    if not clean:
        raise InputError(tr("the script is empty."), tr("Give some words with --text or --script."))
    if len(clean) > MAX_TEXT_CHARS:
        raise InputError(
            tr("the script has {count} characters; one render takes at most {limit}.").format(
                count=len(clean), limit=MAX_TEXT_CHARS
            ),
            tr("Split it into several renders."),
        )
    return clean
