"""dates rules (being written)."""
