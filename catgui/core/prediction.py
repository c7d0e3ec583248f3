"""Classify pictures on disk: one result per picture, errors included, never raised."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from catgui.core import decision, images
from catgui.core.batched import BATCH, batched_in_order
from catgui.core.classifier import Classifier
from catgui.core.decision import CAT, NON_CAT  # noqa: F401 - the words a Result uses
from catgui.core.errors import CatguiError
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.parallel import default_workers


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


#: A file as the decoding threads leave it: its path, and its picture or the problem.
Decoded = tuple[Path, "images.Picture | None", "str | None"]


def decode_file(
    classifier: Classifier, item: tuple[Path, str | None], thumbnail_size: int | None = None
) -> Decoded:
    """Decode one file found by the walk at the classifier's side (never raises)."""
    path, problem = item
    if problem:
        return Path(path), None, problem
    try:
        picture = images.load(path, thumbnail_size, sizes=(classifier.input_size,))
    except CatguiError as exc:
        return Path(path), None, str(exc)
    return picture.path, picture, None


def classify_decoded(
    classifier: Classifier, decoded: Sequence[Decoded], threshold: float = 0.5
) -> list[Result]:
    """Results of a batch of decoded files: the pictures through the model at once
    (:meth:`Classifier.assess`: one backbone pass for the backbone kinds)."""
    ok = [picture for _, picture, _ in decoded if picture is not None]
    probabilities, known = classifier.assess(ok) if ok else ([], None)
    results, k = [], 0
    for path, picture, problem in decoded:
        if picture is None:
            results.append(Result(path=path, threshold=threshold, error=problem))
            continue
        results.append(
            Result(
                path=path,
                probability=float(probabilities[k]),
                threshold=threshold,
                picture=picture,
                familiarity=None if known is None else float(known[k]),
            )
        )
        k += 1
    return results


def classify_file(
    classifier: Classifier,
    path: str | os.PathLike,
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
) -> Result:
    """Decode and classify one file; a bad file gives a :class:`Result` with ``error``."""
    decoded = decode_file(classifier, (Path(path), None), thumbnail_size)
    return classify_decoded(classifier, [decoded], threshold)[0]


def classify_items(
    classifier: Classifier,
    items: Iterable[tuple[Path, str | None]],
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
    decoders: int | None = None,
    batch: int | None = None,
) -> Iterator[Result]:
    """Classify files found by a walk, in order: decoded ahead in ``decoders`` threads,
    through the model a batch at a time (:mod:`catgui.core.batched`; the first batch is
    one file, so the first verdict comes at once)."""
    return batched_in_order(
        lambda item: decode_file(classifier, item, thumbnail_size),
        lambda decoded: classify_decoded(classifier, decoded, threshold),
        items,
        batch=BATCH if batch is None else batch,
        first=1,
        decoders=decoders,
    )


def classify_paths(
    classifier: Classifier,
    inputs: Iterable[str | os.PathLike],
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
    workers: int | None = None,
) -> Iterator[Result]:
    """Classify every picture in ``inputs`` (files and folders, recursively), in order
    (:func:`classify_items`; ``workers`` decoding threads, default one per processor up
    to 4)."""
    results = classify_items(
        classifier, images.iter_image_files(inputs), threshold, thumbnail_size, workers
    )
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
    Files are decoded ``decoders`` at a time ahead of the batch the model runs on
    (:func:`classify_items`); closing the generator cancels the decoding not yet started.
    """
    todo: list[tuple[Path, str | None]] = []
    for item in images.iter_image_files(paths):
        todo.append(item)
        yield ClassifyStep(0, 0, len(todo))
    total = len(todo)

    results = classify_items(
        classifier,
        todo,
        thumbnail_size=thumbnail_size,
        decoders=decoders if decoders is not None else default_workers(),
    )
    try:
        for done, result in enumerate(results, start=1):
            yield ClassifyStep(done, total, total, result)
    finally:
        results.close()  # cancels decoding not yet started
