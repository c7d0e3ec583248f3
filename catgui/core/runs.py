"""A training run from data to a saved model: the glue the CLI and the GUI share."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import numpy as np

from catgui import __version__
from catgui.core import evaluation, kinds, persistence
from catgui.core.dataset import DataSet, Split
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Config, Training


def make_trainer(train: Split, config: Config) -> Training:
    """The run of ``config`` (any kind's configuration) on the pictures of ``train``."""
    return kinds.of_config(config).trainer(train, config)


def build_model(
    trainer: Training,
    data: DataSet,
    seconds: float,
    stopped: bool = False,
    check_leakage: bool | None = None,
) -> persistence.Model:
    """Evaluate what ``trainer`` reached on ``data`` and wrap it with its metadata.

    ``check_leakage``: count the test pictures with a near-copy among the training
    pictures (:mod:`catgui.core.leakage`) even if it needs a backbone pass; ``None``: when
    it costs none (a kind on the backbone, or features all in the cache); ``False``: never.
    """
    classifier = trainer.classifier()
    config = trainer.config
    kind = kinds.of_config(config)
    hyperparameters = config.as_dict()
    fitted = getattr(trainer, "fitted_probabilities", None)
    p_train = fitted() if fitted is not None else None
    if p_train is not None:  # some pictures were learnt from features other than their x
        labels = np.asarray(data.train.y).reshape(-1).astype(np.int64)
        train_eval = evaluation.Evaluation(np.asarray(p_train, dtype=np.float64), labels)
    else:
        train_eval = evaluation.evaluate(classifier, data.train.x, data.train.y)
    test_eval = evaluation.evaluate(classifier, data.test.x, data.test.y)
    low, high = test_eval.interval()
    metadata = {
        "kind": kind.name,
        **kind.file_metadata(classifier),
        "hyperparameters": hyperparameters,
        "seed": hyperparameters.get("seed"),  # the run's seed, for a kind that has one
        "training_path": trainer.path,
        "iterations_done": trainer.iterations_done,
        "stopped_early": bool(stopped),
        "costs": [float(c) for c in trainer.costs],
        "train_accuracy": train_eval.accuracy,
        "train_size": train_eval.n,
        "test_accuracy": test_eval.accuracy,
        "test_size": test_eval.n,
        "test_interval_95": [low, high],
        "confusion_matrix": test_eval.confusion.tolist(),
        "dataset": {
            "folder": str(data.folder),
            "sha256": data.sha256,
            "train_sha256": data.train.sha256,
            "test_sha256": data.test.sha256,
        },
        "preprocessing": dict(kind.preprocessing),
        # Where the images came from (folders, split, augmentation, skipped files); only
        # data sets assembled by catgui.core.sources carry it.
        "data_source": getattr(data, "source", None),
        "seconds": round(seconds, 4),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "catgui_version": __version__,
    }
    if check_leakage is not False:
        from catgui.core import leakage
        from catgui.core.kinds.backbone_kind import BackboneKind

        compute = bool(check_leakage) or isinstance(kind, BackboneKind)
        found = leakage.check(data.train.x, data.test.x, compute)
        if found is not None:
            metadata["near_copies"] = found.as_metadata()
    return persistence.Model(classifier=classifier, metadata=metadata)


def readable_name(model: persistence.Model, when: _dt.datetime | None = None) -> str:
    """A name such as ``dnn-20-7-5 2026-11-28 23.45 test 80%``, safe on every platform."""
    when = when or _dt.datetime.now()
    meta = model.metadata
    kind = kinds.get(model.kind).model_name(meta) if model.kind in kinds.names() else model.kind
    name = f"{kind} {when:%Y-%m-%d %H.%M}"
    acc = model.test_accuracy
    if acc is not None:
        name += f" test {round(100 * acc)}%"
    if meta.get("stopped_early"):
        name += " (stopped)"
    return name


def save_new(model: persistence.Model, folder: str | os.PathLike) -> Path:
    """Save under a new readable name in ``folder``; never overwrites an existing model."""
    folder = Path(folder)
    base = readable_name(model)
    for n in range(1, 1000):
        candidate = folder / (base + ("" if n == 1 else f" ({n})") + persistence.SUFFIX)
        if candidate.exists():
            continue
        try:
            return persistence.save(model, candidate)
        except CatguiError:
            if candidate.exists():  # another process took the name just now
                continue
            raise
    raise CatguiError(f"{folder}: too many models named {base!r}")
