"""The Mistakes tab and its parts: summary, threshold, grid of mistakes."""
