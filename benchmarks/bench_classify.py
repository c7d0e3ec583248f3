"""Figure 4: classifying large photos, from file to probability.

Generates 12-megapixel (4000 x 3000) JPEGs with Pillow in a temporary folder (smooth
shapes plus noise, so they compress like photos), then times
:func:`catgui.core.prediction.classify_file` on one of them (median of many runs; the
first, cold run is reported apart) and :func:`catgui.core.prediction.classify_paths` on a
folder of 200 of them, with the 96-pixel thumbnails the Classify tab asks for. For
context, one full-size decode without Pillow's ``draft`` is timed too.

Run: ``python benchmarks/bench_classify.py [--photos 200] [--runs 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import emit, machine, median, seconds, table, timed

from catgui.core import network as nn
from catgui.core import prediction
from catgui.core.kinds.network_kind import NetworkClassifier

WIDTH, HEIGHT = 4000, 3000
VARIANTS = 8
THUMBNAIL = 96  # what catgui.workers.classify asks for


def make_photo(path: Path, seed: int) -> None:
    """A 12 MP JPEG that compresses like a photo: gradients, blobs, a little noise."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(30, 40, 3), dtype=np.uint8)
    img = Image.fromarray(small).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.integers(0, WIDTH), rng.integers(0, HEIGHT)
        r = int(rng.integers(100, 700))
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 256, 3))
        )
    img = img.filter(ImageFilter.GaussianBlur(3))
    noise = rng.normal(0, 6, size=(HEIGHT, WIDTH, 3))
    pixels = np.clip(np.asarray(img, dtype=np.float64) + noise, 0, 255).astype(np.uint8)
    Image.fromarray(pixels).save(path, quality=90)


def full_decode(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as img:
        img.convert("RGB").resize((64, 64), Image.Resampling.LANCZOS)


def decode_only(path: Path) -> None:
    """What the JPEG decoder alone takes at the scale catgui asks for (the floor)."""
    from PIL import Image

    with Image.open(path) as img:
        img.draft("RGB", (128, 128))
        img.load()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    net = NetworkClassifier(nn.initialize((12288, 20, 7, 5, 1), seed=1))
    with tempfile.TemporaryDirectory(prefix="catgui-bench-") as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        sources = []
        for i in range(VARIANTS):
            path = Path(tmp) / f"variant-{i}.jpg"
            make_photo(path, i)
            sources.append(path)
        for i in range(args.photos):  # hard links: 200 files, 8 photos' worth of disk
            os.link(sources[i % VARIANTS], folder / f"photo-{i:03d}.jpg")
        size_mb = statistics.mean(p.stat().st_size for p in sources) / 1e6

        one = sources[0]
        cold, first = timed(lambda: prediction.classify_file(net, one))
        assert first.error is None, first.error
        plain = [timed(lambda: prediction.classify_file(net, one))[0] for _ in range(args.runs)]
        with_thumb = [
            timed(lambda: prediction.classify_file(net, one, thumbnail_size=THUMBNAIL))[0]
            for _ in range(args.runs)
        ]
        no_draft = timed(lambda: full_decode(one))[0]
        decoder = [timed(lambda: decode_only(one))[0] for _ in range(args.runs)]

        start = time.perf_counter()
        results = list(prediction.classify_paths(net, [folder], thumbnail_size=THUMBNAIL))
        batch = time.perf_counter() - start
        errors = sum(r.error is not None for r in results)

    single = {
        "figure": 4,
        "name": "classify_one_12mp",
        "megapixels": WIDTH * HEIGHT / 1e6,
        "file_mb": round(size_mb, 2),
        "seconds_median": median(plain),
        "seconds_cold": cold,
        "seconds_median_with_thumbnail": median(with_thumb),
        "seconds_full_decode_without_draft": no_draft,
        "seconds_decoder_only_median": median(decoder),
        "runs": args.runs,
        "probability": first.probability,
        "machine": machine(),
    }
    many = {
        "figure": 4,
        "name": "classify_many_12mp",
        "photos": len(results),
        "errors": errors,
        "seconds": batch,
        "seconds_per_photo": batch / max(len(results), 1),
        "thumbnail_size": THUMBNAIL,
        "machine": machine(),
    }
    print(
        table(
            ["measure", "time"],
            [
                ["one 12 MP JPEG, file -> probability (median)", seconds(single["seconds_median"])],
                ["  same, first (cold) call", seconds(cold)],
                [
                    "  same, with a 96 px thumbnail",
                    seconds(single["seconds_median_with_thumbnail"]),
                ],
                ["  of which the JPEG decoder at 1/8 scale (median)", seconds(median(decoder))],
                ["  full decode without draft (context)", seconds(no_draft)],
                [f"{len(results)} photos, folder -> results", seconds(batch)],
            ],
        )
    )
    emit(single)
    emit(many)
    return 0


if __name__ == "__main__":
    sys.exit(main())
