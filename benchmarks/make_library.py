"""A synthetic photo library for ``bench_library.py``: N distinct photos made from the 2,000.

Each photo is one of ``<data>/photos`` (``cat/``, ``dog/``) changed by a random crop, a
mirror flip, a resize and a re-encode at another JPEG quality, so every file has its own
bytes and features; they go into nested folders (``set-A/year-B/album-C``). About 1 % more
files are exact duplicates of others, and a few bad files are mixed in (empty, not an
image, truncated). Written to a fresh temporary folder (or ``--to DIR``), never inside the
project.

Run: ``python benchmarks/make_library.py [--photos 20000] [--to DIR] [--seed 0]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from _common import ROOT


def sources() -> list[Path]:
    base = Path(os.environ.get("CATGUI_DATA") or ROOT.parent / "shared" / "datasets") / "photos"
    return sorted(base.glob("*/*.jpg"))


def folder_of(i: int) -> str:
    return f"set-{i % 4}/year-{(i // 4) % 5}/album-{(i // 20) % 25}"


def _make(job: tuple[int, str, str, int]) -> None:
    from PIL import Image

    i, source, out, seed = job
    rng = np.random.default_rng([seed, i])
    with Image.open(source) as img:
        img = img.convert("RGB")
        w, h = img.size
        cw, ch = int(w * rng.uniform(0.7, 1.0)), int(h * rng.uniform(0.7, 1.0))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        img = img.crop((x, y, x + cw, y + ch))
        if rng.random() < 0.5:
            img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        scale = rng.uniform(0.6, 1.4)
        img = img.resize(
            (max(32, int(cw * scale)), max(32, int(ch * scale))), Image.Resampling.BILINEAR
        )
        path = Path(out) / folder_of(i) / f"photo-{i:06d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        img.save(path, quality=int(rng.integers(60, 96)))


def make(folder: Path, photos: int, seed: int = 0) -> dict:
    """Fill ``folder``; returns what was written."""
    found = sources()
    if not found:
        raise SystemExit("no photos in ../shared/datasets/photos (or $CATGUI_DATA/photos)")
    jobs = [(i, str(found[i % len(found)]), str(folder), seed) for i in range(photos)]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_make, jobs, chunksize=64))
    rng = np.random.default_rng(seed)
    duplicates = max(1, photos // 100)
    for n, i in enumerate(rng.choice(photos, duplicates, replace=False)):
        original = folder / folder_of(int(i)) / f"photo-{int(i):06d}.jpg"
        shutil.copyfile(original, folder / folder_of(n + 7) / f"copy-{n:05d}.jpg")
    bad = max(3, photos // 1000)
    broken = folder / "set-0" / "broken"
    broken.mkdir(parents=True, exist_ok=True)
    for n in range(bad):
        kind = n % 3
        path = broken / f"bad-{n:04d}.jpg"
        if kind == 0:
            path.write_bytes(b"")
        elif kind == 1:
            path.write_text("this is not a picture\n")
        else:
            whole = (folder / folder_of(n) / f"photo-{n:06d}.jpg").read_bytes()
            path.write_bytes(whole[: len(whole) // 3])
    return {"photos": photos, "duplicates": duplicates, "bad": bad, "folder": str(folder)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20_000)
    parser.add_argument("--to", metavar="DIR", help="default: a new temporary folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = Path(args.to) if args.to else Path(tempfile.mkdtemp(prefix="catgui-library-"))
    folder.mkdir(parents=True, exist_ok=True)
    made = make(folder, args.photos, args.seed)
    print(
        f"{made['photos']} photos, {made['duplicates']} duplicates, {made['bad']} bad files in {folder}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
