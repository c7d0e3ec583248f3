"""Sweeps off the GUI thread: :class:`SweepWorker` drives a generator of
:mod:`catgui.core.sweeps` (a seed or learning-rate sweep, or k-fold cross-validation)
with the generic :class:`~catgui.workers.generator.GeneratorWorker`.
"""

from __future__ import annotations

from typing import Any

from catgui.workers.generator import GeneratorWorker

#: Progress signals a second at most (as for a training run, see ``workers/train.py``).
MAX_SIGNALS_PER_SECOND = 10


class SweepWorker(GeneratorWorker):
    """Run a sweep generator in a thread; never lose a step that ends a run.

    Uses the generic signals: ``stepped(SweepProgress)`` (throttled, but every step that
    carries a finished run's ``record`` is sent at once), ``returned(result)`` (the list
    of records, or a ``CrossValidation``), ``failed(str)`` and ``interrupted()``.
    """

    max_per_second = MAX_SIGNALS_PER_SECOND
    task = "the sweep"

    def sends_at_once(self, step: Any, first: bool) -> bool:
        return first or getattr(step, "record", None) is not None
