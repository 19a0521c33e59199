"""The machine's font cache: where it is, entries written atomically with a checksum, and a
lock so that parallel builds prepare each face once and say so once."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from briefkit.building.output import write_atomic
from briefkit.fonts.families import Family, FontError, slug, version

# Bump when the way faces are built changes (tables dropped, axes pinned, subset options), so
# files cached by an older briefkit are not reused.
RECIPE = 4


def cache_dir() -> Path:
    """briefkit's cache directory: $BRIEFKIT_CACHE_DIR, else the XDG cache home."""
    explicit = os.environ.get("BRIEFKIT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "briefkit"


def fonts_dir() -> Path:
    return cache_dir() / "fonts"


def write_atomically(target: Path, data: bytes) -> None:
    """Write atomically, so readers never see a partial file and parallel processes building
    the same face simply replace each other's result."""
    try:
        write_atomic(target, data, mode=0o600)
    except OSError as exc:
        raise FontError(
            f"cannot write the font cache in {target.parent}: {exc.strerror or exc} "
            "(set BRIEFKIT_CACHE_DIR to a writable directory)"
        ) from exc


def store(target: Path, data: bytes) -> None:
    """Write a cache entry and its checksum, each atomically (see :func:`intact`)."""
    write_atomically(target, data)
    write_atomically(_digest_path(target), hashlib.sha256(data).hexdigest().encode("ascii"))


def _digest_path(face: Path) -> Path:
    return face.with_name(face.name + ".sha256")


def intact(face: Path) -> bool:
    """True when the cached *face* is there and is the file that was written: a truncated or
    damaged cache entry (a full disk, a killed process, a bad copy) is built again."""
    try:
        # A face checked before in this process is not read and hashed again while it and its
        # checksum are the same files, unchanged (ctime moves on any write).
        signature = tuple(
            (s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)
            for s in (face.stat(), _digest_path(face).stat())
        )
        if _INTACT.get(face) == signature:
            return True
        expected = _digest_path(face).read_text(encoding="ascii").strip()
        if hashlib.sha256(face.read_bytes()).hexdigest() != expected:
            return False
    except OSError:
        return False
    _INTACT[face] = signature
    return True


_INTACT: dict[Path, tuple[tuple[int, int, int, int], ...]] = {}


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


# Families this process has said it prepares (one line each on the terminal).
_ANNOUNCED: set[str] = set()


@contextlib.contextmanager
def preparing(target: Path, fam: Family) -> Iterator[None]:
    """Hold the cache's lock for *target* while it is prepared, so parallel builds (``-j``,
    two terminals) prepare each face once; say once per family that fonts are prepared."""
    lock_path = target.with_name(target.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError as exc:
        raise FontError(
            f"cannot write the font cache in {target.parent}: {exc.strerror or exc} "
            "(set BRIEFKIT_CACHE_DIR to a writable directory)"
        ) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not intact(target):
            _announce(fam, target.parent)
        yield
    finally:
        os.close(fd)  # releases the lock


# How long one process's line stands for a family's preparation: workers of one build (and
# builds started together) prepare its faces within it, and say nothing more.
_ANNOUNCEMENT_SECONDS = 600


def _announce(fam: Family, folder: Path) -> None:
    """Say that *fam* is being prepared: once per process, and once across processes that
    prepare its faces at the same time (``-j``: each worker prepares other faces)."""
    if fam.name in _ANNOUNCED:
        return
    _ANNOUNCED.add(fam.name)
    marker = folder / f".announced-{slug(fam)}-{version(fam)}"
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - marker.lstat().st_mtime < _ANNOUNCEMENT_SECONDS:
                return
            os.utime(marker, follow_symlinks=False)
    except OSError:
        pass  # a line too many is better than none
    what = fam.path.name if fam.path is not None else fam.name
    print(f"preparing fonts for {what} (once per machine)…", file=sys.stderr, flush=True)
