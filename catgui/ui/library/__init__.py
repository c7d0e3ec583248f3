"""The Library tab: a photo collection browsed from its index (the map of the pictures)."""
