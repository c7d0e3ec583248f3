"""Where a run's training and test images come from, assembled into one ``DataSet``.

A :class:`DataRecipe` says what to use:

* training images: the article's h5 train set, a folder data set (its training part),
  or both together; plus the user's corrections (always training, never test);
* test images: a seeded stratified hold-out of the folder (default 20 %), a separate
  test folder, or the article's h5 test set;
* optional augmentation of the training part only.

:class:`DataPreparation` imports what is needed with progress (a generator, stoppable
between files) and produces a :class:`ComposedDataSet`: a
:class:`~catgui.core.dataset.DataSet` (so the trainer, ``runs.build_model``, evaluation
and the Mistakes tab work unchanged) that also carries ``source``, a JSON-ready record
of all of the above for the model's metadata, and the name of every example.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catgui.core import dataset, splits
from catgui.core.augment import AugmentConfig, augment
from catgui.core.corrections import Corrections
from catgui.core.data_source import KEY, Source
from catgui.core.dataset import DataSet, Split
from catgui.core.errors import CatguiError
from catgui.core.folders import FolderImages, FolderImport, ImportProgress, Skipped, content_sha256
from catgui.core.label_fixes import LabelFixes, article_key, folder_key
from catgui.core.steps import mapped, run_to_end

#: Where test pictures may come from (a recipe's ``test_from``).
TEST_FROM = (Source.HOLDOUT, Source.FOLDER, Source.ARTICLE)
#: How many skipped files the metadata lists by name (all are counted).
SKIPPED_LISTED = 100


@dataclass(frozen=True)
class DataRecipe:
    """What to train and test on. The default is the article's h5 pair."""

    images: Path | None = None
    test_from: str = Source.HOLDOUT  # with images; without images the article's test set is used
    test_images: Path | None = None
    holdout: float = splits.DEFAULT_SHARE
    data_seed: int = 0  # of the hold-out split (augmentation has its own seed)
    article_train: bool = False  # add the article's train set to a folder's training part
    article_folder: str | os.PathLike | None = None  # where the h5 files are (find_folder)
    corrections: bool | None = None  # None: include them when there are any
    corrections_folder: str | os.PathLike | None = None  # default: the user's
    corrections_weight: int = 1  # each correction appears this many times in training
    augment: AugmentConfig | None = None
    use_cache: bool = True
    label_fixes: bool = True  # relabel / exclude training pictures as the user decided
    label_fixes_file: str | os.PathLike | None = None  # default: the user's

    def validate(self) -> DataRecipe:
        if self.test_from not in TEST_FROM:
            raise CatguiError(
                f"test images come from {' / '.join(s.value for s in TEST_FROM)}, "
                f"not {self.test_from!r}"
            )
        if self.test_from == Source.FOLDER and self.test_images is None:
            raise CatguiError("a test folder is needed to take the test images from a folder")
        if self.test_images is not None and self.test_from != Source.FOLDER:
            raise CatguiError("a test folder was given, but the test images come from elsewhere")
        if self.images is not None and self.test_from == Source.HOLDOUT:
            splits.check_share(self.holdout)
        if not isinstance(self.corrections_weight, int) or not 1 <= self.corrections_weight <= 100:
            raise CatguiError(
                f"the corrections weight must be from 1 to 100, got {self.corrections_weight!r}"
            )
        if self.augment is not None:
            self.augment.validate()
        return self

    @property
    def uses_article(self) -> bool:
        return self.images is None or self.article_train or self.test_from == Source.ARTICLE


@dataclass(frozen=True)
class ComposedDataSet(DataSet):
    """A data set assembled from a recipe. ``*_names`` name every example, in order."""

    source: dict = field(default_factory=dict)
    train_names: tuple[str, ...] = ()
    test_names: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class _Part:
    x: np.ndarray
    y: np.ndarray
    names: list[str]


class DataPreparation:
    """Import and assemble a :class:`DataRecipe`.

    :meth:`steps` yields :class:`~catgui.core.folders.ImportProgress` (with its ``stage``)
    once per imported file and returns the :class:`ComposedDataSet` (stop iterating to
    cancel); :meth:`run` does it all without watching.
    """

    def __init__(self, recipe: DataRecipe) -> None:
        self.recipe = recipe.validate()

    def run(self) -> ComposedDataSet:
        return run_to_end(self.steps())

    def steps(self) -> Generator[ImportProgress, None, ComposedDataSet]:
        r = self.recipe
        notes: list[str] = []
        jobs = []
        if r.images is not None:
            jobs.append(("images", FolderImport(r.images, use_cache=r.use_cache)))
        if r.test_from == Source.FOLDER and r.test_images is not None:
            # A test folder may hold one class only (e.g. "how many of my cats does it get?").
            test_job = FolderImport(r.test_images, require_both=False, use_cache=r.use_cache)
            jobs.append(("test images", test_job))
        fix_folder = Corrections(r.corrections_folder).folder
        if r.corrections is not False:
            jobs.append(
                ("corrections", FolderImport(fix_folder, False, r.use_cache, missing_ok=True))
            )
        imports: dict[str, FolderImages] = {}
        for stage, job in jobs:
            imports[stage] = yield from mapped(
                job.steps(), functools.partial(dataclasses.replace, stage=stage)
            )
            if job.cache_warning:
                notes.append(job.cache_warning)
        return self._assemble(imports, notes)  # holds copies: the imports are let go

    def _fixed(self, part: _Part, set_key: str, notes: list[str]) -> _Part:
        """``part`` with the user's label fixes of its data set (the same part if none)."""
        if not self.recipe.label_fixes:
            return part
        fixes = LabelFixes(self.recipe.label_fixes_file).of(set_key)
        x, y, names, relabelled, excluded = fixes.apply(part.x, part.y, part.names)
        if not (relabelled or excluded):
            return part
        notes.append(
            f"your label fixes: {relabelled} training picture(s) relabelled, {excluded} excluded"
        )
        return _Part(x, y, names)

    def _assemble(self, imports: dict[str, FolderImages], notes: list[str]) -> ComposedDataSet:
        r = self.recipe
        article_train = article_test = None
        if r.uses_article:
            found = dataset.find_folder(r.article_folder)
            if r.images is None or r.article_train:
                article_train = dataset.load_split(found / dataset.TRAIN_FILE, "train")
            if r.images is None or r.test_from == Source.ARTICLE:
                article_test = dataset.load_split(found / dataset.TEST_FILE, "test")
        train_parts: list[_Part] = []
        sources: list[dict] = []
        holdout = None
        fixed = False
        if article_train is not None:
            n = len(article_train)
            names = [f"article train #{i}" for i in range(n)]
            part = _Part(article_train.x, article_train.y, names)
            train_parts.append(self._fixed(part, article_key(article_train.sha256), notes))
            fixed = train_parts[-1] is not part
            sources.append(_describe_split(Source.ARTICLE, article_train))
        folder = imports.get("images")
        if folder is not None:
            if r.test_from == Source.HOLDOUT:
                holdout = splits.stratified_holdout(folder.files, folder.y, r.holdout, r.data_seed)
                idx = holdout.train_index
                part = _Part(folder.x[idx], folder.y[idx], [folder.files[i] for i in idx])
            else:
                part = _Part(folder.x, folder.y, list(folder.files))
            train_parts.append(self._fixed(part, folder_key(folder.folder), notes))
            sources.append(_describe_folder(Source.FOLDER, folder, train_parts[-1].y))
        fixes = imports.get("corrections")
        if fixes is not None and len(fixes):
            w = r.corrections_weight
            names = [f"corrections/{f}" for f in fixes.files] * w
            train_parts.append(_Part(np.tile(fixes.x, (w, 1, 1, 1)), np.tile(fixes.y, w), names))
            sources.append({**_describe_folder(Source.CORRECTIONS, fixes, fixes.y), "weight": w})
        if holdout is not None:
            idx = holdout.test_index
            test = _Part(folder.x[idx], folder.y[idx], list(holdout.test_files))
            test_source = _describe_folder(Source.HOLDOUT, folder, test.y)
            test_path = folder.folder
        elif r.test_from == Source.FOLDER:
            tf = imports["test images"]
            test = _Part(tf.x, tf.y, list(tf.files))
            test_source, test_path = _describe_folder(Source.FOLDER, tf, tf.y), tf.folder
        else:
            assert article_test is not None
            names = [f"article test #{i}" for i in range(len(article_test))]
            test = _Part(article_test.x, article_test.y, names)
            test_source, test_path = (
                _describe_split(Source.ARTICLE, article_test),
                article_test.path,
            )
        if fixes is not None and len(fixes):
            test = _without_corrected(test, fixes, notes)
        train = _concat(train_parts)
        if not len(train.y) or len(np.unique(train.y)) < 2:
            raise CatguiError(
                "the training images must include both cats and non-cats "
                f"(have {int(np.sum(train.y == 1))} cats, {int(np.sum(train.y == 0))} non-cats)"
            )
        if not len(test.y):
            raise CatguiError("there are no test images left; give more images or a test folder")
        if r.augment is not None:
            m = len(train.y)
            ax, ay, src = augment(train.x, train.y, r.augment)
            names = train.names + [
                f"{train.names[s]} (augmented {k // m})" for k, s in enumerate(src[m:], start=m)
            ]
            train = _Part(ax, ay, names)
        skipped = tuple(s for job in imports.values() for s in job.skipped)
        train_path = folder.folder if folder is not None else article_train.path
        unchanged = (
            len(train_parts) == 1 and article_train is not None and r.augment is None and not fixed
        )
        train_split = (
            article_train
            if unchanged
            else Split(train.x, train.y, train_path, content_sha256(train.x, train.y))
        )
        test_split = (
            article_test
            if article_test is not None and len(test.y) == len(article_test)
            else Split(test.x, test.y, Path(test_path), content_sha256(test.x, test.y))
        )
        source = {
            "train": sources,
            "test": test_source,
            "split": holdout.as_dict() if holdout is not None else None,
            "augmentation": r.augment.as_dict() if r.augment else None,
            "train_size": int(len(train.y)),
            "test_size": int(len(test.y)),
            "skipped_count": len(skipped),
            "skipped": [f"{s.reason}" for s in skipped[:SKIPPED_LISTED]],
            "notes": list(notes),
        }
        return ComposedDataSet(
            train=train_split,
            test=test_split,
            folder=Path(folder.folder if folder is not None else train_split.path.parent),
            source=source,
            train_names=tuple(train.names),
            test_names=tuple(test.names),
            skipped=skipped,
            notes=tuple(notes),
        )


def prepare(recipe: DataRecipe) -> ComposedDataSet:
    """Import and assemble ``recipe`` without watching; see :class:`DataPreparation`."""
    return DataPreparation(recipe).run()


def _concat(parts: list[_Part]) -> _Part:
    if len(parts) == 1:
        return parts[0]
    x = np.concatenate([p.x for p in parts]) if parts else np.zeros((0, 64, 64, 3), np.uint8)
    y = np.concatenate([p.y for p in parts]) if parts else np.zeros(0, np.int64)
    return _Part(x, y.astype(np.int64), [n for p in parts for n in p.names])


def _without_corrected(test: _Part, fixes: FolderImages, notes: list[str]) -> _Part:
    """Leave out test images identical to a correction (they are in training now)."""
    fixed = {bytes(img.tobytes()) for img in fixes.x}
    keep = np.array([img.tobytes() not in fixed for img in test.x], dtype=bool)
    if keep.all():
        return test
    notes.append(
        f"{int((~keep).sum())} test image(s) are also among the corrections (training) "
        "and were left out of the test set"
    )
    return _Part(test.x[keep], test.y[keep], [n for n, k in zip(test.names, keep) if k])


def _describe_folder(source: Source, images: FolderImages, y_used: np.ndarray) -> dict:
    """What part of an imported folder is used: ``y_used`` (k,) are its labels."""
    return {
        KEY: source.value,
        "path": str(images.folder),
        "images": int(len(y_used)),
        "cats": int(np.sum(y_used == 1)),
        "imported": len(images),
        "class_folders": [
            [c.name, "cat" if c.label else "non-cat", c.images] for c in images.class_folders
        ],
        "ignored_folders": list(images.ignored_folders),
        "skipped": len(images.skipped),
        "fingerprint": images.fingerprint,
        "from_cache": images.from_cache,
    }


def _describe_split(source: Source, split: Split) -> dict:
    return {
        KEY: source.value,
        "path": str(split.path),
        "images": len(split),
        "cats": int(np.sum(split.y == 1)),
        "sha256": split.sha256,
    }
