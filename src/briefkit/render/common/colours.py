"""Colour rules both renderers follow: tag chips, the TLP banner, text on a coloured ground."""

from __future__ import annotations

from briefkit.layout import document as d
from briefkit.style.sheet import Style

WHITE = "#FFFFFF"


DARK = "#1F2328"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrasting_text(background: str) -> str:
    """White or near-black, whichever contrasts more with *background* (WCAG 2 ratio), so chip
    text stays readable on every likelihood colour."""
    return WHITE if contrast(WHITE, background) >= contrast(DARK, background) else DARK


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


def tint(colour: str, share: float) -> str:
    """*colour* mixed with white, *share* of it kept (1: the colour, 0: white)."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in channels)


def readable_tint(colour: str, text: str) -> str:
    """The deepest tint of *colour* on which *text* keeps WCAG AA contrast (4.5:1)."""
    for share in (1.0, 0.5, 0.25, 0.15):
        if contrast(tint(colour, share), text) >= 4.5:
            return tint(colour, share)
    return WHITE


def tlp_colour(style: Style, tlp: str) -> str:
    """The text colour of a TLP handling banner, which is set on black."""
    return style.colors.tlp.get(tlp, WHITE)  # type: ignore[call-overload]
