"""The checks a brief passes before it is laid out."""
