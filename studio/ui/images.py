"""Numpy pictures as QImages, shared by the camera view, the live preview and the wizard."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def frame_image(image: np.ndarray) -> QImage:
    """An RGB888 ``QImage`` over ``image``'s memory (no copy when it is C-contiguous). The
    caller keeps ``image`` alive for as long as the ``QImage`` is used."""
    if not image.flags.c_contiguous:
        image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_RGB888)
