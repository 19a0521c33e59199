"""Numbers in the reader's digits: apart from the document model so that the catalogues
(:mod:`briefkit.i18n`, which ``check`` loads) need not import it."""

from __future__ import annotations

LATIN_DIGITS = "0123456789"


def in_digits(text: str, digits: str) -> str:
    """*text* with its digits 0-9 written in *digits* (a numbering system's ten)."""
    if digits == LATIN_DIGITS:
        return text
    return text.translate(str.maketrans(LATIN_DIGITS, digits))
