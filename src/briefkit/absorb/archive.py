"""Read the parts of a .docx from outside (an office-edited document: untrusted).

The file goes through :func:`briefkit.reading.files.read_regular` (no FIFO, no device, a size
limit); the zip is checked before a member is inflated (how many members, only the stored and
deflated methods an Office package may use, no encryption) and a member is inflated in
chunks, counting what it really inflates to rather than trusting the size it declares.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from briefkit.diagnostics import FileProblem, UserError
from briefkit.reading.files import read_regular

MAX_PACKAGE_BYTES = 128 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 10_000
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_ENCRYPTED = 0x1
_CENTRAL_ENTRY = b"PK\x01\x02"  # every member's central-directory record starts with it
_CHUNK = 1 << 20
# what a damaged archive raises while it is opened or inflated
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError)


class DocumentError(FileProblem):
    """The .docx cannot be read (not a Word document, damaged, outside the limits)."""


def read_members(path: Path, names: Iterable[str]) -> dict[str, bytes | None]:
    """The inflated bytes of each member of *names* in the package at *path* (None: absent).

    Raises :class:`DocumentError`, naming the file and what is allowed, for anything else.
    """
    try:
        data = read_regular(path, MAX_PACKAGE_BYTES)
    except UserError as exc:
        raise DocumentError(path, str(exc)) from None
    # an upper bound of the member count, before zipfile reads every record into memory
    if data.count(_CENTRAL_ENTRY) > MAX_MEMBERS:
        raise DocumentError(path, f"has more than {MAX_MEMBERS:,} zip members (the limit)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_members(package.infolist(), path)
            return {name: _member(package, name, path) for name in names}
    except _DAMAGED as exc:
        raise DocumentError(path, f"not a Word document, or a damaged one ({exc})") from None


def _check_members(members: list[zipfile.ZipInfo], path: Path) -> None:
    for info in members:
        if info.flag_bits & _ENCRYPTED:
            raise DocumentError(
                path,
                f"member {info.filename!r} is encrypted (only unencrypted documents "
                "can be read; save it without a password)",
            )
        if info.compress_type not in _METHODS:
            allowed = " or ".join(_METHODS.values())
            raise DocumentError(
                path,
                f"member {info.filename!r} uses zip compression method "
                f"{info.compress_type} (only {allowed} members can be read)",
            )
    names = [info.filename for info in members]
    if len(set(names)) != len(names):
        raise DocumentError(path, "holds two zip members of the same name")


def _member(package: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    chunks = []
    total = 0
    with package.open(info) as member:
        while chunk := member.read(min(_CHUNK, MAX_PART_BYTES + 1 - total)):
            total += len(chunk)
            if total > MAX_PART_BYTES:
                raise DocumentError(
                    path,
                    f"{name} inflates to more than {MAX_PART_BYTES:,} bytes "
                    "(the limit for one part)",
                )
            chunks.append(chunk)
    return b"".join(chunks)
