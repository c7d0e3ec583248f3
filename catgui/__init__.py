"""catgui: cat or not cat? A desktop app that answers for pictures and lets you retrain it."""

__version__ = "0.1.0"
