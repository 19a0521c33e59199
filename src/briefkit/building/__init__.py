"""Building briefs: one or many, incremental, atomic, watched."""
