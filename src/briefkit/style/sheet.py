"""Style sheets: one YAML file drives both the PDF and the Word document.

A style sheet sets the page, the font families, the colours and the named paragraph styles.
``extends: NAME`` inherits another sheet and overrides parts of it. Sheets are looked up in the
brief repository's own ``styles/`` first, then among the built-in ones shipped with briefkit.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefkit.brief import patterns
from briefkit.brief.vocab import ImpactDirection, Likelihood, Tlp
from briefkit.checks.validation import validate
from briefkit.diagnostics import BriefError, Diagnostic, did_you_mean, display_path
from briefkit.reading.folded_keys import folded_keys
from briefkit.reading.source import SourceDocument, overlay, parse_yaml, read_text

DEFAULT_STYLE = "default"
POINTS_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
PAGE_SIZES = {  # width, height in points
    "A4": (595.2756, 841.8898),
    "A5": (419.5276, 595.2756),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
MIN_TEXT_WIDTH, MIN_TEXT_HEIGHT = 144.0, 216.0  # points: 2 × 3 inches inside the margins
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")
_HEX = r"^#[0-9A-Fa-f]{6}$"


def _points(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    points = None
    if isinstance(value, int | float):
        points = float(value)
    elif isinstance(value, str) and (match := _LENGTH.match(value)):
        points = float(match.group(1)) * POINTS_PER_UNIT[match.group(2) or "pt"]
    if points is not None and math.isfinite(points) and abs(points) < 1e9:
        return points
    if points is not None:
        raise PydanticCustomError(
            "length",
            "'{value}' is not a usable length (a finite number of points below 1,000,000,000)",
            {"value": value},
        )
    raise PydanticCustomError(
        "length",
        "'{value}' is not a length (a number with pt, mm, cm or in, e.g. '10.5pt' or '20mm')",
        {"value": value},
    )


Length = Annotated[float, BeforeValidator(_points), Field(ge=0)]
HexColor = Annotated[str, Field(pattern=_HEX)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Model):
    top: Length
    right: Length
    bottom: Length
    left: Length


def _any_case(*names: str) -> BeforeValidator:
    """Accept a style sheet's enumeration in any case (``letter``, ``LETTER``), as a brief's."""
    canonical = {name.lower(): name for name in names}
    return BeforeValidator(
        lambda v: canonical.get(v.strip().lower(), v) if isinstance(v, str) else v
    )


PAGE_SIZE_NAMES = ("A4", "A5", "Letter", "Legal")


class Page(Model):
    size: (
        Annotated[Literal["A4", "A5", "Letter", "Legal"], _any_case(*PAGE_SIZE_NAMES)]
        | tuple[Length, Length]
    )
    margins: Margins

    @property
    def width_height(self) -> tuple[float, float]:
        return PAGE_SIZES[self.size] if isinstance(self.size, str) else self.size

    @model_validator(mode="after")
    def _room_for_text(self) -> Page:
        width, height = self.width_height
        text_width = width - self.margins.left - self.margins.right
        text_height = height - self.margins.top - self.margins.bottom
        if text_width < MIN_TEXT_WIDTH or text_height < MIN_TEXT_HEIGHT:
            raise PydanticCustomError(
                "page_too_small",
                "the margins leave {room} pt for text; at least {needed} pt (2 × 3 in) is "
                "needed: use a larger page or smaller margins",
                {
                    "room": f"{text_width:.0f} × {text_height:.0f}",
                    "needed": f"{MIN_TEXT_WIDTH:.0f} × {MIN_TEXT_HEIGHT:.0f}",
                },
            )
        return self


class FontRole(StrEnum):
    BODY = "body"
    HEADING = "heading"
    MONO = "mono"


def _known_family(name: Any) -> Any:
    from briefkit.fonts import FAMILIES, is_font_file

    if not isinstance(name, str) or name in FAMILIES or is_font_file(name):
        return name  # font files are looked for in the repository when the sheet is loaded
    raise PydanticCustomError(
        "font_family",
        "font family '{name}' is not available (available: {available}, or a font file in "
        "the repository's fonts/ folder, e.g. 'fonts/NotoSansHebrew.ttf'){hint}",
        {
            "name": name,
            "available": ", ".join(FAMILIES),
            "hint": did_you_mean(name, list(FAMILIES)),
        },
    )


FamilyName = Annotated[
    str,
    BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v),
    BeforeValidator(_known_family),
]


class Fonts(Model):
    body: FamilyName
    heading: FamilyName
    mono: FamilyName
    # Families for the characters the role's own family lacks, tried in order: Arabic,
    # Devanagari, Thai, Chinese… Each may be a family or a font file under fonts/.
    fallback: tuple[FamilyName, ...] = ()
    cjk: FamilyName | None = None  # older sheets: a fallback tried after the others

    def family(self, role: FontRole) -> str:
        return getattr(self, role.value)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        extra = (self.cjk,) if self.cjk and self.cjk not in self.fallback else ()
        return (*self.fallback, *extra)

    @property
    def east_asian(self) -> str | None:
        """The fallback family Word sets Chinese, Japanese and Korean text in (w:eastAsia)."""
        from briefkit.fonts import family

        return next((f for f in self.fallbacks if family(f).east_asian), None)

    def chain(self, role: FontRole = FontRole.BODY) -> tuple[str, ...]:
        """The families that set text in *role*, the role's own first."""
        own = self.family(role)
        return (own, *(f for f in self.fallbacks if f != own))

    def families(self) -> tuple[str, ...]:
        """Every family the sheet names, each once, in order."""
        return tuple(dict.fromkeys((self.body, self.heading, self.mono, *self.fallbacks)))


# Vocabulary terms naming colours, in any case and spelling a brief accepts (`Very-Likely`).
_TERM_KEY = BeforeValidator(
    lambda v: (
        " ".join(v.replace("_", " ").replace("-", " ").split()).lower() if isinstance(v, str) else v
    )
)
_TLP_KEY = BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)


class Colors(Model):
    """Named colours; paragraph styles refer to them by name."""

    model_config = ConfigDict(extra="allow", frozen=True)

    text: HexColor
    accent: HexColor
    muted: HexColor
    rule: HexColor
    shade: HexColor
    table_header: HexColor
    table_header_text: HexColor
    table_stripe: HexColor
    direction: dict[Annotated[ImpactDirection, _TERM_KEY], HexColor]
    likelihood: dict[Annotated[Likelihood, _TERM_KEY], HexColor]
    tlp: dict[Annotated[Tlp, _TLP_KEY], HexColor] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> Colors:
        for name, vocabulary in (("direction", ImpactDirection), ("likelihood", Likelihood)):
            missing = [t.value for t in vocabulary if t not in getattr(self, name)]
            if missing:
                raise PydanticCustomError(
                    "colors_incomplete",
                    "colors.{name} needs a colour for every term; missing: {missing}",
                    {"name": name, "missing": ", ".join(missing)},
                )
        for name, value in (self.model_extra or {}).items():
            if not isinstance(value, str) or not re.match(_HEX, value):
                raise PydanticCustomError(
                    "color",
                    "colour '{name}' must be a hex colour like '#1F4E79'",
                    {"name": name},
                )
        return self

    def resolve(self, name_or_hex: str) -> str:
        if name_or_hex.startswith("#"):
            return name_or_hex
        value = getattr(self, name_or_hex, None)
        if value is None and self.model_extra:
            value = self.model_extra.get(name_or_hex)
        if not isinstance(value, str):
            raise KeyError(name_or_hex)
        return value

    def names(self) -> list[str]:
        fixed = [n for n, f in type(self).model_fields.items() if f.annotation is str]
        return fixed + list(self.model_extra or {})


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class ParagraphStyle(Model):
    font: Annotated[FontRole, _any_case(*FontRole)] = FontRole.BODY
    size: Length
    leading: Length
    space_before: Length = 0.0
    space_after: Length = 0.0
    indent: Length = 0.0
    color: str = "text"
    background: str | None = None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    align: Annotated[Align, _any_case(*Align)] = Align.LEFT
    keep_with_next: bool = False


PARAGRAPH_STYLES = (
    "title",
    "subtitle",
    "meta",
    "heading1",
    "heading2",
    "heading3",
    "body",
    "bullet",
    "quote",
    "caption",
    "label",
    "tag",
    "table_header",
    "table_cell",
    "banner",
    "footer",
    "watermark",
)


class Paragraphs(Model):
    title: ParagraphStyle
    subtitle: ParagraphStyle
    meta: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    quote: ParagraphStyle
    caption: ParagraphStyle
    label: ParagraphStyle
    tag: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    banner: ParagraphStyle
    footer: ParagraphStyle
    watermark: ParagraphStyle


def _known_label(key: Any) -> Any:
    from briefkit.i18n.messages import MESSAGES

    if not isinstance(key, str) or key in MESSAGES:
        return key
    raise PydanticCustomError(
        "label_key",
        "unknown label '{key}' (labels are the message keys of the catalogues, e.g. "
        "'summary.title', 'section.signals', 'likelihood.likely'; all of them are in "
        "briefkit/i18n/locale/briefkit.pot){hint}",
        {"key": key, "hint": did_you_mean(key, list(MESSAGES))},
    )


LabelKey = Annotated[str, BeforeValidator(_known_label)]
LanguageTag = Annotated[str, Field(pattern=patterns.LANGUAGE)]
Labels = dict[LabelKey, str]


class PdfOptions(Model):
    """What the PDF carries beyond its pages."""

    # the brief's YAML embedded as the PDF's source (an associated file: PDF/A-3, not 2)
    embed_source: bool = False


class Style(Model):
    """A complete, resolved style sheet."""

    name: str = ""
    extends: str | None = None
    description: str = ""
    page: Page
    fonts: Fonts
    colors: Colors
    paragraphs: Paragraphs
    # House wording per language tag: {"en": {"summary.title": "Key takeaways"}}
    labels: dict[LanguageTag, Labels] = Field(default_factory=dict)
    # Digits in dates and numbers: as the locale writes them, always 0-9, or the script's own
    digits: Annotated[
        Literal["locale", "latin", "native"], _any_case("locale", "latin", "native")
    ] = "locale"
    # print each portion's marking in front of it: "(TLP:AMBER) The alliance …"
    portion_marks: bool = False
    pdf: PdfOptions = Field(default_factory=PdfOptions)

    _files: tuple[Path, ...] = PrivateAttr(default=())

    @property
    def files(self) -> tuple[Path, ...]:
        """The style sheet files this style was read from, itself first."""
        return self._files

    def paragraph(self, role: str) -> ParagraphStyle:
        return getattr(self.paragraphs, role)

    @property
    def justifies(self) -> bool:
        """Whether any paragraph role is justified (then documents hyphenate)."""
        return any(
            getattr(self.paragraphs, role).align is Align.JUSTIFY
            for role in type(self.paragraphs).model_fields
        )

    def color(self, name_or_hex: str) -> str:
        return self.colors.resolve(name_or_hex)


# --- finding and loading style sheets ------------------------------------------------------


@dataclass(frozen=True)
class StyleSource:
    name: str
    path: Path
    origin: Literal["repository", "built-in"]


def builtin_styles_dir() -> Path:
    packaged = Path(str(resources.files("briefkit") / "styles"))
    if packaged.is_dir():
        return packaged
    # Running from a source checkout (editable install): the top-level styles/ folder.
    return Path(__file__).resolve().parents[3] / "styles"


def style_dirs(repository: Path | None) -> list[tuple[Path, Literal["repository", "built-in"]]]:
    builtin = builtin_styles_dir()
    dirs: list[tuple[Path, Literal["repository", "built-in"]]] = []
    local = repository / "styles" if repository is not None else None
    if local is not None and local.is_dir() and local.resolve() != builtin.resolve():
        dirs.append((local, "repository"))
    dirs.append((builtin, "built-in"))
    return dirs


def available_styles(repository: Path | None) -> list[StyleSource]:
    """Every style sheet visible from *repository*, the first of each name winning."""
    found: dict[str, StyleSource] = {}
    for folder, origin in style_dirs(repository):
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, StyleSource(path.stem, path, origin))
    return sorted(found.values(), key=lambda s: s.name)


def find_style(name: str, repository: Path | None, *, below: Path | None = None) -> StyleSource:
    """The sheet called *name*; with *below*, only sheets after that file in the search order.

    ``below`` lets a repository's ``default.yaml`` extend the built-in ``default``.
    """
    candidates = _all_named(name, repository)
    if below is not None:
        resolved = [c.path.resolve() for c in candidates]
        if below.resolve() in resolved:
            candidates = candidates[resolved.index(below.resolve()) + 1 :]
    if not candidates:
        raise LookupError(name)
    return candidates[0]


def shadowing_paths(style: Style, repository: Path | None) -> list[Path]:
    """Repository sheets that do not exist yet but would change *style* if created.

    A brief using the built-in ``default`` must be rebuilt when ``styles/default.yaml``
    appears in its repository.
    """
    if repository is None:
        return []
    local = repository / "styles"
    if local.resolve() == builtin_styles_dir().resolve():
        return []
    return [local / f.name for f in style.files if not (local / f.name).exists()]


def _all_named(name: str, repository: Path | None) -> list[StyleSource]:
    return [
        StyleSource(name, folder / f"{name}.yaml", origin)
        for folder, origin in style_dirs(repository)
        if (folder / f"{name}.yaml").is_file()
    ]


def _unknown_style(name: str, repository: Path | None) -> str:
    names = [s.name for s in available_styles(repository)]
    return f"no style sheet named '{name}' (available: {', '.join(names)})" + did_you_mean(
        name, names
    )


def load_style(
    name: str,
    repository: Path | None,
    *,
    requested_at: tuple[SourceDocument, tuple[str | int, ...]] | None = None,
) -> Style:
    """Load and resolve the sheet *name*, following ``extends``; raise located errors.

    *requested_at* is the document and field that named the style, so that an unknown name is
    reported where it was written (a brief's ``style:`` key).
    """
    try:
        source = find_style(name, repository)
    except LookupError:
        message = _unknown_style(name, repository)
        if requested_at is not None:
            doc, loc = requested_at
            raise BriefError([doc.diagnostic(loc, message)]) from None
        raise BriefError([Diagnostic.unlocated("<command line>", f"--style: {message}")]) from None
    chain: list[Path] = []
    doc = _resolve_chain(source, repository, seen=chain)
    problems: list[Diagnostic]
    style, problems = validate(doc, Style)
    problems += folded_keys(doc, Style)
    if style is not None and not problems:
        from briefkit.i18n.labels import label_problems
        from briefkit.style.ranges import out_of_range

        problems = _unknown_colour_names(style, doc) + out_of_range(style, doc)
        problems += label_problems(style.labels, doc)
        fonts_root = repository or source.path.parent.parent
        style, font_problems = _resolve_font_files(style, doc, fonts_root)
        problems += font_problems
    if style is None or problems:
        raise BriefError(problems)
    named = style.model_copy(update={"name": name})
    named._files = tuple(chain)
    return named


def _unknown_colour_names(style: Style, doc: SourceDocument) -> list[Diagnostic]:
    names = style.colors.names()
    problems = []
    for role in PARAGRAPH_STYLES:
        for attribute in ("color", "background"):
            value = getattr(style.paragraph(role), attribute)
            if value is None or re.match(_HEX, value) or value in names:
                continue
            problems.append(
                doc.diagnostic(
                    ("paragraphs", role, attribute),
                    f"{value!r} is neither a hex colour like '#1F4E79' nor a colour name "
                    f"(names: {', '.join(names)})" + did_you_mean(value, names),
                )
            )
    return problems


def _resolve_font_files(
    style: Style, doc: SourceDocument, repository: Path
) -> tuple[Style, list[Diagnostic]]:
    """Font files named in the sheet (``fonts/House.ttf``), made absolute: each must be a
    readable TrueType font inside the repository."""
    from briefkit.fonts import check_font_file, is_font_file

    problems: list[Diagnostic] = []
    root = repository.resolve()

    def resolve(entry: str, loc: tuple[str | int, ...]) -> str:
        if not is_font_file(entry):
            return entry
        path = (root / entry).resolve()
        if not path.is_relative_to(root):
            problem: str | None = "a font file must be inside the repository (e.g. fonts/X.ttf)"
        elif path.is_dir():
            problem = f"{entry} is a folder, not a font file"
        elif not path.is_file():
            problem = f"font file {entry} does not exist (looked in {display_path(root)})"
        else:
            problem = check_font_file(path)
        if problem:
            problems.append(doc.diagnostic(loc, problem))
        return str(path)

    fonts = style.fonts
    update: dict[str, Any] = {
        role: resolve(getattr(fonts, role), ("fonts", role)) for role in ("body", "heading", "mono")
    }
    update["fallback"] = tuple(
        resolve(entry, ("fonts", "fallback", index)) for index, entry in enumerate(fonts.fallback)
    )
    if fonts.cjk:
        update["cjk"] = resolve(fonts.cjk, ("fonts", "cjk"))
    return style.model_copy(update={"fonts": fonts.model_copy(update=update)}), problems


# Style sheets parsed in this process, by path and text: a batch reads the same sheets for every
# brief. Keyed by the whole text, so an edited sheet is parsed again; the last few are kept.
_SHEETS: dict[tuple[Path, str], SourceDocument] = {}
_SHEETS_KEPT = 16


def _read_sheet(path: Path) -> SourceDocument:
    """``load_yaml(path)``, parsed once per process for the same text; each caller gets its
    own copy of the data."""
    text = read_text(path)
    parsed = _SHEETS.get((path, text))
    if parsed is None:
        parsed = parse_yaml(text, path)
        if len(_SHEETS) >= _SHEETS_KEPT:
            del _SHEETS[next(iter(_SHEETS))]
        _SHEETS[(path, text)] = parsed
    return SourceDocument(
        path,
        copy.deepcopy(parsed.data),
        dict(parsed.values),
        dict(parsed.keys),
        dict(parsed.blocks),
    )


# Sheets in one extends chain: a house style on a theme on the default is three; each sheet
# read costs a parse and a merge, and a deep chain would run out of stack.
MAX_EXTENDS = 32


def _resolve_chain(
    source: StyleSource, repository: Path | None, seen: list[Path]
) -> SourceDocument:
    """Load *source* and the sheets it extends, merged; *seen* collects the files read."""
    seen.append(source.path.resolve())
    doc = _read_sheet(source.path)
    if not isinstance(doc.data, dict):
        raise BriefError([doc.diagnostic((), "a style sheet must be a mapping of keys to values")])
    parent_name = doc.data.get("extends")
    if parent_name is None:
        return doc
    if not isinstance(parent_name, str) or not re.fullmatch(patterns.ID, parent_name):
        raise BriefError([doc.diagnostic(("extends",), "extends must name a style sheet")])
    try:
        parent = find_style(parent_name, repository, below=source.path)
    except LookupError:
        if parent_name == source.name:
            message = f"'{source.name}' extends itself, and no other sheet has that name"
            raise BriefError([doc.diagnostic(("extends",), message)]) from None
        raise BriefError(
            [doc.diagnostic(("extends",), _unknown_style(parent_name, repository))]
        ) from None
    if parent.path.resolve() in seen:
        chain = " → ".join(display_path(p) for p in [*seen, parent.path])
        raise BriefError(
            [doc.diagnostic(("extends",), f"style sheets extend in a circle: {chain}")]
        )
    if len(seen) >= MAX_EXTENDS:
        message = (
            f"too many style sheets extend one another: {display_path(seen[0])} → … → "
            f"{display_path(source.path)} → {parent_name} (at most {MAX_EXTENDS} in a chain)"
        )
        raise BriefError([doc.diagnostic(("extends",), message)])
    merged = overlay(_resolve_chain(parent, repository, seen), doc)
    _likelihood_follows_accent(doc.data, merged.data)
    return merged


def _likelihood_follows_accent(sheet: dict[str, Any], merged: Any) -> None:
    """A sheet that changes the accent colour but not the likelihood ramp gets the inherited
    ramp in its accent's hue (each step keeps its lightness and saturation), so the chips
    follow the palette: burgundy chips on a burgundy page, not the default's blue."""
    import colorsys

    colors = sheet.get("colors")
    if not isinstance(colors, dict) or "likelihood" in colors:
        return
    accent = colors.get("accent")
    ramp = (merged.get("colors") or {}).get("likelihood") if isinstance(merged, dict) else None
    if not (isinstance(accent, str) and re.fullmatch(_HEX, accent) and isinstance(ramp, dict)):
        return  # validation reports a malformed accent or ramp
    hue = colorsys.rgb_to_hls(*_rgb(accent))[0]
    for term, colour in ramp.items():
        if isinstance(colour, str) and re.fullmatch(_HEX, colour):
            _, lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
            red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
            ramp[term] = "#" + "".join(f"{round(c * 255):02X}" for c in (red, green, blue))


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
