"""The core's fixed advice sentences (``StudioError.hint``) and progress messages that the app
shows most, marked for the app's catalogue so a dialog in Chinese says them in Chinese.

The core keeps speaking English (its CLI and logs); the app translates at the point it shows a
message (``core_words``). A sentence with a value in it (a path, a number) is not here: it has
no fixed text to look up and stays in English.
"""

from __future__ import annotations

from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

CONTEXT = "core"
HINTS = (
    QT_TRANSLATE_NOOP("core", "Check that the folder is writable and the disk is not full, then try again."),
    QT_TRANSLATE_NOOP("core", "Check the folder's permissions and retry."),
    QT_TRANSLATE_NOOP("core", "Write some text in a segment first."),
    QT_TRANSLATE_NOOP(
        "core", "Use a well-lit, frontal photo with one face that fills a good part of the frame."
    ),
    QT_TRANSLATE_NOOP("core", "Use a photo where the person faces the camera with the head level."),
    QT_TRANSLATE_NOOP("core", "Use a smaller copy of the photo: a face needs far fewer pixels."),
    QT_TRANSLATE_NOOP(
        "core", "Tick the box confirming that you are this person or have their written consent."
    ),
    QT_TRANSLATE_NOOP("core", "Unlock the keychain (or allow Studio to use it) and try again."),
    QT_TRANSLATE_NOOP("core", "Use an even frame size and a standard frame rate."),
    QT_TRANSLATE_NOOP("core", "Update the NVIDIA driver."),
)
# Progress the core reports while a show starts (studio.pipeline.live_show).
PROGRESS = (
    QT_TRANSLATE_NOOP("core", "Preparing the first sentence…"),
    QT_TRANSLATE_NOOP("core", "Starting the outputs…"),
)


def core_words(text: str) -> str:
    """``text`` in the app's language when it is one of the core's fixed sentences, else as is."""
    return translated(CONTEXT, text) if text else text
