"""Low-level WordprocessingML: units, elements, and properties kept in schema order.

Word refuses files whose properties are out of order, so properties are added with ``put``,
which places each child where the ECMA-376 sequence wants it.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# --- units ----------------------------------------------------------------------------------


def twips(points: float) -> str:
    return str(round(points * 20))


def half_points(points: float) -> str:
    return str(round(points * 2))


def eighths(points: float) -> str:
    """Border widths are in eighths of a point, from 2 to 96."""
    return str(min(96, max(2, round(points * 8))))


def rgb(color: str) -> str:
    return color.lstrip("#").upper()


# --- elements -------------------------------------------------------------------------------


def el(tag: str, **attrs: str | int | float) -> BaseOxmlElement:
    """``w:tag`` with ``w:`` attributes; ``r_id`` becomes ``r:id``."""
    made = _MADE.get(tag)
    if made is None:  # what OxmlElement works out from the tag, once per tag
        name = NamespacePrefixedTag(tag if ":" in tag else f"w:{tag}")
        made = _MADE[tag] = (name.clark_name, name.nsmap)
        _EMPTY[tag] = oxml_parser.makeelement(made[0], nsmap=made[1])
    # a copy of an empty one: a third of the time of making one with its namespaces
    return _with_attributes(_EMPTY[tag].__copy__(), attrs)


def _with_attributes(element: BaseOxmlElement, attrs: dict[str, str | int | float]) -> Any:
    for name, value in attrs.items():
        key = _ATTRIBUTES.get(name)
        if key is None:
            key = _ATTRIBUTES[name] = qn("r:id") if name == "r_id" else qn(f"w:{name}")
        element.set(key, str(value))
    return element


# Element tags and attribute names, as python-docx's OxmlElement and qn resolve them.
_MADE: dict[str, tuple[str, dict[str, str]]] = {}
_EMPTY: dict[str, BaseOxmlElement] = {}
_ATTRIBUTES: dict[str, str] = {}


def sub(parent: BaseOxmlElement, tag: str, **attrs: str | int | float) -> BaseOxmlElement:
    made = _MADE.get(tag)
    if made is None:  # a tag not made before: el() works out its name
        child = el(tag, **attrs)
        parent.append(child)
        return child
    # made in place, in the parent's namespaces: quicker than a new element with its own
    return _with_attributes(etree.SubElement(parent, made[0]), attrs)


def local(element: etree._Element) -> str:
    tag = element.tag
    if isinstance(tag, str):
        return tag.rpartition("}")[2]  # "{namespace}name", as etree.QName reads it
    return etree.QName(element).localname


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
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
        "tblDescription"
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


def put(parent: BaseOxmlElement, child: BaseOxmlElement) -> BaseOxmlElement:
    """Add *child* to *parent* in schema order, replacing a child with the same tag."""
    order = _ORDER[local(parent)]
    name = local(child)
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = order.index(name)
    for index, sibling in enumerate(parent):
        sibling_name = local(sibling)
        if sibling_name in order and order.index(sibling_name) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def props(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The properties child (``pPr``, ``rPr``, ``tcPr``…) of *parent*, created first if needed."""
    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = el(tag)
        parent.insert(0, found)
    return found


# --- shading and borders --------------------------------------------------------------------


def shading(fill: str) -> BaseOxmlElement:
    return el("shd", val="clear", color="auto", fill=rgb(fill))


def border(side: str, points: float, color: str, space: float = 0) -> BaseOxmlElement:
    return el(side, val="single", sz=eighths(points), space=round(space), color=rgb(color))


def no_border(side: str) -> BaseOxmlElement:
    return el(side, val="nil")
