"""Document + Style → DOCX bytes, with python-docx.

The Word file is a real, editable document: every paragraph and run uses a named style made
from the style sheet, under the names Word users know (``Title``, ``Heading 1``, ``Normal``,
``List Bullet``, ``List Number``, ``Quote``, ``Caption``, a ``Table Grid``-based table style)
plus briefkit's own (``Banner``, ``Callout Title``, ``Label``, ``Tag …``, ``Table Header``…).
Lists are real Word numbering that restarts per list, links are real hyperlinks and bookmarks,
"Page X of Y" is made of PAGE and NUMPAGES fields.

python-docx has no API for much of this, so paragraphs, tables and styles are written as
WordprocessingML elements, in schema order (Word refuses files whose properties are out of
order). python-docx still supplies the package, its parts and relationships, and saving.

Output is reproducible: dates come from *epoch* or the brief's date, never the clock, and the
zip is rewritten with fixed entry times in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit import document as d
from briefkit.styles import Align, FontRole, ParagraphStyle, Style

__all__ = ["render_docx"]

CALLOUT_BORDER = 3.0  # points: the accent rule down the left of a box
LIST_INDENT = 22.0  # points: the number column of numbered lists, as in the PDF
CATEGORY = "Executive brief"
LABEL_GAP = "\u2002"  # en space between a run-in label and its text
TAG_PAD = "\u2007"  # figure space either side of a tag or banner, inside its shading
CJK_PUNCTUATION = "“”‘’—–…·、。，：；！？（）《》「」【】"
ZIP_EPOCH_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right", Align.JUSTIFY: "both"}


def render_docx(document: d.Document, style: Style, *, epoch: int | None = None) -> bytes:
    """The Word document of *document* in *style*; *epoch* (seconds, UTC) stamps its dates."""
    moment = _moment(document.metadata.date, epoch)
    writer = _Writer(document, style)
    writer.write()
    _Package(writer.word, document, style, moment).finish()
    buffer = io.BytesIO()
    writer.word.save(buffer)
    return _reproducible_zip(buffer.getvalue(), moment)


def _moment(iso_date: str, epoch: int | None) -> dt.datetime:
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    day = dt.date.fromisoformat(iso_date)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# --- units and elements -------------------------------------------------------------------


def _twips(points: float) -> str:
    return str(round(points * 20))


def _half_points(points: float) -> str:
    return str(round(points * 2))


def _eighths(points: float) -> str:
    """Border widths are in eighths of a point, from 2 to 96."""
    return str(min(96, max(2, round(points * 8))))


def _rgb(color: str) -> str:
    return color.lstrip("#").upper()


def _el(tag: str, **attrs: str | int | float) -> BaseOxmlElement:
    """``w:tag`` with ``w:`` attributes; ``r_id`` becomes ``r:id``."""
    element = OxmlElement(tag if ":" in tag else f"w:{tag}")
    for name, value in attrs.items():
        key = qn("r:id") if name == "r_id" else qn(f"w:{name}")
        element.set(key, str(value))
    return element


def _sub(parent: BaseOxmlElement, tag: str, **attrs: str | int | float) -> BaseOxmlElement:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Child order of the WordprocessingML elements briefkit writes (ECMA-376 sequences).
_ORDER: dict[str, tuple[str, ...]] = {
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": _names(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark"
    ),
    "style": _names(
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
        "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr "
        "tblPr trPr tcPr tblStylePr"
    ),
}


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _put(parent: BaseOxmlElement, child: BaseOxmlElement) -> BaseOxmlElement:
    """Add *child* to *parent* in schema order, replacing a child with the same tag."""
    order = _ORDER[_local(parent)]
    name = _local(child)
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = order.index(name)
    for index, sibling in enumerate(parent):
        sibling_name = _local(sibling)
        if sibling_name in order and order.index(sibling_name) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def _props(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The properties child (``pPr``, ``rPr``, ``tcPr``…) of *parent*, created first if needed."""
    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = _el(tag)
        parent.insert(0, found)
    return found


def _shading(fill: str) -> BaseOxmlElement:
    return _el("shd", val="clear", color="auto", fill=_rgb(fill))


def _border(side: str, points: float, color: str, space: float = 0) -> BaseOxmlElement:
    return _el(side, val="single", sz=_eighths(points), space=round(space), color=_rgb(color))


def _no_border(side: str) -> BaseOxmlElement:
    return _el(side, val="nil")


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _StyleDef:
    """One Word style made from a style-sheet role."""

    style_id: str
    name: str
    role: str | None  # the style sheet's paragraph style; None for styles briefkit composes
    kind: str = "paragraph"  # paragraph, character or table
    based_on: str | None = "Normal"
    next_style: str | None = None
    outline: int | None = None
    ui_priority: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _character(style_id: str, name: str, role: str | None, **extra: Any) -> _StyleDef:
    return _StyleDef(
        style_id, name, role, "character", "DefaultParagraphFont", ui_priority=21, extra=extra
    )


def _table(style_id: str, name: str, based_on: str) -> _StyleDef:
    return _StyleDef(style_id, name, None, "table", based_on, ui_priority=60)


def _contrasting_text(background: str) -> str:
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#FFFFFF" if luminance < 0.6 else "#1F2328"


def _tag_style_id(tag: d.Tag) -> str:
    if tag.kind == "likelihood":
        return "Tag" + "".join(word.capitalize() for word in str(tag.key).split())
    if tag.kind == "confidence":
        return "TagConfidence"
    return "Tag"


class _Styles:
    """Rewrites the template's styles from the style sheet and adds briefkit's own."""

    def __init__(self, word: Any, style: Style) -> None:
        self.root: BaseOxmlElement = word.styles.element
        self.style = style
        self.keeping: set[str] = set()  # paragraph styles that keep with the next paragraph

    def write(self) -> None:
        self._defaults()
        for definition in self._definitions():
            self._write(definition)
        self._strip_theme_fonts()

    # -- the definitions -----------------------------------------------------------------

    def _definitions(self) -> list[_StyleDef]:
        para = _StyleDef
        defs = [
            para("Normal", "Normal", "body", based_on=None),
            para("Title", "Title", "title", next_style="Subtitle"),
            para("Subtitle", "Subtitle", "subtitle"),
            para("Heading1", "heading 1", "heading1", outline=0, extra={"rule": True}),
            para("Heading2", "heading 2", "heading2", outline=1),
            para("Heading3", "heading 3", "heading3", outline=2),
            para("ListBullet", "List Bullet", "bullet", extra={"numbering": 1}),
            para(
                "ListNumber",
                "List Number",
                "body",
                extra={"numbering": 2, "indent": LIST_INDENT, "hanging": LIST_INDENT},
            ),
            para("ListContinue", "List Continue", "body", extra={"indent": LIST_INDENT}),
            para("Quote", "Quote", "quote"),
            para("Caption", "caption", "caption"),
            para("Meta", "Meta", "meta", ui_priority=20),
            para("LabelHeading", "Label Heading", "label", next_style="Normal", ui_priority=20),
            para("TagLine", "Tag Line", "tag", ui_priority=20, extra={"tag_line": True}),
            para(
                "CalloutTitle",
                "Callout Title",
                "heading1",
                outline=0,
                next_style="Normal",
                ui_priority=20,
                extra={"space_before": 0.0},
            ),
            para("TitleRule", "Title Rule", None, ui_priority=20, extra={"title_rule": True}),
            para("TableHeader", "Table Header", "table_header", ui_priority=20),
            para("TableCell", "Table Cell", "table_cell", ui_priority=20),
            para("Banner", "Banner", "banner", ui_priority=20),
            para("Header", "header", "banner"),
            para("Footer", "footer", "footer", extra={"footer": True}),
            _character("Label", "Label", "label"),
            _character("MetaLabel", "Meta Label", "meta", bold=True),
            _character("Hyperlink", "Hyperlink", None, link=True),
            _character("Code", "Code", None, code=True),
            _table("BriefTable", "Brief Table", "TableGrid"),
            _table("CalloutBox", "Callout Box", "TableNormal"),
            _table("MetaGrid", "Meta Grid", "TableNormal"),
        ]
        defs += self._tag_definitions()
        return defs

    def _tag_definitions(self) -> list[_StyleDef]:
        colors = self.style.colors
        white = "#FFFFFF"
        accent, muted, rule = (colors.resolve(n) for n in ("accent", "muted", "rule"))
        tags: list[tuple[str, str, str, str | None]] = [
            ("Tag", white, muted, rule),
            ("TagConfidence", white, accent, accent),
        ]
        for term, background in colors.likelihood.items():
            tag = d.Tag("", "likelihood", str(term.value))
            tags.append((_tag_style_id(tag), background, _contrasting_text(background), None))
        return [
            _character(
                style_id,
                re.sub(r"(?<!^)(?=[A-Z])", " ", style_id),  # "TagVeryLikely" → "Tag Very Likely"
                "tag",
                shade=background,
                color=foreground,
                border=border,
            )
            for style_id, background, foreground, border in tags
        ]

    # -- writing ---------------------------------------------------------------------------

    def _defaults(self) -> None:
        """Document defaults: body font (CJK family for East Asian text), language, size."""
        defaults = self.root.find(qn("w:docDefaults"))
        if defaults is not None:
            self.root.remove(defaults)
        defaults = _el("docDefaults")
        self.root.insert(0, defaults)
        rpr = _sub(_sub(defaults, "rPrDefault"), "rPr")
        body = self.style.paragraph("body")
        _put(rpr, self._fonts(FontRole.BODY))
        _put(rpr, _el("color", val=_rgb(self.style.color("text"))))
        _put(rpr, _el("sz", val=_half_points(body.size)))
        _put(rpr, _el("szCs", val=_half_points(body.size)))
        ppr = _sub(_sub(defaults, "pPrDefault"), "pPr")
        _put(ppr, _el("widowControl"))
        _put(ppr, _el("spacing", before=0, after=0, line=240, lineRule="auto"))
        self.language_element = rpr

    def set_language(self, language: str) -> None:
        east_asia = language if language.lower().startswith(("zh", "ja", "ko")) else "zh-CN"
        _put(self.language_element, _el("lang", val=language, eastAsia=east_asia, bidi="ar-SA"))

    def _fonts(self, role: FontRole) -> BaseOxmlElement:
        family = self.style.fonts.family(role)
        cjk = self.style.fonts.cjk
        return _el("rFonts", ascii=family, hAnsi=family, cs=family, eastAsia=cjk)

    def _find(self, style_id: str) -> BaseOxmlElement | None:
        for element in self.root.findall(qn("w:style")):
            if element.get(qn("w:styleId")) == style_id:
                return element
        return None

    def _write(self, definition: _StyleDef) -> None:
        element = self._find(definition.style_id)
        if element is None:
            element = _el("style", type=definition.kind, styleId=definition.style_id)
            element.set(qn("w:customStyle"), "1")
            _sub(element, "name", val=definition.name)
            self.root.append(element)
        for tag in ("pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr", "rsid", "semiHidden"):
            for child in element.findall(qn(f"w:{tag}")):
                element.remove(child)
        if definition.based_on:
            _put(element, _el("basedOn", val=definition.based_on))
        if definition.next_style:
            _put(element, _el("next", val=definition.next_style))
        if definition.ui_priority is not None:
            _put(element, _el("uiPriority", val=definition.ui_priority))
        _put(element, _el("qFormat"))
        if definition.kind == "table":
            self._table_style(element, definition)
        elif definition.kind == "character":
            _put(element, self._character_rpr(definition))
        else:
            self._paragraph_style(element, definition)

    def _paragraph_style(self, element: BaseOxmlElement, definition: _StyleDef) -> None:
        extra = definition.extra
        if definition.role is None:  # the title rule: an empty paragraph carrying a border
            spec = self.style.paragraph("body").model_copy(update={"size": 1, "leading": 1})
        else:
            spec = self.style.paragraph(definition.role)
        if "space_before" in extra:
            spec = spec.model_copy(update={"space_before": extra["space_before"]})
        ppr = _put(element, _el("pPr"))
        self.paragraph_properties(ppr, spec, definition)
        rpr = _put(element, self.run_properties(spec))
        link = element.find(qn("w:link"))
        if link is not None:
            self._update_linked(link.get(qn("w:val")), rpr)

    def paragraph_properties(
        self, ppr: BaseOxmlElement, spec: ParagraphStyle, definition: _StyleDef
    ) -> None:
        extra = definition.extra
        if spec.keep_with_next or extra.get("tag_line"):
            self.keeping.add(definition.style_id)
            _put(ppr, _el("keepNext"))
            _put(ppr, _el("keepLines"))
        if "numbering" in extra:
            numpr = _put(ppr, _el("numPr"))
            _sub(numpr, "ilvl", val=0)
            _sub(numpr, "numId", val=extra["numbering"])
        self._borders(ppr, extra)
        if spec.background:
            _put(ppr, _shading(self.style.color(spec.background)))
        if extra.get("footer"):
            tabs = _put(ppr, _el("tabs"))
            _sub(tabs, "tab", val="right", pos=_twips(self.text_width))
        _put(ppr, self._spacing(spec, definition))
        indent = extra.get("indent", spec.indent)
        hanging = extra.get("hanging", 0.0)
        if definition.style_id == "ListBullet":
            hanging = _bullet_hanging(spec)
        _put(ppr, _el("ind", left=_twips(indent), hanging=_twips(hanging)))
        _put(ppr, _el("jc", val=_ALIGN[spec.align]))
        if definition.outline is not None:
            _put(ppr, _el("outlineLvl", val=definition.outline))

    @property
    def text_width(self) -> float:
        margins = self.style.page.margins
        return self.style.page.width_height[0] - margins.left - margins.right

    def _spacing(self, spec: ParagraphStyle, definition: _StyleDef) -> BaseOxmlElement:
        if definition.extra.get("title_rule"):
            return _el("spacing", before=_twips(4), after=_twips(12), line=20, lineRule="exact")
        if definition.extra.get("tag_line"):
            return _el("spacing", before=0, after=_twips(6), line=_twips(spec.leading + 3))
        return _el(
            "spacing",
            before=_twips(spec.space_before),
            after=_twips(spec.space_after),
            line=_twips(spec.leading),
            lineRule="atLeast",
        )

    def _borders(self, ppr: BaseOxmlElement, extra: dict[str, Any]) -> None:
        if extra.get("rule"):
            pbdr = _put(ppr, _el("pBdr"))
            pbdr.append(_border("bottom", 0.6, self.style.color("rule"), space=3))
        elif extra.get("title_rule"):
            pbdr = _put(ppr, _el("pBdr"))
            pbdr.append(_border("bottom", 1.2, self.style.color("accent")))
        elif extra.get("footer"):
            pbdr = _put(ppr, _el("pBdr"))
            pbdr.append(_border("top", 0.4, self.style.color("rule"), space=2))

    def run_properties(self, spec: ParagraphStyle, *, fonts: bool = True) -> BaseOxmlElement:
        rpr = _el("rPr")
        if fonts:
            _put(rpr, self._fonts(spec.font))
        for tag, on in (("b", spec.bold), ("i", spec.italic)):
            _put(rpr, _el(tag, val=int(on)))
            _put(rpr, _el(f"{tag}Cs", val=int(on)))
        if spec.caps:
            _put(rpr, _el("caps"))
        _put(rpr, _el("color", val=_rgb(self.style.color(spec.color))))
        _put(rpr, _el("sz", val=_half_points(spec.size)))
        _put(rpr, _el("szCs", val=_half_points(spec.size)))
        return rpr

    def _character_rpr(self, definition: _StyleDef) -> BaseOxmlElement:
        extra = definition.extra
        if extra.get("link"):
            rpr = _el("rPr")
            _put(rpr, _el("color", val=_rgb(self.style.color("accent"))))
            return rpr
        if extra.get("code"):
            rpr = _el("rPr")
            _put(rpr, self._fonts(FontRole.MONO))
            return rpr
        assert definition.role is not None
        spec = self.style.paragraph(definition.role)
        if extra.get("bold"):
            spec = spec.model_copy(update={"bold": True})
        rpr = self.run_properties(spec)
        if "color" in extra:
            _put(rpr, _el("color", val=_rgb(extra["color"])))
        if extra.get("border"):
            _put(rpr, _border("bdr", 0.5, extra["border"]))
        if "shade" in extra:
            _put(rpr, _shading(extra["shade"]))
        return rpr

    def _update_linked(self, style_id: str | None, rpr: BaseOxmlElement) -> None:
        """Keep Word's linked character style (e.g. "Heading 1 Char") in step."""
        linked = self._find(style_id or "")
        if linked is None:
            return
        for child in linked.findall(qn("w:rPr")):
            linked.remove(child)
        _put(linked, etree.fromstring(etree.tostring(rpr)))

    def _table_style(self, element: BaseOxmlElement, definition: _StyleDef) -> None:
        """Borders, cell padding and shading of briefkit's tables, as the PDF draws them."""
        ppr = _put(element, _el("pPr"))
        _put(ppr, _el("spacing", before=0, after=0))
        tblpr = _put(element, _el("tblPr"))
        color = self.style.color
        if definition.style_id == "BriefTable":  # rules between rows, a shaded header row
            _put(tblpr, _el("tblStyleRowBandSize", val=1))
            rule = color("rule")
            lines = {side: _border(side, 0.4, rule) for side in ("bottom", "insideH")}
            _put(tblpr, _table_borders(lines))
            _put(tblpr, _cell_margins(top=4, left=5, bottom=5, right=5))
            self._conditional(element, "firstRow", color("table_header"), header=True)
            self._conditional(element, "band2Horz", color("table_stripe"))
        elif definition.style_id == "CalloutBox":  # a shaded box with an accent rule down its left
            accent = _border("left", CALLOUT_BORDER, color("accent"))
            _put(tblpr, _table_borders({"left": accent}))
            _put(tblpr, _cell_margins(top=10, left=14, bottom=8, right=14))
            _sub(element, "tcPr").append(_shading(color("shade")))
        else:  # the title block's grid: no lines
            _put(tblpr, _table_borders({}))
            _put(tblpr, _cell_margins(top=2, left=0, bottom=4, right=8))

    def _conditional(
        self, element: BaseOxmlElement, kind: str, fill: str, *, header: bool = False
    ) -> None:
        conditional = _sub(element, "tblStylePr", type=kind)
        if header:
            spec = self.style.paragraph("table_header")
            conditional.append(self.run_properties(spec, fonts=False))
        tcpr = _sub(conditional, "tcPr")
        tcpr.append(_shading(fill))

    def _strip_theme_fonts(self) -> None:
        """Theme font attributes override the configured families: remove them everywhere."""
        theme = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
        for fonts in list(self.root.iter(qn("w:rFonts"))):
            for name in theme:
                fonts.attrib.pop(qn(f"w:{name}"), None)
            if not fonts.attrib:
                fonts.getparent().remove(fonts)
        for color in self.root.iter(qn("w:color")):
            for name in ("themeColor", "themeShade", "themeTint"):
                color.attrib.pop(qn(f"w:{name}"), None)


def _bullet_hanging(spec: ParagraphStyle) -> float:
    """Bullets hang 2 points in from the left edge, text at the style's indent (as the PDF)."""
    return max(spec.indent - 2, 0.0)


def _table_borders(lines: dict[str, BaseOxmlElement]) -> BaseOxmlElement:
    """``tblBorders`` with *lines* on the sides they name and none elsewhere."""
    borders = _el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(lines.get(side, _no_border(side)))
    return borders


def _cell_margins(*, top: float, left: float, bottom: float, right: float) -> BaseOxmlElement:
    margins = _el("tblCellMar")
    for side, points in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        _sub(margins, side, w=_twips(points), type="dxa")
    return margins


# --- numbering ------------------------------------------------------------------------------

BULLET_NUM = 1  # the List Bullet style's numbering
NUMBER_NUM = 2  # the List Number style's numbering


class _Numbering:
    """numbering.xml: one bullet list definition, one per number format, a num per list."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.formats: dict[tuple[str, str], int] = {("", "."): 1}
        self.nums: list[int] = [0, 1]  # abstractNumId of num 1, 2, …

    def new_list(self, prefix: str, suffix: str) -> int:
        """A num that restarts at 1, for one numbered list."""
        abstract = self.formats.setdefault((prefix, suffix), len(self.formats) + 1)
        self.nums.append(abstract)
        return len(self.nums)

    def write(self, root: BaseOxmlElement) -> None:
        for child in list(root):
            root.remove(child)
        root.append(self._bullets())
        for (prefix, suffix), abstract in self.formats.items():
            root.append(self._decimal(abstract, prefix, suffix))
        for num_id, abstract in enumerate(self.nums, 1):
            num = _sub(root, "num", numId=num_id)
            _sub(num, "abstractNumId", val=abstract)
            if num_id > NUMBER_NUM:
                override = _sub(num, "lvlOverride", ilvl=0)
                _sub(override, "startOverride", val=1)

    def _abstract(self, abstract_id: int) -> BaseOxmlElement:
        element = _el("abstractNum", abstractNumId=abstract_id)
        _sub(element, "nsid", val=f"{0x0B71EF00 + abstract_id:08X}")
        _sub(element, "multiLevelType", val="singleLevel")
        return element

    def _level(
        self, element: BaseOxmlElement, fmt: str, text: str, indent: float, hanging: float
    ) -> BaseOxmlElement:
        level = _sub(element, "lvl", ilvl=0)
        _sub(level, "start", val=1)
        _sub(level, "numFmt", val=fmt)
        _sub(level, "lvlText", val=text)
        _sub(level, "lvlJc", val="left")
        ppr = _sub(level, "pPr")
        _sub(ppr, "ind", left=_twips(indent), hanging=_twips(hanging))
        return level

    def _bullets(self) -> BaseOxmlElement:
        element = self._abstract(0)
        spec = self.style.paragraph("bullet")
        level = self._level(element, "bullet", "•", spec.indent, _bullet_hanging(spec))
        rpr = _sub(level, "rPr")
        family = self.style.fonts.body
        _put(rpr, _el("rFonts", ascii=family, hAnsi=family, cs=family, hint="default"))
        _put(rpr, _el("color", val=_rgb(self.style.color("accent"))))
        return element

    def _decimal(self, abstract_id: int, prefix: str, suffix: str) -> BaseOxmlElement:
        element = self._abstract(abstract_id)
        level = self._level(element, "decimal", f"{prefix}%1{suffix}", LIST_INDENT, LIST_INDENT)
        rpr = _sub(level, "rPr")
        _put(rpr, _el("b"))
        _put(rpr, _el("bCs"))
        _put(rpr, _el("color", val=_rgb(self.style.color("accent"))))
        return element


# --- measuring ------------------------------------------------------------------------------

_CELL_PADDING = 10.0  # points of left and right padding in a table cell


class _Metrics:
    """Text widths from the style's own font files, for the decisions the PDF makes by measuring:
    which table columns to widen so no word breaks, and which rows and boxes fit on a page.

    Heights are estimates (greedy line filling); they only choose between keeping a block on
    one page and letting it flow.
    """

    def __init__(self, style: Style) -> None:
        self.style = style
        self._faces: dict[tuple[str, bool], tuple[dict[int, int], int]] = {}

    def _face(self, family: str, bold: bool) -> tuple[dict[int, int], int]:
        if (family, bold) not in self._faces:
            from briefkit import fonts

            path = fonts.face_path(family, bold=bold, italic=False)
            self._faces[family, bold] = _advances(path)
        return self._faces[family, bold]

    def width(self, text: str, spec: ParagraphStyle, *, bold: bool | None = None) -> float:
        widths, em = self._face(self.style.fonts.family(spec.font), spec.bold or bool(bold))
        if spec.caps:
            text = text.upper()
        return sum(widths.get(ord(c), em) for c in text) * spec.size / em

    def lines(self, text: str, spec: ParagraphStyle, width: float) -> int:
        space = self.width(" ", spec)
        count, used = 1, 0.0
        for word in text.split():
            needed = self.width(word, spec)
            if used and used + space + needed > width:
                count, used = count + 1, 0.0
            used += (space if used else 0.0) + needed
            count += int(used // max(width, 1.0))  # a word longer than the line breaks
            used %= max(width, 1.0)
        return count

    def height(self, blocks: tuple[d.Block, ...], width: float) -> float:
        return sum(self._block_height(block, width) for block in blocks)

    def _block_height(self, block: d.Block, width: float) -> float:
        if isinstance(block, d.Paragraph | d.Heading):
            role = block.role if isinstance(block, d.Paragraph) else f"heading{block.level}"
            label = block.label if isinstance(block, d.Paragraph) else None
            spec = self.style.paragraph(role)
            text = f"{label or ''}  {d.inline_text(block.text)}"
            lines = self.lines(text, spec, width - spec.indent)
            return lines * spec.leading + spec.space_before + spec.space_after
        if isinstance(block, d.TagLine):
            return self.style.paragraph("tag").leading + 9
        if isinstance(block, d.BulletList):
            spec = self.style.paragraph(block.role)
            return sum(
                self.lines(d.inline_text(item), spec, width - spec.indent) * spec.leading
                + spec.space_after
                for item in block.items
            )
        if isinstance(block, d.NumberedList):
            return sum(self.height(item.blocks, width - LIST_INDENT) for item in block.items)
        if isinstance(block, d.Table):
            widths = self.column_widths(block, width)
            return sum(self.row_height(row, widths) for row in block.rows) + 20
        if isinstance(block, d.Callout | d.Group):
            return self.height(block.blocks, width) + 30
        return 60.0  # a title block

    def row_height(self, cells: tuple[d.Cell, ...], widths: list[float]) -> float:
        heights = [
            self.height(cell.blocks, width - _CELL_PADDING)
            for cell, width in zip(cells, widths, strict=True)
        ]
        return max(heights, default=0.0) + 9

    def column_widths(self, block: d.Table, width: float) -> list[float]:
        """The columns' shares of *width*, widened so that no word has to break (as the PDF).

        A narrow column ("Magnitude", "Uncertain") takes what it needs from the columns with
        room to spare, in proportion to their spare room.
        """
        header = self.style.paragraph("table_header")
        cell = self.style.paragraph("table_cell")
        needed = []
        for index, column in enumerate(block.columns):
            words = [self.width(word, header, bold=True) for word in column.header.split()]
            for row in block.rows:
                words += [self.width(word, cell) for word in _short_words(row[index].blocks)]
            needed.append(min(max(words, default=0.0) + _CELL_PADDING + 1, width * 0.4))
        widths = [column.width * width for column in block.columns]
        shortfall = sum(max(0.0, n - w) for n, w in zip(needed, widths, strict=True))
        spare = [max(0.0, w - n) for n, w in zip(needed, widths, strict=True)]
        if shortfall == 0 or sum(spare) < shortfall:
            return widths
        return [
            max(n, w) if n >= w else w - shortfall * room / sum(spare)
            for n, w, room in zip(needed, widths, spare, strict=True)
        ]


@functools.lru_cache(maxsize=16)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Advance widths by character, and units per em, of a font file (built once, cached)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
        return widths, font["head"].unitsPerEm


def _short_words(blocks: tuple[d.Block, ...]) -> list[str]:
    """The words of the short paragraphs among *blocks* (long text wraps anyway)."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, d.Paragraph):
            text = d.inline_text(block.text)
            if len(text) <= 40:
                found += text.split()
    return found


# --- the body -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where blocks go: the body or a table cell, its width and the list indent around it."""

    parent: BaseOxmlElement
    width: float
    indent: float = 0.0
    in_cell: bool = False  # page breaks inside a table cell are the table's affair

    def add(self, element: BaseOxmlElement) -> BaseOxmlElement:
        self.parent.insert_element_before(element, "w:sectPr")
        return element

    def indented(self, extra: float) -> _Place:
        return _Place(self.parent, self.width - extra, self.indent + extra, self.in_cell)

    def inside(self, cell: BaseOxmlElement, width: float) -> _Place:
        return _Place(cell, width, in_cell=True)


_ROLE_STYLE = {
    "body": "Normal",
    "bullet": "ListBullet",
    "quote": "Quote",
    "caption": "Caption",
    "label": "LabelHeading",
    "meta": "Meta",
    "title": "Title",
    "subtitle": "Subtitle",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "heading3": "Heading3",
    "table_header": "TableHeader",
    "table_cell": "TableCell",
    "banner": "Banner",
    "footer": "Footer",
}

# Space the PDF leaves after a table or box before the next paragraph (points).
_GAP_AFTER = {"table": 8.0, "callout": 4.0}


class _Writer:
    def __init__(self, document: d.Document, style: Style) -> None:
        self.document = document
        self.style = style
        self.word: Any = docx.Document()
        self.styles = _Styles(self.word, style)
        self.numbering = _Numbering(style)
        self.bookmarks: dict[str, str] = {}
        self.placed: set[str] = set()
        self.bookmark_ids = itertools.count(1)
        margins = style.page.margins
        self.page_width, self.page_height = style.page.width_height
        self.text_width = self.page_width - margins.left - margins.right
        self.frame_height = self.page_height - margins.top - margins.bottom
        self.metrics = _Metrics(style)

    def write(self) -> None:
        self.styles.write()
        self.styles.set_language(self.document.metadata.language)
        body = self.word.element.body
        for child in list(body):
            if _local(child) != "sectPr":
                body.remove(child)
        self.emit(self.document.blocks, _Place(body, self.text_width))
        self.numbering.write(self.word.part.numbering_part.element)
        self._section()
        _Furniture(self).write()

    # -- blocks ----------------------------------------------------------------------------

    def emit(self, blocks: tuple[d.Block, ...], place: _Place) -> list[BaseOxmlElement]:
        added: list[BaseOxmlElement] = []
        gap = 0.0
        for block in blocks:
            handler: Callable[[Any, _Place], list[BaseOxmlElement]] = getattr(
                self, f"_{type(block).__name__.lower()}"
            )
            elements = handler(block, place)
            if elements and added:
                self._separate(added[-1], elements[0], gap)
            added += elements
            gap = _GAP_AFTER.get(type(block).__name__.lower(), 0.0)
        return added

    def _separate(self, before: BaseOxmlElement, after: BaseOxmlElement, gap: float) -> None:
        """Keep the PDF's gap after a table; never let two tables touch (Word merges them)."""
        if _local(before) != "tbl":
            return
        if _local(after) == "tbl":
            spacer = _el("p")
            ppr = _sub(spacer, "pPr")
            _put(ppr, _el("spacing", before=0, after=0, line=_twips(gap or 6), lineRule="exact"))
            after.addprevious(spacer)
        elif gap and _local(after) == "p":
            style = after.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is None or not style.get(qn("w:val"), "").startswith("Heading"):
                role = _style_role(style.get(qn("w:val")) if style is not None else "Normal")
                spec = self.style.paragraph(role)
                ppr = _props(after, "pPr")
                _put(ppr, _el("spacing", before=_twips(spec.space_before + gap)))

    def _heading(self, block: d.Heading, place: _Place) -> list[BaseOxmlElement]:
        level = min(max(block.level, 1), 3)
        paragraph = self.paragraph(place, f"Heading{level}", block.text, anchor=block.anchor)
        return [paragraph]

    def _paragraph(self, block: d.Paragraph, place: _Place) -> list[BaseOxmlElement]:
        style_id = _ROLE_STYLE.get(block.role, "Normal")
        paragraph = self.paragraph(
            place, style_id, block.text, label=block.label, anchor=block.anchor
        )
        return [paragraph]

    def _tagline(self, block: d.TagLine, place: _Place) -> list[BaseOxmlElement]:
        paragraph = self.paragraph(place, "TagLine", ())
        for index, tag in enumerate(block.tags):
            if index:
                paragraph.append(self.run("  "))
            paragraph.append(self.run(f"{TAG_PAD}{tag.text}{TAG_PAD}", style=_tag_style_id(tag)))
        return [paragraph]

    def _bulletlist(self, block: d.BulletList, place: _Place) -> list[BaseOxmlElement]:
        style_id = _ROLE_STYLE.get(block.role, "ListBullet")
        added = []
        for item in block.items:
            paragraph = self.paragraph(place, style_id, item)
            if style_id == "ListBullet":
                self._numbered(paragraph, BULLET_NUM)
            added.append(paragraph)
        return added

    def _numberedlist(self, block: d.NumberedList, place: _Place) -> list[BaseOxmlElement]:
        num_id = self.numbering.new_list(block.prefix, block.suffix)
        added: list[BaseOxmlElement] = []
        inner = place.indented(LIST_INDENT)
        for item in block.items:
            first, *rest = item.blocks or (d.Paragraph(()),)
            if not isinstance(first, d.Paragraph):
                rest = [first, *rest]
                first = d.Paragraph(())
            paragraph = self.paragraph(
                place,
                "ListNumber",
                first.text,
                label=first.label,
                anchor=item.anchor or first.anchor,
                list_item=True,
            )
            self._numbered(paragraph, num_id)
            item_elements = [paragraph, *self.emit(tuple(rest), inner)]
            self._keep_together(item_elements, self.metrics.height(item.blocks, inner.width), place)
            added += item_elements
        return added

    def _numbered(self, paragraph: BaseOxmlElement, num_id: int) -> None:
        numpr = _put(_props(paragraph, "pPr"), _el("numPr"))
        _sub(numpr, "ilvl", val=0)
        _sub(numpr, "numId", val=num_id)

    def _group(self, block: d.Group, place: _Place) -> list[BaseOxmlElement]:
        added = self.emit(block.blocks, place)
        self._keep_together(added, self.metrics.height(block.blocks, place.width), place)
        return added

    def _keep_together(self, elements: list[BaseOxmlElement], height: float, place: _Place) -> None:
        """Keep the paragraphs on one page when they fit in most of one, as the PDF does."""
        if place.in_cell or height > self.frame_height * 0.8:
            return
        paragraphs = [element for element in elements if _local(element) == "p"]
        for paragraph in paragraphs[:-1]:
            _keep_with_next(paragraph)

    def _table(self, block: d.Table, place: _Place) -> list[BaseOxmlElement]:
        widths = self.metrics.column_widths(block, place.width)
        table = self.table("BriefTable", widths, place)
        header = self.row(table, header=True)
        for column, width in zip(block.columns, widths, strict=True):
            cell = self.cell(header, width, self.style.color("table_header"))
            paragraph = self.paragraph(
                place.inside(cell, width), "TableHeader", d.plain(column.header)
            )
            _keep_with_next(paragraph)  # a heading row never ends a page alone
        for index, cells in enumerate(block.rows):
            # Rows split across pages only when one is taller than most of a page.
            tall = self.metrics.row_height(cells, widths) > self.frame_height * 0.9
            row = self.row(table, keep=not tall)
            stripe = self.style.color("table_stripe") if index % 2 else None
            for content, width in zip(cells, widths, strict=True):
                fill = self._cell_fill(content) or stripe
                cell = self.cell(row, width, fill)
                self.emit(content.blocks, place.inside(cell, width - 10))
                _close_cell(cell)
        added = [table]
        if block.caption:
            added.append(self.paragraph(place, "Caption", d.plain(block.caption)))
        return added

    def _cell_fill(self, cell: d.Cell) -> str | None:
        if cell.shade is None:
            return None
        group, key = cell.shade
        colours = getattr(self.style.colors, group, None)
        if isinstance(colours, dict):
            for term, colour in colours.items():
                if str(getattr(term, "value", term)) == key:
                    return str(colour)
        return None

    def _callout(self, block: d.Callout, place: _Place) -> list[BaseOxmlElement]:
        # Word and LibreOffice draw half the 3-point accent border outside the cell width.
        width = place.width - CALLOUT_BORDER / 2
        table = self.table("CalloutBox", [width], place)
        cell = self.cell(self.row(table), width, self.style.color("shade"))
        inside = place.inside(cell, place.width - 28)
        self.paragraph(inside, "CalloutTitle", d.plain(block.title), anchor=block.anchor)
        self.emit(block.blocks, inside)
        _close_cell(cell)
        return [table]

    def _titleblock(self, block: d.TitleBlock, place: _Place) -> list[BaseOxmlElement]:
        added = [self.paragraph(place, "Title", d.plain(block.title))]
        if block.subtitle:
            added.append(self.paragraph(place, "Subtitle", d.plain(block.subtitle)))
        per_row = 3
        if block.fields:
            widths = [place.width / per_row] * per_row
            table = self.table("MetaGrid", widths, place)
            for start in range(0, len(block.fields), per_row):
                row = self.row(table)
                chunk = list(block.fields[start : start + per_row])
                for index, width in enumerate(widths):
                    cell = self.cell(row, width, None)
                    paragraph = self.paragraph(place.inside(cell, width), "Meta", ())
                    if index < len(chunk):
                        label, value = chunk[index]
                        paragraph.append(self.run(label, style="MetaLabel"))
                        paragraph.append(self.run("\n" + value))
            added.append(table)
        added.append(self.paragraph(place, "TitleRule", ()))
        return added

    # -- paragraphs and runs ---------------------------------------------------------------

    def paragraph(
        self,
        place: _Place,
        style_id: str,
        spans: d.Inline,
        *,
        label: str | None = None,
        anchor: str | None = None,
        list_item: bool = False,
    ) -> BaseOxmlElement:
        paragraph = place.add(_el("p"))
        ppr = _sub(paragraph, "pPr")
        if place.indent and style_id == "Normal" and place.indent == LIST_INDENT:
            style_id = "ListContinue"
        _put(ppr, _el("pStyle", val=style_id))
        if place.in_cell and style_id in self.styles.keeping:
            # Inside a cell it would keep the whole row (LibreOffice: the whole box) together.
            _put(ppr, _el("keepNext", val=0))
        if place.indent and style_id != "ListContinue":
            self._indent(ppr, style_id, place.indent, list_item)
        if label:
            paragraph.append(self.run(label, style="Label"))
            paragraph.append(self.run(LABEL_GAP))
        self.inline(paragraph, spans)
        if anchor:
            self.bookmark(paragraph, anchor)
        return paragraph

    def _indent(self, ppr: BaseOxmlElement, style_id: str, extra: float, list_item: bool) -> None:
        if list_item:
            left, hanging = LIST_INDENT + extra, LIST_INDENT
        elif style_id == "ListBullet":
            spec = self.style.paragraph("bullet")
            left, hanging = spec.indent + extra, _bullet_hanging(spec)
        else:
            role = _style_role(style_id)
            left, hanging = self.style.paragraph(role).indent + extra, 0.0
        _put(ppr, _el("ind", left=_twips(left), hanging=_twips(hanging)))

    def inline(self, paragraph: BaseOxmlElement, spans: d.Inline) -> None:
        link: BaseOxmlElement | None = None
        link_href: str | None = None
        for span in spans:
            if not span.text:
                continue
            run = self.run(
                span.text,
                style="Hyperlink" if span.href else ("Code" if span.code else None),
                bold=span.bold,
                italic=span.italic,
                mono=span.code and bool(span.href),
            )
            if span.href is None:
                link = link_href = None
                paragraph.append(run)
                continue
            if link is None or link_href != span.href:
                link, link_href = self.hyperlink(span.href), span.href
                paragraph.append(link)
            link.append(run)

    def run(
        self,
        text: str,
        *,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        mono: bool = False,
    ) -> BaseOxmlElement:
        run = _el("r")
        if style or bold or italic or mono:
            rpr = _sub(run, "rPr")
            if style:
                _put(rpr, _el("rStyle", val=style))
            if mono:
                family = self.style.fonts.mono
                _put(rpr, _el("rFonts", ascii=family, hAnsi=family, cs=family))
            if bold:
                _put(rpr, _el("b"))
                _put(rpr, _el("bCs"))
            if italic:
                _put(rpr, _el("i"))
                _put(rpr, _el("iCs"))
        _add_text(run, text)
        return run

    def hyperlink(self, href: str) -> BaseOxmlElement:
        if href.startswith("#"):
            return _el("hyperlink", anchor=self.bookmark_name(href[1:]), history=1)
        r_id = self.word.part.relate_to(_uri(href), RT.HYPERLINK, is_external=True)
        return _el("hyperlink", r_id=r_id, history=1)

    def bookmark_name(self, anchor: str) -> str:
        """A valid Word bookmark name (letters, digits, _; at most 40) for *anchor*."""
        if anchor not in self.bookmarks:
            base = re.sub(r"\W", "_", anchor, flags=re.ASCII)
            if not base[:1].isalpha():
                base = "bk_" + base
            name, counter = base[:40], 1
            while name in self.bookmarks.values():
                counter += 1
                name = f"{base[: 40 - len(str(counter)) - 1]}_{counter}"
            self.bookmarks[anchor] = name
        return self.bookmarks[anchor]

    def bookmark(self, paragraph: BaseOxmlElement, anchor: str) -> None:
        if anchor in self.placed:
            return
        self.placed.add(anchor)
        ident = next(self.bookmark_ids)
        start = _el("bookmarkStart", id=ident, name=self.bookmark_name(anchor))
        paragraph.find(qn("w:pPr")).addnext(start)
        paragraph.append(_el("bookmarkEnd", id=ident))

    # -- tables ----------------------------------------------------------------------------

    def table(self, style_id: str, widths: list[float], place: _Place) -> BaseOxmlElement:
        table = place.add(_el("tbl"))
        tblpr = _sub(table, "tblPr")
        _put(tblpr, _el("tblStyle", val=style_id))
        _put(tblpr, _el("tblW", w=_twips(sum(widths)), type="dxa"))
        _put(tblpr, _el("tblInd", w=_twips(place.indent), type="dxa"))
        _put(tblpr, _el("tblLayout", type="fixed"))
        look = {"BriefTable": ("04A0", 1)}.get(style_id, ("0400", 0))
        _put(
            tblpr,
            _el(
                "tblLook",
                val=look[0],
                firstRow=look[1],
                lastRow=0,
                firstColumn=0,
                lastColumn=0,
                noHBand=1 - look[1],
                noVBand=1,
            ),
        )
        grid = _sub(table, "tblGrid")
        for width in widths:
            _sub(grid, "gridCol", w=_twips(width))
        return table

    def row(
        self, table: BaseOxmlElement, *, header: bool = False, keep: bool = False
    ) -> BaseOxmlElement:
        row = _sub(table, "tr")
        if header or keep:
            trpr = _sub(row, "trPr")
            _sub(trpr, "cantSplit")
            if header:
                _sub(trpr, "tblHeader")
        return row

    def cell(self, row: BaseOxmlElement, width: float, fill: str | None) -> BaseOxmlElement:
        cell = _sub(row, "tc")
        tcpr = _sub(cell, "tcPr")
        _put(tcpr, _el("tcW", w=_twips(width), type="dxa"))
        if fill:
            _put(tcpr, _shading(fill))
        return cell

    # -- the section -----------------------------------------------------------------------

    def _section(self) -> None:
        sect = self.word.element.body.find(qn("w:sectPr"))
        margins = self.style.page.margins
        for tag in ("pgSz", "pgMar"):
            for child in sect.findall(qn(f"w:{tag}")):
                sect.remove(child)
        size = _el("pgSz", w=_twips(self.page_width), h=_twips(self.page_height), orient="portrait")
        # Where the PDF sets its banner and footer baselines (see render.pdf._PageFurniture).
        header = max(margins.top / 2 - 8, 12)
        footer = max(margins.bottom / 2 - 11, 12)
        page_margins = _el(
            "pgMar",
            top=_twips(margins.top),
            right=_twips(margins.right),
            bottom=_twips(margins.bottom),
            left=_twips(margins.left),
            header=_twips(header),
            footer=_twips(footer),
            gutter=0,
        )
        for attribute in list(sect.attrib):
            del sect.attrib[attribute]
        anchor = sect.find(qn("w:cols"))
        if anchor is None:
            sect.append(size)
            sect.append(page_margins)
        else:
            anchor.addprevious(size)
            anchor.addprevious(page_margins)


def _uri(href: str) -> str:
    """*href* as a valid URI: Word rejects a relationship target with spaces, ``<`` or ``"``."""
    return quote(href, safe=":/?#[]@!$&'()*+,;=%~")


def _keep_with_next(paragraph: BaseOxmlElement) -> None:
    ppr = _props(paragraph, "pPr")
    _put(ppr, _el("keepNext"))
    _put(ppr, _el("keepLines"))


def _style_role(style_id: str | None) -> str:
    for role, candidate in _ROLE_STYLE.items():
        if candidate == style_id:
            return role
    return "body"


def _close_cell(cell: BaseOxmlElement) -> None:
    """A table cell must end with a paragraph."""
    if len(cell) == 0 or _local(cell[-1]) != "p":
        cell.append(_el("p"))


def _add_text(run: BaseOxmlElement, text: str) -> None:
    for index, line in enumerate(text.split("\n")):
        if index:
            _sub(run, "br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                _sub(run, "tab")
            if part:
                element = _sub(run, "t")
                element.text = part
                if part != part.strip():
                    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# --- page furniture -------------------------------------------------------------------------


class _Furniture:
    """Header and footer: the handling banner, the footer line with fields, the watermark."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.style = writer.style
        self.meta = writer.document.metadata

    def write(self) -> None:
        section = self.writer.word.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header._element
        footer = section.footer._element
        for part in (header, footer):
            for child in list(part):
                part.remove(child)
        place = _Place(header, self.writer.text_width)
        banner = self._banner(place, "Header")
        if self.meta.draft:
            banner.append(self._watermark())
        if self.meta.handling:
            self._banner(_Place(footer, self.writer.text_width), "Banner")
        self._footer_line(_Place(footer, self.writer.text_width))

    def _banner(self, place: _Place, style_id: str) -> BaseOxmlElement:
        paragraph = self.writer.paragraph(place, style_id, ())
        if not self.meta.handling:
            return paragraph
        run = self.writer.run(self.meta.handling)
        if self.meta.tlp:
            colour = self.style.colors.tlp.get(self.meta.tlp, "#FFFFFF")  # type: ignore[call-overload]
            run = self.writer.run(f"{TAG_PAD}{self.meta.handling}{TAG_PAD}")
            rpr = _props(run, "rPr")
            _put(rpr, _el("color", val=_rgb(colour)))
            _put(rpr, _shading("#000000"))
        paragraph.append(run)
        return paragraph

    def _footer_line(self, place: _Place) -> None:
        paragraph = self.writer.paragraph(place, "Footer", d.plain(self.meta.footer))
        paragraph.append(self.writer.run("\tPage "))
        paragraph.extend(_field("PAGE", "1"))
        paragraph.append(self.writer.run(" of "))
        paragraph.extend(_field("NUMPAGES", "1"))

    def _watermark(self) -> BaseOxmlElement:
        spec = self.style.paragraph("watermark")
        family = self.style.fonts.family(spec.font)
        colour = self.style.color(spec.color)
        xml = _WATERMARK.format(
            family=family.replace('"', ""),
            colour=colour,
            width=round(self.writer.text_width * 0.9, 1),
            height=round(self.writer.text_width * 0.9 * 0.3, 1),
        )
        return etree.fromstring(xml)


def _field(instruction: str, placeholder: str) -> list[BaseOxmlElement]:
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = _el("r")
        if kind == "instr":
            text = _sub(run, "instrText")
            text.text = f" {instruction} "
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "result":
            _sub(run, "rPr").append(_el("noProof"))
            _sub(run, "t").text = placeholder
        else:
            _sub(run, "fldChar", fldCharType=kind)
        runs.append(run)
    return runs


_WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word">'
    "<w:rPr><w:noProof/></w:rPr><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/>'
    '<v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
    '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;'
    "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="{colour}" '
    'stroked="f">'
    '<v:textpath style="font-family:&quot;{family}&quot;;font-size:1pt;font-weight:bold" '
    'string="DRAFT"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
    "</w:pict></w:r>"
)


# --- package: metadata, parts, settings -----------------------------------------------------

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>briefkit</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_XML = f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}"/>'

_DROPPED_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)


class _Package:
    def __init__(self, word: Any, document: d.Document, style: Style, moment: dt.datetime) -> None:
        self.word = word
        self.meta = document.metadata
        self.style = style
        self.moment = moment.replace(tzinfo=None)
        spans = list(document.spans())
        self.text = "".join(span.text for span in spans)
        self.uses_code = any(span.code for span in spans)

    def finish(self) -> None:
        self._drop_parts()
        self._core_properties()
        self._app_properties()
        self._custom_properties()
        self._settings()
        self._theme_fonts()
        self._font_table()

    def _drop_parts(self) -> None:
        for part in (self.word.part.package, self.word.part):
            for r_id, rel in list(part.rels.items()):
                if rel.reltype in _DROPPED_RELATIONSHIPS:
                    del part.rels[r_id]

    def _core_properties(self) -> None:
        props = self.word.core_properties
        authors = ", ".join(self.meta.authors)
        props.title = _clip(self.meta.title)
        props.subject = _clip(self.meta.subject)
        props.author = _clip(authors)
        props.keywords = _clip(", ".join(self.meta.keywords))
        props.category = CATEGORY
        props.comments = ""
        props.content_status = self.meta.status
        props.identifier = self.meta.id
        props.language = self.meta.language
        props.version = self.meta.version
        props.last_modified_by = _clip(authors)
        props.revision = 1
        props.created = self.moment
        props.modified = self.moment

    def _app_properties(self) -> None:
        part = self.word.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
        part._blob = _APP_XML.encode()

    def _custom_properties(self) -> None:
        """The brief's source revision, as the PDF's BriefRevision entry (File › Properties)."""
        if not self.meta.revision:
            return
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        root = etree.fromstring(_CUSTOM_XML)
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
        prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
        prop.set("pid", "2")
        prop.set("name", "BriefRevision")
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = self.meta.revision
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = self.word.part.package
        part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_TYPE, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)

    def _settings(self) -> None:
        settings = self.word.settings.element
        w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
        for tag in (qn("w:rsids"), qn("w:savePreviewPicture"), f"{w14}docId"):
            for child in settings.findall(tag):
                settings.remove(child)
        for setting in settings.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")
        for lang in settings.iter(qn("w:themeFontLang")):
            lang.set(qn("w:val"), self.meta.language)
            lang.set(qn("w:eastAsia"), "zh-CN")

    def _theme_fonts(self) -> None:
        """Point the theme's fonts at the style's families too, for styles briefkit leaves."""
        part = self.word.part.part_related_by(RT.THEME)
        root = etree.fromstring(part.blob)
        drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        families = {"majorFont": self.style.fonts.heading, "minorFont": self.style.fonts.body}
        for kind, family in families.items():
            for font in root.iter(f"{drawing}{kind}"):
                font.find(f"{drawing}latin").set("typeface", family)
                font.find(f"{drawing}ea").set("typeface", self.style.fonts.cjk)
                for script in font.findall(f"{drawing}font"):
                    font.remove(script)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _font_table(self) -> None:
        """List the style's families, each with its faces embedded (see _FontEmbedder)."""
        part = self.word.part.part_related_by(RT.FONT_TABLE)
        root = etree.fromstring(part.blob)
        for font in list(root):
            root.remove(font)
        fonts = self.style.fonts
        embedder = _FontEmbedder(part, self.text)
        for family in dict.fromkeys((fonts.body, fonts.heading, fonts.mono, fonts.cjk)):
            font = _sub(root, "font", name=family)
            _sub(font, "charset", val="86" if family == fonts.cjk else "00")
            generic = "modern" if family == fonts.mono else "swiss"
            if "Serif" in family:
                generic = "roman"
            _sub(font, "family", val=generic)
            _sub(font, "pitch", val="fixed" if family == fonts.mono else "variable")
            if family == fonts.cjk:
                embedder.embed(font, family, characters=self._cjk_characters())
            elif family != fonts.mono or self.uses_code:
                embedder.embed(font, family)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if embedder.count:
            _put_setting(self.word.settings.element, _el("embedTrueTypeFonts"))

    def _cjk_characters(self) -> str:
        """The characters only the CJK family can show: its faces are subset to these."""
        from briefkit import fonts

        primary = fonts.codepoints(self.style.fonts.body)
        cjk = fonts.codepoints(self.style.fonts.cjk)
        needed = {c for c in self.text if ord(c) not in primary and ord(c) in cjk}
        if not needed:
            return ""
        # Word may set punctuation next to CJK text in the East Asian font: keep it in the subset.
        return "".join(sorted(needed | {c for c in CJK_PUNCTUATION if ord(c) in cjk}))


def _put_setting(settings: BaseOxmlElement, element: BaseOxmlElement) -> None:
    """Add a setting that belongs right after w:zoom (e.g. w:embedTrueTypeFonts)."""
    for existing in settings.findall(element.tag):
        settings.remove(existing)
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        settings.insert(0, element)
    else:
        zoom.addnext(element)


_FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_FACES = (
    ("embedRegular", False, False),
    ("embedBold", True, False),
    ("embedItalic", False, True),
    ("embedBoldItalic", True, True),
)


class _FontEmbedder:
    """Embeds font faces as obfuscated TrueType parts (ECMA-376 §17.8.1), as Word does.

    Without them Word and LibreOffice substitute fonts on machines that lack the families.
    Latin families are embedded whole, so that edits keep the house face; the CJK family is
    subset to the document's characters (the whole font is 17 MB).
    """

    def __init__(self, font_table: Any, text: str) -> None:
        self.font_table = font_table
        self.text = text
        self.count = 0

    def embed(self, font: BaseOxmlElement, family: str, characters: str | None = None) -> None:
        from briefkit import fonts

        if characters == "":
            return
        upright_only = fonts.family(family).italic is None
        for tag, bold, italic in _FACES:
            if italic and upright_only:
                continue
            path = fonts.face_path(family, bold=bold, italic=italic, characters=characters)
            data = _named_for_word(path, family)
            key = _font_key(data)
            r_id = self.font_table.relate_to(self._part(data, key), RT.FONT)
            element = _sub(font, tag, r_id=r_id, fontKey=key)
            if characters is not None:
                element.set(qn("w:subsetted"), "1")

    def _part(self, data: bytes, key: str) -> Any:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        self.count += 1
        name = PackURI(f"/word/fonts/font{self.count}.odttf")
        return Part(name, _FONT_CONTENT_TYPE, _obfuscate(data, key), self.font_table.package)


def _font_key(data: bytes) -> str:
    """A GUID made from the font's bytes, so the same font always gets the same key."""
    digest = hashlib.sha256(data).hexdigest()[:32].upper()
    return f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}}}"


def _obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes in reverse order."""
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ secret[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def _named_for_word(path: Path, family: str) -> bytes:
    """The face with *family* as its legacy family name, which Word matches fonts by.

    Instancing names some faces by their optical size (e.g. "Source Serif 4 11pt"); such a face
    is renamed once and cached beside the original.
    """
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if font["name"].getDebugName(1) == family:
            return path.read_bytes()
    target = path.with_name(f"{path.stem}-word.ttf")
    if target.is_file():
        return target.read_bytes()
    with TTFont(path, lazy=True) as font:
        _rename(font, family)
        buffer = io.BytesIO()
        font.save(buffer)
    data = buffer.getvalue()
    _write_atomically(target, data)
    return data


def _rename(font: Any, family: str) -> None:
    table = font["name"]
    subfamily = table.getDebugName(2) or "Regular"
    full = family if subfamily == "Regular" else f"{family} {subfamily}"
    postscript = re.sub(r"[^A-Za-z0-9-]", "", f"{family}-{subfamily}".replace(" ", ""))
    for name_id in (16, 17, 21, 22):
        table.removeNames(nameID=name_id)
    for name_id, value in ((1, family), (4, full), (6, postscript)):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write via a temporary file, so parallel builds never read a partial font."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError:
        pass  # the cache is an optimisation: the renamed face is simply rebuilt next time


def _clip(text: str, limit: int = 255) -> str:
    """Word keeps at most 255 characters of a document property: cut at a word, mark with …."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


# --- reproducible zip -----------------------------------------------------------------------


def _zip_order(names: list[str]) -> Iterator[str]:
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    yield from first
    yield from sorted(n for n in names if n not in first)


def _reproducible_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The package again, with every entry stamped *moment* (at least 1980) in a fixed order."""
    stamp = max(moment.astimezone(dt.UTC), ZIP_EPOCH_MIN)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    date_time = (min(stamp.year, 2107), *date_time[1:])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in _zip_order(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()
