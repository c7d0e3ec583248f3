"""Figure 10's reading figures (``bench_library.py``): the backbone's own time per
picture, the scan's reading pipeline alone (batch sizes; one pass against two), and what
storing features as float16 changes."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from _common import emit, median
from _library_index import MODEL


def backbone_ms(rounds: int = 3, pictures: int = 32) -> float:
    from catgui.core import backbone

    rng = np.random.default_rng(0)
    squares = rng.integers(0, 256, (pictures, 224, 224, 3), dtype=np.uint8)
    backbone.extract(squares[:4], cached=False)  # weights loaded, caches warm
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        backbone.extract(squares, threads=2, cached=False)
        times.append((time.perf_counter() - start) / pictures)
    return median(times) * 1000


def float16_change(files: list[Path]) -> tuple[float, float]:
    """Largest |P(cat) change| and |familiarity change| from storing features as float16."""
    from catgui.core import images, persistence
    from catgui.core.library import blobs, reading

    model = persistence.load(MODEL).classifier
    decoded = [images.load(f, sizes=(224,)) for f in files]
    crop, _ = reading.features_of(decoded)  # familiarity reads the same features
    half = lambda x: blobs.decode_many([blobs.encode(v) for v in x])  # noqa: E731
    dp = np.abs(model.from_pooled(crop) - model.from_pooled(half(crop))).max()
    df = np.abs(model.reference.score(crop) - model.reference.score(half(crop))).max()
    return float(dp), float(df)


def reading_rate(files: list[Path], batch: int, squares: bool = False) -> dict:
    """The scan's reading pipeline alone (``reading.read_batches``: hash, decode, thumbnail,
    the backbone; decoding overlapped, no SQLite) over ``files``, in this process."""
    from catgui.core.library import reading, walk

    founds = [walk.Found(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    start = time.perf_counter()
    done = sum(len(b) for b in reading.read_batches(founds, set(), batch, squares=squares))
    seconds = time.perf_counter() - start
    return {"photos": done, "seconds": seconds, "ms_per_photo": seconds / done * 1000}


def reading_figures(library: Path, photos: int, batches: list[int]) -> None:
    """Photos/s of the reading pipeline for each batch size, one pass against two (the
    64x64 square too), each beside the backbone's own time measured around it."""
    files = sorted(library.rglob("photo-*.jpg"))
    for k, batch in enumerate(batches):
        for squares in (False, True) if k == 0 else (False,):
            part = files[:photos] if not squares else files[photos : 2 * photos]
            before = backbone_ms()
            rate = reading_rate(part, batch, squares)
            own = (before + backbone_ms()) / 2
            emit(
                {
                    "figure": 10,
                    "name": "library_reading",
                    "batch": batch,
                    "passes": 2 if squares else 1,
                    **rate,
                    "photos_per_second": rate["photos"] / rate["seconds"],
                    "backbone_ms_per_picture": own,
                    "ratio_to_backbone": rate["ms_per_photo"] / own,
                }
            )
