"""Counts in words: "1 image", "2 images", "1,600 cats" (never "1 images")."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, the noun in the plural unless ``n`` is 1 (``plural`` if given,
    else ``noun + "s"``); thousands separated."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
