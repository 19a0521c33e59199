"""The font table: the style's families, each with its faces embedded in the package.

Without embedded faces Word and LibreOffice substitute fonts on machines that lack the
families. Latin families are embedded whole, so that edits keep the house face; the CJK family
is subset to the document's characters (the whole font is 17 MB).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit.render.common.kept import memo
from briefkit.render.common.scripts import word_name
from briefkit.render.docx.ooxml import sub
from briefkit.style.sheet import FontRole, Style

CJK_PUNCTUATION = "“”‘’—–…·、。，：；！？（）《》「」【】"

_FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_FACES = (
    ("embedRegular", False, False),
    ("embedBold", True, False),
    ("embedItalic", False, True),
    ("embedBoldItalic", True, True),
)


def write_font_table(word: Any, style: Style, text: str, *, uses_code: bool) -> int:
    """List the families the document uses, each with its faces embedded and subset; return how
    many faces were embedded.

    *text* is all the document's text. Each face is subset to the characters the document sets
    in it and those an editor is likely to type: for the body and heading families, Latin-1 and
    common punctuation; for a fallback family (Arabic, Devanagari…), the whole of each Unicode
    block the document uses from it; for CJK, the document's characters and CJK punctuation.
    The mono family is embedded only when the document *uses_code*.
    """
    part = word.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for font in list(root):
        root.remove(font)
    embedder = _FontEmbedder(part)
    for family, characters in _families(style, text, uses_code=uses_code).items():
        east_asian = fonts_module().family(family).east_asian
        font = sub(root, "font", name=word_name(family))
        sub(font, "charset", val="86" if east_asian else "00")
        generic = "modern" if family == style.fonts.mono else "swiss"
        if "Serif" in family:
            generic = "roman"
        sub(font, "family", val=generic)
        sub(font, "pitch", val="fixed" if family == style.fonts.mono else "variable")
        embedder.embed(font, family, characters)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return embedder.count


def fonts_module() -> Any:
    from briefkit import fonts

    return fonts


def _families(style: Style, text: str, *, uses_code: bool) -> dict[str, str]:
    """Each family the document uses, with the characters its embedded faces keep."""
    fonts = fonts_module()
    used = set(text)
    out: dict[str, set[str]] = {}
    own = [style.fonts.body, style.fonts.heading] + ([style.fonts.mono] if uses_code else [])
    for family in own:
        out.setdefault(family, set()).update(_EDITING | used)
    chain = style.fonts.chain(FontRole.BODY)
    coverages = [fonts.codepoints(f) for f in chain]
    for run, index in fonts.split_runs(text, coverages):
        if index:
            out.setdefault(chain[index], set()).update(run)
    for family, characters in out.items():
        covered = fonts.codepoints(family)
        fam = fonts.family(family)
        if fam.east_asian:
            characters.update(CJK_PUNCTUATION)
        elif family not in own:
            blocks = {ord(c) >> 7 for c in characters if ord(c) > 0x7F}
            characters.update(chr(c) for c in covered if c >> 7 in blocks)
        out[family] = {c for c in characters if ord(c) in covered}
    return {family: "".join(sorted(chars)) for family, chars in out.items() if chars}


# What an editor may type in the body and heading families besides the document's own text:
# Latin, Greek and Cyrillic with their accents, and common punctuation and symbols. The same
# set in every document keeps the embedded faces of one family identical across documents
# (LibreOffice keeps the first embedded face of a name it meets in a session).
_EDITING = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x250)]  # Latin-1, Latin Extended-A and -B
    + [chr(c) for c in range(0x384, 0x3CF)]  # Greek
    + [chr(c) for c in range(0x400, 0x460)]  # Cyrillic (Russian, Ukrainian, Serbian…)
    + [chr(c) for c in range(0x2010, 0x2040)]
    + list("€₽₹£¥№™−→←↑↓✓")
)


class _FontEmbedder:
    """Embeds font faces as obfuscated TrueType parts (ECMA-376 §17.8.1), as Word does."""

    def __init__(self, font_table: Any) -> None:
        self.font_table = font_table
        self.count = 0

    def embed(self, font: BaseOxmlElement, family: str, characters: str) -> None:
        from briefkit import fonts

        upright_only = fonts.family(family).italic is None
        for tag, bold, italic in _FACES:
            if italic and upright_only:
                continue
            path = fonts.face_path(family, bold=bold, italic=italic, characters=characters)
            subset = fonts.subset_face(path, characters)
            stat = subset.stat()
            key, blob = _embedded(subset, stat.st_mtime_ns, stat.st_size, word_name(family))
            r_id = self.font_table.relate_to(self._part(blob), RT.FONT)
            element = sub(font, tag, r_id=r_id, fontKey=key)
            element.set(qn("w:subsetted"), "1")

    def _part(self, blob: bytes) -> Any:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        self.count += 1
        name = PackURI(f"/word/fonts/font{self.count}.odttf")
        return Part(name, _FONT_CONTENT_TYPE, blob, self.font_table.package)


@memo(64)
def _embedded(subset: Path, mtime_ns: int, size: int, family: str) -> tuple[str, bytes]:
    """The font key and obfuscated bytes of a face file as Word embeds it, once a process for
    each version of the file (its time and size are part of the key)."""
    data = _named_for_word(subset, family)
    key = _font_key(data)
    return key, _obfuscate(data, key)


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
    data = path.read_bytes()
    name = _family_name(data)
    if name is None:  # a name table _family_name is not sure of: ask fontTools
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            name = font["name"].getDebugName(1)
    if name == family:
        return data
    from briefkit import fonts

    target = path.with_name(f"{path.stem}-word.ttf")
    if fonts.intact(target):
        return target.read_bytes()
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        _rename(font, family)
        buffer = io.BytesIO()
        font.recalcTimestamp = False  # the same bytes on every machine
        font.save(buffer)
    data = buffer.getvalue()
    # The cache is an optimisation: if it cannot be written, the face is renamed again next time.
    with contextlib.suppress(fonts.FontError):
        fonts.store(target, data)
    return data


# How a name record's bytes are text, by (platform, encoding): Unicode and Windows Unicode
# are UTF-16; Macintosh Roman only for language 0 (English), see _family_name.
_NAME_ENCODINGS = {(0, 0): "utf_16_be", (0, 1): "utf_16_be", (0, 3): "utf_16_be",
                   (0, 4): "utf_16_be", (3, 1): "utf_16_be", (3, 10): "utf_16_be",
                   (1, 0): "mac_roman"}  # fmt: skip


def _family_name(data: bytes) -> str | None:
    """The family name (name ID 1) of the font *data*, read from its name table without
    fontTools (whose import costs more than a small document's rendering); None unless every
    record of it reads, in a known encoding, as the same text, which is then what fontTools'
    ``getDebugName(1)`` answers whichever record it prefers."""
    try:
        tables = struct.unpack_from(">H", data, 4)[0]
        for index in range(tables):
            tag, _, table, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
            if tag == b"name":
                break
        else:
            return None
        _, count, strings = struct.unpack_from(">HHH", data, table)
        names = set()
        for index in range(count):
            record = struct.unpack_from(">HHHHHH", data, table + 6 + 12 * index)
            platform, encoding, language, name_id, length, offset = record
            if name_id != 1:
                continue
            codec = _NAME_ENCODINGS.get((platform, encoding))
            if codec is None or (platform == 1 and language != 0):
                return None
            start = table + strings + offset
            try:
                names.add(data[start : start + length].decode(codec))
            except UnicodeDecodeError:
                return None
    except struct.error:
        return None
    return names.pop() if len(names) == 1 and "" not in names else None


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
