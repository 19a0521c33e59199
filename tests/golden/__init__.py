"""The examples' outputs against the stored golden copies beside this file."""
