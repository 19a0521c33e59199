"""The PDF reportlab wrote, finished as an archival PDF/A-2 file that also declares PDF/UA-1.

One pass with pikepdf over the written file: the structure tree (see
:mod:`briefkit.render.pdf.tags_tree`), XMP metadata mirroring the document information
dictionary (PDF/A requires the two to agree, so the XMP is derived from it), an sRGB output
intent, annotations that print, pages that tab in structure order, no empty transition
dictionaries. The file is saved deterministically: the same input gives the same bytes.
"""

from __future__ import annotations

import importlib.resources
import io
import re
import zlib
from xml.sax.saxutils import escape, quoteattr

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from briefkit.render.common.kept import memo
from briefkit.render.pdf.tags import Tags
from briefkit.render.pdf.tags_tree import add_structure

PDFA_PART = 2
# Level A (accessible): level U's Unicode text, and the structure tree, the languages and
# the word breaks of a tagged PDF (ISO 19005-2 6.8), which veraPDF's PDF/A-2a profile checks
PDFA_CONFORMANCE = "A"
PDFUA_PART = 1

# the sRGB profile of icc-profiles-free (zlib licence), as pikepdf ships it for output intents
_SRGB = ("pikepdf", "pdfa/data/sRGB.icc")
_SRGB_NAME = "sRGB IEC61966-2.1"

_ANNOTATION_PRINT = 4  # annotation flag bit 3: print the annotation (PDF/A 6.3.2)

# characters XML 1.0 cannot carry, even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([Zz])|([+-])(\d\d)'(\d\d)'?)?")


def finish_pdf(
    raw: bytes,
    *,
    language: str,
    source: tuple[str, bytes] | None = None,
    tags: Tags | None = None,
) -> bytes:
    """*raw* (reportlab's PDF) with its structure tree written from *tags* (see
    :mod:`briefkit.render.pdf.tags_tree`) and what PDF/A-2 needs added; *language* is the
    document's (BCP 47). With *source* (a file name and its bytes: the brief's YAML), the file
    carries it as an associated file, which PDF/A-2 does not allow: it is then PDF/A-3."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        if tags is not None:
            add_structure(pdf, tags)
        part = PDFA_PART
        if source is not None:
            _associate_source(pdf, *source)
            part = 3
        _write_metadata(pdf, language, part)
        _add_output_intent(pdf)
        for page in pdf.pages:
            _tidy_page(page.obj)
        out = io.BytesIO()
        # reportlab compressed its streams, and ours are compressed when made: qpdf would
        # decode and compress the ASCII85 page streams again, most of the pass's time
        pdf.save(out, deterministic_id=True, compress_streams=False)
    return out.getvalue()


def _tidy_page(page: Dictionary) -> None:
    trans = page.get(Name.Trans)
    if isinstance(trans, Dictionary) and not trans.keys():
        del page[Name.Trans]  # an empty transition dictionary (reportlab's), which PDF/A rejects
    annotations = page.get(Name.Annots)
    if not annotations:
        return
    for annotation in annotations:
        annotation[Name.F] = _ANNOTATION_PRINT
    page[Name.Tabs] = Name.S  # tab order follows the structure (PDF/UA 7.18.3)


def _add_output_intent(pdf: Pdf) -> None:
    profile = pdf.make_stream(b"")
    profile.write(_srgb_profile(), filter=Name.FlateDecode)
    profile[Name.N] = 3
    pdf.Root[Name.OutputIntents] = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String(_SRGB_NAME),
                Info=String(_SRGB_NAME),
                RegistryName=String("http://www.color.org"),
                DestOutputProfile=profile,
            )
        ]
    )


@memo(1)
def _srgb_profile() -> bytes:
    """The profile, compressed (once a process)."""
    package, path = _SRGB
    return zlib.compress(importlib.resources.files(package).joinpath(path).read_bytes(), 9)


# --- XMP ------------------------------------------------------------------------------------

_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}

# PDF/A accepts properties outside its predefined schemas only when the file describes them
_PDFUA_EXTENSION = f"""<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{_NAMESPACES["pdfuaid"]}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>The part of ISO 14289 followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>"""


def _associate_source(pdf: Pdf, filename: str, data: bytes) -> None:
    """*data* embedded as the document's source (PDF/A-3 6.8), dated as the document is."""
    when = str(pdf.docinfo.get(Name.ModDate, ""))
    spec = pikepdf.AttachedFileSpec(
        pdf,
        data,
        description="The brief this document was compiled from",
        filename=filename,
        mime_type="application/yaml",
        creation_date=when,
        mod_date=when,
        relationship=Name.Source,
    )
    spec.obj.EF.F.write(zlib.compress(data, 9), filter=Name.FlateDecode)  # kept as it is
    pdf.attachments[filename] = spec
    pdf.Root[Name.AF] = Array([spec.obj])


def _write_metadata(pdf: Pdf, language: str, part: int) -> None:
    stream = pdf.make_stream(xmp_packet(_info(pdf), language, part).encode("utf-8"))
    stream[Name.Type] = Name.Metadata
    stream[Name.Subtype] = Name.XML
    pdf.Root[Name.Metadata] = stream


def _info(pdf: Pdf) -> dict[str, str]:
    """The information dictionary's entries, without the empty ones (reportlab writes an
    empty Author for a brief without one), which say nothing and are removed."""
    info = pdf.docinfo
    for key in [key for key, value in info.items() if str(value) == ""]:
        del info[key]
    return {str(key)[1:]: str(value) for key, value in info.items()}


def xmp_packet(info: dict[str, str], language: str, part: int = PDFA_PART) -> str:
    """The XMP packet that says what the document information dictionary *info* says (its
    standard entries), with *language* and the PDF/A (*part*) and PDF/UA identification."""
    lang = quoteattr(language)
    properties = ["<dc:format>application/pdf</dc:format>"]
    if "Title" in info:
        title = _text(info["Title"])
        properties.append(
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li>'
            f"<rdf:li xml:lang={lang}>{title}</rdf:li></rdf:Alt></dc:title>"
        )
    if "Author" in info:  # PDF/A: exactly one entry, equal to the Author entry
        properties.append(f"<dc:creator><rdf:Seq><rdf:li>{_text(info['Author'])}</rdf:li>")
        properties[-1] += "</rdf:Seq></dc:creator>"
    if "Subject" in info:
        properties.append(
            '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{_text(info['Subject'])}</rdf:li></rdf:Alt></dc:description>"
        )
    properties.append(f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag>")
    properties[-1] += "</dc:language>"
    for entry, name in (("Keywords", "pdf:Keywords"), ("Producer", "pdf:Producer")):
        if entry in info:
            properties.append(f"<{name}>{_text(info[entry])}</{name}>")
    if "Creator" in info:
        properties.append(f"<xmp:CreatorTool>{_text(info['Creator'])}</xmp:CreatorTool>")
    dates = {"CreationDate": ("xmp:CreateDate",), "ModDate": ("xmp:ModifyDate", "xmp:MetadataDate")}
    for entry, names in dates.items():
        if entry in info:
            when = xmp_date(info[entry])
            properties += [f"<{name}>{when}</{name}>" for name in names]
    properties += [
        f"<pdfaid:part>{part}</pdfaid:part>",
        f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>",
        f"<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>",
        _PDFUA_EXTENSION,
    ]
    declarations = " ".join(f"xmlns:{key}={quoteattr(uri)}" for key, uri in _NAMESPACES.items())
    body = "\n".join(properties)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {declarations}>\n{body}\n</rdf:Description>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def xmp_date(value: str) -> str:
    """The PDF date *value* (``D:YYYYMMDDHHmmSS+HH'mm'``) as an XMP (ISO 8601) date."""
    match = _PDF_DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"not a complete PDF date: {value!r}")
    year, month, day, hour, minute, second, utc, sign, zone_hour, zone_minute = match.groups()
    zone = "Z" if utc else f"{sign}{zone_hour}:{zone_minute}" if sign else ""
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"
