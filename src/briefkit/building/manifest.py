"""The build manifest: what each output was built from, so unchanged briefs are skipped.

``<out>/.briefkit-manifest.json`` records, per brief, a hash of the build settings (briefkit
version, formats, style override, SOURCE_DATE_EPOCH, source revision), every input file read
(the brief, its style sheets, source texts) with its content hash, and the outputs with theirs.
A brief is up to date when all of that still holds; size and modification time let unchanged
files be confirmed without reading them.

The manifest is untrusted input (a restored CI cache, a committed ``out/``): it is checked
against its schema, and a manifest of any other shape is ignored with one warning, so that
everything is rebuilt. Outputs it names must be plain file names in the output folder, and the
files it names are only ever read if they are regular files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefkit.building.output import write_atomic
from briefkit.diagnostics import Diagnostic, Severity, UserError, display_path
from briefkit.reading.files import InputFileError, hash_regular, read_regular, regular_file_stat
from briefkit.render import OUTPUT_SUFFIXES

MANIFEST_NAME = ".briefkit-manifest.json"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ManifestNotSaved(UserError):
    """The manifest could not be written (a full disk, a read-only folder)."""


class InvalidManifest(ValueError):
    """The manifest file does not have the shape briefkit writes; the message says where."""


def sha256_file(path: Path) -> str:
    return hash_regular(path)[0]


@dataclass
class FileStamp:
    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        """Stamp a regular file; raises OSError (InputFileError) for anything else."""
        digest, stat = hash_regular(path)
        return cls(digest, stat.st_size, stat.st_mtime_ns)

    @classmethod
    def of_written(cls, data: bytes, written: os.stat_result) -> FileStamp:
        """Stamp the *data* this build wrote (*written*: the file's status as written), not
        whatever the file holds when the manifest is saved: an output another build replaced
        in between then does not match, and is rebuilt."""
        return cls(hashlib.sha256(data).hexdigest(), len(data), written.st_mtime_ns)

    def matches(self, path: Path, *, trust_time: bool = False) -> bool:
        """Whether *path* still has this content.

        Only outputs (which briefkit writes) are trusted on size and modification time: an
        edit saved within the file system's clock tick keeps both, so inputs are hashed.
        """
        stat = regular_file_stat(path)  # a FIFO or a device never matches, and is never read
        if stat is None or stat.st_size != self.size:
            return False
        if trust_time and stat.st_mtime_ns == self.mtime_ns:
            return True
        try:
            return sha256_file(path) == self.sha256
        except OSError:
            return False


@dataclass
class Entry:
    settings: str
    inputs: dict[str, FileStamp] = field(default_factory=dict)
    outputs: dict[str, FileStamp] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)  # files whose appearance changes the build
    # the warnings the build printed, printed again when a later build skips the brief
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # the brief's text as built: the version `briefkit absorb` merges an edited document on
    source: str | None = None


@dataclass
class Manifest:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    warning: str | None = None  # why the manifest on disk was ignored, if it was

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in *out_dir*; empty (everything is rebuilt) when there is none, and
        empty with a :attr:`warning` when the file is unreadable or not a manifest."""
        path = out_dir / MANIFEST_NAME
        if not os.path.lexists(path):
            return cls(path)
        try:
            raw = json.loads(read_regular(path, MAX_MANIFEST_BYTES).decode("utf-8"))
            entries = _parse(raw)
        except InvalidManifest as exc:
            return cls(path, warning=f"not a briefkit manifest: {exc}")
        except (UnicodeDecodeError, ValueError, RecursionError):
            return cls(path, warning="not a briefkit manifest: it is not valid JSON")
        except InputFileError as exc:
            return cls(path, warning=f"the manifest {exc}")
        return cls(path, entries)

    def save(self) -> None:
        """Write the manifest atomically; ManifestNotSaved if it cannot be written."""
        data = {
            "format": FORMAT_VERSION,
            "briefs": {
                brief: {
                    "settings": entry.settings,
                    "inputs": {p: asdict(s) for p, s in sorted(entry.inputs.items())},
                    "outputs": {p: asdict(s) for p, s in sorted(entry.outputs.items())},
                    "absent": sorted(entry.absent),
                    "warnings": entry.warnings,
                }
                | ({"source": entry.source} if entry.source is not None else {})
                for brief, entry in sorted(self.entries.items())
            },
        }
        try:
            write_atomic(self.path, json.dumps(data, indent=1) + "\n")
        except OSError as exc:
            # Not only work saved for next time: absorb finds the text a .docx was built
            # from here, so a build that cannot record it has failed.
            raise ManifestNotSaved(
                f"cannot save {display_path(self.path)} ({exc.strerror or exc}): the next build "
                "cannot tell what is up to date, and absorb may not find the text the documents "
                "were built from; free some space (or make the folder writable) and build again"
            ) from None

    # Paths are stored relative to the output directory, so a repository (or a CI cache of
    # its out/) can move without making everything stale.
    def key(self, path: Path) -> str:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.path.parent))

    def resolve(self, name: str) -> Path:
        return Path(os.path.normpath(self.path.parent / name))

    def up_to_date(self, brief: Path, settings: str) -> bool:
        entry = self.entries.get(self.key(brief))
        if entry is None or entry.settings != settings:
            return False
        if any(self.resolve(name).exists() for name in entry.absent):
            return False
        return all(
            stamp.matches(self.resolve(name)) for name, stamp in entry.inputs.items()
        ) and all(
            stamp.matches(self.resolve(name), trust_time=True)
            for name, stamp in entry.outputs.items()
        )

    def record(
        self,
        brief: Path,
        settings: str,
        inputs: dict[Path, FileStamp],
        outputs: dict[Path, FileStamp],
        absent: list[Path] | None = None,
        warnings: list[Diagnostic] | None = None,
        *,
        source: str | None = None,
    ) -> None:
        """*inputs* are stamped when the build read them, not now: an input saved while the
        build ran then no longer matches, and the next build picks the change up. *outputs*
        are stamped with the bytes the build wrote, so an output another build replaced since
        does not match either."""
        self.entries[self.key(brief)] = Entry(
            settings=settings,
            inputs={self.key(p): stamp for p, stamp in inputs.items()},
            outputs={self.key(p): stamp for p, stamp in outputs.items()},
            absent=[self.key(p) for p in absent or []],
            warnings=[w.as_dict() for w in warnings or []],
            source=source,
        )

    def warnings(self, brief: Path) -> list[Diagnostic]:
        """The warnings recorded for *brief*'s last build."""
        entry = self.entries.get(self.key(brief))
        found = []
        for data in entry.warnings if entry else []:
            try:
                found.append(Diagnostic(**{**data, "severity": Severity(data["severity"])}))
            except (TypeError, KeyError, ValueError):
                continue  # written by another briefkit: the warning is simply not repeated
        return found

    def orphans(self, claimed: set[Path] | frozenset[Path] = frozenset()) -> dict[str, list[Path]]:
        """Outputs recorded for briefs whose source file no longer exists, except outputs that
        a current brief (*claimed*, e.g. a brief moved to another folder) or another entry
        writes."""
        live = {os.path.abspath(p) for p in claimed}
        for brief, entry in self.entries.items():
            if self.resolve(brief).exists():
                live.update(os.path.abspath(self.resolve(name)) for name in entry.outputs)
        orphans = {}
        for brief, entry in self.entries.items():
            if self.resolve(brief).exists():
                continue
            outputs = [
                self.resolve(name)
                for name in sorted(entry.outputs)
                if os.path.abspath(self.resolve(name)) not in live
            ]
            orphans[brief] = outputs
        return orphans

    def forget(self, brief: str) -> None:
        self.entries.pop(brief, None)


def _parse(raw: Any) -> dict[str, Entry]:
    """The entries of a manifest as read from JSON; InvalidManifest when its shape is wrong."""
    if not isinstance(raw, dict):
        raise InvalidManifest("it is not a JSON object")
    if raw.get("format") != FORMAT_VERSION:
        raise InvalidManifest(f"its format is {raw.get('format')!r}, not {FORMAT_VERSION}")
    briefs = raw.get("briefs", {})
    if not isinstance(briefs, dict):
        raise InvalidManifest("'briefs' is not an object")
    return {_text(brief, "a brief"): _entry(brief, entry) for brief, entry in briefs.items()}


def _entry(brief: str, raw: Any) -> Entry:
    where = f"briefs[{brief!r}]"
    if not isinstance(raw, dict) or set(raw) - {
        "settings",
        "inputs",
        "outputs",
        "absent",
        "warnings",
        "source",
    }:
        raise InvalidManifest(f"{where} is not an object with settings, inputs and outputs")
    outputs = _stamps(raw.get("outputs"), f"{where}.outputs")
    for name in outputs:
        # Outputs are plain file names in the output folder: a manifest naming
        # "../../victim.txt" must never make briefkit delete (or trust) that file.
        if (
            name != os.path.basename(name)
            or "\\" in name
            or name.startswith(".")
            or not name.endswith(OUTPUT_SUFFIXES)
        ):
            raise InvalidManifest(f"{where}.outputs names {name!r}, not a file in the folder")
    absent = raw.get("absent", [])
    if not isinstance(absent, list):
        raise InvalidManifest(f"{where}.absent is not a list")
    warnings = raw.get("warnings", [])
    if not isinstance(warnings, list) or not all(isinstance(w, dict) for w in warnings):
        raise InvalidManifest(f"{where}.warnings is not a list of objects")
    source = raw.get("source")
    if source is not None and not isinstance(source, str):
        raise InvalidManifest(f"{where}.source is not a text")
    return Entry(
        settings=_text(raw.get("settings"), f"{where}.settings"),
        inputs=_stamps(raw.get("inputs"), f"{where}.inputs"),
        outputs=outputs,
        absent=[_text(name, f"{where}.absent") for name in absent],
        warnings=warnings,
        source=source,
    )


def kept_source(out_dir: Path, sha256: str) -> str | None:
    """The text of a brief as some build recorded in *out_dir*'s manifest kept it, whose
    SHA-256 (of its UTF-8 bytes) is *sha256*; None when no entry keeps it."""
    for entry in Manifest.load(out_dir).entries.values():
        if entry.source is not None:
            digest = hashlib.sha256(entry.source.encode("utf-8")).hexdigest()
            if digest == sha256:
                return entry.source
    return None


def _stamps(raw: Any, where: str) -> dict[str, FileStamp]:
    if not isinstance(raw, dict):
        raise InvalidManifest(f"{where} is not an object")
    stamps = {}
    for name, stamp in raw.items():
        if (
            not isinstance(stamp, dict)
            or set(stamp) != {"sha256", "size", "mtime_ns"}
            or not isinstance(stamp["sha256"], str)
            or not _SHA256.match(stamp["sha256"])
            or type(stamp["size"]) is not int
            or type(stamp["mtime_ns"]) is not int
            or stamp["size"] < 0
        ):
            raise InvalidManifest(f"{where}[{name!r}] is not a file stamp")
        stamps[_text(name, where)] = FileStamp(**stamp)
    return stamps


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value or "\0" in value:
        raise InvalidManifest(f"{where} is not a non-empty text")
    return value


def settings_hash(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
