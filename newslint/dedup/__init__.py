"""Near-duplicate detection (being written)."""
