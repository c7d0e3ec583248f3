"""Fixed labels: training pictures the user relabelled or excluded, kept beside the data.

A data set's h5 file or photos are never changed. What the user decided about a
suspicious label (:mod:`catgui.core.suspects`) is one small JSON file in the user data
folder, ``label-fixes.json``, written atomically::

    {"version": 1,
     "sets": {"<data set>": {"relabel": {"<picture>": 1, ...}, "exclude": ["<picture>", ...]}}}

``<data set>`` is the data set's fingerprint: ``article:`` and the SHA-256 of the
article's training pictures and labels, or ``folder:`` and the folder's absolute path (a
folder's stat fingerprint changes with every photo added, which would lose the fixes).
``<picture>`` is, as for the corrections, the picture's content: the first 16 hex digits
of the SHA-256 of its 64x64 square (the pixels training reads), so a fix follows a
picture that is renamed or moved within its folder.

Nothing read back is trusted: a file that is not this JSON is ignored (and replaced by
the next fix), and entries of the wrong shape are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catgui.core import atomic
from catgui.core.paths import user_data_dir

FILE_NAME = "label-fixes.json"
VERSION = 1
KEY_DIGITS = 16
#: The largest fixes file read (a real one holds a few hundred short entries).
MAX_BYTES = 8 << 20


def default_path() -> Path:
    return user_data_dir() / FILE_NAME


def article_key(train_sha256: str) -> str:
    """The fingerprint of the article's training set (its :attr:`Split.sha256`)."""
    return f"article:{train_sha256}"


def folder_key(folder: str | os.PathLike) -> str:
    """The fingerprint of a folder data set: its absolute path."""
    return f"folder:{Path(folder).resolve()}"


def picture_keys(x: np.ndarray) -> list[str]:
    """Each picture's key: the first :data:`KEY_DIGITS` hex digits of the SHA-256 of its
    ``(64, 64, 3)`` uint8 square; ``x`` is ``(m, 64, 64, 3)``."""
    return [
        hashlib.sha256(np.ascontiguousarray(img, dtype=np.uint8).tobytes()).hexdigest()[:KEY_DIGITS]
        for img in x
    ]


@dataclass
class SetFixes:
    """One data set's fixes: ``relabel`` (picture key -> 0 or 1) and ``exclude`` (keys)."""

    relabel: dict[str, int] = field(default_factory=dict)
    exclude: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.relabel) + len(self.exclude)

    def state(self, key: str) -> str | int | None:
        """``"exclude"``, the new label (0 or 1), or ``None`` (left as it is)."""
        if key in self.exclude:
            return "exclude"
        return self.relabel.get(key)

    def apply(self, x: np.ndarray, y: np.ndarray, names: list[str]) -> tuple:
        """``(x, y, names, relabelled, excluded)`` with the fixes applied to pictures ``x``
        ``(m, 64, 64, 3)``, labels ``y`` ``(m,)`` and their ``names``."""
        if not len(self):
            return x, y, names, 0, 0
        keys = picture_keys(x)
        keep = np.array([k not in self.exclude for k in keys], dtype=bool)
        new_y = np.asarray(y).copy()
        relabelled = 0
        for i, k in enumerate(keys):
            if keep[i] and k in self.relabel and int(new_y[i]) != self.relabel[k]:
                new_y[i] = self.relabel[k]
                relabelled += 1
        kept = [n for n, k in zip(names, keep) if k]
        return x[keep], new_y[keep], kept, relabelled, int((~keep).sum())


class LabelFixes:
    """The fixes file (``label-fixes.json`` in the user data folder unless another is given)."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()

    def _read(self) -> dict[str, SetFixes]:
        try:
            if self.path.stat().st_size > MAX_BYTES:
                return {}
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        sets = raw.get("sets") if isinstance(raw, dict) and raw.get("version") == VERSION else None
        if not isinstance(sets, dict):
            return {}
        found = {}
        for name, entry in sets.items():
            if not isinstance(entry, dict):
                continue
            relabel = entry.get("relabel")
            exclude = entry.get("exclude")
            fixes = SetFixes()
            if isinstance(relabel, dict):
                fixes.relabel = {
                    k: v for k, v in relabel.items() if _is_key(k) and v in (0, 1) and v is not True
                }
            if isinstance(exclude, list):
                fixes.exclude = {k for k in exclude if _is_key(k)}
            found[str(name)] = fixes
        return found

    def digest(self) -> str:
        """A digest of every fix recorded (``""`` when there is none): it changes when a
        fix does, so a data set prepared before can be told apart."""
        every = self._read()
        if not any(len(f) for f in every.values()):
            return ""
        text = json.dumps(
            {k: [sorted(f.relabel.items()), sorted(f.exclude)] for k, f in sorted(every.items())}
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def of(self, set_key: str) -> SetFixes:
        """The fixes of one data set (empty when there are none)."""
        return self._read().get(set_key, SetFixes())

    def set(self, set_key: str, picture: str, state: str | int | None) -> None:
        """Record ``picture``'s fix in ``set_key``: ``"exclude"``, a label 0 or 1, or
        ``None`` to take the fix back. Written atomically."""
        if not _is_key(picture):
            raise ValueError(f"not a picture key: {picture!r}")
        every = self._read()
        fixes = every.setdefault(set_key, SetFixes())
        fixes.relabel.pop(picture, None)
        fixes.exclude.discard(picture)
        if state == "exclude":
            fixes.exclude.add(picture)
        elif state in (0, 1):
            fixes.relabel[picture] = int(state)
        elif state is not None:
            raise ValueError(f"a fix is 'exclude', 0, 1 or None, not {state!r}")
        if not len(fixes):
            del every[set_key]
        document = {
            "version": VERSION,
            "sets": {
                name: {"relabel": dict(sorted(f.relabel.items())), "exclude": sorted(f.exclude)}
                for name, f in sorted(every.items())
            },
        }
        data = (json.dumps(document, indent=1) + "\n").encode()
        atomic.write(self.path, lambda out: out.write(data), overwrite=True, what="label fixes")


def _is_key(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) == KEY_DIGITS
        and all(c in "0123456789abcdef" for c in value)
    )
