"""Helpers for catgui's long work, written as generators: steps yielded, a result returned.

Training, extraction, sweeps and downloads yield progress and *return* their result
(``StopIteration.value``); these two helpers are the one place that unwraps it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, TypeVar

Step = TypeVar("Step")
Mapped = TypeVar("Mapped")
Result = TypeVar("Result")


def run_to_end(
    steps: Generator[Step, Any, Result], each: Callable[[Step], Any] | None = None
) -> Result:
    """Drive ``steps`` to its end without watching (``each`` sees every step); its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            return end.value
        if each is not None:
            each(step)


def mapped(
    steps: Generator[Step, Any, Result], change: Callable[[Step], Mapped]
) -> Generator[Mapped, None, Result]:
    """Yield ``change(step)`` for each step; return what ``steps`` returns (``yield from``
    it to re-yield another generator's progress in other terms). Closing it closes ``steps``.
    """
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as end:
                return end.value
            yield change(step)
    finally:
        steps.close()
