"""Face tracking. mediapipe is imported here and nowhere else (see ``landmarker``).

``topology`` holds plain landmark index groups and is safe to import anywhere.
"""
