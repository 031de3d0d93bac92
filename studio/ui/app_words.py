"""The core's messages name the command line's ways (``--audio-out``, ``studio devices``,
``studio voices``); in the app the same choice is made on a page. Every error dialog and every
live warning passes through ``app_words`` so a GUI user is never told to type a command.

Plain functions, no widgets: tests check them directly.
"""

from __future__ import annotations

import re

# (pattern, replacement), applied in order. Each replaces a whole phrase, so what is left
# still reads as a sentence.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # "choose it on the app's Live page or with --audio-out (list them with 'studio devices')"
        (r" or with --[a-z][\w-]*", ""),
        (r" with --[a-z][\w-]*", ""),
        (r"\s*\((?:see|list them with) ['`]studio devices['`]\)", ""),
        (r"\s*\(['`]studio voices['`] lists them\)", " (the Show page lists the voices installed here)"),
        (r"Run ['`]studio voices['`] to list them\.", "The Show page lists the voices installed here."),
        (r"\s*\(see ['`]studio avatar list['`]\)", " (see the Avatars page)"),
        (r"See ['`]studio avatar list['`]\.", "See the Avatars page."),
        (r"with ['`]studio avatar delete['`]", "on the Avatars page"),
        (r"with ['`]studio avatar create['`]", "with New avatar on the Avatars page"),
    )
)


def app_words(text: str) -> str:
    """``text`` with the command line's options and commands said as the app's pages."""
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text
