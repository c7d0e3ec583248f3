"""The Library tab: a photo collection's index, browsed, corrected and taught from."""
