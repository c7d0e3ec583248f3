"""The one exception type for errors a user can cause."""

from __future__ import annotations


class CatguiError(Exception):
    """A problem a person can understand and act on (bad file, bad value, ...).

    The message names the file (when there is one) and the problem. The CLI prints it and
    exits non-zero; the GUI shows it in the window. Never raised for programming errors.
    """


class TrainingDiverged(CatguiError):
    """Training cannot go on; the last finite parameters are kept.

    ``reason`` says why, as one of the class's constants: :attr:`COST` (the cost became NaN
    or infinite) or :attr:`DEAD_LAYER` (every unit of a hidden layer is zero for every
    picture, so the network can no longer learn). Callers tell the two apart by it, never
    by the message.
    """

    COST = "diverged"
    DEAD_LAYER = "dead layer"

    def __init__(self, message: str, iteration: int, reason: str = COST) -> None:
        super().__init__(message)
        self.iteration = iteration
        self.reason = reason
