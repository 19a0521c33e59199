"""Read files briefkit did not write itself, as untrusted input.

A path named by a brief, a manifest or a command line may be a FIFO (opening it waits for a
writer forever), a device such as ``/dev/zero`` (reading it never ends) or a huge file. Every
such read goes through :func:`read_regular`, which refuses anything but a regular file within
a size limit, without blocking and without reading more than the limit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from briefkit.diagnostics import UserError

_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(UserError, OSError):
    """A file that cannot be used as input; ``str()`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _open_regular(path: Path, limit: int | None) -> tuple[int, os.stat_result]:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except IsADirectoryError:
        raise InputFileError("is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(f"cannot be read: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise InputFileError(f"is {_kind(info.st_mode)}, not a regular file")
    if limit is not None and info.st_size > limit:
        os.close(fd)
        raise InputFileError(f"is {info.st_size:,} bytes; the limit is {limit:,} bytes")
    return fd, info


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of *path*, if it is a regular file of at most *limit* bytes.

    Raises :class:`InputFileError` otherwise; never blocks on a FIFO or reads past *limit*
    (a file that grows while it is read is refused too).
    """
    fd, _info = _open_regular(path, limit)
    chunks = []
    total = 0
    try:
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total) or 1):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputFileError(f"is more than {limit:,} bytes; the limit is {limit:,} bytes")
    except BlockingIOError:
        raise InputFileError("cannot be read without waiting") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def hash_regular(path: Path) -> tuple[str, os.stat_result]:
    """SHA-256 of a regular file, read in chunks, and its status; InputFileError otherwise."""
    fd, info = _open_regular(path, None)
    digest = hashlib.sha256()
    try:
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest(), info


def regular_file_stat(path: Path) -> os.stat_result | None:
    """The status of *path* if it is a regular file (symlinks followed), else None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None
