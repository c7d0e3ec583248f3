"""The Classify tab and its parts: drops, results list, corrections."""
