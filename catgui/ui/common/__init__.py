"""Widgets and helpers more than one tab (or the window) uses."""
