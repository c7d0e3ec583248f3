"""The CLI's subcommands, one module each; :mod:`catgui.cli` parses and dispatches."""

from __future__ import annotations

from pathlib import Path

from catgui.core.errors import CatguiError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def model_path(text: str) -> Path:
    from catgui.core.paths import default_model_path

    return default_model_path() if text == "default" else Path(text)


def check_threshold(value: float) -> None:
    if not 0.0 < value < 1.0:
        raise CatguiError(f"threshold must be between 0 and 1, got {value}")


def threshold(text: str) -> float:
    """``--threshold``'s type: a number strictly between 0 and 1, else wrong usage (exit 2)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value < 1.0:  # also NaN
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (exclusive), got {text}")
    return value


def folder_name(text: str) -> str:
    """A flag's folder: an empty one is wrong usage (exit 2), never "the default"."""
    import argparse

    if not text.strip():
        raise argparse.ArgumentTypeError("needs a folder, got an empty name")
    return text
