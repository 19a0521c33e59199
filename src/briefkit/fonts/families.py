"""The font families briefkit ships (variable fonts in Python packages) and a repository's
own font files: looked up by name, checked before use, versioned for the cache's keys."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.diagnostics import UserError
from briefkit.reading.files import InputFileError, read_regular

if TYPE_CHECKING:
    pass


# Font files a repository may keep in fonts/ and name in its style sheets.
FONT_FILE_SUFFIXES = (".ttf", ".otf")


# The largest font file a repository may name: the largest shipped family (CJK) is 17 MB.
FONT_FILE_LIMIT = 64 << 20


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
    return tuple(version(family(name)) for name in names)


def version(fam: Family) -> str:
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


def font_file(fam: Family, *, italic: bool) -> Path:
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


def slug(fam: Family) -> str:
    if fam.path is not None:
        return "file-" + "".join(c for c in fam.path.stem if c.isalnum())[:40]
    return "".join(fam.name.split())


@contextlib.contextmanager
def reading(fam: Family) -> Iterator[None]:
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
