"""The reading pass."""
