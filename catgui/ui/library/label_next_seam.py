"""The label-next strip in the Library tab: put above its grid, asking when its grid's
model has scored the library (the tab's seam ``add_widget_above``)."""

from __future__ import annotations

from catgui.ui.library.label_next_strip import LabelNextStrip


def attach(tab) -> LabelNextStrip:
    """Put a strip above the Library tab's grid (its seam ``add_widget_above``), over the
    tab's index; it asks again when the tab's re-scoring for a new model or a scan ends."""
    strip = LabelNextStrip(
        tab.state,
        tab.index_path,
        follow_model=False,
        model_path=lambda: tab.follower.model_path,
        parent=tab,
    )
    tab.add_widget_above(strip)
    tab.follower.ended.connect(strip.refresh)
    tab.scanFinished.connect(lambda _summary: strip.refresh())
    return strip
