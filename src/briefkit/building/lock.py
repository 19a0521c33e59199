"""One build per output folder at a time.

Two builds writing the same ``out/`` (say ``--style boardroom`` in one terminal and the default
style in another) would each stamp outputs in the manifest that the other then overwrites. A
build therefore holds an exclusive lock on ``out/.briefkit-lock`` from reading the manifest to
saving it; a second build waits for it (saying so), or with ``--no-wait`` refuses to start.

The lock is an operating-system lock (``fcntl.flock``, ``msvcrt.locking`` on Windows), so it is
released when its process ends, however it ends: a killed build never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from briefkit.diagnostics import UserError

LOCK_NAME = ".briefkit-lock"
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Busy(UserError):
    """Another build holds the output folder's lock and we were told not to wait."""


class Unlockable(UserError):
    """The output folder's lock file cannot be opened, so the build cannot be the only one."""


@contextlib.contextmanager
def output_lock(
    out_dir: Path, *, wait: bool = True, on_wait: Callable[[str], None] = lambda message: None
) -> Iterator[None]:
    """Hold the lock of *out_dir* for the duration of the block.

    A folder that cannot be created is not locked: nothing can be written there, and the
    build reports that for each brief. A lock file that cannot be opened as a regular file
    (a folder, a symbolic link, no permission) is :class:`Unlockable`: a build without the
    lock could mix its outputs with another's.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    path = out_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _O_NOFOLLOW, 0o666)
    except OSError as exc:
        reason = "it is a symbolic link" if os.path.islink(path) else exc.strerror or str(exc)
        raise Unlockable(f"cannot lock {path.as_posix()} ({reason}); nothing was built") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unlockable(f"cannot lock {path.as_posix()}: it is not a regular file")
        if not _try_lock(fd):
            where = out_dir.as_posix().rstrip("/") + "/"
            if not wait:
                raise Busy(f"another briefkit build is writing to {where}; not waiting (--no-wait)")
            on_wait(f"waiting for another briefkit build writing to {where} to finish…")
            _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(fd: int) -> None:
        while not _try_lock(fd):
            import time

            time.sleep(0.2)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
