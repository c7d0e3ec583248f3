"""Entry point of the window (imports Qt lazily so the CLI starts fast).

``catgui`` (:func:`catgui.cli.main`) opens the window through :func:`run_gui` when it is
given no command; ``catgui-window`` calls :func:`run_gui` directly.
"""

from __future__ import annotations


def run_gui(files: list[str] | None = None) -> int:
    """Open the main window; return the exit status."""
    from catgui.ui.application import run

    return run(files or [])
