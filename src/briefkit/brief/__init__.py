"""The brief: its model, vocabularies, parts and marking scheme."""
