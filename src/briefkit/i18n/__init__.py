"""The reader's language: every fixed word, date and number a document prints.

Words come from gettext catalogues (``locale/<language>/LC_MESSAGES/briefkit.mo``, compiled
from the ``.po`` beside it with Babel: ``python -m briefkit.i18n.catalogues``), keyed by the
message keys of :mod:`briefkit.i18n.messages`; dates and digits from CLDR through Babel. A
style sheet's ``labels`` override any message for a language. A language without a catalogue,
or a catalogue without some keys, prints English for them; :func:`words_for` says which.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from briefkit.i18n.messages import MESSAGES, vocabulary_key
from briefkit.layout.digits import LATIN_DIGITS, in_digits

if TYPE_CHECKING:
    from babel import Locale

    from briefkit.brief.vocab import Vocabulary

SOURCE_LANGUAGE = "en"
# The languages whose catalogues ship and are reviewed (BCP 47)
SHIPPED = ("en", "fr", "de", "es", "pt", "ru", "ar", "zh-Hans")
Digits = Literal["locale", "latin", "native"]
# The ten digits of the CLDR numbering systems the shipped and likely languages use (CLDR's
# numberingSystems data; Babel does not carry the digits themselves)
_DIGITS = {
    "latn": LATIN_DIGITS,
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "deva": "०१२३४५६७८९",
    "beng": "০১২৩৪৫৬৭৮৯",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "mymr": "၀၁၂၃၄၅၆၇၈၉",
    "tibt": "༠༡༢༣༤༥༦༧༨༩",
    "hanidec": "〇一二三四五六七八九",
}


def fields_of(message: str) -> set[str]:
    """The ``{placeholders}`` of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def is_source_language(language: str) -> bool:
    """Whether *language* is English, the language the messages are written in."""
    return language.split("-")[0].lower() == SOURCE_LANGUAGE


@dataclass(frozen=True)
class Words:
    """How one document says its fixed words, dates and numbers."""

    language: str  # the brief's BCP 47 tag
    messages: Mapping[str, str]
    locale_id: str | None = None  # Babel's identifier for dates, None when CLDR lacks it
    digits: str = LATIN_DIGITS  # the ten digits numbers are written in
    missing: tuple[str, ...] = ()  # keys printed in English for want of a translation
    catalogue: str | None = None  # the catalogue used ("fr", "zh_Hans"), None for English
    direction: Literal["ltr", "rtl"] = field(default="ltr")

    def __call__(self, key: str, **fields: object) -> str:
        """Message *key* with its fields filled in; the digits the message itself writes
        ("within 3 months") in the reader's."""
        return in_digits(self.messages[key], self.digits).format(**fields)

    def term(self, term: Vocabulary) -> str:
        return self(vocabulary_key(term))

    def meaning(self, term: Vocabulary) -> str:
        return self(f"{vocabulary_key(term)}.meaning")

    def number(self, value: int | str) -> str:
        """*value*'s digits ("3", "within 3 months") in the document's numbering system."""
        return in_digits(str(value), self.digits)

    def date(self, day: dt.date) -> str:
        """*day* in the locale's long form: "28 novembre 2026", "28. November 2026"."""
        if self.locale_id is None:
            return self.number(f"{day.day} {day:%B %Y}")
        from babel.dates import format_date

        return self.number(format_date(day, "long", locale=self.locale_id))


def english() -> Words:
    """The source messages, without CLDR (no Babel import): for what briefkit prints to a
    terminal, and for dates only through :func:`words_for`."""
    return Words(language=SOURCE_LANGUAGE, messages=MESSAGES)


def words_for(
    language: str,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    digits: Digits = "locale",
) -> Words:
    """The words of a document in *language*, with a style sheet's *labels* overriding
    messages per language tag, and digits as the locale writes them unless *digits* says."""
    language = canonical_tag(language)
    chain = _lookup_chain(language)
    catalogue_name, translated = _best_catalogue(chain)
    messages = dict(MESSAGES)
    messages.update(translated)
    english = is_source_language(language)
    missing = () if english else tuple(k for k in MESSAGES if k not in translated)
    for tag in reversed(chain):  # the more specific tag wins: fr-CH over fr
        for tag_given, overrides in (labels or {}).items():
            if _normalised(tag_given) == tag:
                messages.update(overrides)
    missing = tuple(k for k in missing if messages[k] == MESSAGES[k])
    locale = _locale(language)
    return Words(
        language=language,
        messages=messages,
        locale_id=str(locale) if locale else None,
        digits=_digits(locale, digits, language),
        missing=missing,
        catalogue=catalogue_name,
        direction="rtl" if locale is not None and locale.text_direction == "rtl" else "ltr",
    )


def canonical_tag(tag: str) -> str:
    """*tag* in BCP 47's conventional case: "ZH-hans-cn" → "zh-Hans-CN"; an extension or
    private-use part ("-u-nu-arab", "-x-…") lower-case."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    singleton = False
    for part in parts[1:]:
        if singleton or len(part) == 1:
            singleton = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _normalised(tag: str) -> str:
    return tag.replace("-", "_").lower()


def _lookup_chain(language: str) -> list[str]:
    """Catalogue names to try for *language*, most specific first, lower-case: for "zh-CN"
    ["zh_hans_cn", "zh_hans", "zh_cn", "zh"]; the script comes from CLDR's likely subtags."""
    locale = _locale(language)
    base = _normalised(language).split("_")[0]
    if locale is None:
        return [_normalised(language), base] if "_" in _normalised(language) else [base]
    script = locale.script or _likely_script(locale)
    candidates = [
        (locale.language, script, locale.territory),
        (locale.language, script),
        (locale.language, locale.territory),
        (locale.language,),
    ]
    names = ["_".join(p for p in parts if p).lower() for parts in candidates if all(parts)]
    return list(dict.fromkeys(names))


def _likely_script(locale: Locale) -> str | None:
    from babel.core import get_global

    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.territory}", locale.language):
        if key in likely:
            parts = likely[key].split("_")
            return parts[1] if len(parts) > 2 else None
    return None


@cache
def _locale(language: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag; plain "en" is CLDR's international English (en_001:
    "28 November 2026"), not US English."""
    from babel import Locale, UnknownLocaleError

    tag = "en-001" if language.lower() == "en" else language.split("-u-")[0].split("-x-")[0]
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def _digits(locale: Locale | None, digits: Digits, language: str) -> str:
    """The digits of *digits*' choice: the tag's own ("ar-u-nu-arab"), else the locale's."""
    requested = re.search(r"-u(?:-\w+)*?-nu-(\w+)", language)
    if digits == "locale" and requested and requested.group(1) in _DIGITS:
        return _DIGITS[requested.group(1)]
    if locale is None or digits == "latin":
        return LATIN_DIGITS
    if digits == "native":
        system = locale.other_numbering_systems.get("native", "latn")
    else:
        system = locale.default_numbering_system
    return _DIGITS.get(system, LATIN_DIGITS)


def catalogue_for(language: str) -> str | None:
    """The shipped catalogue the documents of *language* take their words from ("ar"), if
    any; None for English and for a language with none (its words print in English)."""
    return None if is_source_language(language) else _best_catalogue(_lookup_chain(language))[0]


def _best_catalogue(chain: list[str]) -> tuple[str | None, dict[str, str]]:
    from briefkit.i18n.catalogues import available, read

    shipped = available()
    for name in chain:
        if name in shipped:
            return shipped[name], read(shipped[name])
    return None, {}
