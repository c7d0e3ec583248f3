"""The near-duplicate threshold, measured: copies of one photo against distinct photos.

From the 2,000 real photos (``<data>/photos``): ``--sources`` of them (chosen by seed) are
changed five ways (a JPEG re-encode at quality 40, a crop of 80 % of each side at a random
place, a mirror flip, a resize to half the size, and all four at once), written as JPEG
files to a fresh temporary folder and read back as catgui reads any photo. The cosine
similarity of the pooled features of each copy against its original is a *same* pair;
every pair of two different photos among all 2,000 is a *distinct* pair. Both are
measured on the 224 crops (what the library index stores) and on the 64x64 squares
upscaled (what a training run on the article's pictures has).

Prints the distributions (percentiles), the false pairs (distinct photos at or above each
candidate threshold, with their paths: some may be true duplicates in the Kaggle set) and
the copies missed. Run: ``python benchmarks/duplicate_pairs.py [--sources 300] [--seed 0]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import ROOT, emit, machine, table

CHANGES = ("re-encode q40", "crop 80%", "flip", "half size", "all four")
CANDIDATES = (0.80, 0.85, 0.88, 0.90, 0.92, 0.95)


def photos() -> list[Path]:
    base = Path(os.environ.get("CATGUI_DATA") or ROOT.parent / "shared" / "datasets") / "photos"
    return sorted(base.glob("*/*.jpg"))


def changed(img, how: str, rng: np.random.Generator):
    from PIL import Image, ImageOps

    w, h = img.size
    if how in ("crop 80%", "all four"):
        cw, ch = int(w * 0.8), int(h * 0.8)
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        img = img.crop((x, y, x + cw, y + ch))
    if how in ("flip", "all four"):
        img = ImageOps.mirror(img)
    if how in ("half size", "all four"):
        img = img.resize(
            (max(1, img.width // 2), max(1, img.height // 2)), Image.Resampling.BILINEAR
        )
    return img


def write_copies(sources: list[Path], folder: Path, seed: int) -> list[list[Path]]:
    from PIL import Image

    rng = np.random.default_rng(seed)
    out = []
    for i, source in enumerate(sources):
        with Image.open(source) as opened:
            img = opened.convert("RGB")
        row = []
        for k, how in enumerate(CHANGES):
            path = folder / f"{i}-{k}.jpg"
            quality = 40 if how in ("re-encode q40", "all four") else 92
            changed(img, how, rng).save(path, format="JPEG", quality=quality)
            row.append(path)
        out.append(row)
    return out


def features(paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Pooled features of the 224 crops and of the 64x64 squares of ``paths``."""
    from catgui.core import backbone, images

    crops, smalls = [], []
    for at in range(0, len(paths), 64):
        decoded = [images.load(p, sizes=(backbone.INPUT_SIZE,)) for p in paths[at : at + 64]]
        crops.append(
            backbone.extract(np.stack([d.square(224) for d in decoded]), cached=False).pooled
        )
        smalls.append(backbone.extract(np.stack([d.pixels for d in decoded]), cached=False).pooled)
        print(f"\r  {min(len(paths), at + 64):,}/{len(paths):,} pictures", end="", file=sys.stderr)
    print(file=sys.stderr)
    return np.concatenate(crops), np.concatenate(smalls)


def percentiles(values: np.ndarray) -> list[str]:
    return [f"{np.percentile(values, q):.3f}" for q in (0, 1, 5, 50, 95, 99, 100)]


def report(name: str, originals: np.ndarray, copies: np.ndarray, picked: np.ndarray, all_paths):
    from catgui.core import duplicates

    x = duplicates.normalised(originals)
    sims = x @ x.T
    upper = sims[np.triu_indices(len(x), k=1)]
    same = {
        how: np.einsum("ij,ij->i", x[picked], duplicates.normalised(copies[:, k]))
        for k, how in enumerate(CHANGES)
    }
    rows = [["distinct pairs", f"{len(upper):,}", *percentiles(upper)]]
    rows += [[f"copy: {how}", str(len(v)), *percentiles(v)] for how, v in same.items()]
    print(f"\n{name}: cosine similarity of the pooled features")
    print(table(["pairs", "n", "min", "p1", "p5", "p50", "p95", "p99", "max"], rows))
    every_copy = np.concatenate(list(same.values()))
    lines = []
    for t in CANDIDATES:
        false = int(np.sum(upper >= t))
        missed = {how: int(np.sum(v < t)) for how, v in same.items()}
        lines.append([f"{t:.2f}", false, *missed.values(), f"{np.mean(every_copy >= t):.1%}"])
        emit(
            {
                "name": "duplicate threshold",
                "features": name,
                "threshold": t,
                "distinct_pairs": int(len(upper)),
                "false_pairs": false,
                "copies": int(len(every_copy)),
                "copies_missed": missed,
            }
        )
    print(table(["threshold", "false pairs", *[f"missed {h}" for h in CHANGES], "found"], lines))
    rows_i, cols_i = np.nonzero(np.triu(sims, k=1) >= min(CANDIDATES))
    order = np.argsort(-sims[rows_i, cols_i])[:25]
    print(f"closest distinct pairs (>= {min(CANDIDATES)}):")
    for k in order:
        i, j = rows_i[k], cols_i[k]
        print(
            f"  {sims[i, j]:.3f}  {all_paths[i].relative_to(all_paths[i].parents[1])}"
            f"  {all_paths[j].relative_to(all_paths[j].parents[1])}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    all_paths = photos()
    if not all_paths:
        print("no photos found (set CATGUI_DATA)", file=sys.stderr)
        return 1
    print(machine())
    rng = np.random.default_rng(args.seed)
    picked = np.sort(
        rng.choice(len(all_paths), size=min(args.sources, len(all_paths)), replace=False)
    )
    print(f"features of the {len(all_paths):,} photos", file=sys.stderr)
    crops, smalls = features(all_paths)
    with tempfile.TemporaryDirectory(prefix="catgui-dup-") as tmp:
        copies = write_copies([all_paths[i] for i in picked], Path(tmp), args.seed)
        flat = [p for row in copies for p in row]
        print(f"features of the {len(flat):,} copies", file=sys.stderr)
        copy_crops, copy_smalls = features(flat)
    shape = (len(picked), len(CHANGES), -1)
    report("224 crops", crops, copy_crops.reshape(shape), picked, all_paths)
    report("64x64 squares", smalls, copy_smalls.reshape(shape), picked, all_paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
