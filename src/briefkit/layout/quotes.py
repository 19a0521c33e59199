"""Typographic quotation marks and apostrophes, per language, decided once for every format.

A brief is typed with straight quotes; the reader sees the marks of the text's language:
"x" becomes “x” in English, „x“ in German, «\u00a0x\u00a0» in French, «x» in Russian; 'x'
and a quote inside a quote take the language's secondary marks (‘…’, ‚…‘, „…“), and a
quote inside that the primary ones again. An apostrophe
(xAI's, l'État) becomes ’; a straight mark after a digit is a prime (5' 10" → 5′ 10″).
Code and web addresses are left as typed; so are marks the author typed already («…», “…”).

A quoted stretch in another script is marked as its own language marks it (a Russian quote in
an English sentence is «…»), as are evidence quotes and their wrapper (``quoted``).

``briefkit absorb`` reads the reader's marks back and writes an edit in the form the YAML
holds (``in_source_form``): what the layout turned typographic goes back straight.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from briefkit.layout.document import Document, Inline, Metadata, Span
from briefkit.render.common.language import likely

# CLDR 45's <delimiters> (common/main/*.xml): quotationStart, quotationEnd,
# alternateQuotationStart, alternateQuotationEnd. Babel (2.19) does not ship them, so they are
# copied here for the languages a brief is written in and the scripts it quotes.
CLDR_DELIMITERS: dict[str, str] = {
    "ar": "”“’‘",
    "de": "„“‚‘",
    "en": "“”‘’",
    "es": "“”‘’",
    "fa": "«»‹›",
    "fr": "«»«»",
    "he": "””’’",
    "hi": "“”‘’",
    "ja": "「」『』",
    "ko": "“”‘’",
    "pt": "“”‘’",
    "ru": "«»„“",
    "th": "“”‘’",
    "uk": "«»„“",
    "ur": "”“’‘",
    "zh": "“”‘’",
    "zh-Hant": "「」『』",
}
# French sets a no-break space inside its guillemets (CLDR leaves spacing to typography).
_INNER_SPACE = {"fr": "\u00a0"}
APOSTROPHE = "’"
PRIME, DOUBLE_PRIME = "′", "″"
# every mark the layout may print for a straight one, by its look (Russian secondary „…“ goes
# back to ", typeset again at its level): what absorb turns back
_ALL_MARKS = "".join(CLDR_DELIMITERS.values())
SINGLE_MARKS = frozenset(c for c in _ALL_MARKS if c in "‘’‚‛‹›『』") | {APOSTROPHE, PRIME}
DOUBLE_MARKS = frozenset(c for c in _ALL_MARKS if c not in SINGLE_MARKS) | {DOUBLE_PRIME}
_GUILLEMET_SPACE = re.compile("(?<=[«‹])[\u00a0\u202f]|[\u00a0\u202f](?=[»›])")
_OPENING = frozenset("".join(m[0] + m[2] for m in CLDR_DELIMITERS.values()) + "([{<‐-–—/")
_STRAIGHT = re.compile("[\"']")
_URL = re.compile(r"(?:https?|ftp|mailto):\S+|www\.\S+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Marks:
    """A language's quotation marks: level 0 (primary) and 1 (secondary, a quote inside)."""

    opening: tuple[str, str]
    closing: tuple[str, str]
    space: str = ""  # inside the marks (French)

    def open(self, level: int) -> str:
        return self.opening[level % 2] + self.space

    def close(self, level: int) -> str:
        return self.space + self.closing[level % 2]


def marks(language: str) -> Marks | None:
    """The marks of *language* (BCP 47), None where the table has none."""
    full = likely(language)
    for key in (f"{full.language}-{full.script}", full.language):
        found = CLDR_DELIMITERS.get(key)
        if found:
            space = _INNER_SPACE.get(full.language, "")
            return Marks((found[0], found[2]), (found[1], found[3]), space)
    return None


def _marks_or_english(language: str) -> Marks:
    return marks(language) or marks("en")  # type: ignore[return-value]


# --- the language a stretch of text is in, by its script ------------------------------------

_PERSIAN = frozenset("پچژگکی")
_URDU = frozenset("ٹڈڑںےہۓ")
_SCRIPT_WORDS = (
    ("HIRAGANA", "Jpan"), ("KATAKANA", "Jpan"), ("CJK", "Hani"), ("HANGUL", "Kore"),
    ("ARABIC", "Arab"), ("HEBREW", "Hebr"), ("DEVANAGARI", "Deva"), ("THAI", "Thai"),
    ("CYRILLIC", "Cyrl"), ("GREEK", "Grek"), ("LATIN", "Latn"),
)  # fmt: skip


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((code for word, code in _SCRIPT_WORDS if name.startswith(word)), None)


def text_language(text: str, default: str) -> str:
    """The language *text* is in, as far as its script says: the script most of its letters
    are in, unless that is the script of *default* (a Cyrillic quote in a Ukrainian brief is
    Ukrainian) or Latin (then it is taken to be *default*); Arabic script with Persian or Urdu
    letters is Persian or Urdu."""
    counts: dict[str, int] = {}
    for char, number in Counter(text).items():  # each distinct letter's script asked once
        if char.isalpha():
            script = "Latn" if char.isascii() else _script(char)
            if script:
                counts[script] = counts.get(script, 0) + number
    if not counts:
        return default
    script = max(counts, key=lambda s: (counts[s], s == "Jpan"))
    if counts.get("Jpan") and script == "Hani":
        script = "Jpan"  # kanji with kana is Japanese
    if script == "Arab":  # Persian and Urdu letters say which language, in an Arabic brief too
        letters = set(text)
        if letters & (_URDU | _PERSIAN):
            return "ur" if letters & _URDU else "fa"
    if script == "Latn" or script == likely(default).script:
        return default
    return likely(f"und-{script}").language or default


# --- straight marks to typographic ones ----------------------------------------------------


def _wordy(char: str) -> bool:
    return bool(char) and (char.isalnum() or unicodedata.category(char)[0] == "M")


def _replacements(text: str, fixed: Sequence[bool], language: str, level: int) -> list[str]:
    """What each character of *text* prints as (*fixed* ones as they are), its quotes
    nested *level* deep already. A quote's level (0 primary marks, 1 secondary, 2 primary
    again…) is one more than the quote around it; outside every quote, " is primary and '
    secondary, as the author typed them."""
    out = list(text)
    typed = _typed_depths(text, fixed)
    stack: list[tuple[int, str]] = []  # open quotes: index and straight mark
    levels: dict[int, int] = {}  # each open quote's level, by index
    pairs: list[tuple[int, int, int]] = []  # opening index, closing index, level

    def push(index: int, mark: str) -> None:
        if stack:
            parent = stack[-1][0]
            levels[index] = levels[parent] + 1 + typed[index] - typed[parent]
        else:
            outer = level + typed[index]
            levels[index] = outer if outer else 0 if mark == '"' else 1
        stack.append((index, mark))

    def opens(index: int) -> bool:
        before = text[index - 1] if index else ""
        if not before or before.isspace() or before in _OPENING:
            return True
        return before in "\"'" and bool(stack) and stack[-1][0] == index - 1

    def close(index: int, mark: str) -> None:
        while stack[-1][1] != mark:  # a single mark left open inside was an apostrophe
            out[stack.pop()[0]] = APOSTROPHE
        start = stack.pop()[0]
        pairs.append((start, index, levels[start]))

    for match in _STRAIGHT.finditer(text):
        index, char = match.start(), match.group()
        if fixed[index]:
            continue
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        open_here = any(mark == char for _, mark in stack)
        if char == "'":
            if _wordy(before) and _wordy(after):  # don't, xAI's, l'État
                out[index] = APOSTROPHE
            elif before.isdigit() and not open_here:  # 5'
                out[index] = PRIME
            elif opens(index) and _wordy(after) and re.match(r"\d\d(?!\d)", text[index + 1 :]):
                out[index] = APOSTROPHE  # '90s
            elif opens(index) and after and not after.isspace():
                push(index, char)
            elif stack and stack[-1][1] == "'":
                close(index, char)
            else:  # the companies' leaders
                out[index] = APOSTROPHE
        elif before.isdigit() and not open_here:  # 10"
            out[index] = DOUBLE_PRIME
        elif opens(index) and after and not after.isspace():
            push(index, char)
        elif open_here:
            close(index, char)
        else:  # a closing mark without its opening one
            pairs.append((-1, index, level + typed[index]))
    for index, mark in stack:  # never closed
        if mark == "'":
            out[index] = APOSTROPHE
        else:
            pairs.append((index, -1, levels[index]))
    _place_marks(text, fixed, out, pairs, language)
    return out


# Quotation marks an author typed, which nest the straight ones inside them: unambiguous
# openers and their closers (a German „ closes with “, an English “ with ”).
_TYPED_PAIRS = {"«": "»", "„": "“", "“": "”", "「": "」", "『": "』", "‹": "›"}


_TYPED_MARKS = "".join(sorted({mark for pair in _TYPED_PAIRS.items() for mark in pair}))
_MARKS_TO_WATCH = re.compile(f"[\"'{_TYPED_MARKS}]")


def _typed_depths(text: str, fixed: Sequence[bool]) -> dict[int, int]:
    """For each straight mark (by index), how many typed quotation marks are open around it."""
    depths: dict[int, int] = {}
    open_marks: list[str] = []
    for match in _MARKS_TO_WATCH.finditer(text):
        index, char = match.start(), match.group()
        depths[index] = len(open_marks)
        if fixed[index] or char in "\"'":
            continue
        if open_marks and char == _TYPED_PAIRS[open_marks[-1]]:
            open_marks.pop()
        elif char in _TYPED_PAIRS:
            open_marks.append(char)
    return depths


def _place_marks(
    text: str,
    fixed: Sequence[bool],
    out: list[str],
    pairs: list[tuple[int, int, int]],
    language: str,
) -> None:
    """Each quote's marks, at its level, in the language of what it quotes (outer quotes
    first)."""
    spoken: list[tuple[int, int, str]] = []  # (start, end, language) of the quotes so far
    for start, end, depth in sorted(pairs, key=lambda p: (p[0], -p[1])):
        first, last = max(start, 0), end if end >= 0 else len(text)
        around = next((lang for s, e, lang in reversed(spoken) if s <= first and last <= e), None)
        inner = text_language(text[first + 1 : last], around or language)
        spoken.append((first, last, inner))
        chosen = _marks_or_english(inner)
        if start >= 0:
            out[start] = chosen.open(depth)
            _no_break(text, fixed, out, start + 1, chosen.space)
        if end >= 0:
            out[end] = chosen.close(depth)
            _no_break(text, fixed, out, end - 1, chosen.space)


def _no_break(text: str, fixed: Sequence[bool], out: list[str], index: int, space: str) -> None:
    """A space typed inside French guillemets is the no-break space they bring."""
    if space and 0 <= index < len(text) and text[index] == " " and not fixed[index]:
        out[index] = ""


def _fixed(text: str) -> list[bool]:
    """Characters never changed: web addresses."""
    fixed = [False] * len(text)
    for match in _URL.finditer(text):
        fixed[match.start() : match.end()] = [True] * (match.end() - match.start())
    return fixed


def typeset(text: str, language: str, *, level: int = 0) -> str:
    """*text* with typographic quotes and apostrophes in *language*, nested *level* deep."""
    if "'" not in text and '"' not in text:
        return text
    typeset_text = "".join(_replacements(text, _fixed(text), language, level))
    return text if typeset_text == text else typeset_text


def typeset_inline(spans: Inline, language: str) -> Inline:
    """*spans* typeset as one text (a quote may open in one span and close in another); code
    and links that print their address are left as they are."""
    if not any("'" in span.text or '"' in span.text for span in spans):
        return spans
    text = "".join(span.text for span in spans)
    fixed: list[bool] = []
    for span in spans:
        as_is = span.code or (span.href is not None and span.text == span.href)
        fixed += [True] * len(span.text) if as_is else _fixed(span.text)
    out = _replacements(text, fixed, language, 0)
    typeset_spans, position = [], 0
    for span in spans:
        piece = "".join(out[position : position + len(span.text)])
        position += len(span.text)
        typeset_spans.append(span if piece == span.text else replace(span, text=piece))
    return tuple(typeset_spans)


def quoted(quote: str, language: str) -> str:
    """An evidence quote with its quotation marks, in the language the quote is in."""
    inner = text_language(quote, language)
    chosen = _marks_or_english(inner)
    return chosen.open(0) + typeset(quote, inner, level=1) + chosen.close(0)


def unquoted(text: str, language: str) -> str:
    """What ``quoted`` printed, without its quotation marks."""
    chosen = _marks_or_english(text_language(text, language))
    text = text.strip()
    for mark in (chosen.open(0), chosen.opening[0]):
        if text.startswith(mark):
            text = text[len(mark) :]
            break
    for mark in (chosen.close(0), chosen.closing[0]):
        if text.endswith(mark):
            text = text[: -len(mark)]
            break
    return text.strip()


# --- the whole document ---------------------------------------------------------------------

_NOT_TEXT = frozenset(
    {"anchor", "kind", "key", "role", "shade", "field", "cite", "number_text"}
    | {"title_field", "subtitle_field", "field_marks"}
)


def typeset_document(document: Document) -> Document:
    """Every text of *document* typeset in its language (its metadata's title and subject too:
    a document's properties say what its first page says)."""
    language = document.metadata.language
    meta: Metadata = replace(
        document.metadata,
        title=typeset(document.metadata.title, language),
        subject=typeset(document.metadata.subject, language),
    )
    return replace(document, metadata=meta, blocks=_typeset(document.blocks, language))


def _typeset(value: Any, language: str) -> Any:
    """*value* typeset; the very object when nothing in it changes (most of a document)."""
    if isinstance(value, str):
        return typeset(value, language)
    if isinstance(value, tuple):
        if value and isinstance(value[0], Span):
            return typeset_inline(value, language)
        items = tuple(_typeset(item, language) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if hasattr(value, "__dataclass_fields__"):
        changes = {}
        for item in fields(value):
            if item.name not in _NOT_TEXT:
                old = getattr(value, item.name)
                new = _typeset(old, language)
                if new is not old:
                    changes[item.name] = new
        return replace(value, **changes) if changes else value
    return value


# --- absorb: the reader's marks back in the YAML's form --------------------------------------


def straighten(text: str) -> str:
    """*text* with every mark the layout prints for a straight one made straight again (and
    the no-break spaces French sets inside guillemets left out)."""
    text = _GUILLEMET_SPACE.sub("", text)
    return "".join(
        "'" if char in SINGLE_MARKS else '"' if char in DOUBLE_MARKS else char for char in text
    )


def in_source_form(edited: str, source: str, language: str, *, level: int = 0) -> str:
    """*edited* (a field as the reader saw it, perhaps changed) in the form *source* (the
    YAML's value) is written in: what still reads as printed is copied from *source*, and the
    marks in what was changed are made straight, as the layout expects them."""
    import difflib

    fixed = _fixed(source)
    pieces = (
        _replacements(source, fixed, language, level)
        if "'" in source or '"' in source
        else list(source)
    )
    printed, owner = "".join(pieces), list(_owners(pieces))
    if printed == edited:
        return source
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=printed, b=edited, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(_source_span(source, owner, i1, i2, edited[j1:j2]))
        else:
            out.append(straighten(edited[j1:j2]))
    return "".join(out)


def _owners(pieces: Sequence[str]) -> Iterator[int]:
    """For each printed character, the index of the source character it comes from."""
    for index, piece in enumerate(pieces):
        yield from (index,) * len(piece)


def _source_span(source: str, owner: Sequence[int], start: int, end: int, printed: str) -> str:
    """The source characters behind printed[start:end], when the stretch holds whole pieces
    (a mark with its French space), else the printed text made straight."""
    if start == end:
        return ""
    first, last = owner[start], owner[end - 1]
    whole = (start == 0 or owner[start - 1] != first) and (end == len(owner) or owner[end] != last)
    return source[first : last + 1] if whole else straighten(printed)
