"""boilerplate rules (being written)."""
