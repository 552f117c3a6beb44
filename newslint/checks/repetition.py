"""repetition rules (being written)."""
