"""A small library index with known scores, for the label-next and Retrain tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.library_helpers import photo_folder, scan

#: P(cat) and familiarity given to each photo of :func:`known_library` (``None``: none).
KNOWN_SCORES = {
    "photo0.jpg": (0.99, 0.9),
    "photo1.jpg": (0.52, 0.9),
    "photo2.jpg": (0.40, 0.9),
    "photo3.jpg": (0.10, 0.9),
    "photo4.jpg": (0.70, 0.9),
    "photo5.jpg": (0.45, 0.01),  # unsure and unfamiliar: offered first
    "photo6.jpg": (0.47, None),
    "photo7.jpg": (0.02, 0.01),  # unfamiliar but sure
}
#: The order :func:`~catgui.core.library.label_next.least_sure` gives them (threshold 0.5).
LEAST_SURE_ORDER = [
    "photo5.jpg",
    "photo1.jpg",
    "photo6.jpg",
    "photo2.jpg",
    "photo4.jpg",
    "photo3.jpg",
    "photo7.jpg",
    "photo0.jpg",
]


def set_scores(index_path: Path, scorer, by_name: dict[str, tuple[float, float | None]]) -> None:
    """Give the named files' contents the P(cat) and familiarity wanted (known answers)."""
    conn = sqlite3.connect(index_path)
    for name, (p, fam) in by_name.items():
        (digest,) = conn.execute(
            "SELECT hash FROM files WHERE path LIKE ?", (f"%/{name}",)
        ).fetchone()
        conn.execute(
            "UPDATE scores SET p_cat = ?, familiarity = ? WHERE model = ? AND hash = ?",
            (p, fam, scorer.sha256, digest),
        )
    conn.commit()
    conn.close()


def known_library(root: Path, scorer, index: Path | None = None) -> Path:
    """An index (``root/lib.sqlite`` unless ``index`` is given) of 8 photos (``root/photos``)
    scored by ``scorer`` with :data:`KNOWN_SCORES`."""
    photos = photo_folder(root / "photos", n=8)
    index = index or root / "lib.sqlite"
    scan(index, [photos], scorer)
    set_scores(index, scorer, KNOWN_SCORES)
    return index


def photo_path(root: Path, name: str) -> Path:
    """Where :func:`known_library` wrote ``photoN.jpg`` (every third in a nested folder)."""
    number = int(Path(name).stem.removeprefix("photo"))
    return root / "photos" / ("nested/deeper" if number % 3 == 0 else "") / name
