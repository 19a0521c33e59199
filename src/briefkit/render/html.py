"""Document + Style → one self-contained HTML file, for the intranet and for e-mail.

The page is semantic HTML a screen reader can follow: an ``<article>`` with real headings, lists,
tables with header cells, ``lang`` and ``dir`` on the page and ``dir="auto"`` on every block so a
paragraph that starts in Arabic or Hebrew reads right to left. Everything it needs is in the
file: the style sheet becomes CSS, fonts are named (the reader's own installed fonts are used;
no request leaves the page) and there is no JavaScript. Print CSS gives an A4 or Letter print
with the handling label and "Page X of Y" in the page margins.

The e-mail variant (``render_email``) says the same with every rule written into a ``style``
attribute, and the shaded boxes as one-cell tables, because mail clients drop ``<style>`` and
lay out tables more faithfully than boxes.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from html import escape
from typing import assert_never

from briefkit.layout import document as d
from briefkit.render.common import watermark
from briefkit.render.common.colours import chip_colours, tlp_colour
from briefkit.render.common.measure import (
    BANNER_EXTRA_HEIGHT,
    BANNER_PADDING,
    CALLOUT_BAR,
    CALLOUT_PADDING,
    CELL_PADDING,
    GAP_AFTER_CALLOUT,
    GAP_AFTER_TABLE,
    NUMBER_WIDTH,
    TITLE_FIELDS_PER_ROW,
    cell_shade,
    text_area,
)
from briefkit.render.common.scripts import (
    LATIN_SYSTEM_FAMILIES,
    Scripts,
    generic_family,
    short_glosses,
    system_fallbacks,
)
from briefkit.render.common.stamp import moment
from briefkit.style.sheet import Align, FontRole, ParagraphStyle, Style

PX_PER_PT = 4 / 3  # CSS: 1pt = 1/72 in, 1px = 1/96 in
SCREEN_BODY_MIN_PX = 16.0  # body text on a screen is never smaller than this
NARROW_SCREEN_PX = 600  # below this width a table's rows become labelled cards
# the e-mail's only classes: what its narrow-screen rules select, for the clients that keep a
# <style> block (phones' mail apps do); the rest of the e-mail is styled inline
EMAIL_CLASSES = frozenset({"table"})
EMAIL_WIDTHS_PX = (600, 640)  # what mail clients lay out reliably: the page's text width, clamped
# the tags of the headings, by paragraph style
_HEADING_TAGS = (("h2", "heading1"), ("h3", "heading2"), ("h4", "heading3"))
GLOSS_EMS = 8.0  # a gloss kept on one line is at most about this wide (a narrow column's width)
# the paragraph roles printed as a class of their own that a style may keep with what follows
_KEPT_ROLES = ("label",)


def render_html(document: d.Document, style: Style, *, epoch: int | None = None) -> bytes:
    """The HTML page of *document* in *style*; *epoch* (seconds, UTC) dates it."""
    return _Page(document, style, epoch, email=False).html().encode("utf-8")


def render_email(document: d.Document, style: Style, *, epoch: int | None = None) -> bytes:
    """The same page with inline styles only, to paste into or send as e-mail."""
    return _Page(document, style, epoch, email=True).html().encode("utf-8")


# CSS counter styles for the digits of CLDR numbering systems (by their zero)
_COUNTER_STYLES = {
    "0": "decimal",
    "٠": "arabic-indic",
    "۰": "persian",
    "०": "devanagari",
    "০": "bengali",
    "๐": "thai",
    "〇": "cjk-decimal",
}


def _page_counter(meta: d.Metadata) -> str:
    """CSS ``content`` for "Page X of Y" in the reader's words and digits."""
    counter = _COUNTER_STYLES.get(meta.digits[0], "decimal")
    parts: list[str] = []
    for text, name, _, _ in string.Formatter().parse(meta.page_label):
        if text:
            parts.append(f'"{_css_string(text)}"')
        if name:
            parts.append(f"counter({'page' if name == 'page' else 'pages'}, {counter})")
    return " ".join(parts)


class _Page:
    def __init__(self, document: d.Document, style: Style, epoch: int | None, *, email: bool):
        self.document = document
        self.meta = document.metadata
        self.style = style
        self.epoch = epoch
        self.email = email
        self.rules = _Rules(style, self.meta.direction, email=email)
        # on a left-to-right page a block in Arabic or Hebrew takes its own direction; a
        # right-to-left page is mirrored as a whole, every block right to left (as in the PDF)
        self.auto = "" if self.meta.rtl else ' dir="auto"'
        self.scripts = Scripts(style)
        self.previous: d.Block | None = None  # the block written last (what a key follows)

    # --- attributes: a class on the page, the same rule inline in e-mail ---------------------

    def cls(self, name: str, extra: str = "") -> str:
        if self.email:
            rule = self.rules.css(name) + self.rules.kept(name) + extra
            named = f' class="{name}"' if name in EMAIL_CLASSES else ""
            return named + (f' style="{escape(rule)}"' if rule else "")
        return f' class="{name}"' + (f' style="{escape(extra)}"' if extra else "")

    # --- the page -----------------------------------------------------------------------------

    def html(self) -> str:
        meta = self.meta
        language = escape(meta.language or "en")
        when = moment(meta.date, self.epoch).date().isoformat()
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(meta.title)}</title>",
            f'<meta name="author" content="{escape(", ".join(meta.authors))}">',
            f'<meta name="description" content="{escape(meta.subject)}">',
            f'<meta name="keywords" content="{escape(", ".join(meta.keywords))}">',
            '<meta name="generator" content="briefkit">',
            f'<meta name="dcterms.date" content="{when}">',
            f'<meta name="briefkit.id" content="{escape(meta.id)}">',
            f'<meta name="briefkit.version" content="{escape(meta.version)}">',
        ]
        if meta.revision:
            head.append(f'<meta name="briefkit.revision" content="{escape(meta.revision)}">')
        if self.email:
            head.append(f"<style>\n{self.rules.email_stylesheet()}</style>")
        else:
            faces = _font_faces(self.document, self.style)
            head.append(f"<style>\n{faces}{self.rules.stylesheet(self.meta)}</style>")
        body = "\n".join(self.body())
        if self.email:
            body = self.email_wrapper(body)
        draft = " draft" if meta.draft and not self.email else ""
        body_attr = f' class="page{draft}"' if not self.email else self.cls("email-page")
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{language}" dir="{meta.direction}">\n'
            f"<head>\n{chr(10).join(head)}\n</head>\n"
            f"<body{body_attr}>\n{body}\n</body>\n</html>\n"
        )

    def email_wrapper(self, body: str) -> str:
        """*body* in one centred table of fixed width: Outlook (Word's engine) and Gmail drop
        max-width and flex, but lay out a table with width and bgcolor attributes."""
        low, high = EMAIL_WIDTHS_PX
        width = round(min(high, max(low, text_area(self.style)[0] * PX_PER_PT)))
        paper = "#FFFFFF"  # the web page's too
        # Outlook takes the fixed width from a table only it reads (a conditional comment);
        # every other client narrows the 100%-wide table to the width and to a phone's screen
        ghost = f'<table role="presentation" width="{width}" align="center"><tr><td>'
        return (
            f"<!--[if mso]>{ghost}<![endif]-->"
            f'<table role="presentation" width="{width}" align="center" cellpadding="0" '
            f'cellspacing="0" border="0" bgcolor="{paper}" style="width:100%;'
            f'max-width:{width}px;margin:0 auto;border-collapse:collapse;background:{paper};">'
            f'<tr><td style="padding:0 16px;">\n{body}\n</td></tr></table>'
            "<!--[if mso]></td></tr></table><![endif]-->"
        )

    def body(self) -> Iterator[str]:
        # Every part of the page is in a landmark: the top banner in the page's header, the
        # brief in <main>, the footer line and bottom banner in the page's footer.
        yield "<header>"
        yield from self.banner("top")
        if self.meta.draft:
            yield f"<p{self.cls('draft-note')}>{escape(self.meta.draft_mark)}</p>"
        yield "</header>"
        # <main> may not sit in a table cell: the e-mail's is a div in the main role
        main = '<div role="main">' if self.email else "<main>"
        yield f"{main}<article>"
        for block in self.document.blocks:
            yield from self.block(block)
        yield "</article></div>" if self.email else "</article></main>"
        footer = f"<p{self.cls('footer-line')}{self.auto}>{escape(self.meta.footer)}</p>"
        yield f"<footer{self.cls('footer')}>{footer}"
        yield from self.banner("bottom")
        yield "</footer>"

    def banner(self, where: str) -> Iterator[str]:
        if not self.meta.handling:
            return
        label = escape(self.meta.handling)
        if self.meta.tlp:
            colour = tlp_colour(self.style, self.meta.tlp)
            text = f"<span{self.cls('tlp', f'color:{colour};')}>{label}</span>"
        else:
            text = label
        name = escape(self.meta.handling_label)
        yield (
            f'<p{self.cls("banner")} role="note" aria-label="{name}"{self.auto} '
            f'data-place="{where}">{text}</p>'
        )

    # --- blocks -------------------------------------------------------------------------------

    def block(self, block: d.Block) -> Iterator[str]:
        yield from self._block(block)
        self.previous = block

    def _block(self, block: d.Block) -> Iterator[str]:
        match block:
            case d.Heading():
                level = block.level + 1  # the title is the page's one h1
                text = self.inline(block.numbered_text)
                yield f'<h{level} id="{escape(block.anchor)}"{self.cls(f"h{level}")}{self.auto}>'
                yield f"{text}</h{level}>"
            case d.Paragraph():
                yield self.paragraph(block)
            case d.TagLine():
                chips = "".join(self.chip(tag) for tag in block.tags)
                # in the e-mail, a group's chips go on with its heading and its text
                opening = self.email and isinstance(self.previous, d.Heading)
                yield f"<p{self.cls('tags', 'break-after:avoid;' if opening else '')}>{chips}</p>"
            case d.BulletList():
                yield f"<ul{self.cls('list')}>"
                for item in block.items:
                    yield f"<li{self.cls(block.role)}{self.auto}>{self.inline(item)}</li>"
                yield "</ul>"
            case d.NumberedList():
                yield from self.numbered(block)
            case d.Table():
                yield from self.table(block)
            case d.Callout():
                yield from self.callout(block)
            case d.TitleBlock():
                yield from self.title_block(block)
            case d.Group():
                yield f"<section{self.cls('group')}>"
                for inner in block.blocks:
                    yield from self.block(inner)
                yield "</section>"
            case _:
                assert_never(block)

    def paragraph(self, block: d.Paragraph, marker: str = "") -> str:
        """The paragraph; *marker* (a list number written as text) starts its first line."""
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        label = marker
        if block.label:
            label += f"<span{self.cls('run-in')}>{escape(block.label)}</span> "
        direction = ' dir="auto"' if block.role == "quote" else self.auto  # a quote's own
        kept = ""
        if self.email and block.role == "caption":  # a key goes on with its heading
            kept = "break-after:avoid;" if isinstance(self.previous, d.Heading) else ""
        text = self.inline(block.text)
        return f"<p{anchor}{self.cls(block.role, kept)}{direction}>{label}{text}</p>"

    def chip(self, tag: d.Tag) -> str:
        background, foreground, border = chip_colours(self.style, tag)
        colours = f"background:{background};color:{foreground};"
        colours += f"border-color:{border};" if border else f"border-color:{background};"
        return f"<span{self.cls('chip', colours)}>{escape(tag.text)}</span> "

    def numbered(self, block: d.NumberedList) -> Iterator[str]:
        bracketed = bool(block.prefix)
        # mail clients draw no custom markers: the numbers are text, the list draws none
        yield f"<ol{self.cls('sources' if bracketed or self.email else 'numbered')}>"
        for number, item in enumerate(block.items, 1):
            anchor = f' id="{escape(item.anchor)}"' if item.anchor else ""
            marker = ""
            if self.email or bracketed:
                label = f"{block.prefix}{self.meta.number(number)}{block.suffix}"
                marker = f"<span{self.cls('marker')}>{label}</span> "
            yield f"<li{anchor}{self.cls('item')}{self.auto}>"
            blocks = item.blocks
            if marker and blocks and isinstance(blocks[0], d.Paragraph):
                yield self.paragraph(blocks[0], marker)  # the number on the item's first line
                blocks = blocks[1:]
            elif marker:
                yield marker
            for inner in blocks:
                yield from self.block(inner)
            yield "</li>"
        yield "</ol>"

    def table(self, block: d.Table) -> Iterator[str]:
        yield f"<table{self.cls('table')}>"
        if block.caption:
            yield f"<caption>{escape(block.caption)}</caption>"
        widths = "".join(
            f'<col style="width:{column.width * 100:.1f}%">' for column in block.columns
        )
        yield f"<colgroup>{widths}</colgroup>"
        headers = "".join(
            f'<th scope="col"{self.cls("th")}>{escape(column.header)}</th>'
            for column in block.columns
        )
        yield f"<thead><tr>{headers}</tr></thead>"
        yield "<tbody>"
        for index, row in enumerate(block.rows):
            stripe = "td-stripe" if index % 2 else "td"
            cells = []
            for column, cell in enumerate(row):
                colour = cell_shade(self.style, cell)
                shade = f"background:{colour};" if colour else ""
                content = "".join(line for inner in cell.blocks for line in self.block(inner))
                tag = "th" if column == 0 else "td"
                scope = ' scope="row"' if column == 0 else ""
                label = f' data-label="{escape(block.columns[column].header)}"'
                cells.append(
                    f"<{tag}{scope}{label}{self.cls(stripe, shade)}{self.auto}>{content}</{tag}>"
                )
            yield f"<tr{self.row_breaks(index, len(block.rows))}>{''.join(cells)}</tr>"
        yield "</tbody></table>"

    def row_breaks(self, index: int, count: int) -> str:
        """The e-mail's print rules of a table's row (the page's are in its style sheet): kept
        whole, and at least two rows on each page."""
        if not self.email:
            return ""
        rule = "break-inside:avoid;"
        rule += "break-after:avoid;" if index == 0 else ""
        rule += "break-before:avoid;" if index == count - 1 else ""
        return f' style="{rule}"'

    def callout(self, block: d.Callout) -> Iterator[str]:
        top = "margin-top:0;" if self.email else ""  # the page's own rule: :first-child
        heading = f'<h2 id="{escape(block.anchor)}"{self.cls("h2", top)}{self.auto}>'
        heading += f"{escape(block.title)}</h2>"
        if self.email:
            shade = self.style.color("shade")
            yield f'<table role="presentation" width="100%"{self.cls("callout-table")}>'
            yield f'<tr><td bgcolor="{shade}"{self.cls("callout")}>{heading}'
        else:
            yield f'<section{self.cls("callout")} aria-labelledby="{escape(block.anchor)}">'
            yield heading
        for inner in block.blocks:
            yield from self.block(inner)
        yield "</td></tr></table>" if self.email else "</section>"

    def title_block(self, block: d.TitleBlock) -> Iterator[str]:
        yield f"<header{self.cls('title-block')}>"
        yield f"<h1{self.cls('title')}{self.auto}>{self.scripted(block.title)}</h1>"
        if block.subtitle:
            yield f"<p{self.cls('subtitle')}{self.auto}>{self.scripted(block.subtitle)}</p>"
        if block.fields and self.email:
            yield from self.email_fields(block.fields)
        elif block.fields:
            yield f"<dl{self.cls('meta')}>"
            for label, value in block.fields:
                yield (
                    f"<div{self.cls('meta-field')}><dt{self.cls('meta-label')}>{escape(label)}"
                    f"</dt><dd{self.cls('meta-value')}{self.auto}>{self.scripted(value)}</dd></div>"
                )
            yield "</dl>"
        yield "</header>"

    def email_fields(self, fields: tuple[tuple[str, str], ...]) -> Iterator[str]:
        """The title block's fields as rows of a layout table (mail clients drop flex)."""
        per_row = TITLE_FIELDS_PER_ROW
        share = f"{100 / per_row:.0f}%"
        yield f'<table role="presentation" width="100%"{self.cls("meta-table")}>'
        for start in range(0, len(fields), per_row):
            yield "<tr>"
            for label, value in fields[start : start + per_row]:
                yield (
                    f'<td width="{share}"{self.cls("meta-cell")}><dl style="margin:0;">'
                    f"<dt{self.cls('meta-label')}>{escape(label)}</dt>"
                    f"<dd{self.cls('meta-value')}{self.auto}>{self.scripted(value)}</dd></dl></td>"
                )
            yield "</tr>"
        yield "</table>"

    # --- inline ---------------------------------------------------------------------------

    def scripted(self, text: str) -> str:
        """*text* escaped, with a ``lang`` on runs in another script, so a screen reader
        switches voice (Arabic, Persian, Hebrew, Hindi, Thai, Chinese…); a short gloss in
        another script ("(البحر الأحمر)") is kept on one line, as in the PDF."""
        out, done = [], 0
        for start, end in short_glosses(text):
            if _ems(text[start:end]) > GLOSS_EMS:
                continue  # a long one may break, rather than overflow a narrow column
            out.append(self._scripted(text[done:start]))
            out.append(f"<span{self.cls('gloss')}>{self._scripted(text[start:end])}</span>")
            done = end
        out.append(self._scripted(text[done:]))
        return "".join(out)

    def _scripted(self, text: str) -> str:
        out = []
        for piece in self.scripts.pieces(text):
            # right-to-left words in a left-to-right page are isolated (the neutrals around
            # them left outside), so that a citation or comma after them keeps its side: UAX #9
            # would draw "[1]" to their left
            lead, core, trail = "", piece.text, ""
            tag = "span"
            if piece.rtl and not self.meta.rtl:
                lead, core, trail = _strong_core(piece.text)
                tag = "bdi"
            body = _lines(core)
            # a script with no italic stays upright inside <em> or an italic style (quotes)
            upright = self.cls("upright") if piece.upright else ""
            if piece.language:
                body = f'<{tag} lang="{piece.language[1]}"{upright}>{body}</{tag}>'
            elif upright or tag == "bdi":
                body = f"<{tag}{upright}>{body}</{tag}>"
            out.append(_lines(lead) + body + _lines(trail))
        return "".join(out)

    def inline(self, spans: d.Inline) -> str:
        out = []
        cite: int | None = None
        for span in spans:
            if span.cite != cite:  # a citation is isolated: it keeps its side of an RTL word
                out.append("</bdi>" if cite is not None else "")
                out.append("<bdi>" if span.cite is not None else "")
                cite = span.cite
            text = self.scripted(span.text)
            if span.code:
                text = f"<code{self.cls('code')}>{text}</code>"
            if span.italic:
                text = f"<em>{text}</em>"
            if span.bold:
                text = f"<strong>{text}</strong>"
            if span.href:
                text = f'<a href="{escape(span.href)}"{self.cls("link")}>{text}</a>'
            out.append(text)
        if cite is not None:
            out.append("</bdi>")
        return "".join(out)


def _ems(text: str) -> float:
    """About how wide *text* is set, in ems: a wide (CJK) character one, any other half, a
    combining mark nothing."""
    wide = ("W", "F")
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in wide else 0.5
        for ch in text
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
    )


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _strong_core(text: str) -> tuple[str, str, str]:
    """*text* cut into what precedes its first strongly directional character, the span from
    there to its last one, and what follows."""
    strong = [i for i, ch in enumerate(text) if unicodedata.bidirectional(ch) in ("L", "R", "AL")]
    if not strong:
        return "", text, ""
    return text[: strong[0]], text[strong[0] : strong[-1] + 1], text[strong[-1] + 1 :]


def _font_faces(document: d.Document, style: Style) -> str:
    """@font-face rules embedding every face the page uses, subset to its characters, so that a
    reader without the fonts (or the scripts) sees the same text. E-mail gets none: mail
    clients ignore web fonts."""
    import base64

    from briefkit import fonts

    text = "".join(span.text for span in document.spans())
    used: dict[str, set[str]] = {}
    for role in FontRole:
        chain = style.fonts.chain(role)
        coverages = [fonts.codepoints(family) for family in chain]
        for run, index in fonts.split_runs(text, coverages):
            used.setdefault(chain[index], set()).update(run)
    rules = []
    for family, characters in used.items():
        chars = "".join(sorted(characters))
        fam = fonts.family(family)
        for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
            if italic and fam.italic is None:
                continue
            face = fonts.face_path(family, bold=bold, italic=italic, characters=chars)
            data = base64.b64encode(fonts.subset_face(face, chars).read_bytes()).decode("ascii")
            rules.append(
                f"@font-face {{font-family:{_css_family(family)};"
                f"font-weight:{700 if bold else 400};font-style:{'italic' if italic else 'normal'};"
                f'src:url(data:font/ttf;base64,{data}) format("truetype");}}'
            )
    return "\n".join(rules) + "\n"


_DECLARATION = re.compile(r"([^;{}]+:[^;{}]+);")


def _css_family(family: str) -> str:
    """The CSS family name of a family (a repository font file: its file name), as a CSS string.

    Names come from style sheets and file names, which may come from elsewhere: every character
    that could end the string, the rule or the <style> element is written as a CSS escape."""
    from briefkit import fonts

    if fonts.is_font_file(family):
        family = family.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f'"{_css_string(family)}"'


def _css_string(text: str) -> str:
    """*text* safe inside a double-quoted CSS string in a ``<style>`` element: characters that
    could end the string, the rule or the element are written as CSS escapes."""
    unsafe = set("\"\\<>&'") | {chr(c) for c in range(0x20)} | {"\x7f"}
    return "".join(f"\\{ord(ch):X} " if ch in unsafe else ch for ch in text)


# a double-quoted CSS string (kept as it is), or a length in points
_LENGTH_OR_STRING = re.compile(r'("(?:[^"\\]|\\.)*")|(?<![\w.])(\d+(?:\.\d+)?)pt\b')


class _Rules:
    """The style sheet as CSS rules, by class name (see _Page.cls).

    Sides are physical (left, right), chosen by the page's direction: mail clients and older
    validators do not know CSS logical properties.
    """

    def __init__(self, style: Style, direction: str, *, email: bool = False) -> None:
        self.style = style
        self.email = email
        self.start = "right" if direction == "rtl" else "left"
        self.end = "left" if direction == "rtl" else "right"
        self._rules = self._make()  # in points: what the PDF sets, and the printed page
        # On a screen every length grows by one factor, so that body text is at least
        # SCREEN_BODY_MIN_PX and the page keeps the PDF's proportions.
        body_px = style.paragraph("body").size * PX_PER_PT
        self.scale = max(1.0, SCREEN_BODY_MIN_PX / body_px)
        self._screen = {name: self.screen(rule) for name, rule in self._rules.items()}
        self._kept_with_next_classes = {name.lstrip(".") for name in self._kept_with_next()}

    def css(self, name: str) -> str:
        """The screen rule of *name* (what an e-mail, read on a screen, inlines)."""
        return self._screen.get(name, "")

    def kept(self, name: str) -> str:
        """The print rule an e-mail inlines on each element of class *name* (the page's
        style sheet says more, by context: see _breaks): headings and labels kept with what
        follows, chips with what they rate, list items whole."""
        if name in self._kept_with_next_classes:
            return "break-after:avoid;"
        whole = {"tags": "break-before:avoid;", "caption": "break-before:avoid;"}
        return whole.get(name, "break-inside:avoid;" if name == "item" else "")

    def screen(self, rule: str) -> str:
        """*rule* with its point lengths in screen pixels, scaled (CSS strings left alone)."""

        def convert(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(1)
            return f"{float(match.group(2)) * PX_PER_PT * self.scale:.4g}px"

        return _LENGTH_OR_STRING.sub(convert, rule)

    def family(self, role: FontRole) -> str:
        """The role's font stack: its family, the style's fallbacks, each followed by the
        systems' families for its script (the e-mail embeds no fonts), then a generic."""
        fonts = self.style.fonts
        own = fonts.family(role)
        generic = generic_family(own, mono=role is FontRole.MONO)
        names = [own, *LATIN_SYSTEM_FAMILIES[generic]]
        for fallback in fonts.fallbacks:
            names += [fallback, *system_fallbacks(fallback)]
        quoted = ", ".join(_css_family(n) for n in dict.fromkeys(names))
        return f"{quoted}, {generic}"

    def text(self, spec: ParagraphStyle) -> str:
        style = self.style
        rule = (
            f"font-family:{self.family(spec.font)};font-size:{spec.size:g}pt;"
            f"line-height:{spec.leading:g}pt;color:{style.color(spec.color)};"
            f"margin:{spec.space_before:g}pt 0 {spec.space_after:g}pt 0;"
        )
        if spec.bold:
            rule += "font-weight:bold;"
        if spec.italic:
            rule += "font-style:italic;"
        if spec.caps:
            rule += "text-transform:uppercase;letter-spacing:0.04em;"
        if spec.indent:
            rule += f"margin-{self.start}:{spec.indent:g}pt;"
        if spec.background:
            rule += f"background:{style.color(spec.background)};"
        # An e-mail is set ragged: it is read in a column of any width, often a phone's, and
        # mail clients drop the narrow-screen rule that sets a page's justified text ragged.
        align = Align.LEFT if self.email and spec.align is Align.JUSTIFY else spec.align
        if align is not Align.LEFT:
            rule += f"text-align:{'justify' if align is Align.JUSTIFY else align.value};"
        if align is Align.JUSTIFY:  # justified text hyphenates (by the page's lang)
            rule += "hyphens:auto;"
        return rule

    def _make(self) -> dict[str, str]:
        style = self.style
        para = style.paragraph
        colour = style.color
        top, right, bottom, left = CALLOUT_PADDING
        pad = CELL_PADDING / 2
        rules = {role: self.text(para(role)) for role in ("body", "bullet", "quote", "caption")}
        rules |= {
            "page": f"margin:0 auto;max-width:46em;padding:0 1.5em;background:#FFFFFF;"
            f"font-family:{self.family(FontRole.BODY)};color:{colour('text')};",
            # the e-mail's <body>: the wrapper table sets the width (see _Page.email_wrapper)
            "email-page": f"margin:0;padding:0;background:#FFFFFF;"
            f"font-family:{self.family(FontRole.BODY)};color:{colour('text')};",
            "meta-table": "border-collapse:collapse;width:100%;margin:6pt 0 0 0;",
            "meta-cell": "vertical-align:top;padding:0 0 4pt 0;",
            "title": self.text(para("title")),
            "subtitle": self.text(para("subtitle")),
            "h2": self.text(para("heading1"))
            + f"border-bottom:0.6pt solid {colour('rule')};padding-bottom:2pt;",
            "h3": self.text(para("heading2")),
            "h4": self.text(para("heading3")),
            "label": self.text(para("label")),
            "run-in": self.text(para("label")) + "margin:0;",
            "table_cell": self.text(para("table_cell")) + "margin:0;",
            "table_header": self.text(para("table_header")),
            "meta": "display:flex;flex-wrap:wrap;margin:6pt 0 0 0;",
            "meta-field": f"flex:0 0 30%;margin-{self.end}:3%;margin-bottom:4pt;",
            "meta-label": self.text(para("meta")) + "font-weight:bold;margin:0;",
            "meta-value": self.text(para("meta")) + "margin:0;",
            "title-block": f"border-bottom:1.2pt solid {colour('accent')};padding-bottom:6pt;"
            "margin-bottom:6pt;",
            "banner": self.text(para("banner")) + "text-align:center;margin:8pt 0;",
            "tlp": "background:#000000;padding:1pt 6pt;",
            "footer": self.text(para("footer"))
            + f"border-top:0.4pt solid {colour('rule')};margin-top:18pt;",
            "footer-line": "margin:4pt 0;",
            "tags": "margin:2pt 0 4pt 0;",
            "chip": self.text(para("tag")) + "display:inline-block;margin:0 2pt 0 0;"
            "padding:1pt 5pt;border:0.5pt solid;",
            "callout": f"background:{colour('shade')};border-{self.start}:{CALLOUT_BAR:g}pt solid "
            f"{colour('accent')};padding:{top:g}pt {right:g}pt {bottom:g}pt {left:g}pt;"
            f"margin:6pt 0 {GAP_AFTER_CALLOUT:g}pt 0;",
            "callout-table": "border-collapse:collapse;width:100%;margin:6pt 0;",
            "table": f"border-collapse:collapse;width:100%;margin:4pt 0 {GAP_AFTER_TABLE:g}pt 0;",
            "th": self.text(para("table_header"))
            + f"background:{colour('table_header')};text-align:{self.start};padding:4pt {pad:g}pt;"
            "vertical-align:top;margin:0;",
            # a row-header cell (th) as the PDF sets it: the text's own weight, start-aligned
            "td": f"padding:4pt {pad:g}pt;vertical-align:top;font-weight:normal;"
            f"text-align:{self.start};"
            f"border-bottom:0.4pt solid {colour('rule')};",
            "td-stripe": f"padding:4pt {pad:g}pt;vertical-align:top;font-weight:normal;"
            f"text-align:{self.start};border-bottom:0.4pt solid "
            f"{colour('rule')};background:{colour('table_stripe')};",
            "numbered": f"padding-{self.start}:{NUMBER_WIDTH:g}pt;margin:4pt 0;",
            "sources": f"list-style:none;padding-{self.start}:0;margin:4pt 0;",
            "item": "margin:0 0 4pt 0;",
            "marker": f"font-weight:bold;color:{colour('accent')};",
            "list": f"padding-{self.start}:18pt;margin:2pt 0 4pt 0;",
            "group": "margin:0;",
            "upright": "font-style:normal;",
            "gloss": "white-space:nowrap;",
            "code": f"font-family:{self.family(FontRole.MONO)};font-size:0.92em;",
            "link": f"color:{colour('accent')};",
            # the draft mark as a line of the page: what an e-mail shows (mail clients drop
            # the fixed watermark); on the web page it is the watermark's text for screen readers
            "draft-note": f"{self.text(style.paragraph('banner'))}text-align:center;"
            f"color:{colour('muted')};letter-spacing:0.3em;",
        }
        return rules

    def _print_chip(self, meta: d.Metadata, colour: str) -> str:
        """The banner of a printed page as the PDF draws it: a TLP label on a black chip the
        size of its text. A margin box's background fills the whole margin, so the chip is a
        background image sized to the label, measured with the style's own font."""
        from briefkit.render.docx.metrics import Metrics

        spec = self.style.paragraph("banner")
        rule = f"{self.text(spec)}margin:0;color:{colour};"
        if meta.tlp and meta.handling:
            label = meta.handling.upper() if spec.caps else meta.handling
            width = Metrics(self.style).width(label, spec) + 2 * BANNER_PADDING
            height = spec.size + BANNER_EXTRA_HEIGHT
            rule += f"background:linear-gradient(#000,#000) center / {width:.1f}pt {height:g}pt "
            rule += "no-repeat;"
        return rule

    def _narrow(self) -> list[str]:
        """On a narrow screen a table's rows become cards: each cell on its own line under
        its column's name (the cell's data-label); the header row stays for screen readers."""
        label = self.screen(self.text(self.style.paragraph("table_header")))
        hidden = "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);"
        return [
            f"@media screen and (max-width:{NARROW_SCREEN_PX - 0.02:g}px) {{",
            "  .table, .table caption, .table tbody, .table tr, .table th, .table td "
            "{display:block;width:auto;}",
            "  .table colgroup {display:none;}",
            f"  .table tbody th, .table tbody td {{padding:{self.screen('2pt 5pt')};"
            "border-bottom:0;}",
            f"  .table thead tr {{{hidden}}}",
            f"  .table tbody tr {{border:1px solid {self.style.color('rule')};"
            f"margin:0 0 {self.screen('6pt')} 0;}}",
            f"  .table tbody [data-label]::before {{content:attr(data-label);display:block;"
            f"{label}margin:0;color:{self.style.color('muted')};background:none;padding:0;}}",
            "}",
        ]

    def _phone(self) -> list[str]:
        """A phone's page (beyond its tables): the title block's fields two to a row, not three
        narrow columns, and justified text set ragged, as a column of a few words justified
        opens wide gaps (a browser may have no hyphenation for the language)."""
        justified = [f".{name}" for name, rule in self._rules.items() if "justify" in rule]
        ragged = f"{', '.join(justified)} {{text-align:{self.start};}}" if justified else ""
        return [
            f"@media screen and (max-width:{NARROW_SCREEN_PX - 0.02:g}px) {{",
            f"  .meta-field {{flex-basis:47%;}} {ragged}".rstrip(),
            "}",
        ]

    def email_stylesheet(self) -> str:
        """The e-mail's one style block: the narrow-screen cards, each declaration
        !important because it must win over the inline styles it overrides."""
        rules = "\n".join(self._narrow())
        return _DECLARATION.sub(r"\1 !important;", rules) + "\n"

    def _kept_with_next(self) -> list[str]:
        """What a page must not end with: each heading and label whose style says
        keep_with_next (the paragraph roles of h2, h3, h4; a label's own class)."""
        kept = [tag for tag, role in _HEADING_TAGS if self.style.paragraph(role).keep_with_next]
        return kept + [
            f".{role}" for role in _KEPT_ROLES if self.style.paragraph(role).keep_with_next
        ]

    def _breaks(self) -> list[str]:
        """Where a printed page may not break, as the PDF lays it out: never after a heading or a
        label, nor between a heading and its key (the legend under it) and what follows; a
        legend stays with the end of the box or table it explains, the chips with the text
        they rate; a group flows (it may be longer than a page) but its opening and last line
        stay with its text; a list item and a table row are kept whole, and a table leaves at
        least two rows on each page."""
        kept = self._kept_with_next()
        return [
            *([f"{', '.join(kept)} {{break-after:avoid;}}"] if kept else []),
            "h2 + .caption, .group > .tags {break-after:avoid;}",
            ".caption, .tags {break-before:avoid;}",
            "tr, .numbered > li, .sources > li {break-inside:avoid;}",
            "tbody > tr:first-child {break-after:avoid;} "
            "tbody > tr:last-child {break-before:avoid;}",
        ]

    def stylesheet(self, meta: d.Metadata) -> str:
        lines = [f".{name} {{{rule}}}" for name, rule in self._screen.items() if rule]
        printed = [f"  .{name} {{{rule}}}" for name, rule in self._rules.items() if rule]
        page = self.style.page
        width, height = page.width_height
        margins = page.margins
        handling = _css_string(meta.handling or "")
        tlp = tlp_colour(self.style, meta.tlp) if meta.tlp else self.style.color("text")
        chip = self._print_chip(meta, tlp)
        footer = self.text(self.style.paragraph("footer")) + "margin:0;"
        mark = self.style.paragraph("watermark")
        lines += [
            ".sources > li, .numbered > li {margin:0 0 4pt 0;}",
            "table p {margin:0 0 2pt 0;}",
            "a {color:inherit;}",
            ".callout > :first-child {margin-top:0;}",
            *self._breaks(),
            # the one watermark rule (render/common/watermark.py): over the content, translucent,
            # centred and turned as in the PDF and the Word document
            f'.draft::before {{content:"{_css_string(meta.draft_mark)}";position:fixed;top:50%;'
            f"left:0;right:0;text-align:center;{self.text(mark)}margin:0;"
            f"transform:translateY(-50%) rotate(-{watermark.ANGLE:g}deg);"
            f"opacity:{watermark.OPACITY:g};pointer-events:none;z-index:1000;}}",
            ".page .draft-note {position:absolute;width:1px;height:1px;overflow:hidden;"
            "clip-path:inset(50%);white-space:nowrap;}",
            *self._narrow(),
            *self._phone(),
            "@media print {",
            *printed,
            f"  @page {{size:{width:g}pt {height:g}pt;margin:{margins.top:g}pt "
            f"{margins.right:g}pt {margins.bottom:g}pt {margins.left:g}pt;",
            f'    @top-center {{content:"{handling}";{chip}}}',
            f'    @bottom-center {{content:"{handling}";{chip}}}',
            f'    @bottom-{self.start} {{content:"{_css_string(meta.footer)}";{footer}}}',
            f"    @bottom-{self.end} {{content:{_page_counter(meta)};{footer}}}}}",
            "  body.page {max-width:none;padding:0;}",
            # the page's margins print the banner and the footer line on every page
            "  .banner, .footer {display:none;}",
            "  a {text-decoration:none;}",
            "}",
        ]
        if meta.digits[0] != "0":  # list numbers in the reader's digits
            counter = _COUNTER_STYLES.get(meta.digits[0], "decimal")
            lines.append(f".numbered {{list-style-type:{counter};}}")
        if not handling:
            lines = [line for line in lines if "-center {content" not in line]
        return "\n".join(lines) + "\n"
