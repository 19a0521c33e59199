"""Runs of an edited field back into the brief's inline markup.

The Word renderer splits one span into several runs (one per script, see render/common/scripts.py)
and an editor splits them further; runs that format alike are joined again first. Bold,
italic, code and web links become ``**…**``, ``*…*``, `` `…` `` and ``[…](…)``; a citation or
cross-reference becomes the ``[@id]`` group it was printed from (or, when its number was
changed, the sources that number now names).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from briefkit.absorb.reader import Run, visible
from briefkit.checks.links import allowed_link
from briefkit.layout.inline import parse_inline

_NUMBERS = re.compile(r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")
_SPECIAL = re.compile(r"([\\`*_\[\]])")


@dataclass(frozen=True)
class Group:
    """Adjacent runs that format alike, joined."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None  # web links only; places in the document are no markup
    cite: int | None = None


def groups(runs: Sequence[Run], mode: str, *, forced_bold: bool = False) -> tuple[Group, ...]:
    """*runs* (with pending changes accepted or rejected, by *mode*) as groups of one format;
    *forced_bold*: the layout prints the field in bold, so bold is no markup of its own."""
    out: list[Group] = []
    for run in runs:
        if not visible(run, mode) or not run.text:
            continue
        href = run.href if run.href and allowed_link(run.href) else None
        bold, italic = run.formatted(mode)
        group = Group(
            unicodedata.normalize("NFC", run.text),
            bold=bold and not forced_bold,
            italic=italic,
            code=run.code,
            href=href,
            cite=run.cite,
        )
        if out and _alike(out[-1], group):
            last = out[-1]
            out[-1] = Group(last.text + group.text, *_format(last))
        else:
            out.append(group)
    return _trimmed(out)


def _format(group: Group) -> tuple[bool, bool, bool, str | None, int | None]:
    return (group.bold, group.italic, group.code, group.href, group.cite)


def _alike(a: Group, b: Group) -> bool:
    return _format(a) == _format(b)


def _trimmed(out: list[Group]) -> tuple[Group, ...]:
    """Line breaks, tabs and runs of spaces as one space, trimmed at both ends, as a folded
    YAML scalar reads (no-break and other special spaces are kept: they mean something)."""
    result: list[Group] = []
    for group in out:
        text = re.sub(r"[ \t\r\n]+", " ", group.text)
        if result and result[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text:
            result.append(Group(text, *_format(group)))
    while result and not result[0].text.strip(" "):
        result.pop(0)
    while result and not result[-1].text.strip(" "):
        result.pop()
    if result:
        result[0] = Group(result[0].text.lstrip(" "), *_format(result[0]))
        result[-1] = Group(result[-1].text.rstrip(" "), *_format(result[-1]))
    return tuple(result)


def plain_text(found: tuple[Group, ...]) -> str:
    return "".join(group.text for group in found)


def citation_groups(text: str) -> list[list[str]]:
    """The ids of each ``[@…]`` group of *text*, in the order the layout numbers them."""
    found: list[list[str]] = []

    def collect(ids: list[str]) -> tuple[()]:
        found.append(ids)
        return ()

    parse_inline(text, collect)
    return found


def to_markup(
    found: tuple[Group, ...],
    base: tuple[Group, ...],
    base_text: str,
    source_ids: Sequence[str],
) -> str:
    """The markup of *found*; citations come from the field's text in the brief it was built
    from (*base_text*, printed as *base*), or from the source numbers typed."""
    printed = {g.cite: g.text for g in base if g.cite is not None}
    ids = citation_groups(base_text)
    pieces: list[str] = []
    for group in found:
        if group.cite is not None:
            pieces.append(_citation(group, printed, ids, source_ids))
        else:
            pieces.append(_formatted(group))
    return "".join(pieces).strip(" ")


def _citation(
    group: Group, printed: dict[int, str], ids: list[list[str]], source_ids: Sequence[str]
) -> str:
    assert group.cite is not None
    if printed.get(group.cite) == group.text and group.cite < len(ids):
        return "[@" + "; @".join(ids[group.cite]) + "]"
    numbers = _NUMBERS.fullmatch(group.text.strip())
    if numbers:
        picked = [int(n) for n in re.findall(r"\d+", numbers.group(1))]
        if all(1 <= n <= len(source_ids) for n in picked):
            lead = " " if group.text.startswith(" ") else ""
            return lead + "[@" + "; @".join(source_ids[n - 1] for n in picked) + "]"
    return _formatted(Group(group.text))


def _formatted(group: Group) -> str:
    text = group.text
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    core = text.strip()
    if group.code:
        tick = "``" if "`" in core else "`"
        core = f"{tick}{core}{tick}"
    else:
        core = _escape(core)
    if group.bold and group.italic:
        core = f"***{core}***"
    elif group.bold:
        core = f"**{core}**"
    elif group.italic:
        core = f"*{core}*"
    if group.href:
        core = f"[{core}]({group.href})"
    return lead + core + trail


def _escape(text: str) -> str:
    """*text* as markup that prints it as it is: escaped only where it would be markup."""
    spans = parse_inline(text)
    plain = len(spans) == 1 and spans[0].text == text and "[@" not in text
    if plain and not (spans[0].bold or spans[0].italic or spans[0].code or spans[0].href):
        return text
    return _SPECIAL.sub(r"\\\1", text)
