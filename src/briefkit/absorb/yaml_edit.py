"""Change a brief's YAML text in place, touching only the values that change.

ruamel's round-trip mode gives every node of the file with its place; each change replaces
the text of one node (or inserts or removes the lines of one item), and every other byte of
the file stays as it was: comments, key order, quoting, line wrapping, blank lines. (Dumping
the whole round-trip tree again would re-wrap long lines elsewhere in the file.) A replaced
value keeps its node's style: a folded block stays folded, wrapped at the width the file
uses; a plain or quoted one stays so when it can.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]
DEFAULT_WIDTH = 96


class EditError(Exception):
    """A change that cannot be written where it belongs (a briefkit bug if ever raised)."""


@dataclass
class _Change:
    start: int
    end: int
    text: str


class YamlEditor:
    def __init__(self, text: str) -> None:
        from ruamel.yaml import YAML

        self.text = text
        self.root = YAML(typ="rt", pure=True).compose(text)
        self.changes: list[_Change] = []
        self.width = max(
            (len(line) for line in text.splitlines() if not line.lstrip().startswith("#")),
            default=DEFAULT_WIDTH,
        )
        self.width = min(max(self.width, 60), 120)

    # --- finding nodes --------------------------------------------------------------------

    def find(self, loc: Loc) -> tuple[Any, Any]:
        """The node at *loc* and its key node (None for a list item); (None, None) if absent."""
        node, key = self.root, None
        for part in loc:
            if node is None:
                return None, None
            if node.id == "mapping":
                pair = next((kv for kv in node.value if kv[0].value == part), None)
                node, key = (pair[1], pair[0]) if pair else (None, None)
            elif node.id == "sequence" and isinstance(part, int) and part < len(node.value):
                node, key = node.value[part], None
            else:
                return None, None
        return node, key

    def _end(self, node: Any) -> int:
        """Where *node*'s text ends (trailing line breaks and blank lines not included)."""
        end = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \n\r\t":
            end -= 1
        return end

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _column(self, index: int) -> int:
        return index - self._line_start(index)

    # --- changes --------------------------------------------------------------------------

    def set(self, loc: Loc, value: Any) -> None:
        node, key = self.find(loc)
        if node is None:
            self._add_key(loc, value)
            return
        if isinstance(value, list):
            self._set_list(node, key, value)
            return
        start = node.start_mark.index
        if key is None and self._in_flow(loc):
            self.changes.append(_Change(start, self._end(node), _plain_or_quoted(str(value), True)))
            return
        indent = self._column(key.start_mark.index) if key is not None else self._item_indent(node)
        lead = self._column(start)
        text = self._refolded(node, str(value)) or render_scalar(
            str(value), node.style, indent, lead, self.width
        )
        self.changes.append(_Change(start, self._end(node), text))

    def _in_flow(self, loc: Loc) -> bool:
        parent, _key = self.find(loc[:-1])
        return bool(parent is not None and parent.flow_style)

    def _refolded(self, node: Any, value: str) -> str | None:
        """*value* as the folded block *node* is, keeping every line of it that still says the
        same (so that a diff shows only the lines that changed), wrapped at its width."""
        header, _, body = self.text[node.start_mark.index : self._end(node)].partition("\n")
        lines = body.split("\n")
        if node.style != ">" or not _foldable(value) or not all(line.strip() for line in lines):
            return None
        pad = lines[0][: len(lines[0]) - len(lines[0].lstrip(" "))]
        width = max(max(len(line) for line in lines), 60) - len(pad)
        kept = refold([line.strip() for line in lines], value, width)
        text = header + "\n" + "\n".join(pad + line for line in kept)
        # the block's own header may keep a final newline (">"): the text is what must match
        return text if _reads_back(">-" + text[len(header) :], value) else None

    def _item_indent(self, node: Any) -> int:
        """The indentation of a list item's dash."""
        start = node.start_mark.index
        line = self.text[self._line_start(start) : start]
        return len(line) - len(line.lstrip(" -")) if "-" in line else self._column(start)

    def _set_list(self, node: Any, key: Any, value: list[str]) -> None:
        if node.flow_style or not node.value:
            text = "[" + ", ".join(_plain_or_quoted(v, flow=True) for v in value) + "]"
            self.changes.append(_Change(node.start_mark.index, self._end(node), text))
            return
        first = node.value[0]
        dash = self._line_start(first.start_mark.index)
        prefix = self.text[dash : first.start_mark.index]
        items = "\n".join(prefix + _plain_or_quoted(v) for v in value)
        self.changes.append(_Change(dash, self._end(node), items))

    def _add_key(self, loc: Loc, value: Any) -> None:
        parent, _key = self.find(loc[:-1])
        if parent is None or parent.id != "mapping" or not parent.value:
            raise EditError(f"no mapping at {loc[:-1]} to add {loc[-1]} to")
        _last_key, last_value = parent.value[-1]
        indent = self._column(parent.value[0][0].start_mark.index)
        text = "\n" + " " * indent + self.render_entry(str(loc[-1]), value, indent)
        end = self._end(last_value)
        self.changes.append(_Change(end, end, text))

    def render_entry(self, key: str, value: Any, indent: int) -> str:
        """``key: value`` at *indent*, the value in the style the file would use."""
        name = emitted_key(key)
        if isinstance(value, list):
            lines = [f"{name}:"] + [" " * (indent + 2) + "- " + _plain_or_quoted(v) for v in value]
            return "\n".join(lines)
        return f"{name}: " + render_scalar(
            str(value), None, indent, indent + len(name) + 2, self.width
        )

    def remove(self, loc: Loc) -> None:
        node, key = self.find(loc)
        if node is None:
            return
        if key is not None:
            start = self._line_start(key.start_mark.index)
            self.changes.append(_Change(start, self._end(node) + 1, ""))
            return
        parent, _k = self.find(loc[:-1])
        index = int(loc[-1])
        if parent.flow_style:
            items = [v for i, v in enumerate(parent.value) if i != index]
            text = (
                "[" + ", ".join(self.text[v.start_mark.index : self._end(v)] for v in items) + "]"
            )
            self.changes.append(_Change(parent.start_mark.index, self._end(parent), text))
            return
        start = self._line_start(node.start_mark.index)
        if index + 1 < len(parent.value):
            end = self._line_start(parent.value[index + 1].start_mark.index)
            self.changes.append(_Change(start, end, ""))
        else:
            previous = self._end(parent.value[index - 1]) if index else start - 1
            self.changes.append(_Change(max(previous, 0), self._end(node), ""))

    def insert_after(self, loc: Loc, value: Any) -> None:
        """A new item after the list item at *loc* (``(…, list, index)``)."""
        parent, _k = self.find(loc[:-1])
        if parent is None or parent.id != "sequence" or not parent.value:
            raise EditError(f"no list at {loc[:-1]}")
        index = min(int(loc[-1]), len(parent.value) - 1)
        node = parent.value[index]
        if parent.flow_style:
            end = self._end(node)
            self.changes.append(_Change(end, end, ", " + _plain_or_quoted(str(value), True)))
            return
        dash_line = self._line_start(node.start_mark.index)
        dash = self.text.index("-", dash_line)
        indent = dash - dash_line
        gap = "\n\n" if self._blank_between(parent) else "\n"
        body = self._item(value, indent)
        end = self._end(node)
        self.changes.append(_Change(end, end, gap + " " * indent + "- " + body))

    def _blank_between(self, sequence: Any) -> bool:
        if len(sequence.value) < 2:
            return False
        between = self.text[self._end(sequence.value[0]) : sequence.value[1].start_mark.index]
        return "\n\n" in between.replace(" ", "")

    def _item(self, value: Any, indent: int) -> str:
        if not isinstance(value, dict):
            return render_scalar(str(value), None, indent + 2, indent + 2, self.width)
        lines = []
        for index, (key, item) in enumerate(value.items()):
            entry = self.render_entry(key, item, indent + 2)
            lines.append(entry if index == 0 else " " * (indent + 2) + entry)
        return "\n".join(lines)

    def result(self) -> str:
        """The text with every change made (changes inside a removed range are dropped)."""
        text = self.text
        done: list[_Change] = []
        for change in sorted(self.changes, key=lambda c: (c.start, -c.end), reverse=True):
            if any(d.start <= change.start and change.end <= d.end and d.text == "" for d in done):
                continue
            text = text[: change.start] + change.text + text[change.end :]
            done.append(change)
        return text


# --- scalars ------------------------------------------------------------------------------


def render_scalar(value: str, style: str | None, indent: int, column: int, width: int) -> str:
    """*value* as YAML for a node at *column* whose mapping key (or list dash) is at *indent*:
    folded (``>-``) when the node was folded or the value is too long for one line, else
    plain, else quoted the way the node was."""
    foldable = _foldable(value)
    if style in (">", "|") or (column + len(value) > width and foldable):
        if foldable:
            return _folded(value, indent + 2, width)
        return _double_quoted(value)
    if style == "'" and _reads_back("'" + value.replace("'", "''") + "'", value):
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return _double_quoted(value)
    return _plain_or_quoted(value)


def refold(lines: list[str], value: str, width: int) -> list[str]:
    """The lines of a folded block saying *value*: the leading and trailing *lines* that still
    say the same kept as they are, the text between them wrapped at *width*."""
    head = 0
    while head < len(lines) and _starts(value, " ".join(lines[: head + 1])):
        head += 1
    start = len(" ".join(lines[:head]))
    rest = value[start:].lstrip(" ")
    tail = len(lines)
    while tail > head and _ends(rest, " ".join(lines[tail - 1 :])):
        tail -= 1
    while True:
        end = len(rest) - len(" ".join(lines[tail:])) if tail < len(lines) else len(rest)
        middle = textwrap.wrap(
            rest[:end], max(width, 20), break_long_words=False, break_on_hyphens=False
        )
        if not middle or len(middle[-1]) >= width // 3 or tail == len(lines):
            break
        tail += 1  # a stub of a line: wrap the next line with it
    out = lines[:head] + middle + lines[tail:]
    return (
        out
        if " ".join(out) == value
        else textwrap.wrap(value, max(width, 20), break_long_words=False, break_on_hyphens=False)
    )


def _starts(value: str, prefix: str) -> bool:
    return value == prefix or value.startswith(prefix + " ")


def _ends(value: str, suffix: str) -> bool:
    return value == suffix or value.endswith(" " + suffix)


def _foldable(value: str) -> bool:
    return bool(value) and value == " ".join(value.split()) and "\t" not in value


def _folded(value: str, indent: int, width: int) -> str:
    """*value* as the emitter folds it (``>-``), its lines at *indent*; double-quoted when the
    block would not read back as *value*."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    header, *lines = _emitted(FoldedScalarString(value), False, max(width - indent, 20)).split("\n")
    text = "\n".join([header, *(" " * indent + line.lstrip(" ") for line in lines)])
    return text if _reads_back(text, value) else _double_quoted(value)


def _double_quoted(value: str) -> str:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return _emitted(DoubleQuotedScalarString(value), False)


def _plain_or_quoted(value: str, flow: bool = False) -> str:
    """*value* as ruamel's emitter writes it as a mapping value (or, *flow*, as an item of a
    flow list), plain when it reads back as itself, else double-quoted. (The emitter alone is
    not enough: it writes ``?x`` plain inside ``[…]``, which reads back as a mapping.)"""
    text = _emitted(value, flow)
    if _reads_back(text, value, flow) and not re.search(r"^\s|\s$", text):
        return text
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return _emitted(DoubleQuotedScalarString(value), flow)


def emitted_key(key: str) -> str:
    """A mapping key as the emitter writes it (keys come from the model; this only keeps the
    text of one from ever being more than one key)."""
    text = _emitted(key, False)
    if "\n" in text or not _reads_back("1", 1, False, key=text, name=key):
        raise EditError(f"{key!r} cannot be written as a key")
    return text


def _emitted(value: str, flow: bool, width: int = 1 << 30) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.width = width
    yaml.allow_unicode = True
    out = io.StringIO()
    if flow:
        yaml.default_flow_style = True
        yaml.dump([value], out)
        return out.getvalue().rstrip("\n")[1:-1]
    yaml.dump({"key": value}, out)
    return out.getvalue().rstrip("\n")[len("key: ") :]


def _reads_back(
    text: str, value: Any, flow: bool = False, key: str = "key", name: str = "key"
) -> bool:
    """Whether ``key: text`` (*flow*: ``key: [text]``) reads as *value* in YAML 1.2."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(
            f"{key}: [{text}]\n" if flow else f"{key}: {text}\n"
        )
    except YAMLError:
        return False
    return (
        isinstance(data, dict)
        and list(data) == [name]
        and data[name] == ([value] if flow else value)
    )
