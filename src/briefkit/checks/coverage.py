"""Characters a brief's style cannot show: found at check time, without rendering anything.

Each font's coverage comes from ``fonts.codepoints`` (a cached cmap, so neither reportlab nor
fontTools is imported once the cache is warm). A field with such characters gets one located
line naming the scripts, a count and a sample, never one line per character.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from briefkit import fonts
from briefkit.checks.references import iter_strings
from briefkit.diagnostics import Diagnostic, Severity
from briefkit.reading.source import SourceDocument
from briefkit.style.sheet import Style

_SAMPLE_LENGTH = 24
_EDGE_PUNCTUATION = ".,;:!?()[]{}«»\"'“”‘’"


def script_of(ch: str) -> str:
    """A readable name for the script or kind of *ch*, from its Unicode name."""
    name = unicodedata.name(ch, "")
    if not name:
        return "unnamed"
    if unicodedata.category(ch)[0] == "S":
        return "symbol"
    if name.startswith(("CJK ", "KANGXI", "IDEOGRAPHIC")):
        return "CJK"
    return name.split()[0].title()


def uncovered(source: SourceDocument, style: Style) -> list[Diagnostic]:
    """A warning for each text field holding characters no font of *style* can show."""
    covered = [fonts.codepoints(family) for family in style.fonts.families()]
    problems = []
    for loc, text in iter_strings(source.data):
        lacking = set(fonts.missing(text, *covered))
        if not lacking:
            continue
        counts = Counter(script_of(ch) for ch in text if ch in lacking)
        parts = [
            f"{count} {script} character{'s' if count > 1 else ''} "
            f"(e.g. '{_sample(text, lacking, script)}')"
            for script, count in counts.most_common()
        ]
        message = (
            f"{' and '.join(parts)} {'has' if sum(counts.values()) == 1 else 'have'} no font in "
            f"style '{style.name}' and would print as blank boxes; add a font that has them to "
            "the repository's fonts/ folder and to fonts.fallback in its style sheet"
        )
        problems.append(source.diagnostic(loc, message, severity=Severity.WARNING))
    return problems


def uncovered_words(
    source: SourceDocument, style: Style, messages: dict[str, str]
) -> list[Diagnostic]:
    """A warning, at the brief's ``language``, when the fixed words of its language (its
    catalogue and the style's labels) hold characters no font of *style* can show."""
    covered = [fonts.codepoints(family) for family in style.fonts.families()]
    text = " ".join(messages.values())
    lacking = set(fonts.missing(text, *covered))
    if not lacking:
        return []
    scripts = Counter(script_of(ch) for ch in text if ch in lacking)  # in the text's order
    names = " and ".join(scripts)
    message = (
        f"the labels of this language are in {names} script, which style '{style.name}' has no "
        "font for: they would print as blank boxes; add a fallback font that has them (e.g. "
        "fonts.fallback in the style sheet)"
    )
    where = ("language",) if "language" in (source.data or {}) else ()
    return [source.diagnostic(where, message, severity=Severity.WARNING)]


def _sample(text: str, lacking: set[str], script: str) -> str:
    """The first word of *text* with a lacking character of *script*, shortened if long."""
    for word in text.split():
        word = word.strip(_EDGE_PUNCTUATION)
        if any(ch in lacking and script_of(ch) == script for ch in word):
            return word if len(word) <= _SAMPLE_LENGTH else word[:_SAMPLE_LENGTH] + "…"
    return ""
