"""The garbage collector while briefs are read and built.

Reading and rendering a brief allocates a great many objects that all live until its outputs
are written. Python's default (a young collection every 700 allocations, and with them ever
longer full ones over everything still alive) then spends a growing share of the time
re-examining live objects: from 200 to 1,600 signals, time per signal rose by a fifth for check
and the PDF. Collecting every 2,000 allocations keeps it within about a tenth (see
benchmarks/bench.py) for a few megabytes more at the peak; 10,000 was no quicker and held 80 MB
more of cyclic garbage at 1,600 signals.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_THRESHOLD = 2_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect less often inside the block; as before after it (also as a decorator)."""
    previous = gc.get_threshold()
    if previous[0] >= YOUNG_THRESHOLD:  # already so (a caller's block, or the command line)
        yield
        return
    gc.set_threshold(YOUNG_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
