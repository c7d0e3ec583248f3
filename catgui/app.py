"""Entry point of the window (imports Qt lazily so the CLI starts fast)."""

from __future__ import annotations

import sys


def run_gui(files: list[str] | None = None) -> int:
    """Open the main window; return the exit status."""
    from catgui.ui.application import run

    return run(files or [])


def main() -> int:
    """``catgui`` console/GUI entry: no arguments opens the window."""
    from catgui.cli import main as cli_main

    return cli_main(sys.argv[1:])
