"""Portion markings and editions, derived before layout."""
