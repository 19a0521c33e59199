"""Located problems and the one exception that carries them.

Every user-facing problem (a YAML syntax error, a wrong vocabulary term, a dangling reference,
a quote not found in its source) becomes a :class:`Diagnostic` with a file, a 1-based line and
column, the dotted field path and a message that says what is wrong and what is allowed. A problem
with a whole file (it cannot be read, it cannot be written) has no line and column: it is printed
as ``file: message``, never at a made-up ``1:1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """``("signals", 2, "likelihood")`` → ``signals[2].likelihood``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int | None  # None for a problem with the whole file
    column: int | None
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}: "
        if self.line is not None:
            where = f"{self.path}:{self.line}:{self.column or 1}: "
        if self.severity is Severity.WARNING:
            where += "warning: "
        return where + (f"{self.field}: " if self.field else "") + self.message

    @classmethod
    def unlocated(cls, path: str, message: str, **kwargs: object) -> Diagnostic:
        """A problem with a whole file (or the command line), printed without a position."""
        return cls(path, None, None, message, **kwargs)  # type: ignore[arg-type]

    def sort_key(self) -> tuple[int, int]:
        return (self.line or 0, self.column or 0)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


class UserError(Exception):
    """A problem the user can fix (a file, a setting, the environment), never a briefkit bug.

    Every such error derives from this class, so that whatever runs a command reports it as a
    plain diagnostic and keeps "internal error … please report it" for real bugs.
    """

    def as_diagnostics(self, path: str) -> list[Diagnostic]:
        """The problem as diagnostics; *path* is where it happened when it names no place."""
        return [Diagnostic.unlocated(path, str(self))]


class FileProblem(UserError):
    """A problem with one whole file, which the message names once: "path: what is wrong"."""

    def __init__(self, path: Path, message: str) -> None:
        self.shown = display_path(path)
        self.message = message
        super().__init__(f"{self.shown}: {message}")

    def as_diagnostics(self, path: str) -> list[Diagnostic]:
        return [Diagnostic.unlocated(self.shown, self.message)]


class BriefError(UserError):
    """Raised when a file has errors; carries every problem found, warnings included."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.errors))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def as_diagnostics(self, path: str) -> list[Diagnostic]:
        return self.diagnostics


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """``"; did you mean 'likely'?"`` when *word* is a near miss of one of *choices*."""
    match = closest(word, choices)
    return f"; did you mean '{match}'?" if match else ""


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The one of *choices* that *word* is a near miss of, if any."""
    if not isinstance(word, str):
        return None
    lowered = {c.lower(): c for c in choices}
    import difflib  # only for a name that is wrong

    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """*count* and its noun in the number it takes: "1 brief", "2 briefs", "1 piece of text"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
