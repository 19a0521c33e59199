"""The named Word styles, made from the style sheet.

Word users know the names (``Title``, ``Heading 1``, ``Normal``, ``List Bullet``,
``List Number``, ``Quote``, ``Caption``, a ``Table Grid``-based table style); briefkit adds its
own (``Banner``, ``Callout Title``, ``Label``, ``Tag …``, ``Table Header``…). Every paragraph
and run of the document uses one of them, so an edit to a style restyles the whole brief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit.layout import document as d
from briefkit.render.common.colours import chip_colours, readable_tint
from briefkit.render.common.language import likely, with_region
from briefkit.render.common.measure import CALLOUT_PADDING, NUMBER_WIDTH, text_area
from briefkit.render.common.scripts import word_name
from briefkit.render.docx.ooxml import (
    border,
    el,
    half_points,
    no_border,
    put,
    rgb,
    shading,
    sub,
    twips,
)
from briefkit.style.sheet import Align, FontRole, ParagraphStyle, Style

CALLOUT_BORDER = 3.0  # points: the accent rule down the left of a box
LIST_INDENT = NUMBER_WIDTH  # the number column of numbered lists, as in the PDF
TAG_PAD = "\u2007"  # figure space either side of a tag or banner, inside its shading

_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right", Align.JUSTIFY: "both"}

# The Word paragraph style of each style-sheet role.
ROLE_STYLE = {
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


def style_role(style_id: str | None) -> str:
    """The style-sheet role a Word paragraph style is made from (``body`` for the rest)."""
    for role, candidate in ROLE_STYLE.items():
        if candidate == style_id:
            return role
    return "body"


def tag_style_id(tag: d.Tag) -> str:
    """The character style of a tag chip: one per chip colouring (see chip_colours)."""
    if tag.kind == "likelihood":
        return "Tag" + "".join(word.capitalize() for word in str(tag.key).split())
    if tag.kind == "confidence":
        return "TagConfidence"
    return "Tag"


def bullet_hanging(spec: ParagraphStyle) -> float:
    """Bullets hang 2 points in from the left edge, text at the style's indent (as the PDF)."""
    return max(spec.indent - 2, 0.0)


@dataclass(frozen=True)
class StyleDef:
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


def _character(style_id: str, name: str, role: str | None, **extra: Any) -> StyleDef:
    return StyleDef(
        style_id, name, role, "character", "DefaultParagraphFont", ui_priority=21, extra=extra
    )


def _table(style_id: str, name: str, based_on: str) -> StyleDef:
    return StyleDef(style_id, name, None, "table", based_on, ui_priority=60)


# The paragraph styles, each made from a style-sheet role.
_para = StyleDef
PARAGRAPH_STYLES: tuple[StyleDef, ...] = (
    _para("Normal", "Normal", "body", based_on=None),
    _para("Title", "Title", "title", next_style="Subtitle"),
    _para("Subtitle", "Subtitle", "subtitle"),
    _para("Heading1", "heading 1", "heading1", outline=0, extra={"rule": True}),
    _para("Heading2", "heading 2", "heading2", outline=1),
    _para("Heading3", "heading 3", "heading3", outline=2),
    _para("ListBullet", "List Bullet", "bullet", extra={"numbering": 1}),
    _para(
        "ListNumber",
        "List Number",
        "body",
        extra={"numbering": 2, "indent": LIST_INDENT, "hanging": LIST_INDENT},
    ),
    _para("ListContinue", "List Continue", "body", extra={"indent": LIST_INDENT}),
    _para("Quote", "Quote", "quote"),
    _para("Caption", "caption", "caption"),
    _para("Meta", "Meta", "meta", ui_priority=20),
    _para("LabelHeading", "Label Heading", "label", next_style="Normal", ui_priority=20),
    _para("TagLine", "Tag Line", "tag", ui_priority=20, extra={"tag_line": True}),
    _para(
        "CalloutTitle",
        "Callout Title",
        "heading1",
        outline=0,
        next_style="Normal",
        ui_priority=20,
        extra={"space_before": 0.0},
    ),
    _para("TitleRule", "Title Rule", None, ui_priority=20, extra={"title_rule": True}),
    _para("TableHeader", "Table Header", "table_header", ui_priority=20),
    _para("TableCell", "Table Cell", "table_cell", ui_priority=20),
    _para("Banner", "Banner", "banner", ui_priority=20),
    _para("Header", "header", "banner"),
    _para("Footer", "footer", "footer", extra={"footer": True}),
)
# The style-sheet role of each paragraph style whose lines have an exact height (all but the
# line of chips, whose fills take the height of their font, as a line of automatic height does).
EXACT_LINE_ROLES = {
    s.style_id: s.role for s in PARAGRAPH_STYLES if s.role and not s.extra.get("tag_line")
}


class WordStyles:
    """Rewrites the template's styles from the style sheet and adds briefkit's own."""

    def __init__(
        self, word: Any, style: Style, *, rtl: bool = False, complex_family: str | None = None
    ) -> None:
        self.root: BaseOxmlElement = word.styles.element
        self.style = style
        # the font of the brief's main complex script (Arabic, Devanagari…): every style's
        # w:cs, so that such text typed or pasted in Word is set in a font that has it
        self.complex_family = complex_family
        # a right-to-left brief: every paragraph style runs right to left, so that text typed
        # in Word continues that way; "left" alignment and indents then mean the start side
        self.rtl = rtl
        self.keeping: set[str] = set()  # paragraph styles that keep with the next paragraph
        self._by_id: dict[str | None, BaseOxmlElement] | None = None

    def write(self) -> None:
        self._defaults()
        for definition in self._definitions():
            self._write(definition)
        self._strip_theme_fonts()

    def drop_foreign(self) -> None:
        """Remove the template's styles that no document refers to: all but briefkit's own,
        the editor's and those they depend on (see prune_unused_styles)."""
        keep_styles(self.root, {d.style_id for d in self._definitions()} | EDITOR_STYLES)

    # -- the definitions -----------------------------------------------------------------

    def _definitions(self) -> list[StyleDef]:
        defs = [
            *PARAGRAPH_STYLES,
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

    def _tag_definitions(self) -> list[StyleDef]:
        """A character style per chip colouring: other tags, confidence, each likelihood."""
        tags = [
            d.Tag("", "", ""),
            d.Tag("", "confidence", ""),
            *(d.Tag("", "likelihood", str(term.value)) for term in self.style.colors.likelihood),
        ]
        definitions = []
        for tag in tags:
            style_id = tag_style_id(tag)
            name = re.sub(r"(?<!^)(?=[A-Z])", " ", style_id)  # "TagVeryLikely" → "Tag Very Likely"
            background, foreground, outline = chip_colours(self.style, tag)
            if outline is not None:  # an outlined chip: a fill in a tint of its outline
                background = readable_tint(outline, foreground)
            # One run with a fill and no border: a renderer draws each stretch of one
            # direction (Arabic words, the digits in them) as a box of its own, and borders
            # would show each stretch's box; fills side by side show as one box.
            definitions.append(
                _character(style_id, name, "tag", shade=background, color=foreground)
            )
        return definitions

    # -- writing ---------------------------------------------------------------------------

    def _defaults(self) -> None:
        """Document defaults: body font (CJK family for East Asian text), language, size."""
        defaults = self.root.find(qn("w:docDefaults"))
        if defaults is not None:
            self.root.remove(defaults)
        defaults = el("docDefaults")
        self.root.insert(0, defaults)
        rpr = sub(sub(defaults, "rPrDefault"), "rPr")
        body = self.style.paragraph("body")
        put(rpr, self._fonts(FontRole.BODY))
        put(rpr, el("color", val=rgb(self.style.color("text"))))
        put(rpr, el("sz", val=half_points(body.size)))
        put(rpr, el("szCs", val=half_points(body.size)))
        ppr = sub(sub(defaults, "pPrDefault"), "pPr")
        put(ppr, el("widowControl"))
        put(ppr, el("spacing", before=0, after=0, line=240, lineRule="auto"))
        self.language_element = rpr

    def set_language(self, language: str) -> None:
        """The document's language with its region, in each of Word's three slots where it
        is written in that slot's scripts (Word's own defaults for the others)."""
        put(self.language_element, el("lang", **word_languages(language)))

    def _fonts(self, role: FontRole) -> BaseOxmlElement:
        family = self.style.fonts.family(role)
        east_asian = self.style.fonts.east_asian or family
        complex_script = word_name(self.complex_family) if self.complex_family else family
        return el("rFonts", ascii=family, hAnsi=family, cs=complex_script, eastAsia=east_asian)

    def _find(self, style_id: str) -> BaseOxmlElement | None:
        if self._by_id is None:  # the template's styles, by id (the first of an id), once
            self._by_id = {}
            for element in self.root.findall(qn("w:style")):
                self._by_id.setdefault(element.get(qn("w:styleId")), element)
        return self._by_id.get(style_id)

    def _write(self, definition: StyleDef) -> None:
        element = self._find(definition.style_id)
        if element is None:
            element = el("style", type=definition.kind, styleId=definition.style_id)
            element.set(qn("w:customStyle"), "1")
            sub(element, "name", val=definition.name)
            self.root.append(element)
            assert self._by_id is not None
            self._by_id.setdefault(definition.style_id, element)
        for tag in ("pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr", "rsid", "semiHidden"):
            for child in element.findall(qn(f"w:{tag}")):
                element.remove(child)
        if definition.based_on:
            put(element, el("basedOn", val=definition.based_on))
        if definition.next_style:
            put(element, el("next", val=definition.next_style))
        if definition.ui_priority is not None:
            put(element, el("uiPriority", val=definition.ui_priority))
        for child in element.findall(qn("w:qFormat")):
            element.remove(child)
        if definition.style_id in GALLERY_STYLES:
            put(element, el("qFormat"))
        if definition.kind == "table":
            self._table_style(element, definition)
        elif definition.kind == "character":
            put(element, self._character_rpr(definition))
        else:
            self._paragraph_style(element, definition)

    def _paragraph_style(self, element: BaseOxmlElement, definition: StyleDef) -> None:
        extra = definition.extra
        if definition.role is None:  # the title rule: an empty paragraph carrying a border
            spec = self.style.paragraph("body").model_copy(update={"size": 1, "leading": 1})
        else:
            spec = self.style.paragraph(definition.role)
        if "space_before" in extra:
            spec = spec.model_copy(update={"space_before": extra["space_before"]})
        ppr = put(element, el("pPr"))
        self.paragraph_properties(ppr, spec, definition)
        rpr = put(element, self.run_properties(spec))
        link = element.find(qn("w:link"))
        if link is not None:
            self._update_linked(link.get(qn("w:val")), rpr)

    def paragraph_properties(
        self, ppr: BaseOxmlElement, spec: ParagraphStyle, definition: StyleDef
    ) -> None:
        extra = definition.extra
        if spec.keep_with_next or extra.get("tag_line"):
            self.keeping.add(definition.style_id)
            put(ppr, el("keepNext"))
            put(ppr, el("keepLines"))
        if "numbering" in extra:
            numpr = put(ppr, el("numPr"))
            sub(numpr, "ilvl", val=0)
            sub(numpr, "numId", val=extra["numbering"])
        self._borders(ppr, extra)
        if spec.background:
            put(ppr, shading(self.style.color(spec.background)))
        if extra.get("footer"):
            tabs = put(ppr, el("tabs"))
            sub(tabs, "tab", val="right", pos=twips(text_area(self.style)[0]))
        put(ppr, self._spacing(spec, definition))
        indent = extra.get("indent", spec.indent)
        hanging = extra.get("hanging", 0.0)
        if definition.style_id == "ListBullet":
            hanging = bullet_hanging(spec)
        put(ppr, el("ind", left=twips(indent), hanging=twips(hanging)))
        if self.rtl:
            put(ppr, el("bidi"))
        put(ppr, el("jc", val=_ALIGN[spec.align]))
        if definition.outline is not None:
            put(ppr, el("outlineLvl", val=definition.outline))

    def _spacing(self, spec: ParagraphStyle, definition: StyleDef) -> BaseOxmlElement:
        if definition.extra.get("title_rule"):
            return el("spacing", before=twips(4), after=twips(12), line=20, lineRule="exact")
        if definition.extra.get("tag_line"):
            return el("spacing", before=0, after=twips(6), line=twips(spec.leading + 3))
        return el(
            "spacing",
            before=twips(spec.space_before),
            after=twips(spec.space_after),
            line=twips(spec.leading),
            lineRule="exact",  # a steady rhythm: tall scripts' lines are set in fit_lines
        )

    def _borders(self, ppr: BaseOxmlElement, extra: dict[str, Any]) -> None:
        if extra.get("rule"):
            pbdr = put(ppr, el("pBdr"))
            pbdr.append(border("bottom", 0.6, self.style.color("rule"), space=3))
        elif extra.get("title_rule"):
            pbdr = put(ppr, el("pBdr"))
            pbdr.append(border("bottom", 1.2, self.style.color("accent")))
        elif extra.get("footer"):
            pbdr = put(ppr, el("pBdr"))
            pbdr.append(border("top", 0.4, self.style.color("rule"), space=2))

    def run_properties(self, spec: ParagraphStyle, *, fonts: bool = True) -> BaseOxmlElement:
        rpr = el("rPr")
        if fonts:
            put(rpr, self._fonts(spec.font))
        for tag, on in (("b", spec.bold), ("i", spec.italic)):
            put(rpr, el(tag, val=int(on)))
            put(rpr, el(f"{tag}Cs", val=int(on)))
        if spec.caps:
            put(rpr, el("caps"))
        put(rpr, el("color", val=rgb(self.style.color(spec.color))))
        put(rpr, el("sz", val=half_points(spec.size)))
        put(rpr, el("szCs", val=half_points(spec.size)))
        return rpr

    def _character_rpr(self, definition: StyleDef) -> BaseOxmlElement:
        extra = definition.extra
        if extra.get("link"):
            rpr = el("rPr")
            put(rpr, el("color", val=rgb(self.style.color("accent"))))
            return rpr
        if extra.get("code"):
            rpr = el("rPr")
            put(rpr, self._fonts(FontRole.MONO))
            return rpr
        assert definition.role is not None
        spec = self.style.paragraph(definition.role)
        if extra.get("bold"):
            spec = spec.model_copy(update={"bold": True})
        rpr = self.run_properties(spec)
        if "color" in extra:
            put(rpr, el("color", val=rgb(extra["color"])))
        if "shade" in extra:
            put(rpr, shading(extra["shade"]))
        return rpr

    def _update_linked(self, style_id: str | None, rpr: BaseOxmlElement) -> None:
        """Keep Word's linked character style (e.g. "Heading 1 Char") in step."""
        linked = self._find(style_id or "")
        if linked is None:
            return
        for child in linked.findall(qn("w:rPr")):
            linked.remove(child)
        put(linked, etree.fromstring(etree.tostring(rpr)))

    def _table_style(self, element: BaseOxmlElement, definition: StyleDef) -> None:
        """Borders, cell padding and shading of briefkit's tables, as the PDF draws them."""
        ppr = put(element, el("pPr"))
        put(ppr, el("spacing", before=0, after=0))
        tblpr = put(element, el("tblPr"))
        color = self.style.color
        if definition.style_id == "BriefTable":  # rules between rows, a shaded header row
            put(tblpr, el("tblStyleRowBandSize", val=1))
            rule = color("rule")
            lines = {side: border(side, 0.4, rule) for side in ("bottom", "insideH")}
            put(tblpr, _table_borders(lines))
            put(tblpr, _cell_margins(top=4, left=5, bottom=5, right=5))
            self._conditional(element, "firstRow", color("table_header"), header=True)
            self._conditional(element, "band2Horz", color("table_stripe"))
        elif definition.style_id == "CalloutBox":  # a shaded box with an accent rule down its left
            accent = border("left", CALLOUT_BORDER, color("accent"))
            put(tblpr, _table_borders({"left": accent}))
            top, right, bottom, left = CALLOUT_PADDING
            put(tblpr, _cell_margins(top=top, left=left, bottom=bottom, right=right))
            sub(element, "tcPr").append(shading(color("shade")))
        else:  # the title block's grid: no lines
            put(tblpr, _table_borders({}))
            put(tblpr, _cell_margins(top=2, left=0, bottom=4, right=8))

    def _conditional(
        self, element: BaseOxmlElement, kind: str, fill: str, *, header: bool = False
    ) -> None:
        conditional = sub(element, "tblStylePr", type=kind)
        if header:
            spec = self.style.paragraph("table_header")
            conditional.append(self.run_properties(spec, fonts=False))
        tcpr = sub(conditional, "tcPr")
        tcpr.append(shading(fill))

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


# The scripts Word sets as East Asian (w:eastAsia) and as complex (w:bidi, w:cs): the others
# are in w:val's slot.
_EAST_ASIAN_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore", "Hani", "Hira", "Kana", "Hang"})
_COMPLEX_SCRIPTS = frozenset(
    {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Deva", "Beng", "Guru", "Gujr", "Orya"}
    | {"Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"}
)


def word_languages(language: str) -> dict[str, str]:
    """``w:lang``'s attributes for a document in *language* (BCP 47)."""
    tag, script = with_region(language), likely(language).script
    return {
        "val": tag,
        "eastAsia": tag if script in _EAST_ASIAN_SCRIPTS else "zh-CN",
        "bidi": tag if script in _COMPLEX_SCRIPTS else "ar-SA",
    }


def _table_borders(lines: dict[str, BaseOxmlElement]) -> BaseOxmlElement:
    """``tblBorders`` with *lines* on the sides they name and none elsewhere."""
    borders = el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(lines.get(side, no_border(side)))
    return borders


def _cell_margins(*, top: float, left: float, bottom: float, right: float) -> BaseOxmlElement:
    margins = el("tblCellMar")
    for side, points in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        sub(margins, side, w=twips(points), type="dxa")
    return margins


# The styles Word's gallery shows (qFormat): those an editor applies by hand. Furniture
# (banner, header, footer), chips, table cells and hyperlinks are briefkit's to apply.
GALLERY_STYLES = frozenset(
    {
        "Normal",
        "Title",
        "Subtitle",
        "Heading1",
        "Heading2",
        "Heading3",
        "ListBullet",
        "ListNumber",
        "ListContinue",
        "Quote",
        "Caption",
    }
)

# Styles an editor reaches for in the gallery even when the brief did not use them.
EDITOR_STYLES = GALLERY_STYLES | {"TableGrid", "BriefTable", "Hyperlink"}


def prune_unused_styles(word: Any) -> None:
    """Leave in styles.xml only the styles the document uses (in its body, header, footer and
    numbering), the ones an editor needs (headings, lists, the table styles), the defaults,
    and every style those are based on, linked to or followed by: python-docx's template
    brings about 150 table and list styles nobody asked for, which clutter the style gallery."""
    parts = [word.part.element, word.part.numbering_part.element]
    for section in word.sections:
        for story in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            if not story.is_linked_to_previous:
                parts.append(story._element)
    used = set(EDITOR_STYLES)
    tags = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
    for part in parts:
        used.update(e.get(qn("w:val")) for e in part.iter(*tags))
    keep_styles(word.styles.element, used)


def keep_styles(styles: BaseOxmlElement, used: Iterable[str | None]) -> None:
    """Remove from *styles* every style but those *used*, the defaults, and the styles they
    are based on, linked to or followed by."""
    used = set(used)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    used.update(i for i, s in by_id.items() if s.get(qn("w:default")) in ("1", "true", "on"))
    pending = [i for i in used if i in by_id]
    while pending:
        style = by_id[pending.pop()]
        for tag in ("basedOn", "link", "next"):
            ref = style.find(qn(f"w:{tag}"))
            target = ref.get(qn("w:val")) if ref is not None else None
            if target in by_id and target not in used:
                used.add(target)
                pending.append(target)
    for style_id, style in by_id.items():
        if style_id not in used:
            styles.remove(style)
