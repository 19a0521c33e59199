"""Nothing leaks: an edition's bytes, in every format, hold nothing of a withheld part.

The brief's withheld parts carry marker strings (all containing "zebulon", in any case) in
their text, ids, source titles, URLs, quotes, stakeholder names and change notes, and one
character (Ÿ) that nothing kept uses, so that a font subset chosen from withheld text shows.
Every edition is built in every format (and the changes box, which compares the edition then
with the edition now) into a folder of its own; then every byte is searched: the PDF with its
streams decompressed by qpdf, every member of the .docx zip, the HTML, the e-mail HTML, the
folder's manifest, and the font subsets' ToUnicode maps. Markers of the kept parts must be
found, so the search is not vacuous.
"""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import commit, require_tool

LEVELS = ("zebclear", "zebgreen", "zebamber", "zebstrict", "zebred")
# characters only the amber and the red parts use: a glyph in an edition's font subset that
# only withheld text could have chosen shows as one of them
SENTINELS = {"zebamber": "Ð", "zebred": "Ÿ"}
EDITION_LEVEL = {"clear": 0, "green": 1, "TLP:GREEN": 1, "amber": 2}

BRIEF = """\
briefkit: 1
id: leaky
title: Editions without leaks
date: 2026-11-28
handling: TLP:RED
style: marked
summary:
  handling: TLP:AMBER
  bluf: Zebamber{a} bottom line, resting on [@e-zebgreen].
  judgments:
    - id: kj-zebclear
      text: Zebclear judgment [@e-zebclear].
      evidence: [e-zebclear]
      handling: TLP:CLEAR
    - id: kj-zebgreen
      text: Zebgreen judgment [@e-zebgreen].
      evidence: [e-zebgreen]
      handling: TLP:GREEN
    - id: kj-zebamber
      text: Zebamber{a} judgment [@e-zebamber].
      evidence: [e-zebamber]
      change_note: Zebamber note on the judgment.
      likelihood: likely
    - id: kj-zebred
      text: Zebred{r} judgment citing [@sig-zebred].
      handling: TLP:RED
signals:
  - id: sig-zebgreen
    title: Zebgreen signal
    observation: Zebgreen observation.
    interpretation: Zebgreen interpretation [@e-zebgreen].
    evidence: [e-zebgreen, e-zebamber]
    indicators: [Zebgreen indicator]
    handling: TLP:GREEN
  - id: sig-zebred
    title: Zebred{r} signal
    observation: Zebred observation.
    interpretation: Zebred interpretation.
    indicators: [Zebred indicator]
    change_note: Zebred note on the signal.
    handling: TLP:RED
stakeholders:
  - id: zebclear-holder
    name: Zebclear Holdings
    impact: Zebclear impact.
    direction: mixed
    signals: [sig-zebgreen]
    handling: TLP:CLEAR
  - id: zebamber-holder
    name: Zebamber{a} Holdings
    impact: Zebamber impact.
    direction: negative
    signals: [sig-zebred]
    handling: TLP:AMBER
questions:
  - id: q-zebclear
    question: Zebclear question?
    changes: [kj-zebclear, kj-zebamber]
    owner: Zebclear desk
    handling: TLP:CLEAR
  - id: q-zebstrict
    question: Zebstrict question?
    owner: Zebstrict desk
    handling: TLP:AMBER+STRICT
sources:
  - id: s-zebclear
    title: Zebclear source
    publisher: Zebclear Press
    url: https://zebclear.example/a
    handling: TLP:CLEAR
  - id: s-zebgreen
    title: Zebgreen source
    handling: TLP:GREEN
  - id: s-zebamber
    title: Zebamber{a} source
    publisher: Zebamber Press
    url: https://zebamber.example/a
    reliability: B
    text: zebamber-notes.txt
    handling: TLP:AMBER
evidence:
  - id: e-zebclear
    source: s-zebclear
    quote: zebclear quote
    handling: TLP:CLEAR
  - id: e-zebgreen
    source: s-zebgreen
    quote: zebgreen quote
    handling: TLP:GREEN
  - id: e-zebamber
    source: s-zebamber
    quote: zebamber{a} quote
    note: Zebamber note.
    handling: TLP:AMBER
editions:
  - name: amber
    handling: TLP:AMBER
    audience: Zebclear organisation
    withheld: mark
  - name: green
    handling: TLP:GREEN
    audience: Zebclear community
    bluf: Zebgreen community bottom line.
  - name: clear
    handling: TLP:CLEAR
    audience: Zebclear public
    bluf: Zebclear public bottom line.
    withheld: mark
"""

# the PDF embeds its source (a style can ask): an edition must not embed the brief's
STYLE = "extends: default\nportion_marks: true\npdf:\n  embed_source: true\n"
FORMATS = "pdf,docx,html,email"
# what each edition keeps, and what it must not hold
KEPT = {
    "clear": ["Keepsake clear judgment", "Keepsake Holdings", "Keepsake clear source"],
    "green": ["Keepsake green judgment", "Keepsake green signal", "keepsake green quote"],
    "amber": ["Keepsake bottom line at amber", "Keepsake green signal"],
}
RED_ONLY = ("Zebulon red judgment", "Zebulon red signal")


def _write(repo: Path) -> None:
    (repo / "styles").mkdir(exist_ok=True)
    (repo / "styles" / "marked.yaml").write_text(STYLE, encoding="utf-8")
    text = BRIEF.format(a=SENTINELS["zebamber"], r=SENTINELS["zebred"])
    (repo / "briefs" / "leaky.yaml").write_text(text, encoding="utf-8")
    # a withheld source's own text file: not even its name may reach an edition's manifest
    notes = f"Notes holding the zebamber{SENTINELS['zebamber']} quote, word for word."
    (repo / "briefs" / "zebamber-notes.txt").write_text(notes, encoding="utf-8")


def _pdf_bytes(qpdf: str, path: Path) -> bytes:
    """The PDF with every stream decompressed and no object streams."""
    out = path.parent.parent / f"{path.parent.name}-{path.stem}.qdf"  # not among the outputs
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(path), str(out)], check=True)
    return out.read_bytes()


def _mapped(qdf: bytes) -> set[int]:
    """Every character the ToUnicode maps of the PDF's fonts name (their subsets)."""
    found: set[int] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", qdf, re.S):
        for _, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found.add(int(uni[:4], 16))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", qdf, re.S):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start[:4], 16)
            found.update(range(first, first + int(high, 16) - int(low, 16) + 1))
    return found


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def _texts(path: Path, qpdf: str) -> list[str]:
    """Every readable form of the file's bytes: as text (UTF-8, Latin-1, UTF-16 strings) and
    for a PDF its extracted text too."""
    if path.suffix == ".pdf":
        raw = _pdf_bytes(qpdf, path)
        forms = [raw.decode("latin-1"), _pdftotext(path)]
        # text strings in UTF-16 (bookmarks, metadata) and hex strings <FEFF…>
        forms.append(raw.decode("utf-16-be", errors="ignore"))
        forms.append(raw[1:].decode("utf-16-be", errors="ignore"))
        for hexed in re.findall(rb"<(FEFF[0-9A-Fa-f]+)>", raw):
            forms.append(bytes.fromhex(hexed.decode()).decode("utf-16-be", errors="ignore"))
        return forms
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return [
                package.read(name).decode("utf-8", errors="replace") for name in package.namelist()
            ] + ["\n".join(package.namelist())]
    return [path.read_bytes().decode("utf-8")]


@pytest.fixture
def built(git_repo: Path) -> Callable[[str], dict[str, list[Path]]]:
    require_tool("qpdf")
    from click.testing import CliRunner

    from briefkit.cli import main

    def build() -> dict[str, list[Path]]:
        _write(git_repo)
        commit(git_repo, "first version")
        # a second version, so that each edition's changes box has something to say
        path = git_repo / "briefs" / "leaky.yaml"
        text = path.read_text(encoding="utf-8").replace(
            "likelihood: likely", "likelihood: very likely"
        )
        path.write_text(
            text.replace("Zebclear judgment", "Zebclear judgment, now"), encoding="utf-8"
        )
        outputs: dict[str, list[Path]] = {}
        for edition in ("amber", "green", "clear", "TLP:GREEN"):
            folder = git_repo / f"out-{edition.replace(':', '-')}"
            args = ["build", "--edition", edition, "--format", FORMATS, "--output", str(folder)]
            result: Result = CliRunner().invoke(
                main, [*args, "--changes-since", "HEAD"], catch_exceptions=False
            )
            assert result.exit_code == 0, result.output
            outputs[edition] = sorted(p for p in folder.iterdir() if p.is_file())
        return outputs

    return build


def _search(outputs: dict[str, list[Path]]) -> dict[str, list[str]]:
    """What each edition leaks, by file: markers and sentinels of the levels above it. Each
    of the levels it keeps must be found, so that the search is not vacuous."""
    qpdf = require_tool("qpdf")
    leaks: dict[str, list[str]] = {}
    for edition, files in outputs.items():
        level = EDITION_LEVEL[edition]
        above = LEVELS[level + 1 :]
        everything = ""
        for path in files:
            joined = "\n".join(html.unescape(t) for t in _texts(path, qpdf)).lower()
            everything += joined
            found = [m for m in above if m in joined]
            # in a PDF's binary any byte may look like a sentinel: its text and fonts are read
            text = (_pdftotext(path) if path.suffix == ".pdf" else joined).lower()
            found += [
                f"{c} ({m})" for m, c in SENTINELS.items() if m in above and c.lower() in text
            ]
            if path.suffix == ".pdf":
                mapped = _mapped(_pdf_bytes(qpdf, path))
                found += [
                    f"the glyph of {c} in a font subset"
                    for m, c in SENTINELS.items()
                    if m in above and ord(c) in mapped
                ]
            if found:
                leaks.setdefault(edition, []).append(f"{path.name}: {', '.join(found)}")
        for marker in LEVELS[: level + 1]:
            assert marker in everything, f"{marker!r} not in edition {edition}"
        assert any(p.name == ".briefkit-manifest.json" for p in files)
        assert {p.suffix for p in files} >= {".pdf", ".docx", ".html"}
    return leaks


def test_no_edition_leaks_a_withheld_part(built: Callable[..., dict[str, list[Path]]]) -> None:
    outputs = built()
    leaks = _search(outputs)
    assert leaks == {}
    # each edition's changes box compares the edition: the amber one has the withheld
    # judgment's change and its note, the clear one only the change of what it keeps
    boxes = {
        edition: " ".join(_pdftotext(next(p for p in files if p.suffix == ".pdf")).split())
        for edition, files in outputs.items()
    }
    assert "Key judgment 1 reworded." in boxes["clear"]
    assert "Likelihood" not in boxes["clear"]
    assert "Likelihood of key judgment 3 raised" in boxes["amber"]
    assert "Why: Zebamber note on the judgment." in boxes["amber"]


def test_the_search_finds_a_leak(
    built: Callable[..., dict[str, list[Path]]], git_repo: Path
) -> None:
    """A negative control: the full brief, searched the same way, holds every marker, and
    the sentinel's glyph is found in its font subset."""
    from click.testing import CliRunner

    from briefkit.cli import main

    outputs = built()
    folder = git_repo / "out-full"
    result = CliRunner().invoke(
        main, ["build", "--format", FORMATS, "--output", str(folder)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    full = sorted(
        p for p in folder.iterdir() if "." not in p.stem or p.name == ".briefkit-manifest.json"
    )
    leaks = _search({"clear": full})
    assert len(leaks["clear"]) == len(full), leaks
    assert all("zebred" in line and "zebamber" in line for line in leaks["clear"]), leaks
    assert any("Ÿ in a font subset" in line for line in leaks["clear"]), leaks
    assert outputs
