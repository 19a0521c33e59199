"""Style sheets: read, inherited and validated."""
