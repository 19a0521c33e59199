"""briefkit: compile executive briefs from YAML sources to PDF and editable Word documents.

Scripting API::

    import briefkit
    brief = briefkit.load_brief("briefs/example.yaml")   # raises briefkit.BriefError
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Brief", "BriefError", "Diagnostic", "__version__", "check_brief", "load_brief"]

if TYPE_CHECKING:
    from briefkit.brief.model import Brief
    from briefkit.checks.loader import check_brief, load_brief
    from briefkit.diagnostics import BriefError, Diagnostic

_LAZY = {
    "Brief": "briefkit.brief.model",
    "BriefError": "briefkit.diagnostics",
    "Diagnostic": "briefkit.diagnostics",
    "check_brief": "briefkit.checks.loader",
    "load_brief": "briefkit.checks.loader",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import briefkit` (and the CLI start-up) stays cheap.
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'briefkit' has no attribute {name!r}")
