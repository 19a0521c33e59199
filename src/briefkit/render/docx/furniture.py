"""The page: its size and margins, and what every page carries in its header and footer —
the handling banner, the footer line with PAGE and NUMPAGES fields ("Page X of Y"), and the
DRAFT watermark.
"""

from __future__ import annotations

import io
import string
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu
from lxml import etree

from briefkit.layout import document as d
from briefkit.render.common import watermark
from briefkit.render.common.colours import tlp_colour
from briefkit.render.common.kept import memo
from briefkit.render.common.measure import text_area
from briefkit.render.docx.ooxml import XML_SPACE, el, props, put, rgb, shading, sub, twips
from briefkit.render.docx.paragraphs import Paragraphs, Place
from briefkit.render.docx.styles import TAG_PAD
from briefkit.style.sheet import Style


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
        self._page_furniture(section.header, section.footer, watermarked=self.meta.draft)
        if self.meta.draft:
            self._watermark_first_page(section)

    def _page_furniture(self, header: Any, footer: Any, *, watermarked: bool) -> None:
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        for part in (header._element, footer._element):
            for child in list(part):
                part.remove(child)
        banner = self._banner(Place(header._element, self.text_width), "Header")
        if watermarked:
            banner.append(self._watermark(header.part, _HEADER_WATERMARK_ID))
        if self.meta.handling:
            self._banner(Place(footer._element, self.text_width), "Banner")
        self._footer_line(Place(footer._element, self.text_width))

    def _watermark_first_page(self, section: Any) -> None:
        """Page one carries the watermark in the body, so that it lies over the bottom line
        and changes boxes as in the PDF (Word and LibreOffice draw whatever a header holds
        under the body's shading); its own header and footer are the others without it."""
        section.different_first_page_header_footer = True
        self._page_furniture(
            section.first_page_header, section.first_page_footer, watermarked=False
        )
        first = self.word.element.body.find(qn("w:p"))
        if first is not None:
            first.append(self._watermark(self.word.part, _BODY_WATERMARK_ID))

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
        if self.meta.rtl:  # columns and page furniture run right to left (after w:cols)
            grid = sect.find(qn("w:docGrid"))
            direction = el("bidi")
            if grid is None:
                sect.append(direction)
            else:
                grid.addprevious(direction)

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
        """The brief's id and version, then (at the end of the line) "Page X of Y" in the
        reader's words, with PAGE and NUMPAGES fields where the numbers go."""
        paragraph = self.paragraphs.paragraph(place, "Footer", d.plain(self.meta.footer))
        paragraph.append(self.paragraphs.run("\t"))
        fields = {"page": "PAGE", "pages": "NUMPAGES"}
        for text, name, _, _ in string.Formatter().parse(self.meta.page_label):
            if text:
                self.paragraphs.inline(paragraph, d.plain(text))
            if name:
                paragraph.extend(_field(fields[name], "1"))

    def _watermark(self, part: Any, shape_id: int) -> BaseOxmlElement:
        """DRAFT in front of the text, translucent, centred on the page and turned as in the
        PDF (see briefkit.render.common.watermark): a picture of the word in the watermark style,
        anchored in the header, which Word and LibreOffice both draw the same way (LibreOffice
        draws Word's VML "WordArt" watermark at the wrong size and place)."""
        image, width, height = watermark_picture(self.style, self.meta.draft_mark)
        inline = part.new_pic_inline(io.BytesIO(image), Emu(width), Emu(height))
        inline.find(qn("wp:docPr")).set("id", str(shape_id))  # unique across the package
        return _anchored_in_front(inline, self.meta.draft_mark)


_DPI = 200
_HEADER_WATERMARK_ID, _BODY_WATERMARK_ID = 9001, 9002


def watermark_picture(style: Style, text: str) -> tuple[bytes, int, int]:
    """The watermark *text* ("DRAFT", "مسودة") as a PNG with transparency, and its width and
    height in EMU; set in the first family of the watermark's chain that has all of it."""
    from briefkit import fonts

    spec = style.paragraph("watermark")
    chain = style.fonts.chain(spec.font)
    needed = {ord(ch) for ch in text if not ch.isspace()}
    family = next((f for f in chain if needed <= fonts.codepoints(f)), chain[0])
    face = fonts.face_path(family, bold=True, italic=False)
    return _picture(str(face), text, round(spec.size * _DPI / 72), style.color(spec.color))


@memo(8)
def _picture(face: str, text: str, size: int, colour: str) -> tuple[bytes, int, int]:
    from PIL import Image, ImageDraw, ImageFont

    # Raqm (HarfBuzz, FriBiDi) shapes and orders Arabic or Devanagari; Pillow falls back to
    # its basic layout, which is right for Latin, Greek and Cyrillic, where Raqm is missing.
    font = ImageFont.truetype(face, size, layout_engine=ImageFont.Layout.RAQM)
    left, top, right, bottom = font.getbbox(text)
    rgba = (*bytes.fromhex(colour.lstrip("#")), round(255 * watermark.OPACITY))
    # FreeType boxes are whole pixels (Pillow's hints say float for its bitmap fonts)
    word = Image.new("RGBA", (int(right - left), int(bottom - top)), (0, 0, 0, 0))
    ImageDraw.Draw(word).text((-left, -top), text, font=font, fill=rgba)
    turned = word.rotate(watermark.ANGLE, resample=Image.Resampling.BICUBIC, expand=True)
    buffer = io.BytesIO()
    turned.save(buffer, format="PNG")
    emu_per_pixel = 914400 / _DPI
    width, height = round(turned.width * emu_per_pixel), round(turned.height * emu_per_pixel)
    return buffer.getvalue(), width, height


def _anchored_in_front(inline: BaseOxmlElement, text: str) -> BaseOxmlElement:
    """A run holding *inline*'s picture as a floating one: centred on the page, in front of
    the text, not moving it."""
    attributes = {
        "distT": "0", "distB": "0", "distL": "0", "distR": "0", "simplePos": "0",
        "relativeHeight": "251659264", "behindDoc": "0", "locked": "0", "layoutInCell": "1",
        "allowOverlap": "1",
    }  # fmt: skip
    anchor = etree.SubElement(etree.Element(qn("w:drawing")), qn("wp:anchor"), attributes)
    etree.SubElement(anchor, qn("wp:simplePos"), x="0", y="0")
    for axis in ("H", "V"):
        position = etree.SubElement(anchor, qn(f"wp:position{axis}"), relativeFrom="page")
        etree.SubElement(position, qn("wp:align")).text = "center"
    anchor.append(inline.find(qn("wp:extent")))
    etree.SubElement(anchor, qn("wp:effectExtent"), l="0", t="0", r="0", b="0")
    etree.SubElement(anchor, qn("wp:wrapNone"))
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("name", "Watermark")
    doc_pr.set("descr", text)
    anchor.append(doc_pr)
    anchor.append(inline.find(qn("wp:cNvGraphicFramePr")))
    anchor.append(inline.find(qn("a:graphic")))
    run = el("r")
    sub(run, "rPr").append(el("noProof"))
    run.append(anchor.getparent())
    return run


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
