"""Figure 7: the pretrained backbone (EfficientNet-Lite0 in NumPy), its speed and memory.

* Milliseconds per 224 x 224 picture through :func:`catgui.core.backbone.extract`
  (feature cache off) with 1 thread and with 2, measured side by side in the same
  process, alternating, several rounds; the plain layer-at-a-time path
  (:func:`~catgui.core.backbone.efficientnet.reference_feature_map`) on one thread is
  timed in the same rounds for comparison.
* The photos of ``<data>/photos`` (``cat/`` and ``dog/``, half each) from disk to
  features, in chunks of 100 (decode with ``images.load(path, sizes=(224,))`` on 2
  threads, then ``backbone.extract``): the first time, then again from the feature cache. A temporary
  ``CATGUI_HOME`` keeps the user's cache out of it. Decoding is timed apart: from the
  cache it is most of the time. Peak RSS is ``ru_maxrss`` after the photos (run first).

Run: ``python benchmarks/bench_backbone.py [--photos 2000] [--rounds 5] [--pictures 8]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import ROOT, emit, machine, median, peak_rss_mb, seconds, skip, table

CHUNK = 100


def photos_folder() -> Path:
    base = Path(os.environ.get("CATGUI_DATA") or ROOT.parent / "shared" / "datasets")
    return base / "photos"


def photo_files(n: int) -> list[Path] | str:
    """``n`` photos, half cats and half dogs, or why there are not enough."""
    folder = photos_folder()
    cats = sorted((folder / "cat").glob("*.jpg"))
    dogs = sorted((folder / "dog").glob("*.jpg"))
    half = n // 2
    if len(cats) < n - half or len(dogs) < half:
        return f"need {n - half} cat and {half} dog photos in {folder}"
    return cats[: n - half] + dogs[:half]


def squares_of(files: list[Path]) -> np.ndarray:
    """The 224 squares, decoded on 2 threads (Pillow lets go of the GIL while decoding)."""
    from concurrent.futures import ThreadPoolExecutor

    from catgui.core import images

    with ThreadPoolExecutor(2) as pool:
        return np.stack(list(pool.map(lambda f: images.load(f, sizes=(224,)).square(224), files)))


def speed(rounds: int, pictures: int) -> dict:
    from threadpoolctl import threadpool_limits

    from catgui.core import backbone
    from catgui.core.backbone import efficientnet

    files = photo_files(pictures)
    if isinstance(files, str):  # random pixels time the same
        rng = np.random.default_rng(0)
        squares = rng.integers(0, 256, size=(pictures, 224, 224, 3), dtype=np.uint8)
    else:
        squares = squares_of(files)
    net = backbone.weights()
    backbone.extract(squares[:2], threads=2, cached=False)  # warm: buffers, page faults
    one, two, plain = [], [], []
    for _ in range(rounds):
        one.append(time.perf_counter())
        backbone.extract(squares, threads=1, cached=False)
        one[-1] = (time.perf_counter() - one[-1]) / pictures
        two.append(time.perf_counter())
        backbone.extract(squares, threads=2, cached=False)
        two[-1] = (time.perf_counter() - two[-1]) / pictures
        with threadpool_limits(limits=1, user_api="blas"):
            start = time.perf_counter()
            efficientnet.reference_feature_map(squares[:2], net)
            plain.append((time.perf_counter() - start) / 2)
    return {
        "figure": 7,
        "name": "backbone_speed",
        "pictures": pictures,
        "rounds": rounds,
        "ms_per_picture_1_thread": median(one) * 1000,
        "ms_per_picture_2_threads": median(two) * 1000,
        "ratio_1_to_2_threads": median(one) / median(two),
        "ms_per_picture_plain_path_1_thread": median(plain) * 1000,
        "ms_per_picture_1_thread_all": [round(v * 1000, 2) for v in one],
        "ms_per_picture_2_threads_all": [round(v * 1000, 2) for v in two],
        "photos": not isinstance(files, str),
        "machine": machine(),
    }


def photos(n: int) -> dict | str:
    """Disk to features for ``n`` photos, first time and from the cache (or why not)."""
    from catgui.core import backbone

    files = photo_files(n)
    if isinstance(files, str):
        return files
    backbone.weights()  # loaded once, before the clock (a one-off of well under a second)
    passes = []
    for _ in range(2):
        decode = 0.0
        features = np.empty((len(files), 1280), dtype=np.float32)
        start = time.perf_counter()
        for at in range(0, len(files), CHUNK):
            t = time.perf_counter()
            squares = squares_of(files[at : at + CHUNK])
            decode += time.perf_counter() - t
            features[at : at + CHUNK] = backbone.extract(squares).pooled
        passes.append((time.perf_counter() - start, decode, features))
    (first, first_decode, a), (again, again_decode, b) = passes
    return {
        "figure": 7,
        "name": "backbone_photos",
        "photos": len(files),
        "seconds_first": first,
        "seconds_first_decoding": first_decode,
        "seconds_cached": again,
        "seconds_cached_decoding": again_decode,
        "seconds_cached_without_decoding": again - again_decode,
        "cached_equal": bool(np.array_equal(a, b)),
        "peak_rss_mb": peak_rss_mb(),
        "chunk": CHUNK,
        "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pictures", type=int, default=8, help="per timing round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="catgui-bench-home-") as home:
        os.environ["CATGUI_HOME"] = home  # the user's feature cache is never touched
        from catgui.core import backbone

        reason = backbone.unavailable()
        if reason:
            skip(7, "backbone_speed", reason)
            skip(7, "backbone_photos", reason)
            return 0
        disk = photos(args.photos)  # first, so its peak RSS is its own
        fast = speed(args.rounds, args.pictures)
    rows = [
        ["ms per 224 picture, 1 thread", f"{fast['ms_per_picture_1_thread']:.1f} ms"],
        ["ms per 224 picture, 2 threads", f"{fast['ms_per_picture_2_threads']:.1f} ms"],
        ["  1 thread / 2 threads", f"{fast['ratio_1_to_2_threads']:.2f}x"],
        [
            "  plain layer-at-a-time path, 1 thread",
            f"{fast['ms_per_picture_plain_path_1_thread']:.1f} ms",
        ],
    ]
    if isinstance(disk, dict):
        n = disk["photos"]
        rows += [
            [f"{n} photos, disk -> features, first time", seconds(disk["seconds_first"])],
            ["  of which decoding", seconds(disk["seconds_first_decoding"])],
            [f"{n} photos again, from the feature cache", seconds(disk["seconds_cached"])],
            ["  of which decoding", seconds(disk["seconds_cached_decoding"])],
            ["  of which hashing + cache reads", seconds(disk["seconds_cached_without_decoding"])],
            ["peak RSS", f"{disk['peak_rss_mb']:.0f} MB"],
        ]
    print(table(["measure", "value"], rows))
    emit(fast)
    if isinstance(disk, dict):
        emit(disk)
    else:
        skip(7, "backbone_photos", disk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
