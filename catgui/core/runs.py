"""A training run from data to a saved model: the glue the CLI and the GUI share."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import numpy as np

from catgui import __version__
from catgui.core import evaluation, images, persistence
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError
from catgui.core.training import Trainer


def make_trainer(x: np.ndarray, y: np.ndarray, config):
    """The trainer for ``config``: gradient descent (:class:`TrainConfig`) or the article's
    regularised logistic regression (:class:`~catgui.core.logistic_l2.L2Config`)."""
    from catgui.core.logistic_l2 import L2Config, L2LogisticTrainer

    if isinstance(config, L2Config):
        return L2LogisticTrainer(x, y, config)
    return Trainer(x, y, config)


def build_model(
    trainer: Trainer, data: DataSet, seconds: float, stopped: bool = False
) -> persistence.Model:
    """Evaluate what ``trainer`` reached on ``data`` and wrap it with its metadata."""
    net = trainer.network()
    # The trainer already holds the training features (2 GB for 20,000 pictures): reuse them.
    x_train = getattr(trainer, "x", None)
    if x_train is None or x_train.shape[1] != len(data.train):
        x_train = data.train.features()
    train_eval = evaluation.evaluate(net, x_train, data.train.y)
    test_eval = evaluation.evaluate(net, data.test.features(), data.test.y)
    config = trainer.config
    low, high = test_eval.interval()
    metadata = {
        "kind": config.kind,
        "sizes": list(net.sizes),
        "hyperparameters": config.as_dict(),
        "seed": config.seed,
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
        "preprocessing": images.PREPROCESSING,
        # Where the images came from (folders, split, augmentation, skipped files); only
        # data sets assembled by catgui.core.sources carry it.
        "data_source": getattr(data, "source", None),
        "seconds": round(seconds, 4),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "catgui_version": __version__,
    }
    return persistence.Model(network=net, metadata=metadata)


def readable_name(model: persistence.Model, when: _dt.datetime | None = None) -> str:
    """A name such as ``dnn-20-7-5 2026-11-28 23.45 test 80%``, safe on every platform."""
    when = when or _dt.datetime.now()
    meta = model.metadata
    hidden = meta.get("hyperparameters", {}).get("hidden", [])
    kind = meta.get("kind", "logreg") if not hidden else "dnn-" + "-".join(str(n) for n in hidden)
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
