"""Document + Style → DOCX bytes, with python-docx.

The Word file is a real, editable document: every paragraph and run uses a named style made
from the style sheet (see ``styles``). Lists are real Word numbering that restarts per list,
links are real hyperlinks and bookmarks, "Page X of Y" is made of PAGE and NUMPAGES fields.

python-docx has no API for much of this, so paragraphs, tables and styles are written as
WordprocessingML elements, in schema order (Word refuses files whose properties are out of
order). python-docx still supplies the package, its parts and relationships, and saving.

Output is reproducible: dates come from *epoch* or the brief's date, never the clock, and the
zip is rewritten with fixed entry times in a fixed order.

The modules, in the order a document is written:

- ``styles``: the named Word styles, made from the style sheet;
- ``paragraphs``: paragraphs and runs in those styles, hyperlinks and bookmarks;
- ``body``: the document's blocks as paragraphs and tables (``metrics`` measures for it,
  ``numbering`` numbers its lists);
- ``furniture``: page size and margins; header and footer with banner, fields, watermark;
- ``line_heights``: lines of exact height, taller where a paragraph's script needs it;
- ``package``: properties, settings, theme, the font table (``fonts`` embeds the faces) and
  the reproducible zip;
- ``ooxml``: the low-level element helpers all of them use.
"""

from __future__ import annotations

import copy
from typing import Any

import docx
from lxml import etree

from briefkit.layout import document as d
from briefkit.render.common.kept import kept
from briefkit.render.common.scripts import complex_script_family
from briefkit.render.common.stamp import moment
from briefkit.render.docx.body import Body
from briefkit.render.docx.furniture import Furniture
from briefkit.render.docx.line_heights import fit_lines
from briefkit.render.docx.numbering import Numbering
from briefkit.render.docx.package import Package, package_zip
from briefkit.render.docx.paragraphs import Paragraphs
from briefkit.render.docx.styles import EXACT_LINE_ROLES, WordStyles, prune_unused_styles
from briefkit.style.sheet import Style

__all__ = ["render_docx", "render_docx_body"]


def render_docx(document: d.Document, style: Style, *, epoch: int | None = None) -> bytes:
    """The Word document of *document* in *style*; *epoch* (seconds, UTC) stamps its dates."""
    stamp = moment(document.metadata.date, epoch)
    meta = document.metadata
    text = "".join(span.text for span in document.spans())
    complex_family = complex_script_family(style, text)
    word, keeping = _styled_template(style, meta.rtl, meta.language, complex_family)
    paragraphs = Paragraphs(word, style, keeping, rtl=meta.rtl, language=meta.language)
    numbering = Numbering(style)
    Body(style, paragraphs, numbering).write(word.element.body, document.blocks)
    numbering.write(word.part.numbering_part.element)
    Furniture(word, style, meta, paragraphs).write()
    section = word.sections[0]
    stories = (word.element.body, section.header._element, section.footer._element)
    fit_lines(stories, style, EXACT_LINE_ROLES)
    Package(word, document, style, stamp).finish()
    prune_unused_styles(word)
    return package_zip(word, stamp)


# python-docx's template with the named styles of a style sheet, direction and language: every
# document in them starts from a copy (a copy takes a third of the time of making one).
_TEMPLATES: dict[tuple[str, tuple[str, ...], bool, str, str | None], tuple[Any, frozenset[str]]] = (
    kept({})
)


def _styled_template(
    style: Style, rtl: bool, language: str, complex_family: str | None
) -> tuple[Any, set[str]]:
    """A new python-docx document in *style*'s named styles, and the paragraph styles that
    keep with the next paragraph."""
    from briefkit import fonts

    # every value the style sheet sets, and the versions of its fonts (their names are in it)
    versions = fonts.versions(style.fonts.families())
    key = (style.model_dump_json(), versions, rtl, language, complex_family)
    made = _TEMPLATES.get(key)
    if made is None:
        word = docx.Document()
        styles = WordStyles(word, style, rtl=rtl, complex_family=complex_family)
        styles.write()
        styles.set_language(language)
        styles.drop_foreign()  # fewer styles to copy and to prune
        if len(_TEMPLATES) >= 8:
            _TEMPLATES.clear()
        made = _TEMPLATES[key] = (word, frozenset(styles.keeping))
    return copy.deepcopy(made[0]), set(made[1])


def render_docx_body(document: d.Document, style: Style) -> tuple[bytes, dict[str, str]]:
    """The body of the Word document of *document* (``word/document.xml``) and the targets of
    its hyperlinks by relationship id: what ``briefkit absorb`` compares an edited copy with.
    Quicker than :func:`render_docx`: no header, footer, fonts or package."""
    word = docx.Document()
    rtl = document.metadata.rtl
    text = "".join(span.text for span in document.spans())
    styles = WordStyles(word, style, rtl=rtl, complex_family=complex_script_family(style, text))
    language = document.metadata.language
    paragraphs = Paragraphs(word, style, styles.keeping, rtl=rtl, language=language)
    Body(style, paragraphs, Numbering(style)).write(word.element.body, document.blocks)
    fit_lines((word.element.body,), style, EXACT_LINE_ROLES)
    targets = {r_id: rel.target_ref for r_id, rel in word.part.rels.items() if rel.is_external}
    return etree.tostring(word.element), targets
