"""Classify pictures on disk: one result per picture, errors included, never raised."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from catgui.core import decision, images
from catgui.core.classifier import Classifier
from catgui.core.decision import CAT, NON_CAT  # noqa: F401 - the words a Result uses
from catgui.core.errors import CatguiError
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.parallel import default_workers, map_in_order


@dataclass(frozen=True)
class Result:
    """What the model says about one file; ``error`` is set instead when it could not."""

    path: Path
    probability: float | None = None  # probability of "cat"
    threshold: float = 0.5
    error: str | None = None
    picture: images.Picture | None = None
    #: How like the model's training pictures it is, in [0, 1], where the model can say.
    familiarity: float | None = None

    @property
    def unfamiliar(self) -> bool:
        """ "Unlike anything I was trained on" (:data:`familiarity.UNFAMILIAR_BELOW`)."""
        return self.familiarity is not None and self.familiarity < UNFAMILIAR_BELOW

    @property
    def label(self) -> str | None:
        if self.probability is None:
            return None
        return decision.verdict(self.probability, self.threshold)

    @property
    def confidence(self) -> float | None:
        """Probability of the label given (cat or non-cat), in [0.5, 1]."""
        if self.probability is None:
            return None
        return decision.confidence(self.probability, self.threshold)

    def as_dict(self) -> dict:
        if self.error:
            return {"path": str(self.path), "error": self.error}
        out = {"path": str(self.path), "label": self.label, "probability": self.probability}
        if self.familiarity is not None:
            out.update(familiarity=self.familiarity, unfamiliar=self.unfamiliar)
        return out


def classify_file(
    classifier: Classifier,
    path: str | os.PathLike,
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
) -> Result:
    """Decode and classify one file; a bad file gives a :class:`Result` with ``error``."""
    try:
        picture = images.load(path, thumbnail_size, sizes=(classifier.input_size,))
    except CatguiError as exc:
        return Result(path=Path(path), threshold=threshold, error=str(exc))
    probabilities, known = classifier.assess([picture])
    probability = float(probabilities[0])
    return Result(
        path=picture.path,
        probability=probability,
        threshold=threshold,
        picture=picture,
        familiarity=None if known is None else float(known[0]),
    )


def classify_paths(
    classifier: Classifier,
    inputs: Iterable[str | os.PathLike],
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
    workers: int | None = None,
) -> Iterator[Result]:
    """Classify every picture in ``inputs`` (files and folders, recursively), in order.

    Pictures are decoded a few at a time in a small thread pool (``workers``, default one
    per processor up to 4): Pillow releases the GIL while decoding.
    """

    def one(item: tuple[Path, str | None]) -> Result:
        path, problem = item
        if problem:
            return Result(path=path, threshold=threshold, error=problem)
        return classify_file(classifier, path, threshold, thumbnail_size)

    results = map_in_order(one, images.iter_image_files(inputs), workers)
    try:
        yield from results
    finally:
        results.close()


class ClassifyStep(NamedTuple):
    """One step of :func:`classify_steps`: a file found by the walk, or one classified.

    Attributes
    ----------
    done : int
        Files handled so far (classified or failed).
    total : int
        Files to handle, or 0 while the folders are still being walked.
    found : int
        Files found so far by the walk (equals ``total`` once it is known).
    result : Result or None
        The file just handled, or ``None`` for a step of the walk.
    """

    done: int
    total: int
    found: int
    result: Result | None = None


def classify_steps(
    paths: Sequence[str | Path],
    classifier: Classifier,
    thumbnail_size: int | None = None,
    decoders: int | None = None,
) -> Generator[ClassifyStep, None, None]:
    """Walk ``paths`` (folders recursively), then classify every file found, in order.

    Yields one :class:`ClassifyStep` per file found, then one per file handled (its
    :class:`Result`: a verdict, or an error for a bad file).
    Files are decoded ``decoders`` at a time ahead of the one yielded; closing the
    generator cancels the decoding not yet started.
    """
    todo: list[tuple[Path, str | None]] = []
    for item in images.iter_image_files(paths):
        todo.append(item)
        yield ClassifyStep(0, 0, len(todo))
    total = len(todo)

    def classify(item: tuple[Path, str | None]) -> Result:
        path, problem = item
        if problem:
            return Result(path=path, error=problem)
        return classify_file(classifier, path, thumbnail_size=thumbnail_size)

    results = map_in_order(classify, todo, decoders if decoders is not None else default_workers())
    try:
        for done, result in enumerate(results, start=1):
            yield ClassifyStep(done, total, total, result)
    finally:
        results.close()  # cancels decoding not yet started
