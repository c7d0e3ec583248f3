"""Library thumbnails off the GUI thread: :class:`ThumbnailWorker` drives
:func:`catgui.core.library.jobs.thumbnail_job` and decodes each JPEG into a ``QImage`` in
its own thread (the GUI thread only makes the ``QPixmap``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage

from catgui.workers.generator import GeneratorWorker


class ThumbnailWorker(GeneratorWorker):
    """Sends every thumbnail as it is decoded (no throttle).

    Signals
    -------
    decoded(str, QImage)
        A content's thumbnail (a null ``QImage`` when the index has none, or its bytes
        are not a picture).
    """

    decoded = Signal(str, QImage)
    max_per_second = 0.0
    task = "loading the thumbnails"

    def send_progress(self, step: Any) -> None:
        digest, jpeg = step
        image = QImage()
        if jpeg:
            image.loadFromData(jpeg, "JPEG")
        self.decoded.emit(digest, image)
