"""The page: its size and margins, and what every page carries in its header and footer —
the handling banner, the footer line with PAGE and NUMPAGES fields ("Page X of Y"), and the
DRAFT watermark.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit import document as d
from briefkit.render.colours import tlp_colour
from briefkit.render.docx.ooxml import XML_SPACE, el, props, put, rgb, shading, sub, twips
from briefkit.render.docx.paragraphs import Paragraphs, Place
from briefkit.render.docx.styles import TAG_PAD
from briefkit.render.measure import text_area
from briefkit.styles import Style


class Furniture:
    """Page size and margins; header and footer: the banner, the footer line, the watermark."""

    def __init__(self, word: Any, style: Style, meta: d.Metadata, paragraphs: Paragraphs) -> None:
        self.word = word
        self.style = style
        self.meta = meta
        self.paragraphs = paragraphs
        self.text_width = text_area(style)[0]

    def write(self) -> None:
        self._section()
        section = self.word.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header._element
        footer = section.footer._element
        for part in (header, footer):
            for child in list(part):
                part.remove(child)
        place = Place(header, self.text_width)
        banner = self._banner(place, "Header")
        if self.meta.draft:
            banner.append(self._watermark())
        if self.meta.handling:
            self._banner(Place(footer, self.text_width), "Banner")
        self._footer_line(Place(footer, self.text_width))

    def _section(self) -> None:
        sect = self.word.element.body.find(qn("w:sectPr"))
        margins = self.style.page.margins
        page_width, page_height = self.style.page.width_height
        for tag in ("pgSz", "pgMar"):
            for child in sect.findall(qn(f"w:{tag}")):
                sect.remove(child)
        size = el("pgSz", w=twips(page_width), h=twips(page_height), orient="portrait")
        # Where the PDF sets its banner and footer baselines (see render.pdf._PageFurniture).
        header = max(margins.top / 2 - 8, 12)
        footer = max(margins.bottom / 2 - 11, 12)
        page_margins = el(
            "pgMar",
            top=twips(margins.top),
            right=twips(margins.right),
            bottom=twips(margins.bottom),
            left=twips(margins.left),
            header=twips(header),
            footer=twips(footer),
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

    def _banner(self, place: Place, style_id: str) -> BaseOxmlElement:
        if not self.meta.tlp:
            # a free-text classification may be in any script: runs as in the body
            return self.paragraphs.paragraph(place, style_id, d.plain(self.meta.handling or ""))
        paragraph = self.paragraphs.paragraph(place, style_id, ())
        run = self.paragraphs.run(f"{TAG_PAD}{self.meta.handling}{TAG_PAD}")
        rpr = props(run, "rPr")
        put(rpr, el("color", val=rgb(tlp_colour(self.style, self.meta.tlp))))
        put(rpr, shading("#000000"))
        paragraph.append(run)
        return paragraph

    def _footer_line(self, place: Place) -> None:
        paragraph = self.paragraphs.paragraph(place, "Footer", d.plain(self.meta.footer))
        paragraph.append(self.paragraphs.run("\tPage "))
        paragraph.extend(_field("PAGE", "1"))
        paragraph.append(self.paragraphs.run(" of "))
        paragraph.extend(_field("NUMPAGES", "1"))

    def _watermark(self) -> BaseOxmlElement:
        spec = self.style.paragraph("watermark")
        family = self.style.fonts.family(spec.font)
        colour = self.style.color(spec.color)
        xml = _WATERMARK.format(
            family=family.replace('"', ""),
            colour=colour,
            width=round(self.text_width * 0.9, 1),
            height=round(self.text_width * 0.9 * 0.3, 1),
        )
        return etree.fromstring(xml)


def _field(instruction: str, placeholder: str) -> list[BaseOxmlElement]:
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = el("r")
        if kind == "instr":
            text = sub(run, "instrText")
            text.text = f" {instruction} "
            text.set(XML_SPACE, "preserve")
        elif kind == "result":
            sub(run, "rPr").append(el("noProof"))
            sub(run, "t").text = placeholder
        else:
            sub(run, "fldChar", fldCharType=kind)
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
