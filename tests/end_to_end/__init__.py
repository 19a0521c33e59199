"""Whole briefs built with the command line and read back with outside tools."""
