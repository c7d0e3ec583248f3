"""What one Classify row shows (:class:`RowLook`): the key its drawing is cached under."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QStyleOptionViewItem

from catgui.ui.classify.entry import Entry


@dataclass(frozen=True)
class RowLook:
    """Everything a row's drawing depends on besides the style options."""

    entry: Entry
    label: str
    decision: tuple
    selected: bool
    hovered: str | None
    pressed: str | None
    #: ``(key, pixels)`` of the preview, whether its heat map is wanted, the second opinion.
    preview: tuple = ("", None)
    why: bool = False
    second: tuple | None = None

    def cache_key(self, option: QStyleOptionViewItem, dpr: float) -> str:
        e = self.entry
        return (
            f"catgui-row:{e.uid}:{e.name}:{e.corrected!r}:{self.label}:{self.decision!r}:"
            f"{e.probability!r}:{e.unfamiliar}:{self.preview[0]}:{self.why}:{self.second!r}:"
            f"{self.selected}:{self.hovered}:{self.pressed}:{option.rect.width()}x"
            f"{option.rect.height()}@{dpr}:{option.palette.cacheKey()}:{option.font.key()}"
        )
