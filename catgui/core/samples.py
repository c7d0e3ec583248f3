"""Samples recorded from a camera to teach a model "your cat": frames kept as pictures.

``user_data_dir()/samples/`` is a folder data set (``cat/`` and ``non-cat/``), listed and
deleted as the corrections are (:class:`~catgui.core.corrections.Corrections` on that
folder), and trained on as any folder: ``catgui train --model pretrained --images
<that folder>`` gives the model the window's *Train* gives (:mod:`catgui.core.teach`).
A sample is the frame's centred square at :data:`SIDE` pixels, a JPEG named after its
content (the same frame kept twice is stored once), written atomically.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np

from catgui.core import atomic, live
from catgui.core.corrections import CLASS_DIRS, Correction, Corrections
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir

#: Side of a kept sample: above the pretrained kinds' 224, so they lose nothing.
SIDE = 256
QUALITY = 92


def default_folder() -> Path:
    """``user_data_dir()/samples`` (evaluated at call time)."""
    return user_data_dir() / "samples"


class Samples(Corrections):
    """The samples folder: :meth:`add_frame` keeps a frame; listing, counting and removing
    are the corrections' (only ever files inside this folder)."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        super().__init__(folder if folder is not None else default_folder())

    def add_frame(self, frame: np.ndarray, is_cat: bool) -> Correction:
        """Keep ``frame`` (``(h, w, 3)`` uint8) as a ``cat`` or ``non-cat`` sample."""
        from PIL import Image

        square = live.centre_square(frame, SIDE)
        buffer = io.BytesIO()
        Image.fromarray(square, "RGB").save(buffer, "JPEG", quality=QUALITY)
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:10]
        target = self.folder / CLASS_DIRS[bool(is_cat)] / f"sample-{digest}.jpg"
        other = self.folder / CLASS_DIRS[not is_cat] / target.name
        if other.exists():
            self.remove(Correction(other, not is_cat))
        try:
            # atomic, not flushed to disk: a sample is kept ten times a second while a
            # button is held (an fsync each stalled the window); a crash loses a few
            atomic.write(
                target, lambda out: out.write(data), overwrite=True, what="sample", durable=False
            )
        except CatguiError as exc:
            raise CatguiError(f"the sample could not be kept: {exc}") from None
        return Correction(target, bool(is_cat))

    def clear(self) -> None:
        """Remove every sample."""
        for entry in self.list():
            self.remove(entry)
