"""A style sheet's ``labels``: house wording per language, checked where it is written.

A label replaces one message of the catalogues, so it must say what the message says in the
same frame: the same ``{placeholders}``, written plainly (no conversions, format specs or
literal braces, which the renderers could not fill the same way), and some text.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from briefkit.diagnostics import Diagnostic
from briefkit.i18n.messages import MESSAGES
from briefkit.reading.source import SourceDocument

# Labels drawn as one large line (the watermark turned across the page: its picture in the
# Word document grows with the square of the text's length).
MAX_CHARS = {"mark.draft": 40}


def label_problems(
    labels: Mapping[str, Mapping[str, str]], doc: SourceDocument
) -> list[Diagnostic]:
    """Every problem of *labels*, each at the line that wrote it (in whichever sheet of an
    ``extends`` chain that is)."""
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for tag, messages in labels.items():
        canonical = tag.lower().replace("_", "-")
        if canonical in seen:
            message = f"labels for '{tag}' are given twice (also as '{seen[canonical]}'); "
            problems.append(doc.diagnostic(("labels", tag), message + "merge them", key=True))
        seen[canonical] = tag
        for key, text in messages.items():
            problem = label_problem(key, text)
            if problem:
                problems.append(doc.diagnostic(("labels", tag, key), problem))
    return problems


def label_problem(key: str, text: str) -> str | None:
    """What is wrong with *text* as the label *key*, or None."""
    english = MESSAGES[key]
    wanted = sorted(_names(english) or ())
    shown = ", ".join(f"{{{name}}}" for name in wanted) or "none"
    if not text.strip():
        return f"label '{key}' is empty; write its words (in English: '{english}')"
    if key in MAX_CHARS and len(text) > MAX_CHARS[key]:
        return (
            f"label '{key}' has {len(text):,} characters; it is drawn across the page, "
            f"which holds at most {MAX_CHARS[key]}"
        )
    names = _names(text)
    if names is None:
        return (
            f"label '{key}' has braces that are not a placeholder; placeholders are written "
            f"{{name}}, nothing else inside the braces, and a label has no other braces "
            f"(this one takes: {shown})"
        )
    if names and not wanted:
        extra = ", ".join(f"{{{name}}}" for name in names)
        return f"label '{key}' takes no placeholders; remove {extra}"
    if sorted(names) != wanted:
        return (
            f"label '{key}' must use the placeholders {shown}, each once, as the English "
            f"'{english}' does"
        )
    return None


def _names(text: str) -> list[str] | None:
    """The placeholder names of *text*, in order; None when a brace is not a plain one."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:  # an unmatched brace
        return None
    for literal, name, spec, conversion in parsed:
        if "{" in literal or "}" in literal:  # an escaped brace
            return None
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.append(name)
    return names
