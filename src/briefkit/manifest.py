"""The build manifest: what each output was built from, so unchanged briefs are skipped.

``<out>/.briefkit-manifest.json`` records, per brief, a hash of the build settings (briefkit
version, formats, style override, SOURCE_DATE_EPOCH, source revision), every input file read
(the brief, its style sheets, source texts) with its content hash, and the outputs with theirs.
A brief is up to date when all of that still holds; size and modification time let unchanged
files be confirmed without reading them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefkit.diagnostics import Diagnostic, Severity
from briefkit.output import write_atomic

MANIFEST_NAME = ".briefkit-manifest.json"
FORMAT_VERSION = 1


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class FileStamp:
    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        stat = path.stat()
        return cls(sha256_file(path), stat.st_size, stat.st_mtime_ns)

    def matches(self, path: Path, *, trust_time: bool = False) -> bool:
        """Whether *path* still has this content.

        Only outputs (which briefkit writes) are trusted on size and modification time: an
        edit saved within the file system's clock tick keeps both, so inputs are hashed.
        """
        try:
            stat = path.stat()
        except OSError:
            return False
        if stat.st_size != self.size:
            return False
        if trust_time and stat.st_mtime_ns == self.mtime_ns:
            return True
        return sha256_file(path) == self.sha256


@dataclass
class Entry:
    settings: str
    inputs: dict[str, FileStamp] = field(default_factory=dict)
    outputs: dict[str, FileStamp] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)  # files whose appearance changes the build
    # the warnings the build printed, printed again when a later build skips the brief
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Manifest:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)  # missing or unreadable: everything is rebuilt
        if raw.get("format") != FORMAT_VERSION:
            return cls(path)
        entries = {
            brief: Entry(
                settings=entry["settings"],
                inputs={p: FileStamp(**s) for p, s in entry["inputs"].items()},
                outputs={p: FileStamp(**s) for p, s in entry["outputs"].items()},
                absent=list(entry.get("absent", [])),
                warnings=[w for w in entry.get("warnings", []) if isinstance(w, dict)],
            )
            for brief, entry in raw.get("briefs", {}).items()
        }
        return cls(path, entries)

    def save(self) -> None:
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
                for brief, entry in sorted(self.entries.items())
            },
        }
        write_atomic(self.path, json.dumps(data, indent=1) + "\n")

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
        outputs: list[Path],
        absent: list[Path] | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> None:
        """*inputs* are stamped when the build read them, not now: an input saved while the
        build ran then no longer matches, and the next build picks the change up."""
        self.entries[self.key(brief)] = Entry(
            settings=settings,
            inputs={self.key(p): stamp for p, stamp in inputs.items()},
            outputs={self.key(p): FileStamp.of(p) for p in outputs},
            absent=[self.key(p) for p in absent or []],
            warnings=[w.as_dict() for w in warnings or []],
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

    def orphans(self) -> dict[str, list[Path]]:
        """Outputs recorded for briefs whose source file no longer exists."""
        return {
            brief: [self.resolve(name) for name in sorted(entry.outputs)]
            for brief, entry in self.entries.items()
            if not self.resolve(brief).exists()
        }

    def forget(self, brief: str) -> None:
        self.entries.pop(brief, None)


def settings_hash(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
