"""The shape every tab of the main window has, so the window treats them all alike."""

from __future__ import annotations

from typing import ClassVar, Protocol


class Tab(Protocol):
    """A tab of the main window.

    Every tab is built as ``Tab(state, settings=None, parent=None)``: the window's
    :class:`~catgui.ui.app_state.AppState`, the ``QSettings`` it remembers things in
    (``None``: the application's ``QSettings()``) and the parent widget. The constructor
    ends by calling :meth:`load_settings`.
    """

    #: What the window remembers the selected tab by (``"train"``, ``"classify"`` ...).
    NAME: ClassVar[str]

    def load_settings(self) -> None:
        """Show what was remembered in the tab's settings."""

    def save_settings(self) -> None:
        """Remember what the tab shows, for the next start."""

    def shutdown(self) -> None:
        """Stop the tab's work and wait for its threads (the window is closing)."""
