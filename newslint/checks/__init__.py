"""Checks: the rules written in code, and the declarative rule kinds."""
