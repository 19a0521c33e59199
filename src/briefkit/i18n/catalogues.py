"""The shipped gettext catalogues: finding, reading, and (for translators) regenerating them.

``python -m briefkit.i18n.catalogues`` writes the template ``locale/briefkit.pot`` from
:data:`briefkit.i18n.messages.MESSAGES`, merges it into every ``briefkit.po`` (new messages
appear untranslated, changed ones fuzzy) and compiles each ``.po`` to the ``.mo`` briefkit reads.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "briefkit"


@cache
def available() -> dict[str, str]:
    """Shipped catalogues by lower-case name ("zh_hans" → "zh_Hans")."""
    if not LOCALE_DIR.is_dir():
        return {}
    return {
        folder.name.lower(): folder.name
        for folder in sorted(LOCALE_DIR.iterdir())
        if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    }


def catalogue_path(name: str, suffix: str = ".mo") -> Path:
    return LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def read(name: str) -> dict[str, str]:
    """The translated messages of catalogue *name* by key; untranslated and fuzzy ones are
    left out (they print in English)."""
    from babel.messages.mofile import read_mo

    from briefkit.i18n.messages import MESSAGES

    with catalogue_path(name).open("rb") as handle:
        catalog = read_mo(handle)
    translated: dict[str, str] = {}
    for key, english in MESSAGES.items():
        message = catalog.get(english, context=key)
        if message is not None and isinstance(message.string, str) and message.string:
            translated[key] = message.string
    return translated


def template() -> bytes:
    """The ``.pot`` every catalogue is made from."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from briefkit.i18n.messages import MESSAGES

    catalog = Catalog(project="briefkit", domain=DOMAIN, fuzzy=False)
    for key, english in MESSAGES.items():
        flags = ("python-brace-format",) if "{" in english else ()
        catalog.add(english, context=key, flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=True)
    return out.getvalue()


def compiled(name: str) -> bytes:
    """Catalogue *name*'s ``.po`` compiled, as the committed ``.mo`` must be."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(name, ".po").open("rb") as handle:
        catalog = read_po(handle, locale=name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def regenerate() -> None:
    """Write the template, merge it into every catalogue, compile them."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    pot = template()
    (LOCALE_DIR / f"{DOMAIN}.pot").write_bytes(pot)
    for folder in sorted(p for p in LOCALE_DIR.iterdir() if p.is_dir()):
        po_path = catalogue_path(folder.name, ".po")
        if not po_path.is_file():
            continue
        with po_path.open("rb") as handle:
            catalog: Catalog = read_po(handle, locale=folder.name, domain=DOMAIN)
        catalog.update(
            read_po(io.BytesIO(pot)), update_header_comment=False, update_creation_date=False
        )
        out = io.BytesIO()
        write_po(out, catalog, width=100, ignore_obsolete=True)
        po_path.write_bytes(out.getvalue())
        catalogue_path(folder.name).write_bytes(compiled(folder.name))
        print(f"{folder.name}: {po_path}")


if __name__ == "__main__":
    regenerate()
