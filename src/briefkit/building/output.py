"""Write files atomically: a reader sees the old file or the new one, never a torn one.

Permissions are the user's: a new file gets the mode the umask allows (as any program's new
file would), and a file that is replaced keeps its mode, so a ``chmod 600`` on a TLP:RED PDF
survives the next build.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

_NEW_FILE_MODE = 0o666  # before the umask, as open(2) and every editor use
_O_BINARY = getattr(os, "O_BINARY", 0)
_TOKEN_BYTES = 6
_TEMPORARY = re.compile(rf"\..+\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}\.tmp")


def write_atomic(path: Path, data: bytes | str, *, mode: int | None = None) -> os.stat_result:
    """Replace *path* with *data* atomically.

    *mode* forces the permissions (e.g. 0o600 for private caches); by default the file keeps
    the mode of the file it replaces, or gets 0o666 less the umask when it is new. Returns
    the status of the file as written (its modification time is that of these bytes, even if
    someone replaces the file again at once).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = mode
    if keep is None:
        with contextlib.suppress(OSError):
            existing = os.stat(path)
            if stat.S_ISREG(existing.st_mode):
                keep = stat.S_IMODE(existing.st_mode)
    fd, tmp_name = _create_temporary(path, 0o600 if keep is not None else _NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        if keep is not None:
            os.chmod(tmp_name, keep)
        os.replace(tmp_name, path)
        return written
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _create_temporary(path: Path, mode: int) -> tuple[int, str]:
    """A new, empty file beside *path*; *mode* is filtered by the umask, as for any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | getattr(os, "O_NOFOLLOW", 0)
    for _attempt in range(100):
        name = str(path.parent / f".{path.name}.{secrets.token_hex(_TOKEN_BYTES)}.tmp")
        try:
            return os.open(name, flags, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files of :func:`write_atomic` left in *folder* by a writer that
    was stopped between creating one and renaming or removing it."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if _TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
