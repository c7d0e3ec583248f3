"""The Library tab: a photo collection scanned into the library index, as a grid (and a
map of its pictures, its near-copies)."""
