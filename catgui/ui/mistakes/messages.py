"""What the Mistakes tab says when it has no mistakes to show."""

from __future__ import annotations

from catgui.ui.mistakes.model import ALL, FALSE_NEGATIVE, FALSE_POSITIVE

#: The grid's words when the filter in use shows nothing.
EMPTY = {
    ALL: "No mistakes: the model gets every test picture right.",
    FALSE_POSITIVE: "No false positives: the model never calls a non-cat a cat.",
    FALSE_NEGATIVE: "No false negatives: the model recognises every cat.",
}


def what_is_missing(no_model: bool, no_data: bool) -> tuple[str, str] | None:
    """The title and text (rich text) saying what the tab waits for; ``None``: nothing."""
    where_data = "Download or locate it on the Train tab, or use File ▸ Open data set folder."
    where_model = "Train one on the Train tab, or use File ▸ Open model."
    if no_model and no_data:
        return (
            "No data set and no model yet",
            f"The test pictures are not loaded. {where_data}<br>No model is active. {where_model}",
        )
    if no_data:
        return (
            "The test pictures are not loaded",
            f"Mistakes are shown on the article's 50 test pictures. {where_data}",
        )
    if no_model:
        return (
            "No model is active",
            f"Mistakes need a model to judge the test pictures. {where_model}",
        )
    return None
