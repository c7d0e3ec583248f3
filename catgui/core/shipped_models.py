"""What the models shipped in ``models/`` are, in words, with their accuracy on real photos.

The model list shows these titles instead of file names. The accuracies are measured by
``benchmarks/first_model_eval.py`` on 1,075 real pictures none of them was trained on
(500 cat and 500 dog photos, the article's 50 test pictures, 25 pictures that
matplotlib and scikit-image ship); the README has the table.
"""

from __future__ import annotations

from pathlib import Path

from catgui.core import paths

#: file name -> (what the model is, accuracy on the mixed set of real pictures)
SHIPPED = {
    paths.FIRST_MODEL_NAME: ("ImageNet zero-shot", 0.985),
    paths.PHOTO_MODEL_NAME: ("Pretrained features + head on the article's 209", 0.916),
    paths.DEFAULT_MODEL_NAME: ("Article's network (64x64)", 0.572),
}


def title(path: str | Path) -> str | None:
    """``"ImageNet zero-shot · 98.5 % on real photos"`` for a shipped model file, else ``None``."""
    path = Path(path)
    entry = SHIPPED.get(path.name)
    if entry is None:
        return None
    try:
        folder = path.resolve().parent
        ours = {paths.PROJECT_MODELS.resolve(), paths.PACKAGED_MODELS.resolve()}
    except OSError:
        return None
    if folder not in ours:
        return None
    what, accuracy = entry
    return f"{what} · {100 * accuracy:.1f} % on real photos"
