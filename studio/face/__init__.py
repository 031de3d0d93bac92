"""Face tracking. mediapipe is imported here and nowhere else (see ``landmarker``), and its
usage-statistics upload is stopped before the first task is made (see ``mediapipe_offline``).

``topology`` holds plain landmark index groups and is safe to import anywhere.
"""
