"""Links in text fields: which targets are allowed, and where ``[text](target)`` points.

Apart from :mod:`briefkit.layout.inline` (which builds the document's spans) so that ``check`` reads
the links without importing the document model.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

LINK_SCHEMES = ("http://", "https://", "mailto:")


@cache
def inline_parser() -> MarkdownIt:
    """markdown-it reading only the inline markup briefkit knows (see briefkit.layout.inline)."""
    from markdown_it import MarkdownIt

    class EveryLink(MarkdownIt):
        # Parse every link, so that check can report a refused one (see allowed_link) instead
        # of markdown-it silently leaving its markup in the text.
        def validateLink(self, url: str) -> bool:
            return True

    return EveryLink("zero").enable(["emphasis", "backticks", "link", "escape", "newline"])


def allowed_link(href: str) -> bool:
    """Links may go to the web or to an e-mail address, nowhere else (no files, no apps)."""
    return href.lower().startswith(LINK_SCHEMES)


def link_targets(text: str) -> list[str]:
    """The targets of the ``[text](target)`` links in *text*, as markdown-it reads them."""
    tokens = inline_parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    return [str(t.attrs.get("href", "")) for t in children if t.type == "link_open"]
