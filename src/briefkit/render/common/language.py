"""Language tags completed from CLDR's likely subtags (through Babel): a brief says ``en`` or
``zh-Hans``, Word wants the language with its region (``en-US``, ``zh-CN``), and a run's
language is told only where it is not the document's."""

from __future__ import annotations

from typing import NamedTuple

from briefkit.render.common.kept import memo


class Subtags(NamedTuple):
    language: str
    script: str
    region: str


@memo(256)
def likely(tag: str) -> Subtags:
    """*tag* (BCP 47) with the script and region CLDR finds most likely for it ("en" →
    en-Latn-US, "zh-Hant" → zh-Hant-TW, "und-Cyrl" → ru-Cyrl-RU); what CLDR does not know
    is left empty."""
    from babel.core import get_global

    language, script, region = _split(tag)
    table = get_global("likely_subtags")
    candidates = (
        (language, script, region),
        (language, "", region),
        (language, script, ""),
        (language, "", ""),
        ("und", script, ""),
    )
    for parts in candidates:
        if not parts[0] or (parts[0] == "und" and not parts[1]):
            continue
        found = table.get("_".join(part for part in parts if part))
        if found:
            filled = _split(found.replace("_", "-"))
            return Subtags(
                language if language != "und" else filled.language,
                script or filled.script,
                region or filled.region,
            )
    return Subtags(language, script, region)


def _split(tag: str) -> Subtags:
    language, script, region = "", "", ""
    for index, part in enumerate(tag.replace("_", "-").split("-")):
        if index == 0:
            language = part.lower()
        elif len(part) == 1:  # extensions and private use follow a singleton ("-u-", "-x-")
            break
        elif len(part) == 4 and part.isalpha() and not script and not region:
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            region = region or part.upper()
    return Subtags(language, script, region)


@memo(256)
def with_region(tag: str) -> str:
    """*tag* as a language and region ("en" → "en-US", "zh-Hans" → "zh-CN"), keeping the script
    only where it is not the one the language and region imply ("sr-Latn" → "sr-Latn-RS")."""
    full = likely(tag)
    if not full.region:
        return tag
    implied = likely(f"{full.language}-{full.region}").script
    parts = [full.language, full.script if full.script != implied else "", full.region]
    return "-".join(part for part in parts if part)


def differs(run: str, document: str) -> bool:
    """True when a run that *run* names is not in the *document*'s language: another
    language, unless it is only the usual language of the document's own script (a Cyrillic
    run in a Ukrainian brief is Ukrainian, not Russian; a Persian one in Arabic is Persian)."""
    mine, theirs = likely(run), likely(document)
    if mine.language == theirs.language:
        return False
    if mine.script and mine.script == theirs.script:
        return mine.language != likely(f"und-{mine.script}").language
    return True
