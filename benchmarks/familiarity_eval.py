"""Which familiarity reference lets one backbone pass (the 224 crop) say "unfamiliar"?

Issue 17: a new photo went through the backbone twice, its 224 crop for P(cat) and its
64x64 square again for familiarity, because a reference of the article's blurry pictures
flagged half of real photos as foreign through the 224 path. This script measures each
candidate reference on the same features and prints one table:

* the share flagged unfamiliar on the 2,000 photos (and on the 1,000 the calibrating
  candidates never saw: numbers 501-1000, as ``first_model_eval.py`` holds them out);
* on the article's 50 test pictures (their 224 input is the 64x64 square upscaled);
* on clearly foreign inputs made here (noise, flat colours, gradients, text screenshots,
  line drawings), written as files and decoded like any other;
* whether "unfamiliar" goes with the shipped models' mistakes on the held-out photos.

Nothing is kept: the photos stay in the shared data set and the foreign pictures in a
temporary folder. ``--features FILE`` keeps the computed features between runs (an
``.npz`` in a scratch folder). ``--write MODEL...`` re-fits the chosen reference into
model files (the head untouched): what ``make pretrained-model`` / ``make first-model`` do.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catgui.core import backbone, dataset, familiarity, images, persistence  # noqa: E402
from catgui.core.backbone import efficientnet  # noqa: E402
from catgui.core.kinds.backbone_kind import BackboneClassifier  # noqa: E402

CALIBRATION = range(1, 501)  # photos a calibrating reference may see (cats and dogs)
HELD_OUT = range(501, 1001)
SIZE = backbone.INPUT_SIZE


def foreign_pictures(folder: Path, seed: int = 0) -> list[Path]:
    """Write clearly foreign pictures to ``folder``: what no cat/non-cat model has seen."""
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    out: list[Path] = []

    def save(img: Image.Image, name: str) -> None:
        path = folder / name
        img.save(path)
        out.append(path)

    for i in range(8):  # noise: uniform, coarse blocks, gaussian on grey
        side = int(rng.integers(200, 600))
        pixels = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
        if i % 3 == 1:
            small = rng.integers(0, 256, (side // 16, side // 16, 3), dtype=np.uint8)
            pixels = np.asarray(Image.fromarray(small).resize((side, side), Image.NEAREST))
        elif i % 3 == 2:
            pixels = np.clip(128 + 40 * rng.standard_normal((side, side, 3)), 0, 255)
            pixels = pixels.astype(np.uint8)
        save(Image.fromarray(pixels), f"noise{i}.png")
    for i in range(8):  # flat colours and gradients
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if i < 4:
            save(Image.new("RGB", (320, 240), colour), f"flat{i}.png")
        else:
            ramp = np.linspace(0, 1, 300)[None, :, None]
            a, b = rng.integers(0, 256, (2, 3))
            pixels = (a + (b - a) * ramp) * np.ones((300, 1, 1))
            save(Image.fromarray(pixels.astype(np.uint8)), f"gradient{i}.png")
    fonts = sorted(Path("/usr/share/fonts/truetype/dejavu").glob("*.ttf"))
    words = "cat dog the quick brown fox jumps over lazy file edit view help settings".split()
    for i in range(12):  # text and screenshot-like pictures
        dark = i % 3 == 2
        img = Image.new("RGB", (640, 400), (30, 30, 30) if dark else (250, 250, 250))
        draw = ImageDraw.Draw(img)
        size = int(rng.integers(12, 28))
        font = (
            ImageFont.truetype(str(fonts[i % len(fonts)]), size)
            if fonts
            else ImageFont.load_default()
        )
        if i % 4 == 3:  # a window: title bar, buttons, a list
            draw.rectangle([0, 0, 640, 30], fill=(60, 90, 160))
            for k in range(5):
                draw.rectangle([20, 50 + 60 * k, 200, 90 + 60 * k], outline=(120, 120, 120))
        y = 40
        while y < 380:
            line = " ".join(rng.choice(words, int(rng.integers(3, 9))))
            draw.text(
                (220 if i % 4 == 3 else 15, y),
                line,
                fill=(220,) * 3 if dark else (0,) * 3,
                font=font,
            )
            y += size + 8
        save(img, f"text{i}.png")
    for i in range(12):  # line drawings: shapes, a stick figure, scribbles
        img = Image.new("RGB", (400, 400), (255, 255, 255))
        draw = ImageDraw.Draw(img)
        for _ in range(int(rng.integers(3, 12))):
            x0, y0, x1, y1 = rng.integers(0, 400, 4)
            box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
            shape = int(rng.integers(0, 3))
            width = int(rng.integers(1, 6))
            if shape == 0:
                draw.line(box, fill=(0, 0, 0), width=width)
            elif shape == 1:
                draw.ellipse(box, outline=(0, 0, 0), width=width)
            else:
                draw.rectangle(box, outline=(0, 0, 0), width=width)
        if i % 3 == 0:  # a stick cat: head, ears, whiskers
            draw.ellipse([140, 120, 260, 240], outline=(0, 0, 0), width=4)
            draw.polygon([(150, 150), (160, 90), (190, 125)], outline=(0, 0, 0))
            draw.polygon([(250, 150), (240, 90), (210, 125)], outline=(0, 0, 0))
            for dy in (-10, 0, 10):
                draw.line([(200, 190), (300, 190 + dy)], fill=(0, 0, 0), width=2)
                draw.line([(200, 190), (100, 190 + dy)], fill=(0, 0, 0), width=2)
        save(img, f"drawing{i}.png")
    return out


def _decoded_features(paths: list[Path]) -> dict[str, np.ndarray]:
    """The 224 crops' and the 64x64 squares' features of files, and the squares."""
    crops, squares = [], []
    for path in paths:
        picture = images.load(path, sizes=(SIZE,))
        crops.append(picture.square(SIZE))
        squares.append(picture.pixels)
    crop = backbone.extract(np.stack(crops), cached=False)
    small = backbone.extract(np.stack(squares), cached=False)
    return {
        "pooled": crop.pooled,
        "logits": crop.logits,
        "pooled64": small.pooled,
        "logits64": small.logits,
    }


def gather(data: Path, cache: Path | None) -> dict[str, np.ndarray]:
    """Every group's features (read back from ``cache`` when it holds them)."""
    if cache is not None and cache.is_file():
        with np.load(cache) as f:
            return {k: f[k] for k in f.files}
    photos = data / "photos"
    names = [(kind, n) for kind in ("cat", "dog") for n in range(1, 1001)]
    paths = [photos / kind / f"{kind}.{n}.jpg" for kind, n in names]
    out = {f"photos_{k}": v for k, v in _decoded_features(paths).items()}
    out["photos_label"] = np.array([kind == "cat" for kind, _ in names], dtype=np.int64)
    out["photos_number"] = np.array([n for _, n in names], dtype=np.int64)
    for split in ("train", "test"):
        part = dataset.load_split(data / f"{split}_catvnoncat.h5", split)
        f = backbone.extract(np.asarray(part.x), cached=False)
        out[f"{split}_pooled"], out[f"{split}_logits"] = f.pooled, f.logits
        out[f"{split}_label"] = np.asarray(part.y).reshape(-1).astype(np.int64)
    with tempfile.TemporaryDirectory(prefix="catgui-foreign-") as folder:
        files = foreign_pictures(Path(folder))
        out.update({f"foreign_{k}": v for k, v in _decoded_features(files).items()})
        out["foreign_kind"] = np.array([p.stem.rstrip("0123456789") for p in files])
    if cache is not None:
        np.savez(cache, **out)
    return out


def max_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).max(axis=1)


def candidates(f: dict[str, np.ndarray]) -> dict[str, callable]:
    """Name -> a function of ``(pooled224, pooled64, logits224)`` giving familiarity."""
    number, train = f["photos_number"], f["train_pooled"]
    calib = np.isin(number, list(CALIBRATION))
    calib_pooled = f["photos_pooled"][calib]
    article = familiarity.fit(train, source_size=64)
    pairs = {
        "A article 209 via 64x64 (two passes, today)": lambda p, s, lg: article.score(s),
        "B article 209 via 224, threshold 0.02 (its own LOO)": lambda p, s, lg: article.score(p),
    }
    calibrated = familiarity.calibrated(article, calib_pooled)
    pairs["C article 209 via 224, calibrated on 1,000 held-out photos"] = lambda p, s, lg: (
        calibrated.score(p)
    )
    both = familiarity.fit(np.concatenate([train, calib_pooled]), source_size=SIZE)
    pairs["D 209 + 1,000 photos' 224 inputs, own LOO"] = lambda p, s, lg: both.score(p)
    few = calib & (f["photos_number"] <= 250)
    fewer = familiarity.fit(np.concatenate([train, f["photos_pooled"][few]]), source_size=SIZE)
    pairs["D' 209 + 500 photos' 224 inputs (numbers 1-250), own LOO"] = lambda p, s, lg: (
        fewer.score(p)
    )
    photos_only = familiarity.fit(calib_pooled, source_size=SIZE)
    pairs["E 1,000 photos' 224 inputs only, own LOO"] = lambda p, s, lg: photos_only.score(p)
    msp = np.sort(max_softmax(f["photos_logits"][calib]))
    pairs["F ImageNet max softmax, calibrated on the 1,000"] = lambda p, s, lg: (
        np.searchsorted(msp, max_softmax(lg), side="right") / len(msp)
    )
    return pairs


def chosen_reference(f: dict[str, np.ndarray]) -> familiarity.Reference:
    """The reference the shipped models keep (candidate D): the article's 209 training
    pictures (their 224 input: the 64x64 square upscaled) and photos 1-500 of each class,
    all through the 224 input, ranked by their own leave-one-out distances."""
    calib = np.isin(f["photos_number"], list(CALIBRATION))
    pooled = np.concatenate([f["train_pooled"], f["photos_pooled"][calib]])
    return familiarity.fit(pooled, source_size=SIZE)


REFERENCE_NOTE = (
    "the article's 209 training pictures and photos 1-500 of photos/cat and photos/dog of "
    "the shared data set, 224 inputs (benchmarks/familiarity_eval.py, candidate D)"
)


def write(f: dict[str, np.ndarray], paths: list[Path]) -> None:
    """Re-fit the chosen reference into model files; their heads stay as they are."""
    reference = chosen_reference(f)
    for path in paths:
        model = persistence.load(path)
        model.classifier.reference = reference
        model.metadata["familiarity"] = {"reference": REFERENCE_NOTE}
        persistence.save(model, path, overwrite=True)
        print(f"{path}: familiarity reference of {len(reference.loo)} pictures written")


def _models(paths: list[Path]) -> list[tuple[str, BackboneClassifier]]:
    return [(p.name, persistence.load(p).classifier) for p in paths]


def evaluate(f: dict[str, np.ndarray], models: list[tuple[str, BackboneClassifier]]) -> list:
    held = np.isin(f["photos_number"], list(HELD_OUT))
    labels = f["photos_label"]
    rows = []
    net = backbone.weights()
    wrong = {}
    for name, clf in models:
        p = clf.from_features(backbone.Features(f["photos_pooled"], f["photos_logits"]))
        wrong[name] = (p > 0.5) != (labels == 1)
    for name, score in candidates(f).items():
        known = score(f["photos_pooled"], f["photos_pooled64"], f["photos_logits"])
        flag = {"photos": known < 0.02}
        test_logits = efficientnet.logits(f["test_pooled"], net)
        flag["test"] = score(f["test_pooled"], f["test_pooled"], test_logits) < 0.02
        flag["foreign"] = (
            score(f["foreign_pooled"], f["foreign_pooled64"], f["foreign_logits"]) < 0.02
        )
        row = {
            "candidate": name,
            "photos_all": float(flag["photos"].mean()),
            "held_median": float(np.median(known[held])),
            "photos_held_out": float(flag["photos"][held].mean()),
            "cats_held": float(flag["photos"][held & (labels == 1)].mean()),
            "dogs_held": float(flag["photos"][held & (labels == 0)].mean()),
            "article_test": float(flag["test"].mean()),
            "foreign": float(flag["foreign"].mean()),
            "foreign_by_kind": {
                k: f"{int(flag['foreign'][f['foreign_kind'] == k].sum())}/"
                f"{int((f['foreign_kind'] == k).sum())}"
                for k in sorted(set(f["foreign_kind"].tolist()))
            },
        }
        for model, miss in wrong.items():
            fl = flag["photos"][held]
            m = miss[held]
            row[f"median_familiarity_{model}"] = (
                f"mistakes {np.median(known[held][m]):.3f}, right {np.median(known[held][~m]):.3f}"
            )
            row[f"errors_{model}"] = (
                f"{m[fl].mean() * 100 if fl.any() else float('nan'):.1f} % of "
                f"{int(fl.sum())} flagged vs {m[~fl].mean() * 100:.1f} % of {int((~fl).sum())}"
            )
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None)
    parser.add_argument("--features", type=Path, default=None)
    parser.add_argument(
        "--models", nargs="*", default=["models/pretrained.npz", "models/zero-shot.npz"]
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", nargs="+", type=Path, default=None, metavar="MODEL")
    args = parser.parse_args()
    data = dataset.find_folder(args.data)
    f = gather(data, args.features)
    if args.write:
        write(f, args.write)
        return 0
    rows = evaluate(f, _models([Path(m) for m in args.models]))
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for row in rows:
        print(f"## {row['candidate']}")
        print(f"median familiarity, held-out photos: {row['held_median']:.3f}")
        print(
            f"photos flagged {row['photos_all']:.1%} (held-out 1,000: {row['photos_held_out']:.1%}; "
            f"cats {row['cats_held']:.1%}, dogs {row['dogs_held']:.1%}); article test "
            f"{row['article_test']:.1%}; foreign {row['foreign']:.1%} {row['foreign_by_kind']}"
        )
        for key, value in row.items():
            if key.startswith(("errors_", "median_")):
                print(f"  mistakes, {key[7:]}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
