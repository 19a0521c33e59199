"""Reading a brief's source: YAML with positions, files within limits."""
