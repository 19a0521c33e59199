"""Portion markings and editions."""
