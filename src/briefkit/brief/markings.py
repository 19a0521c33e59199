"""Portion markings: the ordered scheme a brief's ``handling`` labels come from.

The scheme is TLP 2.0 unless the brief's repository defines its own in ``markings.yaml`` (an
ordered list of levels and, optionally, a releasability caveat such as ``REL TO`` with the
names it may list). A marking is a level and, with a caveat, the set of names it may be
released to; ``a <= b`` (:meth:`Scheme.within`) when a part marked *a* may go into an edition
marked *b*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from briefkit.brief.model import Model
from briefkit.brief.vocab import Tlp
from briefkit.diagnostics import BriefError
from briefkit.render.common.kept import memo

CONFIG_FILE = "markings.yaml"
_SEPARATOR = "//"


@dataclass(frozen=True, order=False)
class Marking:
    level: int  # index in the scheme's levels, lowest first
    releasable: frozenset[str] | None  # the caveat's list; None: no caveat


@dataclass(frozen=True)
class Scheme:
    name: str
    levels: tuple[str, ...]
    caveat: str | None = None  # "REL TO"
    names: tuple[str, ...] = ()  # what the caveat may list, in printing order

    def parse(self, text: str) -> Marking:
        """The marking *text* spells; ValueError saying what is allowed otherwise."""
        level_text, _, caveat_text = (part.strip() for part in text.partition(_SEPARATOR))
        level = self._level(level_text)
        if level is None:
            raise ValueError(
                f"'{text}' is not a {self.name} marking (allowed: {', '.join(self.levels)}"
                + (f", each optionally followed by '//{self.caveat} …'" if self.caveat else "")
                + ")"
            )
        if not caveat_text:
            return Marking(level, None)
        if self.caveat is None or not caveat_text.upper().startswith(self.caveat.upper()):
            expected = f"'//{self.caveat} …'" if self.caveat else "nothing"
            raise ValueError(f"'{text}': after '{_SEPARATOR}' {self.name} allows {expected}")
        listed = [n.strip().upper() for n in caveat_text[len(self.caveat) :].split(",")]
        unknown = [n for n in listed if n not in self.names]
        if unknown or not any(listed):
            raise ValueError(
                f"'{text}': {self.caveat} may list {', '.join(self.names)}; "
                f"not {', '.join(unknown) or 'nothing'}"
            )
        return Marking(level, frozenset(listed))

    def _level(self, text: str) -> int | None:
        wanted = _normal(text)
        for index, level in enumerate(self.levels):
            if _normal(level) == wanted:
                return index
        return None

    def label(self, marking: Marking) -> str:
        """How *marking* is printed: "TLP:AMBER", "SECRET//REL TO GBR, USA"."""
        text = self.levels[marking.level]
        if marking.releasable is not None and self.caveat:
            listed = [n for n in self.names if n in marking.releasable]
            text += f"{_SEPARATOR}{self.caveat} {', '.join(listed)}"
        return text

    @staticmethod
    def within(part: Marking, limit: Marking) -> bool:
        """Whether a part marked *part* may be released in an edition marked *limit*."""
        if part.level > limit.level:
            return False
        if part.releasable is None:
            return True
        return limit.releasable is not None and limit.releasable <= part.releasable

    @staticmethod
    def highest(markings: Iterable[Marking]) -> Marking | None:
        """The banner of a document holding *markings*: the highest level, released only to
        whom every part may be released to."""
        found = list(markings)
        if not found:
            return None
        lists = [m.releasable for m in found if m.releasable is not None]
        releasable = frozenset.intersection(*lists) if lists else None
        return Marking(max(m.level for m in found), releasable)


def _normal(text: str) -> str:
    return "".join(text.upper().split())


TLP_SCHEME = Scheme("TLP 2.0", tuple(t.value for t in Tlp))

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class SchemeFile(Model):
    """``markings.yaml``: a repository's own ordered marking scheme."""

    name: Name = Field(description="What the scheme is called in messages.")
    levels: list[Name] = Field(min_length=1, description="The levels, lowest first.")
    caveat: Name | None = Field(default=None, description="A releasability caveat: 'REL TO'.")
    releasable: list[Name] = Field(
        default_factory=list, description="The names the caveat may list."
    )


def scheme_for(repository: Path | None) -> Scheme:
    """The marking scheme of the repository at *repository*: its ``markings.yaml`` or TLP 2.0.
    A damaged file raises BriefError with located problems."""
    if repository is None:
        return TLP_SCHEME
    path = repository / CONFIG_FILE
    if not path.is_file():
        return TLP_SCHEME
    return _load_scheme(path, path.stat().st_mtime_ns)


@memo(8)
def _load_scheme(path: Path, _mtime: int) -> Scheme:
    from briefkit.checks.validation import validate
    from briefkit.reading.source import load_yaml

    doc = load_yaml(path)
    found, problems = validate(doc, SchemeFile)
    if found is not None:
        seen: set[str] = set()
        for index, level in enumerate(found.levels):
            if _normal(level) in seen:
                problems.append(doc.diagnostic(("levels", index), f"level '{level}' twice"))
            if _SEPARATOR in level:
                message = f"a level cannot hold '{_SEPARATOR}' (it starts the caveat)"
                problems.append(doc.diagnostic(("levels", index), message))
            seen.add(_normal(level))
        if found.caveat and not found.releasable:
            message = f"caveat '{found.caveat}' needs a 'releasable' list of names"
            problems.append(doc.diagnostic(("caveat",), message))
        if found.releasable and not found.caveat:
            message = "'releasable' names what a caveat lists: add 'caveat: REL TO'"
            problems.append(doc.diagnostic(("releasable",), message))
    if found is None or problems:
        raise BriefError(problems)
    names = tuple(n.upper() for n in found.releasable)
    return Scheme(found.name, tuple(found.levels), found.caveat, names)
