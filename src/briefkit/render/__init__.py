"""Renderers: Document + Style → bytes of one output format.

The formats briefkit writes are declared here, once: ``build``, the output folder's manifest,
``watch`` and the command line read this table. Adding a format is one module with a function
``render(document, style, *, epoch) -> bytes`` and one line below; the module is imported only
when a brief is built in that format.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.layout.document import Document
    from briefkit.style.sheet import Style

Renderer = Callable[..., bytes]


@dataclass(frozen=True)
class Format:
    name: str  # as written in --format
    extension: str  # of the output file, with its dot
    renderer: str  # "module:function", imported on first use
    description: str

    def render(self, document: Document, style: Style, *, epoch: int | None) -> bytes:
        module, function = self.renderer.split(":")
        if module not in sys.modules:
            importlib.import_module(module)
            # a renderer's modules live as long as the process: the collector need not scan
            # them again (objects that are not garbage cycles are freed as usual)
            gc.freeze()
        render: Renderer = getattr(sys.modules[module], function)
        return render(document, style, epoch=epoch)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ".pdf", "briefkit.render.pdf.writer:render_pdf", "PDF to read and send"),
        Format("docx", ".docx", "briefkit.render.docx:render_docx", "Word document to edit"),
        Format("html", ".html", "briefkit.render.html:render_html", "web page for the intranet"),
        Format("email", ".email.html", "briefkit.render.html:render_email", "HTML for e-mail"),
    )
}
DEFAULT_FORMATS = ("pdf", "docx")
OUTPUT_SUFFIXES = tuple(f.extension for f in FORMATS.values())
