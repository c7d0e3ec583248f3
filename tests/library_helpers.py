"""Small photo folders for the library index tests: real JPEGs, made here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catgui.core import backbone
from tests.data_helpers import ROOT

PHOTO_MODEL = ROOT / "models" / "pretrained.npz"

#: The library tests score with the shipped pretrained head on the real backbone.
needs_photo_model = pytest.mark.skipif(
    backbone.unavailable() is not None or not PHOTO_MODEL.is_file(),
    reason="the pretrained weights or models/pretrained.npz are missing",
)


#: The shared data set's real photos (``cat/`` and ``dog/``).
REAL_PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"


def real_photos(root: Path, cats: int, dogs: int) -> tuple[list[Path], list[Path]]:
    """The first ``cats`` and ``dogs`` real photos, copied into ``root`` (made); the test
    is skipped when the shared photos are not there. Returns the originals."""
    found = [
        sorted((REAL_PHOTOS / kind).glob("*.jpg"))[:n] for kind, n in (("cat", cats), ("dog", dogs))
    ]
    if len(found[0]) < cats or len(found[1]) < dogs:
        pytest.skip(f"the real photos are not at {REAL_PHOTOS}")
    root.mkdir(parents=True, exist_ok=True)
    for source in found[0] + found[1]:
        (root / source.name).write_bytes(source.read_bytes())
    return found[0], found[1]


def scan(index_path: Path, roots, scorer, **kw):
    """Scan ``roots`` into the index at ``index_path`` to the end; the scan's summary."""
    from catgui.core.library.index import Index
    from catgui.core.library.scan import scan_steps
    from catgui.core.steps import run_to_end

    with Index(index_path, writable=True) as index:
        return run_to_end(scan_steps(index, [str(r) for r in roots], scorer, **kw))


def pictures_a_photo(index_path: Path, scorer) -> int:
    """Pictures a new photo takes through the backbone in a scan of this index: its 224 crop
    alone, or with its 64x64 square when the index's schema requires those features or the
    model compares them (:func:`catgui.core.library.reading.keeps_squares`)."""
    from catgui.core.library.index import Index
    from catgui.core.library.reading import keeps_squares

    with Index(index_path) as index:
        squares = keeps_squares(index.conn) or scorer.compares == "familiar"
    return 2 if squares else 1


def write_photo(path: Path, seed: int, size: tuple[int, int] = (120, 90)) -> Path:
    """A JPEG of smooth colour blobs (distinct per seed)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    h, w = size[1], size[0]
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3))
    for _ in range(4):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(10, 60)
        colour = rng.uniform(0, 255, 3)
        mask = np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r))
        img += mask[..., None] * colour
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


def photo_folder(root: Path, n: int = 8, start: int = 0) -> Path:
    """``n`` distinct photos, some in a nested folder."""
    for i in range(start, start + n):
        sub = root / ("nested/deeper" if i % 3 == 0 else "")
        write_photo(sub / f"photo{i}.jpg", seed=i)
    return root


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "catgui.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        timeout=300,
        **kwargs,
    )


def index_rows(index_path: Path, scorer, which: str | None = None) -> list:
    """The index's rows as ``library list`` reads them (``which``: one of its filters)."""
    from catgui.core.library import query
    from catgui.core.library.index import Index

    with Index(index_path) as index:
        return list(query.rows(index, scorer.sha256, which))


def index_errors(index_path: Path, scorer) -> dict[str, str]:
    """Each file the index holds as a problem, with its cause in words."""
    return {r.path: r.error for r in index_rows(index_path, scorer, "errors")}


def synthetic_index(index_path: Path, scorer, probabilities, errors: int = 0) -> list[str]:
    """An index whose files have the given P(cat) under ``scorer``'s model (no backbone
    pass): file ``i`` is ``/library/{folder}/photo{i}.jpg`` with a real JPEG thumbnail,
    familiarity low for every fifth file; then ``errors`` unreadable files. The paths."""
    from catgui.core.library import blobs, chunks
    from catgui.core.library.index import Index

    rng = np.random.default_rng(0)
    features = blobs.encode(np.zeros(blobs.FEATURES, dtype=np.float32))
    paths = []
    with Index(index_path, writable=True) as index, index.transaction() as tx:
        tx.execute(
            "INSERT INTO models (sha256, path, kind, scored_at) VALUES (?, ?, ?, 0)",
            (scorer.sha256, str(scorer.path), scorer.kind),
        )
        for i, p in enumerate(probabilities):
            digest = f"{i:064x}"
            path = f"/library/{'cats' if i % 2 else 'others'}/photo{i}.jpg"
            thumb = blobs.thumbnail_jpeg(rng.integers(0, 256, (24, 32, 3), dtype=np.uint8))
            tx.execute("INSERT INTO files VALUES (?, 1000, ?, ?, 'ok')", (path, i, digest))
            chunks.add(tx, [(digest, 32, 24, features, features)])
            tx.execute("INSERT INTO thumbnails VALUES (?, ?)", (digest, thumb))
            familiarity = 0.0 if i % 5 == 0 else 1.0
            tx.execute(
                "INSERT INTO scores VALUES (?, ?, ?, ?)", (scorer.sha256, digest, p, familiarity)
            )
            paths.append(path)
        for i in range(errors):
            path = f"/library/bad/broken{i}.jpg"
            tx.execute("INSERT INTO files VALUES (?, 10, 0, NULL, 'not an image file')", (path,))
            paths.append(path)
    return paths
