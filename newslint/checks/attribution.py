"""attribution rules (being written)."""
