"""Fonts for PDF output: static TrueType faces made from pip-installed variable fonts.

The font families ship as variable fonts inside ordinary Python packages. reportlab can only
embed static TrueType files, so each face (family, bold, italic) is instanced once with fontTools
and cached on disk, keyed by the font package's version. The CJK family is too large to instance
whole (about 36 s per weight), so it is first subset to the characters a document uses.

The package deliberately does not import reportlab, and imports fontTools only when a face has
to be built, so that ``import briefkit.fonts`` stays cheap for commands that never render. Its
modules: ``families`` (which fonts there are), ``cache`` (where faces are kept, and the lock),
``faces`` (building them), ``coverage`` (what each maps), ``extents`` (how high and deep
text's ink reaches) and ``runs`` (text split by font).
"""

from briefkit.fonts.cache import cache_dir, intact, store
from briefkit.fonts.coverage import codepoints, forget_coverage
from briefkit.fonts.extents import ink_extents
from briefkit.fonts.faces import face_path, style_name, subset_face
from briefkit.fonts.families import (
    FAMILIES,
    FONT_FILE_LIMIT,
    FONT_FILE_SUFFIXES,
    Family,
    FontError,
    check_font_file,
    family,
    is_font_file,
    versions,
)
from briefkit.fonts.runs import is_invisible, missing, split_runs

__all__ = [
    "FAMILIES",
    "FONT_FILE_LIMIT",
    "FONT_FILE_SUFFIXES",
    "Family",
    "FontError",
    "cache_dir",
    "check_font_file",
    "codepoints",
    "face_path",
    "family",
    "forget_coverage",
    "ink_extents",
    "intact",
    "is_font_file",
    "is_invisible",
    "missing",
    "split_runs",
    "store",
    "style_name",
    "subset_face",
    "versions",
]
