"""Colour rules both renderers follow: tag chips, the TLP banner, text on a coloured ground."""

from __future__ import annotations

from briefkit import document as d
from briefkit.styles import Style

WHITE = "#FFFFFF"


def contrasting_text(background: str) -> str:
    """White on a dark *background*, near-black on a light one (by relative luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return WHITE if luminance < 0.6 else "#1F2328"


def chip_colours(style: Style, tag: d.Tag) -> tuple[str, str, str | None]:
    """Background, text and border colours of a tag chip.

    Likelihood chips are filled with the term's colour; confidence chips are outlined in the
    accent colour; every other tag is a muted outline.
    """
    if tag.kind == "likelihood":
        background = style.colors.likelihood[tag.key]  # type: ignore[index]
        return background, contrasting_text(background), None
    if tag.kind == "confidence":
        accent = style.color("accent")
        return WHITE, accent, accent
    return WHITE, style.color("muted"), style.color("rule")


def tlp_colour(style: Style, tlp: str) -> str:
    """The text colour of a TLP handling banner, which is set on black."""
    return style.colors.tlp.get(tlp, WHITE)  # type: ignore[call-overload]
