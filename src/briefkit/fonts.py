"""Fonts for PDF output: static TrueType faces made from pip-installed variable fonts.

The font families ship as variable fonts inside ordinary Python packages. reportlab can only
embed static TrueType files, so each face (family, bold, italic) is instanced once with fontTools
and cached on disk, keyed by the font package's version. The CJK family is too large to instance
whole (about 36 s per weight), so it is first subset to the characters a document uses.

This module deliberately does not import reportlab, and imports fontTools only when a face has
to be built, so that ``import briefkit.fonts`` stays cheap for commands that never render.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.diagnostics import UserError
from briefkit.files import InputFileError, read_regular
from briefkit.output import write_atomic
from briefkit.render.kept import memo

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

__all__ = [
    "FAMILIES",
    "Family",
    "FontError",
    "cache_dir",
    "codepoints",
    "face_path",
    "family",
    "intact",
    "is_font_file",
    "is_invisible",
    "missing",
    "split_runs",
    "store",
    "style_name",
]

# Bump when the way faces are built changes (tables dropped, axes pinned, subset options), so
# files cached by an older briefkit are not reused.
_RECIPE = 4

_REGULAR, _BOLD = 400, 700

# OpenType layout tables. Latin, Greek, Cyrillic and CJK text is set without shaping, and
# instancing these tables is ~95% of the time, so they are dropped; scripts that need shaping
# (Arabic joining, Devanagari conjuncts, Thai mark stacking) keep them.
_LAYOUT_TABLES = ("GPOS", "GSUB", "GDEF", "BASE")

# Font files a repository may keep in fonts/ and name in its style sheets.
FONT_FILE_SUFFIXES = (".ttf", ".otf")

# The largest font file a repository may name: the largest shipped family (CJK) is 17 MB.
FONT_FILE_LIMIT = 64 << 20

# Always kept in a per-document subset: spaces and ASCII punctuation join fallback runs.
_ASCII = frozenset(range(0x20, 0x7F))

# Whitespace that never splits a run, whatever the fonts cover.
_PLAIN_SPACE = frozenset(" \t\n\r")


class FontError(UserError):
    """A font cannot be found or built; the message says what is wrong and what is available."""


@dataclass(frozen=True)
class Family:
    """A font family shipped as variable fonts inside a Python package."""

    name: str
    distribution: str
    package: str
    upright: str
    italic: str | None
    pinned_axes: dict[str, float] = field(hash=False)
    subset_per_document: bool = False
    shaping: bool = False  # keep the OpenType layout tables: the script needs shaping
    east_asian: bool = False  # Word's East Asian font slot (w:eastAsia), not the Latin one
    path: Path | None = None  # a repository's own font file instead of a package


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            name="Source Sans 3",
            distribution="fontpkg-source-sans-3",
            package="fontpkg_source_sans_3",
            upright="files/SourceSans3[wght].ttf",
            italic="files/SourceSans3-Italic[wght].ttf",
            pinned_axes={},
        ),
        Family(
            name="Source Serif 4",
            distribution="fontpkg-source-serif-4",
            package="fontpkg_source_serif_4",
            upright="files/SourceSerif4[opsz,wght].ttf",
            italic="files/SourceSerif4-Italic[opsz,wght].ttf",
            # The default optical size (20) is a display cut; 11 suits body text.
            pinned_axes={"opsz": 11},
        ),
        Family(
            name="Source Code Pro",
            distribution="fontpkg-source-code-pro",
            package="fontpkg_source_code_pro",
            upright="files/SourceCodePro[wght].ttf",
            italic="files/SourceCodePro-Italic[wght].ttf",
            pinned_axes={},
        ),
        Family(
            name="Noto Sans Arabic",
            distribution="fontpkg-noto-sans-arabic",
            package="fontpkg_noto_sans_arabic",
            upright="files/NotoSansArabic[wdth,wght].ttf",
            italic=None,
            pinned_axes={},
            shaping=True,
        ),
        Family(
            name="Noto Sans Devanagari",
            distribution="fontpkg-noto-sans-devanagari",
            package="fontpkg_noto_sans_devanagari",
            upright="files/NotoSansDevanagari[wdth,wght].ttf",
            italic=None,
            pinned_axes={},
            shaping=True,
        ),
        Family(
            name="Noto Sans Thai",
            distribution="fontpkg-noto-sans-thai",
            package="fontpkg_noto_sans_thai",
            upright="files/NotoSansThai[wdth,wght].ttf",
            italic=None,
            pinned_axes={},
            shaping=True,
        ),
        Family(
            name="Heebo",  # Hebrew (and Latin); Noto Sans Hebrew has no font package
            distribution="fontpkg-heebo",
            package="fontpkg_heebo",
            upright="files/Heebo[wght].ttf",
            italic=None,
            pinned_axes={},
            shaping=True,
        ),
        Family(
            name="Noto Sans SC",
            distribution="justmytype-intl-cjk",
            package="justmytype_intl_cjk",
            upright="fonts/ofl/notosanssc/NotoSansSC[wght].ttf",
            italic=None,
            pinned_axes={},
            subset_per_document=True,
            east_asian=True,
        ),
    )
}


# --- families -------------------------------------------------------------------------------


def _normalize(name: str) -> str:
    return " ".join(name.split()).casefold()


def is_font_file(name: str) -> bool:
    """True when a style sheet names a font file (``fonts/House.ttf``) rather than a family."""
    return name.strip().lower().endswith(FONT_FILE_SUFFIXES)


def family(name: str) -> Family:
    """The family called ``name`` (case and extra spaces are forgiven), or the repository font
    file at the absolute path ``name`` (style sheets resolve ``fonts/…`` entries to those)."""
    if is_font_file(name) and Path(name).is_absolute():
        return _file_family(name)
    found = _FAMILY_BY_NAME.get(name)  # asked for every run of text a renderer sets
    if found is not None:
        return found
    by_key = {_normalize(n): f for n, f in FAMILIES.items()}
    found = by_key.get(_normalize(name))
    if found is not None:
        _FAMILY_BY_NAME[name] = found
        return found
    message = f"unknown font family {name!r}"
    import difflib  # only for a name that is wrong

    close = difflib.get_close_matches(_normalize(name), list(by_key), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {by_key[close[0]].name!r}?"
    available = ", ".join(repr(n) for n in FAMILIES)
    raise FontError(f"{message} (available: {available})")


# Names (as written) already looked up in FAMILIES, which never changes.
_FAMILY_BY_NAME: dict[str, Family] = {}


@functools.cache
def _file_family(name: str) -> Family:
    return Family(
        name=name,
        distribution="",
        package="",
        upright=name,
        italic=None,
        pinned_axes={},
        shaping=True,
        path=Path(name),
    )


def check_font_file(path: Path) -> str | None:
    """What is wrong with the font file at *path* (None when briefkit can use it).

    The file must be a regular file within :data:`FONT_FILE_LIMIT`: TrueType ("\\0\\1\\0\\0",
    "true") or OpenType with PostScript outlines ("OTTO", converted to TrueType outlines when
    its faces are built); collections are not accepted. The tables every build reads (the
    character map, metrics, names) are parsed, so a damaged file is refused here, where the
    style sheet names it, rather than with a fontTools traceback in a build.
    """
    try:
        data = read_regular(path, FONT_FILE_LIMIT)
    except InputFileError as exc:
        return f"the font file {exc}"
    head = data[:4]
    if head == b"ttcf":
        return "font collections (.ttc) are not supported; use a single TrueType (.ttf) font"
    if head not in (b"\0\1\0\0", b"true", b"OTTO"):
        return "not a TrueType or OpenType font file"
    return _damage(data)


# the tables every face briefkit builds is made from (the outlines, glyf or CFF, besides)
_REQUIRED_TABLES = ("head", "hhea", "maxp", "hmtx", "name", "post")


def _damage(data: bytes) -> str | None:
    """What fontTools finds wrong in the tables of a font file's *data* (None: nothing)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            if font.getBestCmap() is None:
                return "the font file has no Unicode character map"
            missing = [tag for tag in _REQUIRED_TABLES if tag not in font]
            if "glyf" not in font and "CFF " not in font:
                missing.append("glyf")
            if missing:
                needed = ", ".join(_REQUIRED_TABLES)
                return (
                    f"the font file is damaged (no {', '.join(repr(t) for t in missing)} "
                    f"table; a font needs {needed} and its outlines)"
                )
            for tag in (*_REQUIRED_TABLES, "OS/2"):
                if tag in font:
                    font[tag]  # parsing is the check
    except Exception as exc:  # any parse error: a damaged file
        return f"the font file is damaged ({type(exc).__name__}: {str(exc)[:120]})"
    return None


def versions(names: Iterable[str]) -> tuple[str, ...]:
    """The version of each family in *names*: its package's, or a digest of its font file's
    content (what a cache of measurements in those fonts is keyed by)."""
    return tuple(_version(family(name)) for name in names)


def _version(fam: Family) -> str:
    if fam.path is not None:
        return _file_digest(fam.path)
    # Asking the package metadata searches every installed distribution (most of a millisecond,
    # asked for every family of every brief): the answer is kept for as long as the package's
    # font file is the same file, so a package upgraded while ``watch`` runs is asked again.
    try:
        stat = os.stat(_package_folder(fam.package) / fam.upright)
        key: tuple[object, ...] | None = (fam.distribution, stat.st_ino, stat.st_mtime_ns)
    except (ModuleNotFoundError, OSError, TypeError):
        key = None
    if key is not None and key in _VERSIONS:
        return _VERSIONS[key]
    try:
        version = metadata.version(fam.distribution)
    except metadata.PackageNotFoundError:
        raise FontError(_not_installed(fam)) from None
    if key is not None:
        _VERSIONS[key] = version
    return version


_VERSIONS: dict[tuple[object, ...], str] = {}


def _not_installed(fam: Family) -> str:
    return (
        f"font family {fam.name!r} needs the Python package {fam.distribution!r}, "
        f"which is not installed (pip install {fam.distribution})"
    )


@functools.cache
def _package_folder(package: str) -> Path:
    """Where an installed font package's files are (asked of importlib once a process)."""
    return Path(str(resources.files(package)))


def _file_digest(path: Path) -> str:
    """A short digest of a repository font file's content; a file replaced while a process
    runs (``watch``) gets a new one, since the digest is remembered per size and times (the
    change time too: a copy that keeps the old modification time still changes it)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise FontError(f"cannot read the font file {path}: {exc.strerror or exc}") from exc
    return _digest_of(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@functools.cache
def _digest_of(path: Path, size: int, mtime_ns: int, ctime_ns: int) -> str:
    try:
        return hashlib.sha256(read_regular(path, FONT_FILE_LIMIT)).hexdigest()[:12]
    except OSError as exc:
        raise FontError(f"the font file {path} {exc}") from exc


def _font_file(fam: Family, *, italic: bool) -> Path:
    """The variable font file inside the installed package (or the repository's font file)."""
    if fam.path is not None:
        if problem := check_font_file(fam.path):
            raise FontError(f"{fam.path}: {problem}")
        return fam.path
    relative = fam.italic if italic and fam.italic else fam.upright
    try:
        path = _package_folder(fam.package) / relative
    except ModuleNotFoundError:
        raise FontError(_not_installed(fam)) from None
    if not path.is_file():
        raise FontError(
            f"font family {fam.name!r}: {relative} is missing from the installed package "
            f"{fam.distribution!r} (reinstall it: pip install --force-reinstall {fam.distribution})"
        )
    return path


# --- cache ----------------------------------------------------------------------------------


def cache_dir() -> Path:
    """briefkit's cache directory: $BRIEFKIT_CACHE_DIR, else the XDG cache home."""
    explicit = os.environ.get("BRIEFKIT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "briefkit"


def _fonts_dir() -> Path:
    return cache_dir() / "fonts"


def _write_atomically(target: Path, data: bytes) -> None:
    """Write atomically, so readers never see a partial file and parallel processes building
    the same face simply replace each other's result."""
    try:
        write_atomic(target, data, mode=0o600)
    except OSError as exc:
        raise FontError(
            f"cannot write the font cache in {target.parent}: {exc.strerror or exc} "
            "(set BRIEFKIT_CACHE_DIR to a writable directory)"
        ) from exc


def _slug(fam: Family) -> str:
    if fam.path is not None:
        return "file-" + "".join(c for c in fam.path.stem if c.isalnum())[:40]
    return "".join(fam.name.split())


def style_name(*, bold: bool, italic: bool) -> str:
    """The name of a face's style: Regular, Bold, Italic or BoldItalic."""
    if bold and italic:
        return "BoldItalic"
    if bold:
        return "Bold"
    return "Italic" if italic else "Regular"


# --- faces ----------------------------------------------------------------------------------


def face_path(name: str, *, bold: bool, italic: bool, characters: str | None = None) -> Path:
    """A static TrueType file for one face of a family, built on first use and then cached.

    For families subset per document, ``characters`` is the text the document sets in this
    family (its fallback runs, or all its text when the family is a role's own); without it the
    face has ASCII only, which is enough to measure Latin text. It is ignored for other
    families. Only the characters the family covers beyond ASCII (always included) count
    towards the cache key, so edits that only touch other text reuse the cached subset.
    Raises FontError for an unknown family, a missing package or an unwritable cache.
    """
    fam = family(name)
    italic = italic and fam.italic is not None
    parts = [_slug(fam), style_name(bold=bold, italic=italic), _version(fam), f"r{_RECIPE}"]
    wanted: frozenset[int] = frozenset()
    if fam.subset_per_document:
        wanted = (frozenset(map(ord, characters or "")) & codepoints(fam.name)) - _ASCII
        parts.append(_characters_key(wanted))
    target = _fonts_dir() / ("-".join(parts) + ".ttf")
    if intact(target):
        return target
    with _preparing(target, fam):
        if intact(target):  # another process prepared it while this one waited
            return target
        source = _font_file(fam, italic=italic)
        with _reading(fam):
            font = _build_face(fam, source, _BOLD if bold else _REGULAR, wanted | _ASCII)
            if fam.subset_per_document:
                # reportlab registers fonts by their PostScript name: two subsets sharing one
                # would be taken for the same font, and the second document would lose glyphs.
                _suffix_postscript_name(font, parts[-1])
            buffer = io.BytesIO()
            # Keep the source font's timestamp: a cache built today must give the same bytes
            # as one built yesterday, or documents would differ between machines.
            font.recalcTimestamp = False
            font.save(buffer)
        store(target, buffer.getvalue())
    return target


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Families this process has said it prepares (one line each on the terminal).
_ANNOUNCED: set[str] = set()


@contextlib.contextmanager
def _preparing(target: Path, fam: Family) -> Iterator[None]:
    """Hold the cache's lock for *target* while it is prepared, so parallel builds (``-j``,
    two terminals) prepare each face once; say once per family that fonts are prepared."""
    lock_path = target.with_name(target.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError as exc:
        raise FontError(
            f"cannot write the font cache in {target.parent}: {exc.strerror or exc} "
            "(set BRIEFKIT_CACHE_DIR to a writable directory)"
        ) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not intact(target):
            _announce(fam, target.parent)
        yield
    finally:
        os.close(fd)  # releases the lock


# How long one process's line stands for a family's preparation: workers of one build (and
# builds started together) prepare its faces within it, and say nothing more.
_ANNOUNCEMENT_SECONDS = 600


def _announce(fam: Family, folder: Path) -> None:
    """Say that *fam* is being prepared: once per process, and once across processes that
    prepare its faces at the same time (``-j``: each worker prepares other faces)."""
    if fam.name in _ANNOUNCED:
        return
    _ANNOUNCED.add(fam.name)
    marker = folder / f".announced-{_slug(fam)}-{_version(fam)}"
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - marker.lstat().st_mtime < _ANNOUNCEMENT_SECONDS:
                return
            os.utime(marker, follow_symlinks=False)
    except OSError:
        pass  # a line too many is better than none
    what = fam.path.name if fam.path is not None else fam.name
    print(f"preparing fonts for {what} (once per machine)…", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _reading(fam: Family) -> Iterator[None]:
    """fontTools' errors on a repository's font file, as a FontError that names the file."""
    if fam.path is None:
        yield
        return
    try:
        yield
    except FontError:
        raise
    except Exception as exc:  # any failure to read a user font
        raise FontError(
            f"{fam.path}: the font file is damaged ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None


def store(target: Path, data: bytes) -> None:
    """Write a cache entry and its checksum, each atomically (see :func:`intact`)."""
    _write_atomically(target, data)
    _write_atomically(_digest_path(target), hashlib.sha256(data).hexdigest().encode("ascii"))


def subset_face(path: Path, characters: Iterable[str]) -> Path:
    """*path* (a face from ``face_path``) cut down to *characters*, keeping the layout tables
    the kept glyphs need; cached by the face and the character set."""
    text = "".join(characters)
    # what a shaper may decompose a character into (Thai ำ into ํ and า) must be there too
    wanted = frozenset(map(ord, text + unicodedata.normalize("NFKD", text)))
    key = hashlib.sha256(path.name.encode() + _characters_key(wanted).encode()).hexdigest()[:16]
    target = _fonts_dir() / "subsets" / f"{path.stem}-{key}.ttf"
    if intact(target):
        return target
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" and such
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.recalc_timestamp = False
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted | _ASCII)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.recalcTimestamp = False
    font.save(buffer)
    store(target, buffer.getvalue())
    return target


def _digest_path(face: Path) -> Path:
    return face.with_name(face.name + ".sha256")


def intact(face: Path) -> bool:
    """True when the cached *face* is there and is the file that was written: a truncated or
    damaged cache entry (a full disk, a killed process, a bad copy) is built again."""
    try:
        # A face checked before in this process is not read and hashed again while it and its
        # checksum are the same files, unchanged (ctime moves on any write).
        signature = tuple(
            (s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)
            for s in (face.stat(), _digest_path(face).stat())
        )
        if _INTACT.get(face) == signature:
            return True
        expected = _digest_path(face).read_text(encoding="ascii").strip()
        if hashlib.sha256(face.read_bytes()).hexdigest() != expected:
            return False
    except OSError:
        return False
    _INTACT[face] = signature
    return True


_INTACT: dict[Path, tuple[tuple[int, int, int, int], ...]] = {}


def _suffix_postscript_name(font: TTFont, suffix: str) -> None:
    names = font["name"]
    for record in names.names:
        if record.nameID == 6:
            names.setName(
                f"{record.toUnicode()}-{suffix}",
                6,
                record.platformID,
                record.platEncID,
                record.langID,
            )


def _characters_key(chars: Iterable[int]) -> str:
    """A short, order-independent digest of a set of characters."""
    text = "".join(chr(c) for c in sorted(chars))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _build_face(fam: Family, source: Path, weight: int, subset_to: frozenset[int]) -> TTFont:
    """Instance the variable font at ``weight``, every other axis pinned."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source, lazy=fam.subset_per_document)
    if fam.subset_per_document:
        _subset(font, subset_to)
    if "CFF " in font:
        _cff_to_truetype(font)
    if not fam.shaping:
        for tag in _LAYOUT_TABLES:
            if tag in font:
                del font[tag]
    if "fvar" not in font:
        return font  # a static file has one weight: bold text is set in it as it is
    limits: dict[str, float] = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    limits.update(fam.pinned_axes)
    if "wght" in limits:
        limits["wght"] = weight
    # updateFontNames rewrites the name table from STAT, giving each style its own
    # PostScript name; static=True drops fvar/gvar so reportlab sees a plain TrueType font.
    return instancer.instantiateVariableFont(font, limits, updateFontNames=True, static=True)


def _cff_to_truetype(font: TTFont) -> None:
    """Give an OpenType font with PostScript (CFF) outlines TrueType outlines instead: reportlab
    embeds only TrueType. Cubic curves become quadratic within a thousandth of an em."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    max_error = font["head"].unitsPerEm / 1000
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=max_error, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    limits = ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs")
    for limit in (*limits, "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, limit, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyf.glyphs.values() if hasattr(g, "components")), default=0
    )
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\0\1\0\0"


def _subset(font: TTFont, unicodes: frozenset[int]) -> None:
    """Cut the font down to ``unicodes`` before instancing: instancing 30 000 glyphs is slow."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]  # instancing renames from STAT, which refers to these names
    options.drop_tables += list(_LAYOUT_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


# --- coverage -------------------------------------------------------------------------------


def codepoints(name: str) -> frozenset[int]:
    """The characters the family's upright font maps, remembered on disk per package version
    (reading the cmap of the 17 MB CJK font takes a noticeable fraction of a second) or font
    file content."""
    fam = family(name)
    return _codepoints(fam, _version(fam))


def forget_coverage() -> None:
    """Forget the coverage read in this process (tests that change the cache use it)."""
    _codepoints.cache_clear()


@functools.cache
def _codepoints(fam: Family, version: str) -> frozenset[int]:
    stored = _fonts_dir() / f"{_slug(fam)}-{version}-r{_RECIPE}.cmap.json"
    cached = _read_ranges(stored)
    if cached is not None:
        return cached
    from fontTools.ttLib import TTFont

    with _reading(fam), TTFont(_font_file(fam, italic=False), lazy=True) as font:
        covered = frozenset(font.getBestCmap() or ())
    data = {"family": fam.name, "ranges": _to_ranges(covered)}
    _write_atomically(stored, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return covered


def _read_ranges(path: Path) -> frozenset[int] | None:
    """Codepoints stored by ``codepoints``; None when absent or unreadable."""
    try:
        ranges = json.loads(path.read_text(encoding="utf-8"))["ranges"]
        return frozenset(c for first, last in ranges for c in range(first, last + 1))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _to_ranges(covered: Iterable[int]) -> list[list[int]]:
    """Inclusive [first, last] runs of consecutive codepoints."""
    ranges: list[list[int]] = []
    for c in sorted(covered):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ranges


def is_invisible(ch: str) -> bool:
    """Format characters (ZWJ, ZWNJ, direction marks, word joiner, soft hyphen…) and variation
    selectors: they steer shaping, joining and direction, and are never drawn as glyphs."""
    cp = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _follows(ch: str) -> bool:
    """Characters that belong to the run of the character before them: combining marks
    (vowel signs, accents) and invisible format characters must never start a run of their
    own, or shaping would see a mark without its base."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or is_invisible(ch)


def _is_neutral(ch: str) -> bool:
    return ch in _PLAIN_SPACE or unicodedata.category(ch)[0] in "PSZ"


def _joins(ch: str, covered: frozenset[int]) -> bool:
    """Spaces, and punctuation and symbols the run's font has, stay in the run they are in."""
    return ch in _PLAIN_SPACE or (ord(ch) in covered and unicodedata.category(ch)[0] in "PSZ")


def split_runs(text: str, coverages: Sequence[frozenset[int]]) -> list[tuple[str, int]]:
    """Split ``text`` into maximal runs, each with the index of the font in ``coverages`` (a
    fallback chain, the primary font first) that sets it.

    A character goes to the first font that covers it (the primary font when none does, where
    it prints as a box and ``check`` warns). Spaces, punctuation and symbols stay in the run
    they are in when its font has them, and so do combining marks and invisible format
    characters whatever the fonts cover. Joining the runs gives back ``text``.
    """
    if not text:
        return []
    if set(map(ord, text)) <= coverages[0]:
        return [(text, 0)]  # the common case, at C speed: the primary font has it all
    # every renderer splits the same texts again (frozensets cache their hashes)
    return list(_split_runs(text, tuple(coverages)))


@memo(16384)
def _split_runs(text: str, coverages: tuple[frozenset[int], ...]) -> tuple[tuple[str, int], ...]:
    runs: list[tuple[list[str], int]] = []
    leading: list[str] = []  # spaces and punctuation before the first run: they join it
    for ch in text:
        cp = ord(ch)
        if runs and (_follows(ch) or _joins(ch, coverages[runs[-1][1]])):
            runs[-1][0].append(ch)
            continue
        if not runs and (_follows(ch) or _is_neutral(ch)):
            leading.append(ch)
            continue
        index = next((i for i, covered in enumerate(coverages) if cp in covered), 0)
        if runs and runs[-1][1] == index:
            runs[-1][0].append(ch)
            continue
        if leading and not all(_joins(c, coverages[index]) or _follows(c) for c in leading):
            runs.append((leading, _covering(leading, coverages)))
            leading = []
        if runs and runs[-1][1] == index:
            runs[-1][0].append(ch)
        else:
            runs.append(([*leading, ch], index))
        leading = []
    if leading:
        runs.append((leading, _covering(leading, coverages)))
    return tuple(("".join(chars), index) for chars, index in runs)


def _covering(chars: list[str], coverages: Sequence[frozenset[int]]) -> int:
    """The first font that has every visible one of *chars* (punctuation alone in a span, such
    as an Arabic comma between two links), else the primary font."""
    needed = {ord(c) for c in chars if c not in _PLAIN_SPACE and not _follows(c)}
    return next((i for i, covered in enumerate(coverages) if needed <= covered), 0)


def missing(text: str, *covered: frozenset[int]) -> list[str]:
    """Distinct characters of ``text`` that no set in ``covered`` has, in order of first
    appearance. Whitespace, control and invisible format characters are ignored: they are
    never drawn."""
    absent = set(map(ord, text))
    for chars in covered:
        absent = absent - chars  # at C speed; the set of the text is the small one
        if not absent:
            return []  # the common case: every character has a font
    found: dict[str, None] = {}
    for ch in text:
        if ch in found or ord(ch) not in absent:
            continue
        if ch.isspace() or unicodedata.category(ch) == "Cc" or is_invisible(ch):
            continue
        found[ch] = None
    return list(found)
