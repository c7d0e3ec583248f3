"""Pictures whose folder says what they are: ``folder/cat/...`` and ``folder/non-cat/...``.

A folder dropped on (or opened in) the Classify tab is *labelled* when it has both a cat
and a non-cat subfolder, named as the folder import knows them
(:func:`catgui.core.folder_scan.class_of`: ``cats``, ``Non Cat``, ``dog``, ...). Every
picture below such a class folder, at any depth, has that folder's label as its truth,
so the model's answers on them can be scored (:func:`evaluate`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from catgui.core.evaluation import Evaluation
from catgui.core.folder_scan import CAT, NON_CAT, class_of


def class_folders(folder: str | os.PathLike) -> dict[str, int]:
    """The class subfolders of ``folder`` (name -> 1 cat / 0 non-cat) when it has both a
    cat and a non-cat one; else ``{}`` (not a labelled folder, or not a folder)."""
    root = Path(folder)
    try:
        names = [entry.name for entry in os.scandir(root) if entry.is_dir()]
    except OSError:
        return {}
    found = {name: label for name in names if (label := class_of(name)) is not None}
    return found if {CAT, NON_CAT} <= set(found.values()) else {}


def truth_of(path: str | os.PathLike, roots: dict[Path, dict[str, int]]) -> int | None:
    """The label of the picture at ``path`` if it lies below a class folder of one of
    ``roots`` (labelled folder -> its :func:`class_folders`); else ``None``."""
    path = Path(path)
    for root, classes in roots.items():
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue
        if len(parts) > 1 and parts[0] in classes:
            return classes[parts[0]]
    return None


def evaluate(scored: Iterable[tuple[float, int]], threshold: float = 0.5) -> Evaluation | None:
    """Accuracy, interval and confusion of ``(probability, truth)`` pairs; ``None`` if none."""
    pairs = list(scored)
    if not pairs:
        return None
    probabilities = np.array([p for p, _ in pairs], dtype=np.float64)
    labels = np.array([t for _, t in pairs], dtype=np.int64)
    return Evaluation(probabilities, labels, threshold)
