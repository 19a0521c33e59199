"""The PDF renderer (reportlab), its text layer, tags and archive post-pass."""
