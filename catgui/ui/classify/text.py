"""Words the Classify tab uses for a row: verdicts, tooltips, the summary line, the band."""

from __future__ import annotations

from collections import Counter

from catgui.ui.classify.entry import CAT, ERROR, NON_CAT, UNSURE, Entry


def describe(entry: Entry, label: str | None = None) -> str:
    """One sentence about a row, for tooltips and screen readers.

    ``label`` is the row's label under the tab's threshold and unsure band (default:
    the entry's own label at 0.5 and the default band).
    """
    if entry.error is not None:
        return entry.error
    p = entry.probability
    label = label or entry.label
    if label == UNSURE:
        verdict = "unsure — too close to call"
    elif label == CAT:
        verdict = "a cat"
    else:
        verdict = "not a cat"
    text = f"{entry.path}\n{verdict}: probability of cat {p:.3f}"
    if entry.unfamiliar:
        text += (
            "\nUnlike anything the model was trained on: this picture is farther from every "
            "training picture than they are from one another, so its verdict means little"
        )
    if entry.corrected is not None:
        text += f"\nYou said: {'cat' if entry.corrected else 'not a cat'} (kept in corrections)"
    return text


def _percent(x: float) -> str:
    if x >= 0.995:
        return "> 99 %"
    return f"{100 * x:.0f} %"


def verdict_text(p: float, label: str) -> str:
    """The words beside the label chip, e.g. ``"85 % cat"``, for a probability ``p`` of cat."""
    if label == UNSURE:
        return f"too close to call ({_percent(p)} cat)"
    if label == CAT:
        return f"{_percent(p)} cat"
    return f"{_percent(1.0 - p)} not a cat"


def band_text(band: tuple[float, float]) -> str:
    """``"Unsure: 40–60 %"`` (or ``"Never unsure"`` for an empty band); short, so the
    Classify header keeps room for its summary in a narrow window."""
    low, high = band
    if high <= low:
        return "Never unsure"
    return f"Unsure: {100 * low:.0f}–{100 * high:.0f} %"


def summary_text(counts: Counter) -> str:
    """``"12 pictures: 7 cats, 3 non-cats, 1 unsure, 1 error"`` (empty parts left out)."""
    total = sum(counts.values())
    if not total:
        return "No pictures yet"
    parts = []
    for key, one, many in (
        (CAT, "cat", "cats"),
        (NON_CAT, "non-cat", "non-cats"),
        (UNSURE, "unsure", "unsure"),
        (ERROR, "error", "errors"),
    ):
        n = counts.get(key, 0)
        if n:
            parts.append(f"{n:,} {one if n == 1 else many}")
    noun = "picture" if total == 1 else "pictures"
    return f"{total:,} {noun}: " + ", ".join(parts)
