"""Check that every quoted excerpt really appears in its source's local text.

Only whitespace, typographic quotes and dashes are normalised: a quote that differs in any
other way (a changed word, different case, an ellipsis for omitted text) is not verbatim.
"""

from __future__ import annotations

import unicodedata

from briefkit.diagnostics import Diagnostic, Severity
from briefkit.files import InputFileError, read_regular
from briefkit.model import Brief
from briefkit.repository import repository_root
from briefkit.source import SourceDocument

# A source text is an article or a report, not a corpus: larger files are refused rather than
# read into memory (and normalised) whole.
MAX_SOURCE_TEXT_BYTES = 16 * 1024 * 1024

_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def normalise(text: str) -> str:
    """Compare in NFC (as brief text is loaded), ignoring whitespace, quote marks and dashes."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_TRANSLATION).split())


def check_quotes(brief: Brief, doc: SourceDocument) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    root = repository_root(doc.path)
    texts: dict[str, str | None] = {}
    for index, source in enumerate(brief.sources):
        if source.text is None:
            continue
        loc = ("sources", index, "text")
        target = (doc.path.parent / source.text).resolve()
        if not target.is_relative_to(root):
            problems.append(
                doc.diagnostic(
                    loc,
                    f"'{source.text}' is outside the brief repository {root}; "
                    "keep source texts inside it",
                )
            )
            continue
        if not target.exists():
            texts[source.id] = None
            problems.append(
                doc.diagnostic(
                    loc,
                    f"source text '{source.text}' not found; quotes from this source are not "
                    "verified",
                    severity=Severity.WARNING,
                )
            )
            continue
        try:
            raw = read_regular(target, MAX_SOURCE_TEXT_BYTES)
            texts[source.id] = normalise(raw.decode("utf-8-sig"))
        except InputFileError as exc:
            problems.append(doc.diagnostic(loc, f"source text '{source.text}' {exc}"))
        except UnicodeDecodeError as exc:
            problems.append(
                doc.diagnostic(
                    loc,
                    f"source text '{source.text}' is not UTF-8 text (byte {exc.start:,} is "
                    f"0x{raw[exc.start]:02x}); save it as UTF-8",
                )
            )

    for index, evidence in enumerate(brief.evidence):
        text = texts.get(evidence.source)
        if evidence.quote is None or text is None:
            continue
        quote = normalise(evidence.quote)
        if quote in text:
            continue
        matched = _longest_prefix_found(quote, text)
        hint = (
            f"; the first {matched} of {len(quote)} characters match, up to "
            f"'…{quote[max(0, matched - 30) : matched]}'"
            if matched
            else ""
        )
        problems.append(
            doc.diagnostic(
                ("evidence", index, "quote"),
                f"quote not found in the text of source '{evidence.source}'{hint} "
                "(quotes must be verbatim; only whitespace, quote marks and dashes may differ)",
            )
        )
    return problems


def _longest_prefix_found(quote: str, text: str) -> int:
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low
