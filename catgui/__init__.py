"""catgui: cat or not cat? A desktop app around a small NumPy neural network."""

__version__ = "0.1.0"
