"""Retrain from the corrections, then re-rank the whole library from its stored features.

:func:`retrain_steps` is the library's *Retrain* as one core generator (a worker drives it):

1. the training data and the user's corrections are imported (the corrections folder is
   a folder data set, always in the training part; see :mod:`catgui.core.sources`), and
   each correction is given the features the library judges its photo by: those of its
   224 crop, stored in the index (or read from its file), not those of its 64x64 square
   (:mod:`.correction_features`);
2. the ``pretrained`` head is fitted on them as ``catgui train --model pretrained`` fits
   it (features and C by cross-validation), evaluated, and saved atomically under a new
   name in the models folder;
3. the index is scored with the new model from the stored features (no backbone pass),
   and the verdicts of the previous model and the new one are compared, file by file:
   "37 photos changed: 30 now cat, 7 now not cat".
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from catgui.core.corrections import Corrections
from catgui.core.errors import CatguiError
from catgui.core.folders import ImportProgress
from catgui.core.kinds import pretrained
from catgui.core.library.correction_features import crop_features_steps
from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer, rescore_steps
from catgui.core.sources import DataPreparation, DataRecipe
from catgui.core.training import Progress
from catgui.core.training_run import TrainingRun, TrainOutcome
from catgui.core.words import counted


@dataclass(frozen=True)
class Stage:
    """One step of a retrain, as a progress bar shows it: ``done`` of ``total`` (``0``:
    not known) in ``stage`` ("importing", "training", "re-scoring")."""

    stage: str
    done: int
    total: int = 0


@dataclass(frozen=True)
class Retrained:
    """What a retrain did.

    Attributes
    ----------
    outcome
        The training run (its model evaluated; ``outcome.saved`` is the new model's file).
    scorer
        The new model as the index knows it.
    changed, now_cat, now_not_cat
        Files whose verdict differs between the previous model and the new one; of them,
        those the new model calls cat and those it calls not cat.
    corrections
        How many corrections the training included.
    from_index
        Of them, how many were learnt from the features the index stores of their photo
        (the others from their file's 224 crop: :mod:`.correction_features`).
    """

    outcome: TrainOutcome
    scorer: Scorer
    changed: int
    now_cat: int
    now_not_cat: int
    corrections: int
    from_index: int = 0

    @property
    def saved(self) -> Path:
        return self.scorer.path

    def sentence(self) -> str:
        """ "37 photos changed: 30 now cat, 7 now not cat" (or "No photo changed")."""
        if not self.changed:
            return "No photo changed its verdict"
        parts = [f"{self.now_cat} now cat" if self.now_cat else "", ""]
        if self.now_not_cat:
            parts[1] = f"{self.now_not_cat} now not cat"
        return f"{counted(self.changed, 'photo')} changed: " + ", ".join(p for p in parts if p)


def retrain_steps(
    index_path: str | os.PathLike | None,
    previous: Scorer,
    save_in: str | os.PathLike,
    recipe: DataRecipe | None = None,
    threshold: float = 0.5,
) -> Generator[Stage, None, Retrained]:
    """Fit the pretrained head on ``recipe`` (default: the article's pictures) + the
    corrections, save it in ``save_in``, score the index with it; returns what changed.

    Raises :class:`CatguiError` when there are no corrections, the index is busy or
    cannot be written, or the new model cannot be saved.
    """
    recipe = recipe or DataRecipe()
    folder = Corrections(recipe.corrections_folder)
    corrections = folder.count()["total"]
    if not corrections:
        raise CatguiError("label some pictures first (Cat / Not cat): there is nothing to learn")
    recipe = DataRecipe(**{**_fields(recipe), "corrections": True})
    data = yield from _staged(DataPreparation(recipe).steps())
    crops = yield from _staged(
        crop_features_steps(data, folder.folder, index_path), "reading corrections"
    )
    run = TrainingRun(crops.data, pretrained.KIND.default_config(), Path(save_in))
    outcome = yield from _staged(run.steps())
    if outcome.saved is None:
        raise CatguiError(f"the new model was not saved: {outcome.save_error or 'stopped'}")
    scorer = Scorer.of_file(outcome.saved)
    with Index(index_path, writable=True) as index, index.guard():
        yield from _staged(rescore_steps(index, previous), "re-scoring")  # if not yet
        yield from _staged(rescore_steps(index, scorer), "re-scoring")
        changed, now_cat = _compare(index, previous.sha256, scorer.sha256, threshold)
    return Retrained(
        outcome, scorer, changed, now_cat, changed - now_cat, corrections, crops.from_index
    )


def _fields(recipe: DataRecipe) -> dict:
    from dataclasses import fields

    return {f.name: getattr(recipe, f.name) for f in fields(recipe)}


def _staged(steps, stage: str = "") -> Generator[Stage, None, object]:
    """Re-yield a generator's progress as :class:`Stage`; return its result."""
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as end:
                return end.value
            if isinstance(step, ImportProgress):
                yield Stage("importing", step.done, step.total)
            elif isinstance(step, Progress):
                yield Stage("training", step.iteration + 1, step.total)
            else:
                yield Stage(stage or "working", int(step))
    finally:
        steps.close()


def _compare(index: Index, old: str, new: str, threshold: float) -> tuple[int, int]:
    """Files whose verdict differs between two models, and how many the new one calls cat."""
    changed, now_cat = index.conn.execute(
        "SELECT count(*), coalesce(sum(n.p_cat > ?), 0) FROM files f "
        "JOIN scores o ON o.model = ? AND o.hash = f.hash "
        "JOIN scores n ON n.model = ? AND n.hash = f.hash "
        "WHERE f.status = 'ok' AND (o.p_cat > ?) != (n.p_cat > ?)",
        (threshold, old, new, threshold, threshold),
    ).fetchone()
    return int(changed), int(now_cat)
