"""``briefkit absorb``: an edited Word document back into the brief it was built from.

The modules, in the order they work:

- ``reader``: the .docx as runs of text in their field marks, tracked changes, comments;
- ``fields``: the edited document compared with the one the brief prints (rendered again
  from the source the document records), giving edits, new parts, deletions and text that
  maps to nothing; ``markup`` turns runs back into the brief's inline markup;
- ``merge``: those edits applied to the brief as it is now, when it changed since (three-way);
- ``yaml_edit``: the YAML file changed in place, value by value.

Nothing is written unless every check passes; the updated brief is validated as ``check``
validates it, and written atomically.
"""

from __future__ import annotations

from briefkit.absorb.run import AbsorbError, Options, Report, absorb

__all__ = ["AbsorbError", "Options", "Report", "absorb"]
