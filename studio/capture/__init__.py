"""Capture an avatar's picture from a webcam, a photo or a video file (Qt-free).

``camera`` (webcams and video files as cameras), ``checklist`` (is this frame good enough,
item by item), ``analyzer`` (frame -> checklist, fast), ``live`` (the preview's worker thread),
``countdown`` (3, 2, 1, capture), ``video_import`` (the best frame of a file), ``sources``
(what the wizard's first page runs on worker threads), ``consent_audio`` (the consent
statement read aloud) and ``build`` (the package).
"""
