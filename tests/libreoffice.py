"""LibreOffice's PDFs of the Word documents the suite reads back, made in one ``soffice`` run.

LibreOffice takes a second or more to start, and a headless instance cannot be kept running
between conversions (it quits after a conversion it was handed), so the documents are
converted together: a module registers the function that writes its .docx files with
``@producer(name, fixture)``, and the first test that asks for the PDFs of one of them
(through the session's ``libreoffice`` fixture) has the documents of every producer a
selected test needs (one that uses *fixture*) written and converted in a single ``soffice``
call. Under pytest-xdist the workers share the one run through a lock file in the run's
temporary folder, so each document is converted once per test run, whichever worker asks.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

# writes the .docx files into the folder it is given; each file and where its PDF goes
Producer = Callable[[Path], dict[Path, Path]]

_PRODUCERS: dict[str, tuple[Producer, str]] = {}


def producer(name: str, fixture: str) -> Callable[[Producer], Producer]:
    """Register *name*'s documents, converted when a selected test uses *fixture*."""

    def register(function: Producer) -> Producer:
        _PRODUCERS[name] = (function, fixture)
        return function

    return register


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (workers may each convert a document)
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class LibreOffice:
    """The session's conversions, in *root* (shared by the workers of one run)."""

    def __init__(self, soffice: str, root: Path, used: Callable[[str], bool]) -> None:
        self.soffice, self.root, self.used = soffice, root, used
        root.mkdir(parents=True, exist_ok=True)

    def pdfs(self, name: str) -> dict[Path, Path]:
        """*name*'s documents (each .docx and LibreOffice's PDF of it), converted with those
        of every other producer a selected test needs, if no worker has converted them yet."""
        done_file = self.root / "converted.json"
        with _locked(self.root / ".lock"):
            done = json.loads(done_file.read_text()) if done_file.is_file() else {}
            if name not in done:
                wanted = [
                    other
                    for other, (_, fixture) in _PRODUCERS.items()
                    if other not in done and (other == name or self.used(fixture))
                ]
                done.update(self._convert(wanted))
                done_file.write_text(json.dumps(done))
        return {Path(word): Path(pdf) for word, pdf in done[name].items()}

    def _convert(self, names: list[str]) -> dict[str, dict[str, str]]:
        batch = self.root / "batch"
        batch.mkdir(exist_ok=True)
        jobs: list[tuple[str, Path, Path, Path]] = []  # producer, .docx, its link, its PDF
        for name in names:
            for word, pdf in _PRODUCERS[name][0](self.root / name).items():
                # one output folder for all: each document under a name of its own there
                linked = batch / f"{len(jobs):03d}-{word.name}"
                try:
                    os.link(word, linked)
                except OSError:
                    shutil.copyfile(word, linked)
                jobs.append((name, word, linked, pdf))
        profile = f"-env:UserInstallation={(self.root / 'profile').as_uri()}"
        command = [self.soffice, "--headless", profile, "--convert-to", "pdf", "--outdir"]
        words = [str(linked) for _, _, linked, _ in jobs]
        subprocess.run([*command, str(batch), *words], check=True, capture_output=True, timeout=900)
        result: dict[str, dict[str, str]] = {name: {} for name in names}
        for name, word, linked, pdf in jobs:
            converted = linked.with_suffix(".pdf")
            if converted.is_file():  # LibreOffice exits 0 when it cannot open a file
                pdf.parent.mkdir(parents=True, exist_ok=True)
                converted.replace(pdf)
            linked.unlink()
            result[name][str(word)] = str(pdf)
        return result
