"""damage rules (being written)."""
