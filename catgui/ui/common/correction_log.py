"""The corrections made from the Classify and Library tabs, with undo (a QObject, no widget).

Each correction copies the picture into the user's corrections folder through
:class:`catgui.core.corrections.Corrections` (the original is only read). The log keeps
what each correction changed, so it can be taken back exactly: a copy that was new is
removed, a copy that was already there stays, and a picture moved from the other class
(the user changed their mind) goes back to it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core.corrections import Correction, Corrections
from catgui.core.errors import CatguiError


@dataclass(frozen=True)
class Done:
    """One correction as made: enough to take it back."""

    source: Path  # the picture the user corrected (a row's path)
    correction: Correction  # the stored copy
    was_there: bool  # the same copy was stored already
    replaced: tuple[Correction, ...]  # copies of the other class it replaced
    row_before: bool | None  # what the row said before (None: not corrected)


class CorrectionLog(QObject):
    """Adds, undoes and removes corrections; reports problems as messages.

    Parameters
    ----------
    folder
        The corrections folder; default: the user's (looked up at each use).

    Signals
    -------
    changed()
        The stored corrections changed (count them again).
    failed(str)
        A correction could not be saved, undone or removed; the message names the file.
    """

    changed = Signal()
    failed = Signal(str)

    def __init__(self, folder: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._done: list[Done] = []

    @property
    def store(self) -> Corrections:
        return Corrections(self._folder)

    def count(self) -> int:
        return self.store.count()["total"]

    def entries(self) -> list[Correction]:
        return self.store.list()

    def can_undo(self) -> bool:
        return bool(self._done)

    def last_for(self, source: Path) -> Done | None:
        """The latest correction of ``source`` still in the undo list."""
        return next((d for d in reversed(self._done) if d.source == Path(source)), None)

    def correct(
        self, source: str | Path, is_cat: bool, row_before: bool | None = None
    ) -> Done | None:
        """Store a copy of ``source`` as a cat (or not); None (and :attr:`failed`) on error."""
        store = self.store
        try:
            before = set(store.list())
            correction = store.add(source, is_cat)
            after = set(store.list())
        except CatguiError as exc:
            self.failed.emit(f"The correction was not saved. {exc}")
            return None
        done = Done(
            Path(source),
            correction,
            correction in before,
            tuple(sorted(before - after, key=lambda c: c.path.name)),
            row_before,
        )
        self._done.append(done)
        self.changed.emit()
        return done

    def undo(self, done: Done | None = None) -> Done | None:
        """Take back ``done`` (default: the latest correction); returns it, or None."""
        if done is None:
            if not self._done:
                return None
            done = self._done[-1]
        if done not in self._done:
            return None
        store = self.store
        try:
            for old in done.replaced:
                _restore(store, done.correction, old)
            if not done.was_there and not done.replaced:
                store.remove(done.correction)
        except CatguiError as exc:
            self.failed.emit(f"The correction could not be undone. {exc}")
            return None
        self._done.remove(done)
        self.changed.emit()
        return done

    def remove(self, correction: Correction) -> bool:
        """Delete a stored copy (from the review dialog); False (and :attr:`failed`) on error."""
        try:
            self.store.remove(correction)
        except CatguiError as exc:
            self.failed.emit(f"The correction was not removed. {exc}")
            return False
        self._done = [d for d in self._done if d.correction != correction]
        self.changed.emit()
        return True


def _restore(store: Corrections, current: Correction, old: Correction) -> None:
    """Put ``old`` (same picture, other class) back, from the copy now stored as ``current``."""
    folder = Path(tempfile.mkdtemp(prefix="catgui-undo-"))
    try:
        temp = folder / old.original_name
        try:
            shutil.copyfile(current.path, temp)
        except OSError as exc:
            raise CatguiError(f"{current.path}: cannot be read ({exc.strerror or exc})") from None
        store.add(temp, old.is_cat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
