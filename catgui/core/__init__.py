"""Headless engine of catgui: NumPy, h5py and Pillow only (never Qt or matplotlib)."""

from catgui.core.errors import CatguiError

__all__ = ["CatguiError"]
