"""Which model should a new user meet first? Candidates compared on a mixed evaluation set.

The evaluation set is assembled from what is on this machine, never kept in the
repository, and never trained or calibrated on by any candidate:

* ``photos/cat`` and ``photos/dog`` of the shared data set, numbers 501-1000 (the
  candidates that learn from photos only ever see numbers 1-500);
* the article's *test* file (33 cats, 17 non-cats: 64x64, upscaled for the pretrained
  kinds). Its train file is every candidate's training or calibration data, so it is out;
* pictures that installed packages ship: matplotlib's ``sample_data`` (a portrait) and,
  when installed, scikit-image's ``skimage/data`` (one cat, Chelsea; people, a rocket,
  coffee, coins, motorcycles, a horse's silhouette, textures, the moon, documents ...).

Run ``python benchmarks/first_model_eval.py [--data DIR] [--json]`` (a few minutes the
first time: every photo goes through the backbone once; its features are cached in the
user data folder, so set ``CATGUI_HOME`` to a scratch folder). Prints a markdown table:
accuracy with its Wilson 95 % interval, overall and per kind of picture.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catgui.core import backbone, dataset, head, images, kinds, persistence, runs  # noqa: E402
from catgui.core.data_source import Source  # noqa: E402
from catgui.core.errors import CatguiError  # noqa: E402
from catgui.core.evaluation import wilson_interval  # noqa: E402
from catgui.core.kinds import zero_shot  # noqa: E402
from catgui.core.sources import DataPreparation, DataRecipe  # noqa: E402
from catgui.core.steps import run_to_end  # noqa: E402

EVAL_NUMBERS = range(501, 1001)
TRAIN_NUMBERS = range(1, 501)
#: scikit-image's shipped pictures: which one is a cat; the rest are other things.
SKIMAGE_CATS = {"chelsea.png"}
SKIMAGE_SKIPPED = {
    "chessboard_GRAY.png",
    "chessboard_RGB.png",
    "multipage.tif",
    "multipage_rgb.tif",
}
MATPLOTLIB_PICTURES = ("grace_hopper.jpg",)


@dataclass
class Group:
    """Pictures of one kind: ``squares`` at 64 and (for files) 224, labels 1 = cat."""

    name: str
    labels: np.ndarray
    small: np.ndarray  # (n, 64, 64, 3)
    large: np.ndarray | None  # (n, 224, 224, 3), None for the article's 64x64 pictures
    features: backbone.Features | None = None


def _files(paths: list[Path], name: str, label: int) -> Group:
    small, large = [], []
    for path in paths:
        try:
            picture = images.load(path, sizes=(backbone.INPUT_SIZE,))
        except CatguiError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        small.append(picture.pixels)
        large.append(picture.square(backbone.INPUT_SIZE))
    return Group(name, np.full(len(small), label), np.stack(small), np.stack(large))


def _package_folder(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return folder if folder.is_dir() else None


def evaluation_groups(data: Path) -> list[Group]:
    photos = data / "photos"
    groups = [
        _files([photos / "cat" / f"cat.{i}.jpg" for i in EVAL_NUMBERS], "cat photos", 1),
        _files([photos / "dog" / f"dog.{i}.jpg" for i in EVAL_NUMBERS], "dog photos", 0),
    ]
    test = dataset.load_split(data / "test_catvnoncat.h5", "test")
    y = np.asarray(test.y).reshape(-1)
    x = np.asarray(test.x)
    groups.append(Group("article's test cats (64x64)", y[y == 1], x[y == 1], None))
    groups.append(Group("article's test non-cats (64x64)", y[y == 0], x[y == 0], None))
    shipped_cats, shipped_other = [], []
    mpl = _package_folder("matplotlib", "mpl-data", "sample_data")
    if mpl is not None:
        shipped_other += [mpl / name for name in MATPLOTLIB_PICTURES if (mpl / name).is_file()]
    sk = _package_folder("skimage", "data")
    if sk is None:
        print("scikit-image is not installed: its pictures are left out", file=sys.stderr)
    else:
        for path in sorted(sk.iterdir()):
            if path.suffix.lower() not in (".png", ".jpg", ".tif") or path.name in SKIMAGE_SKIPPED:
                continue
            (shipped_cats if path.name in SKIMAGE_CATS else shipped_other).append(path)
    if shipped_cats:
        groups.append(_files(shipped_cats, "packages' cats (scikit-image)", 1))
    if shipped_other:
        groups.append(_files(shipped_other, "packages' other pictures", 0))
    return groups


def _photo_folder(data: Path) -> Path:
    """The candidates' photos (numbers 1-500 of each class), linked into a fresh folder."""
    root = Path(tempfile.mkdtemp(prefix="catgui-first-model-"))
    for label, name in (("cat", "cat"), ("non-cat", "dog")):
        (root / label).mkdir()
        for i in TRAIN_NUMBERS:
            (root / label / f"{name}.{i}.jpg").symlink_to(
                data / "photos" / name / f"{name}.{i}.jpg"
            )
    return root


def training_split(data: Path, photos: Path | None, with_article: bool = True):
    recipe = DataRecipe(
        images=photos,
        test_from=Source.ARTICLE,
        article_train=photos is not None and with_article,
        article_folder=data,
        corrections=False,
    ).validate()
    return DataPreparation(recipe).run().train


def train(kind: str, data: Path, photos: Path | None, with_article: bool = True):
    split = training_split(data, photos, with_article)
    trainer = runs.make_trainer(split, kinds.get(kind).default_config())
    for _ in trainer.steps():
        pass
    return trainer.classifier()


def scorer(classifier) -> Callable[[Group], np.ndarray]:
    if getattr(classifier, "from_features", None) is not None and classifier.input_size == 224:
        return lambda g: classifier.from_features(g.features)
    return lambda g: classifier.probabilities(g.small)


def _with_score(features: backbone.Features) -> backbone.Features:
    """The ImageNet logits and zero-shot's score side by side (``head.matrix`` of "both")."""
    score = zero_shot.mass_logit(zero_shot.cat_mass(features)).reshape(-1, 1)
    return backbone.Features(features.logits, score.astype(np.float32))


def score_and_logits_head(data: Path, photos: Path) -> Callable[[Group], np.ndarray]:
    """A head on zero-shot's score + the ImageNet logits (C by cross-validation)."""
    split = training_split(data, photos)
    features = _with_score(backbone.extract(np.asarray(split.x)))
    y = np.asarray(split.y).reshape(-1)
    best = run_to_end(head.cross_validate(features, y, representations=("both",)))
    fitted = head.fit(features, y, "both", best.c)
    return lambda g: fitted.probabilities(_with_score(g.features))


def candidates(root: Path, data: Path) -> dict[str, Callable[[Group], np.ndarray]]:
    photos = _photo_folder(data)
    made = {
        "Article's network (64x64), models/default.npz": persistence.load(
            root / "models" / "default.npz"
        ).classifier,
        "Pretrained features + head on the article's 209, models/pretrained.npz": persistence.load(
            root / "models" / "pretrained.npz"
        ).classifier,
        "ImageNet zero-shot, calibrated on the article's 209": train("zero-shot", data, None),
        "ImageNet zero-shot, calibrated on 1,000 photos + the article's 209": train(
            "zero-shot", data, photos
        ),
        "Pretrained features + head on 1,000 photos + the article's 209": train(
            "pretrained", data, photos
        ),
        "Pretrained features + head on 1,000 photos (cats and dogs only)": train(
            "pretrained", data, photos, with_article=False
        ),
    }
    scored = {name: scorer(model) for name, model in made.items()}
    scored["Head on zero-shot's score + ImageNet logits, on 1,000 photos + the article's 209"] = (
        score_and_logits_head(data, photos)
    )
    return scored


def features_of(group: Group) -> backbone.Features:
    squares = group.large if group.large is not None else group.small
    return run_to_end(backbone.extract_steps(squares))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "datasets")
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = Path(args.data)
    root = Path(__file__).resolve().parents[1]
    if not (data / "photos" / "cat").is_dir():
        print(f"{data}: no photos/cat folder; give --data DIR", file=sys.stderr)
        return 1
    start = time.perf_counter()
    groups = evaluation_groups(data)
    for group in groups:
        group.features = features_of(group)
    print(f"evaluation set read in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    rows = []
    for name, score in candidates(root, data).items():
        right = {g.name: int(np.sum((score(g) > 0.5) == (g.labels == 1))) for g in groups}
        correct, n = sum(right.values()), sum(len(g.labels) for g in groups)
        rows.append({"model": name, "correct": correct, "n": n, "groups": right})
    sizes = {g.name: len(g.labels) for g in groups}
    if args.json:
        print(json.dumps({"sizes": sizes, "rows": rows}, indent=2))
        return 0
    names = list(sizes)
    print(
        "| model | all (95 % interval) | " + " | ".join(f"{k} ({sizes[k]})" for k in names) + " |"
    )
    print("| --- " * (len(names) + 2) + "|")
    for row in rows:
        low, high = wilson_interval(row["correct"], row["n"])
        cells = [f"{100 * row['groups'][k] / sizes[k]:.1f} %" for k in names]
        whole = f"{100 * row['correct'] / row['n']:.1f} % ({100 * low:.1f}–{100 * high:.1f}) on {row['n']}"
        print(f"| {row['model']} | {whole} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
