"""What an office changed: the edited document's fields compared with the document the brief
it came from prints (rendered again, and read with the same reader).

A field that reads the same is untouched (so absorbing an untouched document changes
nothing); one that differs becomes a new value for the brief. Rows and bullets without marks
become new parts; fields whose marks are gone are deletions; any other text outside the
fields is reported, never dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from briefkit.absorb.markup import Group, groups, plain_text, to_markup
from briefkit.absorb.reader import Para, Reading, Run, visible
from briefkit.brief.field_types import FieldType, field_type
from briefkit.brief.parts import LOCATIONS
from briefkit.brief.vocab import Reliability, Vocabulary
from briefkit.checks.links import LINK_SCHEMES, allowed_link
from briefkit.diagnostics import format_loc
from briefkit.i18n import Words
from briefkit.layout.from_brief import EMPTY_CELL, STAKEHOLDER_COLUMNS, chip_text, term_text
from briefkit.layout.quotes import in_source_form, straighten, text_language, unquoted

Loc = tuple[str | int, ...]
_LIST_ITEM = re.compile(r"^(signals\.\d+\.indicators)\.(\d+)$")
_PART_PATHS = "|".join(re.escape(".".join(loc)) for loc in sorted(LOCATIONS, key=len, reverse=True))
_PART = re.compile(rf"^({_PART_PATHS})\.(\d+)")
# The fields a stakeholder row prints: the only keys a new row may give (a mark's name is the
# document's, untrusted; it never becomes a key of the brief by itself).
STAKEHOLDER_FIELDS = tuple(key.split(".")[1] for key, _share in STAKEHOLDER_COLUMNS)


def loc_of(path: str) -> Loc:
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in path.split("."))


def shown(path: str) -> str:
    """A field path as `check` names it: ``judgments.1.text`` → ``judgments[1].text``."""
    return format_loc(loc_of(path))


@dataclass
class Edit:
    """One change to the brief, at *loc* in the brief the document was built from."""

    kind: str  # "set", "remove", "insert" (a new list item after loc's index)
    loc: Loc
    value: Any = None
    place: str = ""
    note: str = ""

    @property
    def path(self) -> str:
        return ".".join(str(p) for p in self.loc)


@dataclass
class Problem:
    """Something the document says that cannot become part of the brief."""

    place: str
    message: str
    field: str | None = None


@dataclass
class Found:
    edits: list[Edit] = field(default_factory=list)
    unmapped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # taken back, but not all of it


def get(data: Any, loc: Loc) -> Any:
    for key in loc:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


class Comparison:
    """Compares an edited document with the one its brief (*base*, plain data) prints."""

    def __init__(
        self, edited: Reading, printed: Reading, base: dict[str, Any], mode: str, words: Words
    ):
        self.edited = edited
        self.printed = printed
        self.base = base
        self.mode = mode
        self.words = words  # the document's language: its chips and quotation marks
        self.source_ids = [s.get("id", "") for s in base.get("sources", []) or []]
        self.found = Found()

    def run(self) -> Found:
        self._absorb_adjacent_text()
        edited, printed = self.edited.fields(), self.printed.fields()
        places = self.edited.places()
        self._refused_links()
        for path, runs in edited.items():
            if path in printed:
                self._field(path, runs, printed[path], places[path])
            elif self._copied_item(path) is not None:
                continue  # a new item (see _new_bullets)
            elif text := plain_text(groups(runs, self.mode)):
                # a mark the brief does not print (a copy an editor made of one): its text
                # belongs to no field
                self.found.unmapped.append(Problem(places[path], text))
        self._missing(set(printed) - set(edited))
        claimed = self._new_rows() | self._new_bullets()
        self._unmapped(claimed)
        return self.found

    def _copied_item(self, path: str | None) -> re.Match[str] | None:
        """The list item a copied mark copies (a bullet pasted or duplicated with its mark):
        the copy is a new item where it stands."""
        original = self.edited.copies.get(path or "")
        return _LIST_ITEM.match(original) if original is not None else None

    def _refused_links(self) -> None:
        """Links a brief cannot hold (to a file, a program): their text is taken back without
        them, and said so."""
        for para in self.edited.paragraphs:
            for path, run in para.segments:
                href = run.href
                if not href or href.startswith("#") or allowed_link(href) or not run.text:
                    continue
                if not visible(run, self.mode):
                    continue
                original = self.edited.copies.get(path or "", path)
                self.found.warnings.append(
                    Problem(
                        para.place,
                        f"the link to {href!r} on {run.text!r} is left out: a brief links only "
                        f"to the web or an e-mail address ({', '.join(LINK_SCHEMES)}); "
                        "check refuses any other link",
                        original,
                    )
                )

    # --- fields ---------------------------------------------------------------------------

    def _field(self, path: str, runs: list[Run], printed: list[Run], place: str) -> None:
        # what the model says the field is: a term, ids, plain text or markup (the default)
        kind = field_type(path) or FieldType()
        bold = kind.printed is not None and kind.printed.bold
        now = groups(runs, self.mode, forced_bold=bold)
        before = groups(printed, "accept", forced_bold=bold)
        if _same(now, before):
            return
        text = plain_text(now)
        if not text and _LIST_ITEM.match(path):
            self.found.edits.append(Edit("remove", loc_of(path), place=place))
            return
        if kind.vocabulary is not None:
            value = self._term(path, kind, text, place)
        elif kind.references:
            value = self._signal_list(path, text, place)
        elif path.endswith(".quote"):
            value = self._quote(text, str(get(self.base, loc_of(path)) or ""))
        elif kind.printed is not None and not kind.printed.markup:
            value = in_source_form(text, str(get(self.base, loc_of(path)) or ""), self.language)
        else:
            base_text = str(get(self.base, loc_of(path)) or "")
            markup = to_markup(now, before, base_text, self.source_ids)
            value = in_source_form(markup, base_text, self.language)
        if value is _INVALID:
            return
        if value in (None, "", []):
            self.found.edits.append(Edit("remove", loc_of(path), place=place))
        else:
            self.found.edits.append(Edit("set", loc_of(path), value, place))

    @property
    def language(self) -> str:
        return self.words.language

    def _quote(self, text: str, base: str) -> str:
        """An evidence quote as the YAML holds it: without the marks printed around it, and
        in the YAML's own marks."""
        inner = unquoted(text, self.language)
        language = text_language(base or inner, self.language)
        return in_source_form(inner, base, language, level=1)

    def _term(self, path: str, kind: FieldType, text: str, place: str) -> Any:
        name = path.rsplit(".", 1)[-1]
        text = text.strip(" \u2007")
        vocabulary = kind.vocabulary
        assert vocabulary is not None
        if vocabulary is Reliability:  # printed as its letter, not as a chip
            allowed: dict[str, Vocabulary] = {t.value.casefold(): t for t in Reliability}
        else:
            allowed = term_texts(vocabulary, self.words)
        if text in ("", EMPTY_CELL) and kind.optional:
            return None
        term = allowed.get(_folded(text))
        if term is None:
            if vocabulary is Reliability:
                shown = ", ".join(f"'{t.value}'" for t in Reliability)
            else:
                shown = ", ".join(f"'{chip_text(self.words, t)}'" for t in vocabulary)
            self.found.errors.append(
                Problem(
                    place,
                    f"'{text}' is no {name} term (allowed: {shown}, or the term alone)",
                    path,
                )
            )
            return _INVALID
        return term.value

    def _signal_list(self, path: str, text: str, place: str) -> Any:
        if text.strip() in ("", EMPTY_CELL):
            return []
        ids = [s.get("id") for s in self.base.get("signals", []) or []]
        # as the reader's document prints them: "1، 2", "1、2", Arabic-Indic digits
        digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
        numbers = [p.strip() for p in re.split(r"[,،、，]", digits)]
        if not all(n.isdigit() and 1 <= int(n) <= len(ids) for n in numbers):
            self.found.errors.append(
                Problem(
                    place,
                    f"'{text}' does not name signals by number (allowed: 1 to {len(ids)}, "
                    "separated by commas)",
                    path,
                )
            )
            return _INVALID
        return [ids[int(n) - 1] for n in numbers]

    def _missing(self, gone: set[str]) -> None:
        """Fields whose marks are gone: whole parts, list items, or single fields deleted."""
        places = self.printed.places()
        parts = {m.group(0) for path in gone if (m := _PART.match(path))}
        whole = {
            part
            for part in parts
            if not any(p.startswith(part + ".") for p in self.edited.fields())
        }
        for part in sorted(whole, key=_order):
            self.found.edits.append(
                Edit("remove", loc_of(part), place=places.get(part + ".", _first(places, part)))
            )
        for path in sorted(gone, key=_order):
            if any(path.startswith(part + ".") for part in whole):
                continue
            self.found.edits.append(Edit("remove", loc_of(path), place=places.get(path, "")))

    # --- text typed next to a field -------------------------------------------------------

    def _absorb_adjacent_text(self) -> None:
        """Text typed just before or after the only field of a paragraph joins the field:
        Word and LibreOffice leave text typed at the very end of a bookmark outside it."""
        printed = {p.fields[0]: p for p in self.printed.paragraphs if len(p.fields) == 1}
        for para in self.edited.paragraphs:
            if not para.fields and len(para.marks) == 1 and para.marks[0] in printed:
                # the field's text was replaced whole, and the mark left empty before it
                _refill(para, printed[para.marks[0]], self.mode)
            if len(para.fields) != 1 or para.fields[0] not in printed:
                continue
            model = printed[para.fields[0]]
            if _outside(para, self.mode) != _outside(model, "accept"):
                _adopt(para, model, self.mode)

    # --- new rows and bullets -------------------------------------------------------------

    def _new_rows(self) -> set[int]:
        """Rows of the stakeholder table with no marks: new stakeholders."""
        claimed: set[int] = set()
        tables: dict[int, dict[int, list[Para]]] = {}
        for para in self.edited.paragraphs:
            if para.cell is not None:
                table, row, _column = para.cell
                tables.setdefault(table, {}).setdefault(row, []).append(para)
        for rows in tables.values():
            columns = _stakeholder_columns(rows)
            if not columns:
                continue
            after: int | None = None  # the stakeholder of the last marked row above
            for row, paras in sorted(rows.items()):
                marked = [m for p in paras for m in p.fields]
                if row == 0 or marked:
                    numbers = [int(m.split(".")[1]) for m in marked if _ROW_MARK.match(m)]
                    after = max(numbers, default=after)
                    continue
                text = {columns.get(p.cell[2]): p for p in paras if p.cell is not None}
                if not any(p.text(self.mode).strip() for p in paras):
                    continue
                self._new_stakeholder(text, paras[0].place, after)
                claimed |= {p.index for p in paras}
        return claimed

    def _new_stakeholder(
        self, cells: dict[str | None, Para], place: str, after: int | None = None
    ) -> None:
        """A stakeholder from a row the office added, after the stakeholder of the row above
        it (at the end when it is the first row)."""
        values: dict[str, Any] = {}
        for name, para in cells.items():
            if name is None:
                continue
            if name not in STAKEHOLDER_FIELDS:
                self.found.errors.append(
                    Problem(
                        para.place,
                        f"a column of the stakeholder table is marked as field {name!r}, which "
                        f"the table does not print (allowed: {', '.join(STAKEHOLDER_FIELDS)})",
                    )
                )
                return
            path = f"stakeholders.new.{name}"
            text = plain_text(groups([r for _p, r in para.segments], self.mode))
            kind = field_type(path) or FieldType()
            if kind.vocabulary is not None:
                value = self._term(path, kind, text, para.place)
            elif kind.references:
                value = self._signal_list(path, text, para.place)
            else:
                value = straighten(
                    to_markup(
                        groups([r for _p, r in para.segments], self.mode), (), "", self.source_ids
                    )
                )
            if value is _INVALID:
                return
            if value not in (None, "", []):
                values[name] = value
        if not values.get("name"):
            self.found.errors.append(Problem(place, "a new stakeholder row needs a name"))
            return
        count = len(self.base.get("stakeholders", []) or [])
        position = after if after is not None else count - 1
        self.found.edits.append(Edit("insert", ("stakeholders", position), values, place))

    def _new_bullets(self) -> set[int]:
        """Bullets with no marks right after an indicator: new indicators."""
        claimed: set[int] = set()
        last: tuple[str, int] | None = None
        for para in self.edited.paragraphs:
            copied = [self._copied_item(path) for path in para.fields]
            if para.fields and all(copied):
                original = copied[0]
                assert original is not None
                # a copy with its mark: after the item above it, else after the original
                position = last or (original.group(1), int(original.group(2)))
                self._new_bullet(para, position)
                claimed.add(para.index)
                continue
            match = _LIST_ITEM.match(para.fields[-1]) if para.fields else None
            if match:
                last = (match.group(1), int(match.group(2)))
                continue
            text = para.text(self.mode).strip()
            if para.fields or para.style != "ListBullet" or last is None:
                last = None if para.fields or text else last
                continue
            if not text:
                continue
            self._new_bullet(para, last)
            claimed.add(para.index)
        return claimed

    def _new_bullet(self, para: Para, after: tuple[str, int]) -> None:
        runs = [r for _p, r in para.segments]
        value = straighten(to_markup(groups(runs, self.mode), (), "", self.source_ids))
        if value:
            self.found.edits.append(
                Edit("insert", (*loc_of(after[0]), after[1]), value, para.place)
            )

    # --- everything else ------------------------------------------------------------------

    def _unmapped(self, claimed: set[int]) -> None:
        printed = {p.fields[0]: p for p in self.printed.paragraphs if p.fields}
        edited_loose: list[Para] = []
        for para in self.edited.paragraphs:
            if para.index in claimed or para.generated:
                continue
            if not para.fields:
                if para.text(self.mode).strip():
                    edited_loose.append(para)
                continue
            model = printed.get(para.fields[0])
            if model is not None and _outside(para, self.mode) != _outside(model, "accept"):
                self.found.unmapped.append(Problem(para.place, para.text(self.mode).strip()))
        loose = [p for p in self.printed.paragraphs if not p.fields and p.text().strip()]
        before = [_key(p.text()) for p in loose]
        after = [_key(p.text(self.mode)) for p in edited_loose]
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if tag in ("insert", "replace"):
                for para in edited_loose[j1:j2]:
                    self.found.unmapped.append(Problem(para.place, para.text(self.mode).strip()))


class _Invalid:
    pass


_INVALID: Any = _Invalid()
_ROW_MARK = re.compile(r"^stakeholders\.\d+\.")


def term_texts(vocabulary: type[Vocabulary], words: Words) -> dict[str, Vocabulary]:
    """Every text that names a term of *vocabulary*: as a chip prints it, as a table prints
    it, the term alone (the chip without its range), and the word a brief uses (all from the
    layout's own functions in the document's language, so that they follow its wording)."""
    found: dict[str, Vocabulary] = {}
    for term in vocabulary:
        for text in (chip_text(words, term), term_text(words, term), term.value):
            found.setdefault(_folded(text), term)
    return found


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _same(a: tuple[Group, ...], b: tuple[Group, ...]) -> bool:
    return a == b


def _outside(para: Para, mode: str) -> str:
    return " ".join(
        "".join(r.text for p, r in para.segments if p is None and visible(r, mode)).split()
    )


def _key(text: str) -> str:
    return " ".join(text.split())


def _adopt(para: Para, model: Para, mode: str) -> None:
    """Move text typed next to the field (outside its mark) into it, when the rest of the
    paragraph reads as printed."""
    path = para.fields[0]
    indices = [i for i, (p, _r) in enumerate(para.segments) if p == path]
    first, last = indices[0], indices[-1]
    printed_before = "".join(
        r.text for p, r in model.segments[: _first_index(model, path)] if p is None
    )
    before = para.segments[:first]
    after = para.segments[last + 1 :]
    printed_after = "".join(
        r.text for p, r in model.segments[_last_index(model, path) + 1 :] if p is None
    )
    lead = "".join(r.text for _p, r in before if visible(r, mode))
    trail = "".join(r.text for _p, r in after if visible(r, mode))
    if not lead.startswith(printed_before) or not trail.endswith(printed_after):
        return
    keep_before = _split_runs(before, len(printed_before), mode)
    keep_after = _split_runs(after, len(trail) - len(printed_after), mode)
    if keep_before is None or keep_after is None:
        return
    head, extra_before = keep_before
    extra_after, tail = keep_after
    para.segments = (
        head
        + [(path, r) for _p, r in extra_before]
        + para.segments[first : last + 1]
        + [(path, r) for _p, r in extra_after]
        + tail
    )


def _refill(para: Para, model: Para, mode: str) -> None:
    """An empty mark in a paragraph whose other text reads as printed around the field: the
    text that is not the printed furniture (a label, say) is the field's."""
    path = para.marks[0]
    before = "".join(r.text for p, r in model.segments[: _first_index(model, path)] if p is None)
    after = "".join(r.text for p, r in model.segments[_last_index(model, path) + 1 :] if p is None)
    text = "".join(r.text for _p, r in para.segments if visible(r, mode))
    if not text.startswith(before) or not text.endswith(after) or len(text) <= len(before + after):
        return
    cut = _split_runs(para.segments, len(before), mode)
    if cut is None:
        return
    head, rest = cut
    cut = _split_runs(rest, len(text) - len(before) - len(after), mode)
    if cut is None:
        return
    middle, tail = cut
    para.segments = head + [(path, r) for _p, r in middle] + tail


def _split_runs(
    segments: Sequence[tuple[str | None, Run]], at: int, mode: str
) -> tuple[list[tuple[str | None, Run]], list[tuple[str | None, Run]]] | None:
    """*segments* cut after *at* visible characters."""
    head: list[tuple[str | None, Run]] = []
    tail: list[tuple[str | None, Run]] = []
    count = 0
    for path, run in segments:
        if not visible(run, mode):
            (head if count < at else tail).append((path, run))
            continue
        if count >= at:
            tail.append((path, run))
        elif count + len(run.text) <= at:
            head.append((path, run))
        else:
            cut = at - count
            head.append((path, _with_text(run, run.text[:cut])))
            tail.append((path, _with_text(run, run.text[cut:])))
        count += len(run.text)
    return head, tail


def _with_text(run: Run, text: str) -> Run:
    return Run(text, run.bold, run.italic, run.code, run.href, run.cite, run.change, run.style)


def _first_index(para: Para, path: str) -> int:
    return next(i for i, (p, _r) in enumerate(para.segments) if p == path)


def _last_index(para: Para, path: str) -> int:
    return max(i for i, (p, _r) in enumerate(para.segments) if p == path)


def _stakeholder_columns(rows: dict[int, list[Para]]) -> dict[int, str]:
    """Column → field name, from the rows of the stakeholder table that have marks."""
    columns: dict[int, str] = {}
    for paras in rows.values():
        for para in paras:
            for path in para.fields:
                parts = path.split(".")
                if parts[0] == "stakeholders" and para.cell is not None and len(parts) == 3:
                    columns[para.cell[2]] = parts[2]
    return columns


def _order(path: str) -> Loc:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in loc_of(path))  # type: ignore[misc]


def _first(places: dict[str, str], part: str) -> str:
    return next((place for path, place in places.items() if path.startswith(part + ".")), "")
