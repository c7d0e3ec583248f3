"""Teach it your cat: the pretrained head fitted on the recorded samples, in seconds.

:func:`recipe` is the data ``catgui train --model pretrained --images FOLDER`` reads
(``--with-article-data`` adds the article's 209 pictures), so the command on the samples
folder gives the same model as the window's *Train*. :func:`train_steps` is that run as a
generator: importing the samples, then the pretrained kind's steps, then the model saved
in ``save_in`` under a new name.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

from catgui.core.errors import CatguiError
from catgui.core.folders import ImportProgress
from catgui.core.kinds import pretrained
from catgui.core.sources import DataPreparation, DataRecipe
from catgui.core.training import Progress
from catgui.core.training_run import TrainingRun, TrainOutcome

#: The kind trained: pretrained features + logistic regression (C by cross-validation).
KIND = pretrained.KIND
#: Fewest samples of each class a run needs (the hold-out takes a fifth of them).
AT_LEAST = 5


def recipe(
    folder: str | os.PathLike,
    with_article: bool = False,
    article_folder: str | os.PathLike | None = None,
) -> DataRecipe:
    """What ``catgui train --model pretrained --images FOLDER [--with-article-data]`` reads."""
    return DataRecipe(
        images=Path(folder), article_train=with_article, article_folder=article_folder
    ).validate()


def check_counts(counts: dict[str, int]) -> None:
    """Refuse too few samples in words (``counts`` as :meth:`Samples.count` gives them)."""
    short = [name for name in ("cat", "non-cat") if counts.get(name, 0) < AT_LEAST]
    if short:
        have = ", ".join(f"{counts.get(n, 0)} {n}" for n in ("cat", "non-cat"))
        raise CatguiError(
            f"record at least {AT_LEAST} samples of each: cat and not cat (now {have})"
        )


def train_steps(
    folder: str | os.PathLike,
    save_in: str | os.PathLike | None,
    with_article: bool = False,
    article_folder: str | os.PathLike | None = None,
) -> Generator[ImportProgress | Progress, None, TrainOutcome]:
    """Import the samples, fit the pretrained head, save; returns the run's outcome."""
    data = yield from DataPreparation(recipe(folder, with_article, article_folder)).steps()
    run = TrainingRun(data, KIND.default_config(), Path(save_in) if save_in else None)
    return (yield from run.steps())
