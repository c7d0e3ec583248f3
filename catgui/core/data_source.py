"""Where a data set's pictures came from: the one list of data sources.

A data set assembled by :mod:`catgui.core.sources` records each part in its
``data_source`` (stored with every model trained on it) under the key ``"source"``, as
one of :class:`Source`'s values. Model files written before the key was named so say
``"kind"``; :func:`source_of` reads both, so "kind" is left to model kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


class Source(str, Enum):
    """A data source; its value is what records and recipes store (equal to the text)."""

    #: The article's h5 files (its 209 training or 50 test pictures).
    ARTICLE = "article"
    #: A folder of the user's pictures (class subfolders inside).
    FOLDER = "folder"
    #: The share of that folder held out for testing.
    HOLDOUT = "holdout"
    #: The user's corrections (pictures the user relabelled), added to training.
    CORRECTIONS = "corrections"

    def __str__(self) -> str:
        return self.value


#: The key of a part's source in a ``data_source`` record, and the key older files used.
KEY, OLD_KEY = "source", "kind"


def source_of(part: Mapping[str, Any] | None) -> Source | None:
    """The source of one part of a ``data_source`` record; ``None`` if it names none we know."""
    value = (part or {}).get(KEY, (part or {}).get(OLD_KEY))
    try:
        return Source(value)
    except ValueError:
        return None
