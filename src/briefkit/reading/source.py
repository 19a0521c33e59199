"""Read a YAML 1.2 file into plain Python data, remembering where every node came from.

The loader is deliberately strict: brief and style files are hand-written and reviewed in git,
so anything surprising (duplicate keys, tags, control characters, alias bombs, huge files) is
refused with a located message instead of being interpreted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.diagnostics import BriefError, Diagnostic, Loc, display_path, format_loc

MAX_FILE_BYTES = 2 * 1024 * 1024
# More digits than any count, size or version needs; Python refuses to read 4,300 or more.
MAX_DIGITS = 100
# A real brief has a few thousand nodes; an alias bomb has billions. Counting the nodes that the
# expanded document would have stops a bomb after a fixed amount of work.
MAX_NODES = 200_000

# C0 controls except tab/newline/carriage return, DEL, and C1 controls: Word refuses them and they
# are invisible in an editor.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Non-characters (U+FDD0–U+FDEF and the last two code points of every plane) are reserved for a
# program's internal use, and lone surrogates are not characters at all: neither can be written
# to a Word document. YAML escapes ("\uFFFF", "\uD800") can produce them.
_NOT_CHARACTERS = re.compile(
    r"[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(rf"\U{last:08X}-\U{last + 1:08X}" for last in range(0xFFFE, 0x110000, 0x10000))
    + "]"
)
_SURROGATE_PAIR = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"


def _join_surrogate_pairs(text: str) -> str:
    """JSON-style escapes of a character beyond the BMP ("\\ud83d\\ude00", as JSON writers
    produce) as the one character they mean; a lone surrogate stays, and is refused."""
    return _SURROGATE_PAIR.sub(
        lambda pair: pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text
    )


_YAML_NAMES = {"CommentedOrderedMap": "!!omap", "CommentedSet": "!!set", "bytes": "!!binary"}
_COLLECTION_TAGS = {None, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based
    path: Path | None = None  # set in documents merged from several files


@dataclass(frozen=True, slots=True)
class BlockLine:
    position: Position  # of the line's first character that is not indentation
    text: str  # the line without its indentation


@dataclass
class SourceDocument:
    """Plain data (dicts, lists, str, int, float, bool, None, date) plus node positions."""

    path: Path
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    # the lines of every literal (|) or folded (>) block scalar, as written: folding hides
    # where a line began, and a key indented into a block is text that looks like a key
    blocks: dict[Loc, tuple[BlockLine, ...]] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return display_path(self.path)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where *loc* is; falls back to the nearest enclosing node that exists."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return Position(1, 1)

    def diagnostic(self, loc: Loc, message: str, *, key: bool = False, **kwargs: Any) -> Diagnostic:
        pos = self.position(loc, key=key)
        where = display_path(pos.path) if pos.path else self.display
        return Diagnostic(where, pos.line, pos.column, message, field=format_loc(loc), **kwargs)


def _in_file(line: BlockLine, path: Path) -> BlockLine:
    at = line.position
    return line if at.path else BlockLine(Position(at.line, at.column, path), line.text)


def overlay(base: SourceDocument, top: SourceDocument) -> SourceDocument:
    """*top* deep-merged over *base* (mappings merge, anything else is replaced).

    Every position keeps the file it came from, so a problem in a merged style sheet points
    into the file that set the offending value.
    """
    out = SourceDocument(path=top.path, data=None)

    def copy(doc: SourceDocument, data: Any, loc: Loc) -> Any:
        for table, target in ((doc.values, out.values), (doc.keys, out.keys)):
            if loc in table:
                pos = table[loc]
                target[loc] = pos if pos.path else Position(pos.line, pos.column, doc.path)
        if loc in doc.blocks:
            out.blocks[loc] = tuple(_in_file(line, doc.path) for line in doc.blocks[loc])
        if isinstance(data, dict):
            return {k: copy(doc, v, (*loc, k)) for k, v in data.items()}
        if isinstance(data, list):
            return [copy(doc, v, (*loc, i)) for i, v in enumerate(data)]
        return data

    def merge(below: Any, above: Any, loc: Loc) -> Any:
        if not (isinstance(below, dict) and isinstance(above, dict)):
            return copy(top, above, loc)
        copy(top, None, loc)
        merged = {}
        for key in [*below, *(k for k in above if k not in below)]:
            child = (*loc, key)
            if key not in above:
                merged[key] = copy(base, below[key], child)
            elif key in below:
                merged[key] = merge(below[key], above[key], child)
            else:
                merged[key] = copy(top, above[key], child)
        return merged

    out.data = merge(base.data, top.data, ())
    return out


def _block_lines(text: str, header: Position) -> tuple[BlockLine, ...]:
    """The content lines of the block scalar whose indicator (| or >) is at *header*: those
    after it that are blank or indented at least as far as its first line that is not."""
    lines = text.splitlines()
    parent = _indent(lines[header.line - 1])
    explicit = re.match(r"[|>][+-]?([1-9])?", lines[header.line - 1][header.column - 1 :])
    indent = parent + int(explicit.group(1)) if explicit and explicit.group(1) else None
    out = []
    for number in range(header.line + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        depth = _indent(line)
        if indent is None:
            if depth < parent:
                break
            indent = depth
        if depth < indent:
            break
        text_at = len(line) - len(line.lstrip(" "))
        out.append(BlockLine(Position(number, text_at + 1), line[text_at:]))
    return tuple(out)


def _position_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(line, column)


def _error(path: Path, pos: Position | None, message: str) -> BriefError:
    """A located problem in *path*; with no *pos*, a problem with the whole file."""
    if pos is None:
        return BriefError([Diagnostic.unlocated(display_path(path), message)])
    return BriefError([Diagnostic(display_path(path), pos.line, pos.column, message)])


def read_text(path: Path) -> str:
    """Read *path* as UTF-8 text, refusing huge files, bad encodings and control characters."""
    from briefkit.reading.files import InputFileError, read_regular

    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except InputFileError as exc:
        raise _error(path, None, f"the file {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        raise _error(
            path,
            _position_of_offset(prefix, len(prefix)),
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        ) from None
    check_characters(text, path)
    return text


def check_characters(text: str, path: Path) -> None:
    """Refuse *text* (the file at *path*, or what is about to replace it) if it holds a
    control character: the one check for a file read and for a file absorb writes."""
    problems = []
    for match in _CONTROL_CHARS.finditer(text):
        pos = _position_of_offset(text, match.start())
        problems.append(
            Diagnostic(
                display_path(path),
                pos.line,
                pos.column,
                f"control character U+{ord(match.group()):04X} is not allowed; delete it "
                "(only tab, newline and carriage return are allowed)",
            )
        )
    if problems:
        raise BriefError(problems)


def parse_yaml(text: str, path: Path) -> SourceDocument:
    """Parse YAML 1.2 *text*; raise :class:`BriefError` with the position of any syntax error."""
    fast = _parse_fast(text, path)
    if fast is not None:
        return fast
    return _slow_parse(text, path)


def _slow_parse(text: str, path: Path) -> SourceDocument:
    """*text* read by ruamel.yaml's pure-Python parser, which words every message."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError
    from ruamel.yaml.scanner import Scanner

    yaml = YAML(typ="rt", pure=True)
    # The round-trip scanner keeps comments, which the tree discards, and it fails an
    # assertion on some comment placements ("#\n| #\n"); the plain scanner skips them.
    yaml.Scanner = Scanner
    yaml.Constructor = _text_timestamps()
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except _Refused as exc:
        raise _error(path, exc.position, exc.message) from None
    except MarkedYAMLError as exc:
        raise _syntax_error(path, text, exc) from None
    except ReaderError as exc:
        raise _error(
            path,
            _position_of_offset(text, exc.position),
            f"character U+{exc.character:04X} is not allowed in YAML; delete it",
        ) from None
    except YAMLError as exc:
        raise _error(path, None, f"YAML error: {exc}") from None
    except RecursionError:
        raise _error(path, None, "nesting is too deep") from None
    doc = SourceDocument(path=path, data=None)
    doc.values[()] = Position(1, 1)
    doc.data = _Converter(doc).convert(tree, ())
    _fill_blocks(doc, text)
    return doc


def _fill_blocks(doc: SourceDocument, text: str) -> None:
    for loc in doc.blocks:
        doc.blocks[loc] = _block_lines(text, doc.values[loc])


class _Refused(Exception):
    """A construct the YAML reader refuses while building the tree, at *position*."""

    def __init__(self, position: Position, message: str) -> None:
        self.position = position
        self.message = message


class _NumberTooLong(_Refused):
    def __init__(self, position: Position, digits: int) -> None:
        super().__init__(
            position,
            f"a number with {digits:,} digits is not allowed (at most {MAX_DIGITS}); "
            "quote it if it is text",
        )


def _text_timestamps() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.nodes import ScalarNode

    class TextTimestamps(RoundTripConstructor):
        """Dates stay text: YAML 1.2's core schema has no timestamps, and the model parses
        dates itself, so "2026-02-30" is a located error rather than a crash.

        Integers are refused beyond MAX_DIGITS digits, located, before Python parses them."""

        def construct_yaml_int(self, node: Any) -> Any:
            digits = sum(c.isdigit() for c in str(node.value))
            if digits > MAX_DIGITS:
                mark = node.start_mark
                raise _NumberTooLong(Position(mark.line + 1, mark.column + 1), digits)
            return super().construct_yaml_int(node)

        def check_mapping_key(
            self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
        ) -> bool:
            if not isinstance(key_node, ScalarNode):
                mark = key_node.start_mark
                raise _Refused(
                    Position(mark.line + 1, mark.column + 1),
                    "a key must be a name, not a list or mapping (written with '?'); "
                    "quote it if it is text",
                )
            return bool(super().check_mapping_key(node, key_node, mapping, key, value))

    TextTimestamps.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    TextTimestamps.add_constructor("tag:yaml.org,2002:int", TextTimestamps.construct_yaml_int)
    return TextTimestamps


def load_yaml(path: Path) -> SourceDocument:
    return parse_yaml(read_text(path), path)


def _syntax_error(path: Path, text: str, exc: Any) -> BriefError:
    mark = exc.problem_mark or exc.context_mark
    pos = Position(mark.line + 1, mark.column + 1) if mark else None
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    kind = type(exc).__name__
    if kind == "DuplicateKeyError" or "duplicate key" in problem:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        name = f"'{key.group(1)}' " if key else ""
        message = f"duplicate key {name}(each key may appear once in a mapping)"
    elif pos is not None and ("\\t" in problem or "\t" in _line(text, pos.line)[: pos.column]):
        line = _line(text, pos.line)
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indentation:
            message = "tab character in indentation; indent with spaces"
        else:
            message = "tab character here; YAML needs a space instead"
    elif problem == "could not find expected ':'" and exc.context_mark is not None:
        # a line at a key's indent with no "key:": the parser notices only on the next line
        pos = Position(exc.context_mark.line + 1, exc.context_mark.column + 1)
        message = (
            "this line is indented like a key but is not 'key: value'; indent it more to "
            "continue the value above, or write the key and a ':'"
        )
    else:
        message = (_plain_words(text, pos, problem) if pos else None) or (
            f"YAML syntax error: {problem}"
            + (f" ({exc.context.strip()})" if exc.context and exc.problem else "")
        )
    return _error(path, pos, message)


_KEY_START = re.compile(r"\s*(?:- +)?([^\s#'\"][^:#]*?):(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _plain_words(text: str, pos: Position, problem: str) -> str | None:
    """What the commonest YAML slips mean, in a writer's words, or None for the parser's.

    *problem* is the parser's own wording: ruamel's, which also reads every document the fast
    path gives up on, so both paths say the same."""
    lines = text.splitlines()
    line = _line(text, pos.line)
    above = [(n, s) for n, s in enumerate(lines[: pos.line - 1], 1) if s.strip()]
    above = [(n, s) for n, s in above if not s.lstrip().startswith("#")]
    if problem == "mapping values are not allowed here":
        key = _KEY_START.match(line)
        if key and key.end(1) < pos.column - 1:  # a second ': ' on the key's own line
            return (
                f"quote this value: it contains ': ' (write {key.group(1)}: \"...\" with the "
                "whole value inside the quotes)"
            )
        parent = next(((n, s) for n, s in reversed(above) if _indent(s) < _indent(line)), None)
        if key and parent is not None:
            name = _KEY_START.match(parent[1])
            holder = f"'{name.group(1)}:'" if name else f"line {parent[0]}"
            return (
                f"this line is indented more than {holder} on line {parent[0]}, so "
                f"'{key.group(1)}:' is read as more of its value; indent it like {holder} if "
                "it is a key of its own (or quote the value if it is meant to contain ': ')"
            )
        return "quote this value: it contains ': '"
    found = re.fullmatch(r"expected <block end>, but found '(.*)'", problem)
    if found is None:
        return None
    token = found.group(1)
    key = _KEY_START.match(line)
    level = next((s for _, s in reversed(above) if _indent(s) <= _indent(line)), "")
    if token == "?" and key and _indent(level) == _indent(line) and level.lstrip()[:1] == "-":
        return (
            f"'{key.group(1)}:' is indented like the list items ('- ') above it: indent it "
            "less to end the list, or under the last item's keys to put it in that item"
        )
    if token == "<block mapping start>" and above:
        deeper = _indent(above[-1][1])
        holder_line = next((s for _, s in reversed(above) if _indent(s) < _indent(line)), None)
        if holder_line is not None and deeper > _indent(line):
            return (
                f"this line is indented by {_indent(line)}: less than the line above "
                f"({deeper}) and more than the key that holds it ({_indent(holder_line)}); "
                "indent it like one of them"
            )
    if token == "<scalar>" and line[: pos.column - 1].rstrip()[-1:] in {"'", '"'}:
        return (
            "text after the closing quote; put the whole value inside the quotes "
            "(or write it without quotes)"
        )
    return None


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


class _Converter:
    """Turn ruamel's round-trip tree into plain data, recording positions and counting nodes.

    Only mappings, sequences, text, numbers, booleans and null come through; anything else a
    YAML file can express (sets, binary, ordered maps, merge keys, tags) is refused, located.
    """

    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.nodes = 0
        self.open: set[int] = set()  # ids of the mappings and sequences being converted

    def convert(self, node: Any, loc: Loc) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(
                loc,
                f"document expands to more than {MAX_NODES:,} nodes through aliases; "
                "anchors and aliases may only be used for small repeats",
            )
        if isinstance(node, TaggedScalar):
            if node.tag.value != _STR_TAG:
                raise self._fail(loc, self._tag_message(node.tag.value))
            return self._text(str(node.value), loc)
        if type(node) is CommentedMap or type(node) is CommentedSeq:
            tag = node.tag.value
            if tag not in _COLLECTION_TAGS:
                raise self._fail(loc, self._tag_message(tag))
        if type(node) is CommentedMap or type(node) is CommentedSeq:
            if id(node) in self.open:
                raise self._fail(
                    loc,
                    "an alias refers to a list or mapping that contains it (a recursive "
                    "alias); write the value out",
                )
            self.open.add(id(node))
            try:
                if type(node) is CommentedMap:
                    return self._mapping(node, loc)
                return self._sequence(node, loc)
            finally:
                self.open.discard(id(node))
        if node is None or isinstance(node, bool | int | float):
            return _plain_scalar(node)
        if isinstance(node, str):
            if type(node).__name__ in {"LiteralScalarString", "FoldedScalarString"}:
                self.doc.blocks[loc] = ()
            return self._text(str(node), loc)
        kind = _YAML_NAMES.get(type(node).__name__, type(node).__name__)
        raise self._fail(loc, self._tag_message(kind))

    def _mapping(self, node: Any, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        positions = node.lc.data or {}
        for key, value in node.items():
            if key not in positions:
                # only keys brought in by a merge key (<<) have no position of their own
                raise self._fail(
                    loc, "YAML merge keys (<<) are not supported; write the keys out in full"
                )
            line, col, vline, vcol = positions[key]
            if not isinstance(key, str):
                raise self._fail(
                    loc, f"key {str(key)!r} is not text; quote it", Position(line + 1, col + 1)
                )
            child = (*loc, key)
            self.doc.keys[child] = Position(line + 1, col + 1)
            # an empty value has no node: ruamel points at whatever comes next, so use the key
            self.doc.values[child] = (
                Position(line + 1, col + 1) if value is None else Position(vline + 1, vcol + 1)
            )
            out[key] = self.convert(value, child)
        return out

    def _sequence(self, node: Any, loc: Loc) -> list[Any]:
        items = []
        positions = node.lc.data or {}
        for index, value in enumerate(node):
            line, col = positions.get(index, (None, None))
            child = (*loc, index)
            if line is not None:
                self.doc.values[child] = Position(line + 1, col + 1)
            items.append(self.convert(value, child))
        return items

    def _text(self, text: str, loc: Loc) -> str:
        """Text after YAML unescaped it: "\\x07" in quotes is a control character too.

        Text is returned in Unicode normal form C, so that "e" + U+0301 prints (and matches a
        quote) as "é"; zero-width and directional marks are kept.
        """
        match = _CONTROL_CHARS.search(text)
        if match:
            raise self._fail(
                loc,
                f"control character U+{ord(match.group()):04X} is not allowed in text "
                "(only tab and newline are allowed)",
            )
        text = _join_surrogate_pairs(text)
        match = _NOT_CHARACTERS.search(text)
        if match:
            raise self._fail(
                loc,
                f"U+{ord(match.group()):04X} is not a character that can be printed or saved "
                "(a Unicode non-character or lone surrogate); delete it",
            )
        return unicodedata.normalize("NFC", text)

    @staticmethod
    def _tag_message(tag: str) -> str:
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return (
            f"YAML feature '{tag}' is not allowed; write plain text, numbers, lists and "
            "mappings (quote text if needed)"
        )

    def _fail(self, loc: Loc, message: str, pos: Position | None = None) -> BriefError:
        where = pos or self.doc.position(loc)
        return BriefError(
            [Diagnostic(self.doc.display, where.line, where.column, message, format_loc(loc))]
        )


def _plain_scalar(value: Any) -> Any:
    """ruamel returns int/float subclasses that keep formatting; hand out plain types."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    return float(value)


# --- the fast path: libyaml's events ------------------------------------------------------------
#
# ruamel.yaml's parser is pure Python (tens of milliseconds for a brief). libyaml (through
# PyYAML's C parser) reads the same documents a hundred times faster and marks every event with
# its line and column. It is used only for plain data it reads exactly as ruamel does: plain
# scalars are resolved and constructed by ruamel's own YAML 1.2 resolver and constructor, and
# anything else (anchors, aliases, tags, directives, complex or duplicate keys, tabs, a second
# document, any error at all) is read again by ruamel, so every message stays ruamel's.

# Text that YAML 1.1 (libyaml) and YAML 1.2 (ruamel) read differently or report differently.
# A block indicator with a comment right after it ("|#") is an error to ruamel, not libyaml.
_SLOW_TEXT = re.compile(r"[\t\r\\\u2028\u2029\ufeff]|[|>][1-9+-]*#")


class _Slow(Exception):
    """Something the fast path leaves to ruamel."""


def _parse_fast(text: str, path: Path) -> SourceDocument | None:
    """*text* read through libyaml, or None when ruamel must read it (see above)."""
    if _SLOW_TEXT.search(text):
        return None
    try:
        from yaml._yaml import CParser  # libyaml's parser, as yaml.cyaml imports it
    except ImportError:  # PyYAML without libyaml
        return None
    doc = SourceDocument(path=path, data=None)
    doc.values[()] = Position(1, 1)
    try:
        doc.data = _Composer(doc, CParser(text)).document()
    except Exception:  # whatever it is, ruamel says it in its own words
        return None
    _fill_blocks(doc, text)
    return doc


class _Mark:
    """A ruamel-style mark, for ruamel's constructor to locate a number that is too long."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class _Composer:
    """libyaml's events → plain data and positions, as parse_yaml's ruamel path makes them."""

    def __init__(self, doc: SourceDocument, parser: Any) -> None:
        self.doc = doc
        self.parser = parser
        self.converter = _Converter(doc)
        yaml = _fast_yaml()
        self.resolve = yaml.resolver.resolve
        self.constructor = yaml.constructor
        self.constructors = type(yaml.constructor).yaml_constructors

    def document(self) -> Any:
        from yaml import events

        self.events = events
        event = self.parser.get_event()  # stream start
        event = self.parser.get_event()
        if isinstance(event, events.StreamEndEvent):
            self.converter.nodes += 1
            return None
        if event.version or event.tags:
            raise _Slow
        data = self.node(self.parser.get_event(), ())
        if not isinstance(self.parser.get_event(), events.DocumentEndEvent):
            raise _Slow
        if not isinstance(self.parser.get_event(), events.StreamEndEvent):
            raise _Slow  # a second document
        return data

    def node(self, event: Any, loc: Loc) -> Any:
        self.converter.nodes += 1
        if self.converter.nodes > MAX_NODES or getattr(event, "anchor", None) is not None:
            raise _Slow
        if event.tag is not None and not isinstance(event, self.events.ScalarEvent):
            raise _Slow
        if isinstance(event, self.events.ScalarEvent):
            return self.scalar(event, loc)
        if isinstance(event, self.events.MappingStartEvent):
            return self.mapping(loc)
        if isinstance(event, self.events.SequenceStartEvent):
            return self.sequence(loc)
        raise _Slow  # an alias

    def scalar(self, event: Any, loc: Loc) -> Any:
        if event.tag is not None:
            raise _Slow
        if event.style:  # quoted, literal or folded: text
            if event.style in "|>":
                self.doc.blocks[loc] = ()
            return self.converter._text(event.value, loc)
        from ruamel.yaml.nodes import ScalarNode

        mark = _Mark(event.start_mark.line, event.start_mark.column)
        tag = self._tag(event.value)
        node = ScalarNode(tag, event.value, start_mark=mark, end_mark=mark)
        value = self.constructors[tag.value](self.constructor, node)
        if value is None or isinstance(value, bool | int | float):
            return _plain_scalar(value)
        if type(value) is not str:
            raise _Slow
        return self.converter._text(value, loc)

    def mapping(self, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while True:
            event = self.parser.get_event()
            if isinstance(event, self.events.MappingEndEvent):
                return out
            if not isinstance(event, self.events.ScalarEvent) or event.tag or event.anchor:
                raise _Slow  # a complex key, a tag or an anchor
            key = event.value
            if not event.style and (key == "<<" or self._resolved(key) != _STR_TAG):
                raise _Slow  # a merge key, or a key that is not text
            if key in out:
                raise _Slow  # ruamel reports the duplicate
            child = (*loc, key)
            key_at = _position(event)
            event = self.parser.get_event()
            self.doc.keys[child] = key_at
            self.doc.values[child] = _position(event)
            out[key] = self.node(event, child)
            if out[key] is None:  # an empty value has no node: ruamel's path uses the key's
                self.doc.values[child] = key_at

    def sequence(self, loc: Loc) -> list[Any]:
        items: list[Any] = []
        while True:
            event = self.parser.get_event()
            if isinstance(event, self.events.SequenceEndEvent):
                return items
            child = (*loc, len(items))
            self.doc.values[child] = _position(event)
            items.append(self.node(event, child))

    def _resolved(self, value: str) -> str:
        return str(self._tag(value).value)

    def _tag(self, value: str) -> Any:
        """The tag ruamel resolves a plain scalar to (keys and terms recur: asked once)."""
        tag = _TAGS.get(value)
        if tag is None:
            from ruamel.yaml.nodes import ScalarNode

            tag = self.resolve(ScalarNode, value, (True, False))
            if len(_TAGS) < 10_000:
                _TAGS[value] = tag
        return tag


_TAGS: dict[str, Any] = {}  # plain scalar → its tag, under the fast path's one resolver


def _position(event: Any) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)


_YAML: Any = None


def _fast_yaml() -> Any:
    """One ruamel YAML object per process, for its resolver and constructor only."""
    global _YAML
    if _YAML is None:
        from ruamel.yaml import YAML

        yaml = YAML(typ="rt", pure=True)
        yaml.Constructor = _text_timestamps()
        _YAML = yaml
    return _YAML
