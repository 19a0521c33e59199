"""Unit tests, one folder per pass of src/briefkit."""
