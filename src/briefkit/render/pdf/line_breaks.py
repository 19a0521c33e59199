"""Where a PDF line may end inside a word, and two rules on top, for reportlab's line breaker.

reportlab breaks lines at spaces only, and cuts a word longer than the line anywhere: Thai,
Lao, Khmer, Myanmar, Chinese and Japanese are written without spaces between words, so their
lines came out ragged (a Thai phrase moved down whole) or cut mid-word ("ผลไ|ม้"). Here a
paragraph's words are cut further, before reportlab breaks its lines, at the opportunities
ICU's line break iterator gives (UAX #14, with ICU's dictionaries for Thai, Lao, Khmer and
Myanmar, per character in CJK with the kinsoku rules: no line starts with 。、」） and none ends
with 「（). reportlab joins the pieces of a word without a space, so they read as before and a
line can end between any two.

Only text in such a script is cut (a line in Latin text still ends at spaces only), and ICU is
imported only for it. On top:

- a paragraph's last line never holds a lone ideograph (with its punctuation, "加。") or a lone
  Thai word cut from the one before it: one more piece goes down with it;
- a short parenthetical in another script than Latin (a gloss: "(البحر الأحمر)", "(ผู้ส่งออกไทย)")
  is kept on one line when it takes little of it (or, a single word, when it fits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord
from reportlab.platypus.paragraph import _getFragWords, _HSFrag, _InjectedFrag

from briefkit.render.common.kept import memo
from briefkit.render.common.scripts import GLOSS, GLOSS_WORDS

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer; CJK ideographs,
# kana, Bopomofo and Yi, and the punctuation and full-width forms they are set with.
_UNSPACED_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3001-\u303f"  # CJK symbols and punctuation (not U+3000, the ideographic space)
    "\u3040-\u31ff"  # kana, Bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\ua000-\ua4cf"  # Yi
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff01-\uff60\uff61-\uff9f"  # full-width forms, half-width kana
    "\U00020000-\U0003ffff"  # Han, supplementary planes
)
_UNSPACED = re.compile(f"[{_UNSPACED_RANGES}]")
# A gloss (a parenthetical in another script than Latin), as every renderer reads it.
_GLOSS = GLOSS
_GLOSS_WORDS = GLOSS_WORDS
_GLOSS_SHARE = 0.4  # and at most this share of the narrowest line, if it has spaces
# ICU's root locale: the default rules (Thai and the others take their dictionaries whatever
# the locale).
_LOCALE = "und"


def is_unspaced(char: str) -> bool:
    """Whether *char* is of a script written without spaces between words (Thai, Lao, Khmer,
    Myanmar, Chinese, Japanese): a line that ends next to it ends inside a word, and its text
    joins the next line's without a space."""
    return _UNSPACED.match(char) is not None


def break_lines(paragraph: Any, width: Any, break_words: Callable[[Any], Any]) -> Any:
    """*paragraph*'s lines broken by *break_words* (reportlab's ``breakLines``) at *width*,
    its words first cut where ICU allows a line to end inside one, and the rules above kept.
    A paragraph with none of this text is broken as reportlab breaks it."""
    text = _text_of(paragraph.frags)
    unspaced = _UNSPACED.search(text) is not None
    if not unspaced and _GLOSS.search(text) is None:
        return break_words(width)
    widths = list(width) if isinstance(width, list | tuple) else [width]
    words = _getFragWords(paragraph.frags, widths[0])
    cut = [piece for word in words for piece in _cut(word)] if unspaced else words
    cut = _glosses_kept(cut, min(widths))
    if cut != words:
        paragraph.frags = cut
    lines = break_words(width)
    if unspaced:
        pulled = _lone_last_pulled_down(paragraph.frags, lines)
        if pulled is not None:
            paragraph.frags = pulled
            lines = break_words(width)
    _spaces_counted(paragraph.frags, lines)
    return lines


class Cut(list):  # type: ignore[type-arg]
    """A piece of a word that the next piece follows without a space (reportlab's frag word:
    ``[width, (frag, text), ...]``). Shaping keeps the class (a subclass of it)."""


def _spaces_counted(words: list[Any], broken: Any) -> None:
    """Each line's count of words as justification reads it (one more than its spaces): the
    pieces of a cut word are one word, and a gloss made one word has its spaces."""
    lines = getattr(broken, "lines", None)
    if getattr(broken, "kind", 0) != 1 or not lines:
        return
    starts = [line.sFW for line in lines] + [len(words)]
    for line, start, end in zip(lines, starts, starts[1:], strict=False):
        on_line = [word for word in words[start:end] if not isinstance(word, _InjectedFrag)]
        joins = sum(isinstance(word, Cut) for word in on_line[:-1])
        inner = sum(t.count(" ") for word in on_line for _, t in word[1:] if isinstance(t, str))
        line.wordCount += inner - joins


def _text_of(frags: Any) -> str:
    """The text of a paragraph's fragments, parsed or broken into words already."""
    if frags and isinstance(frags[0], list):
        return "".join(
            piece[1] for word in frags for piece in word[1:] if isinstance(piece[1], str)
        )
    return "".join(getattr(frag, "text", "") or "" for frag in frags)


def _cut(word: Any) -> list[Any]:
    """*word* (reportlab's ``[width, (frag, text), ...]``) cut at the line break opportunities
    inside it; the last piece keeps the word's kind (whether a space follows it)."""
    if type(word) not in (list, _HSFrag) or not all(type(t) is str for _, t in word[1:]):
        return [word]  # shaped, split across pages or hyphenated already: as it is
    text = "".join(t for _, t in word[1:])
    if _UNSPACED.search(text) is None:
        return [word]
    cuts = opportunities(text)
    if not cuts:
        return [word]
    pieces: list[Any] = []
    bounds = [0, *cuts, len(text)]
    parts: list[list[Any]] = [[] for _ in cuts] + [[]]
    start = 0
    for frag, piece in word[1:]:
        end = start + len(piece)
        for index in range(len(parts)):
            low, high = bounds[index], bounds[index + 1]
            if piece == "":
                # an anchor or other empty piece goes with the text after it
                if low <= start < high or (start == high == len(text)):
                    parts[index].append((frag, ""))
                    break
            elif start < high and end > low:
                parts[index].append((frag, piece[max(low - start, 0) : high - start]))
        start = end
    for index, part in enumerate(parts):
        kind = type(word) if index == len(parts) - 1 else Cut
        pieces.append(kind([_width(part), *part]))
    return pieces


def _width(pieces: list[tuple[Any, str]]) -> float:
    return sum(
        getattr(frag.cbDefn, "width", 0)
        if hasattr(frag, "cbDefn") and not text
        else stringWidth(text, frag.fontName, frag.fontSize)
        for frag, text in pieces
    )


@memo(20_000)
def opportunities(text: str) -> tuple[int, ...]:
    """The offsets inside *text* (a word: no spaces) where a line may end, by ICU's line break
    iterator, next to a character of a script written without spaces."""
    from icu4py.breakers import LineBreaker  # only for such text: ICU's data is large

    cuts: list[int] = []
    offset = 0
    for segment in LineBreaker(text, _LOCALE):
        offset += len(segment)
        if offset == len(text):
            break
        before, after = text[offset - 1], text[offset]
        if (is_unspaced(before) or is_unspaced(after)) and not (
            _bracket(before) or _bracket(after)
        ):
            cuts.append(offset)
    return tuple(cuts)


def _bracket(char: str) -> bool:
    """Whether *char* is a bracket that a right-to-left run holds mirrored (")中欧班列(" in an
    Arabic line): ICU cannot tell its opening from its closing side, so no line ends next to
    it. (Full-width brackets sit in the CJK run itself, left to right: ICU reads them right.)"""
    return char in "()[]{}"


def _glosses_kept(words: list[Any], narrowest: float) -> list[Any]:
    """*words* with each short gloss in parentheses made one word, its spaces inside."""
    out: list[Any] = []
    index = 0
    while index < len(words):
        end = _gloss_end(words, index)
        if end is None:
            out.append(words[index])
            index += 1
            continue
        gloss = words[index:end]
        merged = _joined(gloss)
        # one word (cut here only): whole wherever it fits, as reportlab kept it; words with
        # spaces between them: when moving them down leaves no wide gap
        spaced = any(isinstance(word, _HSFrag) for word in gloss[:-1])
        if merged[0] <= narrowest * (_GLOSS_SHARE if spaced else 1):
            out.append(merged)
        else:
            out.extend(gloss)
        index = end
    return out


def _gloss_end(words: list[Any], start: int) -> int | None:
    """The end of the gloss whose "(" starts ``words[start]``, if one does: at most
    :data:`_GLOSS_WORDS` words, holding a letter beyond Latin."""
    opening = _word_text(words[start])[:1]
    if opening not in ("(", ")"):
        return None
    closing = "()".replace(opening, "")
    spaced = 0
    for end in range(start, min(len(words), start + 64)):  # pieces: a CJK gloss has many
        word = words[end]
        if type(word) not in (list, _HSFrag, Cut) or any(hasattr(f, "cbDefn") for f, _ in word[1:]):
            return None
        text = _word_text(word)
        if opening in (text[1:] if end == start else text):
            return None
        if closing in text:
            if not _closes(text, closing):
                return None
            gloss = "".join(_word_text(w) for w in words[start : end + 1])
            if end == start or _GLOSS.search(gloss) is None:
                return None
            return end + 1
        if isinstance(word, _HSFrag):
            spaced += 1
            if spaced >= _GLOSS_WORDS:
                return None
    return None


def _closes(text: str, closing: str) -> bool:
    """Whether *text* ends with *closing* and punctuation after it ("),", ")."): a gloss's
    end."""
    tail = text[text.rindex(closing) + 1 :]
    return all(unicodedata.category(c).startswith("P") for c in tail)


def _word_text(word: Any) -> str:
    return "".join(t for _, t in word[1:] if isinstance(t, str))


def _joined(words: list[Any]) -> Any:
    """*words* as one word: a space piece where one followed a word."""
    pieces: list[Any] = []
    width = 0.0
    for word in words[:-1]:
        pieces += word[1:]
        width += word[0]
        if isinstance(word, _HSFrag):
            frag = word[-1][0]
            pieces.append((frag, " "))
            width += stringWidth(" ", frag.fontName, frag.fontSize)
    last = words[-1]
    return type(last)([width + last[0], *pieces, *last[1:]])


def _lone_last_pulled_down(words: list[Any], broken: Any) -> list[Any] | None:
    """The words with the last line's only piece joined to the piece before it, so that both
    go down, when that line holds one piece of a word cut here (an ideograph and its
    punctuation, "加。"; a Thai word); None when there is nothing to do."""
    lines = getattr(broken, "lines", None)
    if getattr(broken, "kind", 0) != 1 or not lines or len(lines) < 2:
        return None
    start = lines[-1].sFW
    if not 0 < start < len(words):
        return None
    last = [word for word in words[start:] if not isinstance(word, _InjectedFrag)]
    before, first = words[start - 1], words[start]
    if len(last) != 1 or last[0] is not first or not _UNSPACED.search(_word_text(first)):
        return None
    if not isinstance(before, Cut):
        return None  # a space before it, or a break reportlab made: not a cut of ours
    if type(first) not in (list, _HSFrag) and not isinstance(first, ShapedFragWord):
        return None
    if any(hasattr(f, "cbDefn") for f, _ in before[1:]) or not _word_text(before):
        return None
    kind = type(first)
    if isinstance(before, ShapedFragWord) and not isinstance(first, ShapedFragWord):
        kind = makeShapedFragWord(first)  # or reportlab would shape its shaped pieces again
    merged = kind([before[0] + first[0], *before[1:], *first[1:]])
    return [*words[: start - 1], merged, *words[start + 1 :]]
