"""Data sets described for people, and the images a model is evaluated on in a folder.

:func:`summary_lines` says what a data set is made of (class folders used, parts, split,
augmentation, skipped files); the CLI prints it and the GUI can show it.
:func:`evaluation_split` picks, in an imported folder, the images to evaluate a model on:
the held-out part recorded in the model when it was trained on that folder, else all.
"""

from __future__ import annotations

import numpy as np

from catgui.core.data_source import Source, source_of
from catgui.core.dataset import DataSet, Split
from catgui.core.errors import CatguiError
from catgui.core.folder_images import FolderImages, content_sha256
from catgui.core.words import counted


def evaluation_split(imported: FolderImages, metadata: dict | None) -> tuple[Split, list[str], str]:
    """The images of ``imported`` to evaluate a model with ``metadata`` on.

    Returns the :class:`Split`, the name of each of its images and a sentence saying
    which images they are (and warning when they were training images).
    """
    source = (metadata or {}).get("data_source") or {}
    where = str(imported.folder)
    test = source.get("test") or {}
    split = source.get("split") or {}
    trained_on = any(
        source_of(part) == Source.FOLDER and part.get("path") == where
        for part in source.get("train", [])
    )
    if source_of(test) == Source.HOLDOUT and test.get("path") == where and split.get("test_files"):
        wanted = set(split["test_files"])
        index = [i for i, f in enumerate(imported.files) if f in wanted]
        gone = len(wanted) - len(index)
        note = (
            f"the held-out part recorded in the model: {len(index):,} of {len(imported):,} "
            f"images in {where}"
        )
        if gone:
            note += f" ({gone:,} of the recorded test files are no longer there)"
    else:
        index = list(range(len(imported)))
        note = f"all {counted(len(imported), 'image')} in {where}"
        if trained_on:
            note += (
                " - warning: the model was trained on these images, so this accuracy "
                "says little about new pictures"
            )
    if not index:
        raise CatguiError(
            f"{where}: no images to evaluate the model on (it needs cat/ and/or non-cat/ "
            "subfolders with pictures)"
        )
    idx = np.array(index, dtype=np.int64)
    x, y = imported.x[idx], imported.y[idx]
    return (
        Split(x, y, imported.folder, content_sha256(x, y)),
        [imported.files[i] for i in idx],
        note,
    )


def summary_lines(data: DataSet) -> list[str]:
    """What a data set is made of, for people: class folders used, parts, split, skips."""
    source = getattr(data, "source", None)
    if not source:
        return _article_lines(data)
    lines = []
    for part in source["train"]:
        lines.append(_part_line("Training", part))
    test = source["test"]
    if source_of(test) == Source.HOLDOUT:
        split = source["split"]
        lines.append(
            f"Test: {counted(test['images'], 'image')} ({counted(test['cats'], 'cat')}) held out of "
            f"{test['path']} ({100 * split['share']:g} %, stratified, data seed {split['seed']})"
        )
    else:
        lines.append(_part_line("Test", test))
    aug = source.get("augmentation")
    if aug:
        lines.append(
            f"Augmentation (training part only): {aug['copies']} extra "
            f"cop{'y' if aug['copies'] == 1 else 'ies'} of each image, "
            f"{'flip, ' if aug['flip'] else ''}crop {aug['crop_min']}-{aug['crop_max']} px, "
            f"brightness +/-{100 * aug['brightness']:g} %, seed {aug['seed']}"
        )
    lines.append(f"Split: {source['train_size']:,} training / {source['test_size']:,} test images")
    lines.extend(source.get("notes", []))
    skipped = getattr(data, "skipped", ())
    if skipped:
        lines.append(f"Skipped {len(skipped):,} file(s):")
        lines.extend(f"  {s.reason}" for s in skipped)
    return lines


def _article_lines(data: DataSet) -> list[str]:
    """The article's h5 pair as it is; the indented details are for the full summary."""
    lines = [f"Data: the article's data set in {data.folder}"]
    for role, split in (("training", data.train), ("test", data.test)):
        cats = int(split.y.sum())
        lines.append(
            f"  {role}: {split.path.name}, {counted(len(split), 'image')} ({counted(cats, 'cat')})"
        )
        lines.append(f"    SHA-256 {split.sha256}")
    lines.append("  pictures: 64 x 64 RGB, labelled 1 = cat, 0 = non-cat")
    return lines


def _part_line(role: str, part: dict) -> str:
    what = f"{counted(part['images'], 'image')} ({counted(part['cats'], 'cat')})"
    if source_of(part) == Source.ARTICLE:
        return f"{role}: the article's {role.lower()} set, {what}, {part['path']}"
    folders = ", ".join(f"{n}/ -> {label} ({k:,})" for n, label, k in part["class_folders"])
    text = f"{role}: {what} from {part['path']} [{folders or 'empty'}]"
    if source_of(part) == Source.CORRECTIONS:
        text = f"Corrections (training): {what}, weight {part['weight']}, {part['path']}"
    if part.get("ignored_folders"):
        text += f"; ignored subfolders: {', '.join(part['ignored_folders'])}"
    if part.get("from_cache"):
        text += " (from cache)"
    return text
