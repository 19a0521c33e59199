"""Check that every quoted excerpt really appears in its source's local text.

Both the quote and the source text are compared after the same normalisation: Unicode NFC (so
a decomposed "é" equals a composed one), the compatibility forms that never change what a text
says (ligatures such as "ﬁ", full- and half-width forms, Arabic presentation forms, no-break
spaces, "…" for "..."), invisible soft hyphens, zero-width spaces and the spaces inside French
guillemets dropped, and whitespace, quote marks (every language's, as the layout prints them:
layout/quotes.py), apostrophes and dashes unified. Superscripts, fractions, circled numbers
and other forms that carry meaning are kept. A quote that differs in any other way (a changed word,
different case, an ellipsis for omitted text) is not verbatim, and the message says where the
first difference is and what kind it is.

The check reads the positioned data, not the validated model, so quote problems are reported in
the same run as every other problem of the file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from briefkit.building.repository import repository_root
from briefkit.diagnostics import Diagnostic, Severity
from briefkit.reading.files import InputFileError, read_regular
from briefkit.reading.source import SourceDocument

# A source text is an article or a report, not a corpus: larger files are refused rather than
# read into memory (and normalised) whole.
MAX_SOURCE_TEXT_BYTES = 16 * 1024 * 1024

APOSTROPHES = "'‘’‚‛′`ʼʹ＇‹›"
QUOTE_MARKS = '"“”„‟″«»＂「」『』'
DASHES = "-‐‑‒–—―−"
INVISIBLE = "\u00ad\u200b\u2060\ufeff"  # soft hyphen, zero-width space, word joiner, BOM

# Compatibility decompositions that only change how a text looks, never what it says.
_SAFE_COMPATIBILITY = {
    "<compat>",
    "<noBreak>",
    "<initial>",
    "<medial>",
    "<final>",
    "<isolated>",
    "<wide>",
    "<narrow>",
    "<vertical>",
    "<small>",
}


class _Folding(dict[int, str | None]):
    """A str.translate table computed per character on first use."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        result: str | None = char
        if char in INVISIBLE:
            result = None
        elif char in APOSTROPHES:
            result = "'"
        elif char in QUOTE_MARKS:
            result = '"'
        elif char in DASHES:
            result = "-"
        elif code > 0x7F:
            tag = unicodedata.decomposition(char).split(" ", 1)[0]
            if tag in _SAFE_COMPATIBILITY:
                folded = unicodedata.normalize("NFKC", char)
                result = folded.translate(self) if folded != char else char
        self[code] = result
        return result


_FOLDING = _Folding()


# the space French sets inside guillemets, « comme ceci », is typography, not text
_GUILLEMET_SPACE = re.compile(r"(?<=[«‹])\s+|\s+(?=[»›])")


def normalise(text: str) -> str:
    """The form quotes and source texts are compared in (see the module's docstring)."""
    text = _GUILLEMET_SPACE.sub("", unicodedata.normalize("NFC", text))
    folded = text.translate(_FOLDING)
    return " ".join(unicodedata.normalize("NFC", folded).split())


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return [(index, item) for index, item in enumerate(values) if isinstance(item, dict)]


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def check_quotes(doc: SourceDocument) -> list[Diagnostic]:
    """Every quote whose source names a local text, checked against that text; works on a
    brief with other errors too (parts that are not well-formed are skipped)."""
    problems: list[Diagnostic] = []
    root = repository_root(doc.path)
    texts: dict[str, str | None] = {}
    for index, source in _items(doc.data, "sources"):
        name, ident = _text(source, "text"), source.get("id")
        if name is None or not isinstance(ident, str):
            continue
        text, problem = _read_source_text(doc, index, name, root)
        texts[ident] = text
        if problem is not None:
            problems.append(problem)

    for index, evidence in _items(doc.data, "evidence"):
        quote, cited = _text(evidence, "quote"), evidence.get("source")
        text = texts.get(cited) if isinstance(cited, str) else None
        if quote is None or text is None:
            continue
        normalised = normalise(quote)
        if normalised in text:
            continue
        problems.append(
            doc.diagnostic(
                ("evidence", index, "quote"),
                f"quote not found in the text of source '{cited}'{explain(normalised, text)} "
                "(quotes must be verbatim; only whitespace, quote marks, apostrophes, dashes "
                "and the form of accents and ligatures may differ)",
            )
        )
    return problems


def _read_source_text(
    doc: SourceDocument, index: int, name: str, root: Path
) -> tuple[str | None, Diagnostic | None]:
    loc = ("sources", index, "text")
    target = (doc.path.parent / name).resolve()
    if not target.is_relative_to(root):
        message = f"'{name}' is outside the brief repository {root}; keep source texts inside it"
        return None, doc.diagnostic(loc, message)
    if not target.exists():
        message = f"source text '{name}' not found; quotes from this source are not verified"
        return None, doc.diagnostic(loc, message, severity=Severity.WARNING)
    try:
        raw = read_regular(target, MAX_SOURCE_TEXT_BYTES)
    except InputFileError as exc:
        return None, doc.diagnostic(loc, f"source text '{name}' {exc}")
    try:
        return normalise(raw.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        message = (
            f"source text '{name}' is not UTF-8 text (byte {exc.start:,} is "
            f"0x{raw[exc.start]:02x}); save it as UTF-8"
        )
        return None, doc.diagnostic(loc, message)


# --- explaining a quote that was not found ------------------------------------------------------


def _loose(char: str) -> str:
    """*char* without case and accents, still one character (so positions stay put)."""
    base = unicodedata.normalize("NFD", char)[:1].casefold()
    return base if len(base) == 1 else char


def _loosely(text: str) -> str:
    return "".join(_loose(c) for c in text)


def explain(quote: str, text: str) -> str:
    """Where the first difference is and what kind it is: "; the first N of M characters
    match, up to '…abc', then the quote has 'x…' where the source has 'y…' (a different letter
    case)". Where the quote appears in the source but for case and accents, that place is
    compared; otherwise the place where the longest beginning of the quote appears."""
    place = _loosely(text).find(_loosely(quote))
    if place >= 0:
        pairs = zip(quote, text[place:], strict=False)
        matched = next(i for i, (a, b) in enumerate(pairs) if a != b)
    else:
        matched = _longest_prefix_found(quote, text)
        if not matched:
            return "; not even its first character appears in the source"
        place = text.find(quote[:matched])
    here = quote[matched : matched + 12]
    there = text[place + matched : place + matched + 12]
    start = (
        f"the first {matched} of {len(quote)} characters match, up to "
        f"'…{quote[max(0, matched - 30) : matched]}', then"
        if matched
        else "from its first character"
    )
    return (
        f"; {start} the quote has '{here}…' where the source has '{there}…' "
        f"({difference_kind(quote[matched:], text[place + matched :], quote[:matched])})"
    )


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _goes_on_as(rest: str, other: str) -> bool:
    """Whether *rest* without its first character reads on as *other* does (so that one
    character, and only it, is extra)."""
    shown = min(10, len(rest) - 1, len(other))
    return shown > 0 and rest[1 : 1 + shown] == other[:shown]


def _word(before: str, rest: str) -> str:
    return str(re.search(r"\w*$", before).group() + re.match(r"\w*", rest).group())  # type: ignore[union-attr]


def difference_kind(quote_rest: str, text_rest: str, before: str = "") -> str:
    """What kind of difference separates the quote from the source where they part, after
    the *before* they share."""
    if not text_rest:
        return "the source ends here"
    a, b = quote_rest[0], text_rest[0]
    if quote_rest.startswith("...") or a == "…":
        return "an ellipsis: quote each verbatim part as its own evidence"
    if a.lower() == b.lower():
        return "a different letter case"
    base_a = unicodedata.normalize("NFD", quote_rest[:2])
    base_b = unicodedata.normalize("NFD", text_rest[:2])
    if base_a[:1] == base_b[:1] and base_a[:1].isalpha():
        return "a different accent"
    if unicodedata.category(a) == "Mn" or unicodedata.category(b) == "Mn":
        return f"a combining mark ({_name(a if unicodedata.category(a) == 'Mn' else b)})"
    if unicodedata.category(a) == "Cf" or unicodedata.category(b) == "Cf":
        invisible = a if unicodedata.category(a) == "Cf" else b
        return f"an invisible character ({_name(invisible)})"
    for extra, rest, other, missing in (
        (a, quote_rest, text_rest, "in the quote that the source does not have"),
        (b, text_rest, quote_rest, "in the source that the quote leaves out"),
    ):
        if _goes_on_as(rest, other):
            return "a space on one side only" if extra == " " else f"{_name(extra)} {missing}"
    words = _word(before, quote_rest), _word(before, text_rest)
    if (a.isalnum() or b.isalnum()) and all(words):
        return f"a different word ('{words[0]}' in the quote, '{words[1]}' in the source)"
    if not a.isalnum() and not b.isalnum():
        return f"different punctuation ({_name(a)} in the quote, {_name(b)} in the source)"
    return "a different character"


def _longest_prefix_found(quote: str, text: str) -> int:
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low
