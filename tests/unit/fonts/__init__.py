"""The fonts."""
