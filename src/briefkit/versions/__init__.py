"""Revisions in git, the semantic diff and the "What changed" box."""
