"""Renderers: Document + Style → bytes of one output format."""
