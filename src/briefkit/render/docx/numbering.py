"""numbering.xml: real Word numbering for bullet lists and numbered lists that restart."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefkit.render.docx.ooxml import el, put, rgb, sub, twips
from briefkit.render.docx.styles import LIST_INDENT, bullet_hanging
from briefkit.style.sheet import Style

BULLET_NUM = 1  # the List Bullet style's numbering
NUMBER_NUM = 2  # the List Number style's numbering


class Numbering:
    """numbering.xml: one bullet list definition, one per number format, a num per list."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.formats: dict[tuple[str, str], int] = {("", "."): 1}
        self.nums: list[int] = [0, 1]  # abstractNumId of num 1, 2, …
        self.headings: dict[int, tuple[int, int]] = {}  # level → (abstractNumId, numId)

    def new_list(self, prefix: str, suffix: str) -> int:
        """A num that restarts at 1, for one numbered list."""
        abstract = self.formats.setdefault((prefix, suffix), len(self.formats) + 1)
        self.nums.append(abstract)
        return len(self.nums)

    def heading_list(self, level: int) -> int:
        """The num of numbered headings of *level* ("1. Compute strain"): one list through the
        document, so Word renumbers the headings when one is added or deleted."""
        if level not in self.headings:
            abstract = 100 + level  # clear of the list formats' ids
            self.nums.append(abstract)
            self.headings[level] = (abstract, len(self.nums))
        return self.headings[level][1]

    def write(self, root: BaseOxmlElement) -> None:
        for child in list(root):
            root.remove(child)
        root.append(self._bullets())
        for (prefix, suffix), abstract in self.formats.items():
            root.append(self._decimal(abstract, prefix, suffix))
        for abstract, _num in self.headings.values():
            root.append(self._heading_numbers(abstract))
        for num_id, abstract in enumerate(self.nums, 1):
            num = sub(root, "num", numId=num_id)
            sub(num, "abstractNumId", val=abstract)
            if num_id > NUMBER_NUM:
                override = sub(num, "lvlOverride", ilvl=0)
                sub(override, "startOverride", val=1)

    def _abstract(self, abstract_id: int) -> BaseOxmlElement:
        element = el("abstractNum", abstractNumId=abstract_id)
        sub(element, "nsid", val=f"{0x0B71EF00 + abstract_id:08X}")
        sub(element, "multiLevelType", val="singleLevel")
        return element

    def _level(
        self, element: BaseOxmlElement, fmt: str, text: str, indent: float, hanging: float
    ) -> BaseOxmlElement:
        level = sub(element, "lvl", ilvl=0)
        sub(level, "start", val=1)
        sub(level, "numFmt", val=fmt)
        sub(level, "lvlText", val=text)
        sub(level, "lvlJc", val="left")
        ppr = sub(level, "pPr")
        sub(ppr, "ind", left=twips(indent), hanging=twips(hanging))
        return level

    def _bullets(self) -> BaseOxmlElement:
        element = self._abstract(0)
        spec = self.style.paragraph("bullet")
        level = self._level(element, "bullet", "•", spec.indent, bullet_hanging(spec))
        rpr = sub(level, "rPr")
        family = self.style.fonts.body
        put(rpr, el("rFonts", ascii=family, hAnsi=family, cs=family, hint="default"))
        put(rpr, el("color", val=rgb(self.style.color("accent"))))
        return element

    def _heading_numbers(self, abstract_id: int) -> BaseOxmlElement:
        """ "1. " in the heading's own font and colour, at the heading's margin."""
        element = self._abstract(abstract_id)
        level = self._level(element, "decimal", "%1.", 0.0, 0.0)
        level.find(qn("w:lvlText")).addprevious(el("suff", val="space"))  # no tab after it
        return element

    def _decimal(self, abstract_id: int, prefix: str, suffix: str) -> BaseOxmlElement:
        element = self._abstract(abstract_id)
        level = self._level(element, "decimal", f"{prefix}%1{suffix}", LIST_INDENT, LIST_INDENT)
        rpr = sub(level, "rPr")
        put(rpr, el("b"))
        put(rpr, el("bCs"))
        put(rpr, el("color", val=rgb(self.style.color("accent"))))
        return element
