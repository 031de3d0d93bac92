"""Long text in pieces a voice can speak with bounded memory, split where a speaker would pause.

A neural voice's memory grows faster than its input (the Piper voice took over 6 GB for one
8,000-character sentence with no full stop), so no engine is ever handed more than
``MAX_CHUNK_CHARS`` at once. Text that long is split at sentence ends first, then at clause
punctuation (commas, semicolons, colons, dashes, and the CJK ，、；：), so each piece ends where
the voice would pause anyway; only a clause that is itself too long is split between words,
and only text with no spaces at all (CJK without punctuation) between characters. Pieces are as
long as the limit allows, so short sentences are never split.
"""

from __future__ import annotations

import re

# Piper measured on this machine: 150 characters +58 MB, 300 +171 MB, 600 +390 MB of memory.
MAX_CHUNK_CHARS = 200
# A clause break: Latin punctuation followed by a space (so "3,000" and "12:30" stay whole),
# or CJK punctuation, which needs no space; the break falls after the punctuation.
_SENTENCE_BREAK = re.compile(r"[.!?\u2026](?=\s)|[。！？]")
_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014](?=\s)|[，、；：]")
_WORD_BREAK = re.compile(r"\s+")


def split_long(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[str]:
    """``text`` as pieces of at most ``max_chars`` characters (whitespace at the joins dropped).

    Each piece ends at the last sentence end that fits, else the last clause break, else the
    last space, else at ``max_chars``. Every character of ``text`` but the whitespace at a join
    is in one piece.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    text = text.strip()
    pieces: list[str] = []
    while len(text) > max_chars:
        cut = _last_break(text, max_chars)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _last_break(text: str, max_chars: int) -> int:
    """Where the first piece of ``text`` ends: an index in 1..max_chars."""
    window = text[: max_chars + 1]  # a space just past the limit still ends a piece that fits
    for punctuation in (_SENTENCE_BREAK, _CLAUSE_BREAK):
        ends = [m.end() for m in punctuation.finditer(window) if m.end() <= max_chars]
        if ends:
            return ends[-1]
    words = [m.start() for m in _WORD_BREAK.finditer(window) if 0 < m.start() <= max_chars]
    if words:
        return words[-1]
    return max_chars
