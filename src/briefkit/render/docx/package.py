"""The package around the document: properties, settings, theme and font parts, and a zip
that is the same for the same brief.

Dates come from the moment the renderer is given, never the clock, and the zip is rewritten
with fixed entry times in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit.layout import document as d
from briefkit.render.common.kept import memo
from briefkit.render.common.language import with_region
from briefkit.render.docx.fonts import write_font_table
from briefkit.render.docx.ooxml import el
from briefkit.render.docx.styles import word_languages
from briefkit.style.sheet import Style

if TYPE_CHECKING:
    from docx.opc.phys_pkg import PhysPkgWriter

ZIP_EPOCH_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

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


class Package:
    """Finishes the parts around the document body, once the body is written."""

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
        embedded = write_font_table(self.word, self.style, self.text, uses_code=self.uses_code)
        if embedded:
            _put_setting(self.word.settings.element, el("embedTrueTypeFonts"))

    def _drop_parts(self) -> None:
        for part in (self.word.part.package, self.word.part):
            for r_id, rel in list(part.rels.items()):
                if rel.reltype in _DROPPED_RELATIONSHIPS:
                    del part.rels[r_id]

    def _core_properties(self) -> None:
        props = self.word.core_properties
        authors = ", ".join(self.meta.authors)
        props.title = d.property_text(self.meta.title)
        props.subject = d.property_text(self.meta.subject)
        props.author = d.property_text(authors)
        props.keywords = d.property_text(", ".join(self.meta.keywords))
        props.category = d.property_text(self.meta.category)
        props.comments = ""
        props.content_status = self.meta.status
        props.identifier = self.meta.id
        props.language = with_region(self.meta.language)
        props.version = self.meta.version
        props.last_modified_by = d.property_text(authors)
        props.revision = 1
        props.created = self.moment
        props.modified = self.moment

    def _app_properties(self) -> None:
        part = self.word.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
        part._blob = _APP_XML.encode()

    def _custom_properties(self) -> None:
        """Where the document comes from (File › Properties › Custom): the brief's source
        revision, as the PDF's BriefRevision entry; its path in the repository and the SHA-256
        of the source it was built from, which ``briefkit absorb`` reads back."""
        values = {
            "BriefId": self.meta.id if self.meta.source_path else None,
            "BriefRevision": self.meta.revision,
            "BriefPath": self.meta.source_path,
            "BriefSourceHash": self.meta.source_hash,
            "BriefEdition": self.meta.edition,
        }
        if not any(values.values()):
            return
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        root = etree.fromstring(_CUSTOM_XML)
        pid = 2  # the first one a document may use
        for name, value in values.items():
            if not value:
                continue
            prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
            prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
            prop.set("pid", str(pid))
            prop.set("name", name)
            etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
            pid += 1
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
        for zoom in settings.iter(qn("w:zoom")):
            zoom.set(qn("w:percent"), "100")  # the schema requires it; the template has none
        if self.style.justifies:  # justified text hyphenates, or it gapes
            hyphenate = el("autoHyphenation")
            tab_stop = settings.find(qn("w:defaultTabStop"))
            if tab_stop is not None:
                tab_stop.addnext(hyphenate)
            else:
                _put_setting(settings, hyphenate)
        for lang in settings.iter(qn("w:themeFontLang")):
            languages = word_languages(self.meta.language)
            lang.set(qn("w:val"), languages["val"])
            lang.set(qn("w:eastAsia"), languages["eastAsia"])

    def _theme_fonts(self) -> None:
        """Point the theme's fonts at the style's families too, for styles briefkit leaves."""
        part = self.word.part.part_related_by(RT.THEME)
        root = etree.fromstring(part.blob)
        drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        families = {"majorFont": self.style.fonts.heading, "minorFont": self.style.fonts.body}
        for kind, family in families.items():
            for font in root.iter(f"{drawing}{kind}"):
                font.find(f"{drawing}latin").set("typeface", family)
                font.find(f"{drawing}ea").set("typeface", self.style.fonts.east_asian or family)
                for script in font.findall(f"{drawing}font"):
                    font.remove(script)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _put_setting(settings: BaseOxmlElement, element: BaseOxmlElement) -> None:
    """Add a setting that belongs right after w:zoom (e.g. w:embedTrueTypeFonts)."""
    for existing in settings.findall(element.tag):
        settings.remove(existing)
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        settings.insert(0, element)
    else:
        zoom.addnext(element)


# --- reproducible zip -----------------------------------------------------------------------


def _zip_order(names: list[str]) -> Iterator[str]:
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    yield from first
    yield from sorted(n for n in names if n not in first)


def package_zip(word: Any, moment: dt.datetime) -> bytes:
    """The package of *word*, every entry stamped *moment* (at least 1980) in a fixed order.

    The parts python-docx would save are zipped once, straight into that order (not saved,
    read back and zipped again)."""
    from docx.opc.pkgwriter import PackageWriter

    package = word.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = _Entries()
    writer = cast("PhysPkgWriter", entries)  # PackageWriter calls only its write()
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    return _zip(entries.blobs, moment)


class _Entries:
    """Collects what python-docx's PackageWriter writes: each member's name and bytes."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.blobs[pack_uri.membername] = blob


def _zip(blobs: dict[str, bytes], moment: dt.datetime) -> bytes:
    stamp = max(moment.astimezone(dt.UTC), ZIP_EPOCH_MIN)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    date_time = (min(stamp.year, 2107), *date_time[1:])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in _zip_order(list(blobs)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            data = blobs[name]
            if len(data) < _CACHED_FROM:
                target.writestr(info, data, compresslevel=_LEVEL)
            else:
                _write_deflated(target, info, data)
    return out.getvalue()


# Entries this large (font faces) are compressed once per process: a batch embeds the same
# faces in every document. The cache is keyed by the entry's own bytes.
_CACHED_FROM = 16 * 1024
_LEVEL = 6


@memo(256, key=lambda data: hashlib.sha256(data).digest())
def _deflated(data: bytes) -> bytes:
    """*data* deflated as zipfile does at level 6 (raw, no header)."""
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _write_deflated(target: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """``target.writestr(info, data, compresslevel=6)``, with the compressed bytes from the
    cache when these bytes were compressed before (zipfile writes the same headers)."""
    compressed = _deflated(data)
    info.file_size = len(data)
    info._compresslevel = _LEVEL  # type: ignore[attr-defined]  # as writestr sets it
    with target.open(info, mode="w") as entry:
        if not hasattr(entry, "_compressor"):  # another zipfile: compress as usual
            entry.write(data)
            return
        entry._compressor = _Precompressed(compressed)
        entry.write(data)  # the CRC and size of the data, the bytes from the cache


class _Precompressed:
    """Stands in for zlib's compressor of a zip entry whose compressed bytes are known."""

    def __init__(self, compressed: bytes) -> None:
        self.compressed = compressed

    def compress(self, data: bytes) -> bytes:
        compressed, self.compressed = self.compressed, b""
        return compressed

    def flush(self) -> bytes:
        return b""
