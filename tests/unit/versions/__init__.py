"""Revisions and the semantic diff."""
