"""The one exception type for errors a user can cause."""

from __future__ import annotations


class CatguiError(Exception):
    """A problem a person can understand and act on (bad file, bad value, ...).

    The message names the file (when there is one) and the problem. The CLI prints it and
    exits non-zero; the GUI shows it in the window. Never raised for programming errors.
    """


class TrainingDiverged(CatguiError):
    """The cost became NaN or infinite; the last finite parameters are kept."""

    def __init__(self, message: str, iteration: int) -> None:
        super().__init__(message)
        self.iteration = iteration
