"""What the command line does to its own process, and why: nothing here changes what a
command prints or returns, only how the process starts, collects and ends.

Only the program run from a shell gets these (:func:`run_as_program`); a program that calls
``main([...])`` (a test's runner, a script) gets an ordinary click command.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

from briefkit.building.collector import YOUNG_THRESHOLD


def replace_unencodable() -> None:
    """Print "?" for characters the terminal cannot show (a latin-1 or Windows console, or
    ``PYTHONIOENCODING=latin-1``) instead of failing with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            # a closed or unusual stream is left as it is
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def run_as_program(command: Callable[[], object]) -> NoReturn:
    """Run *command* as the whole process.

    Objects imported so far are never collected, so the collector need not scan them again,
    and it collects less often (see briefkit.building.collector); once the output is flushed,
    the process ends without tearing down its modules (a tenth of a second of a short
    command's time)."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    try:
        command()
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    exit_now(code)


def exit_now(code: str | int | None) -> NoReturn:
    """End the process with *code* as ``sys.exit`` would, without the interpreter's teardown.

    Falls back to ``sys.exit`` when the output cannot be flushed (a closed pipe) or *code* is
    not a number, so that what is printed and the exit status stay exactly those of an
    ordinary exit."""
    if code is None:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code & 0xFF)
