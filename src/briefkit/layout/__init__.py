"""The layout pass: a brief becomes the frozen document IR every renderer reads."""
