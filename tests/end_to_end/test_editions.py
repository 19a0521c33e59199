"""Editions: built beside the brief as <name>.<edition>.<format>, holding only the parts at or
below their marking; references to withheld parts resolved or reported where they are."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from docx import Document as WordDocument

from tests.pdf_helpers import pdftotext as pdf_text

BRIEF = """\
briefkit: 1
id: ed
title: Editions
date: 2026-11-28
handling: TLP:AMBER
summary:
  bluf: The bottom line for the organisation.
  judgments:
    - id: kj-open
      text: Open judgment [@e-open].
      evidence: [e-open]
      handling: TLP:CLEAR
    - id: kj-closed
      text: Closed judgment about Quillfeather.
      evidence: [e-closed]
sources:
  - id: s-open
    title: Open source
    handling: TLP:CLEAR
  - id: s-closed
    title: Quillfeather memo
evidence:
  - id: e-open
    source: s-open
    handling: TLP:CLEAR
  - id: e-closed
    source: s-closed
editions:
  - name: public
    handling: TLP:CLEAR
    audience: Everyone
    bluf: The bottom line for everyone.
"""


def _built(cli: Callable[..., Result], *args: str) -> Result:
    result = cli("build", "--format", "pdf,docx", *args)
    assert result.exit_code == 0, result.output
    return result


def test_brief_and_edition_are_built(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write_brief(BRIEF, "ed.yaml")
    _built(cli)
    out = repo / "out"
    assert sorted(p.name for p in out.glob("ed*")) == [
        "ed.docx",
        "ed.pdf",
        "ed.public.docx",
        "ed.public.pdf",
    ]
    full, public = pdf_text(out / "ed.pdf"), pdf_text(out / "ed.public.pdf")
    assert "Quillfeather" in full and "Quillfeather" not in public
    assert "The bottom line for everyone." in public and "Everyone" in public
    # the banner is computed: the edition holds nothing above TLP:CLEAR
    assert "TLP:CLEAR" in public and "TLP:AMBER" not in public
    word = WordDocument(str(out / "ed.public.docx"))
    assert "Quillfeather" not in "\n".join(p.text for p in word.paragraphs)


def test_edition_named_by_marking(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write_brief(BRIEF, "ed.yaml")
    _built(cli, "--edition", "tlp:clear")  # the declared edition of that marking
    assert sorted(p.name for p in (repo / "out").glob("ed*")) == ["ed.public.docx", "ed.public.pdf"]
    # none declared: one made for the marking, which has no BLUF of its own
    result = cli("build", "--edition", "TLP:GREEN")
    assert result.exit_code != 0
    assert "summary: the summary is TLP:AMBER, above edition 'tlp-green'" in result.output
    write_brief(
        BRIEF.replace(
            "  bluf: The bottom line for the", "  handling: TLP:GREEN\n  bluf: The"
        ).replace("Quillfeather.\n", "Quillfeather.\n      handling: TLP:AMBER\n"),
        "ed.yaml",
    )
    _built(cli, "--edition", "TLP:GREEN")
    assert (repo / "out" / "ed.tlp-green.pdf").is_file()
    result = cli("build", "--edition", "nope")
    assert result.exit_code != 0 and "no edition 'nope'" in result.output


def test_kept_part_resting_on_withheld_evidence_is_located(
    write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # e-open no longer marked: at the brief's TLP:AMBER, withheld from the public edition
    path = write_brief(
        BRIEF.replace("    handling: TLP:CLEAR\n  - id: e-closed", "  - id: e-closed")
    )
    result = cli("check", str(path))
    assert result.exit_code != 0
    assert (
        "brief.yaml:11:17: summary.judgments[0].evidence: judgment kj-open is kept in edition "
        "'public' but everything it rests on is withheld (evidence e-open)" in result.output
    ), result.output
    assert (
        "brief.yaml:10:13: summary.judgments[0].text: kept in edition 'public', this text "
        "cites evidence e-open" in result.output
    ), result.output


def test_withheld_mark_and_replacement(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    text = BRIEF.replace("    handling: TLP:CLEAR\n  - id: e-closed", "  - id: e-closed")
    write_brief(text + "    withheld: mark\n", "ed.yaml")
    _built(cli)
    public = pdf_text(repo / "out" / "ed.public.pdf")
    assert "Open judgment [source withheld]" in " ".join(public.split()), public
    # in the brief's language (the negative control of the English one above)
    write_brief(text.replace("date:", "language: fr\ndate:", 1) + "    withheld: mark\n", "ed.yaml")
    _built(cli)
    public = " ".join(pdf_text(repo / "out" / "ed.public.pdf").split())
    assert "Open judgment [source non communiquée]" in public, public
    assert "source withheld" not in public
    replaced = "    replace:\n      kj-open: {text: Argued from open reporting.}\n"
    write_brief(text + replaced, "ed.yaml")
    _built(cli)
    public = pdf_text(repo / "out" / "ed.public.pdf")
    assert "Argued from open reporting." in public and "withheld" not in public


def test_brief_without_markings_builds_no_edition(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write_brief(
        "briefkit: 1\nid: plain\ntitle: T\ndate: 2026-11-28\nsummary:\n  bluf: B.\n", "plain.yaml"
    )
    _built(cli)
    assert sorted(p.name for p in (repo / "out").glob("plain*")) == ["plain.docx", "plain.pdf"]


def test_diff_compares_two_editions(
    write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    path = write_brief(BRIEF, "ed.yaml")
    result = cli("diff", "--editions", "public,brief", str(path))
    assert result.exit_code == 0, result.output
    assert "edition public → edition brief" in result.output
    assert "judgment kj-closed added" in result.output and "kj-open" not in result.output
    assert cli("diff", "--editions", "public,nope", str(path)).exit_code != 0


def test_portion_marks_in_every_format(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    (repo / "styles").mkdir()
    (repo / "styles" / "marked.yaml").write_text("extends: default\nportion_marks: true\n")
    write_brief(BRIEF.replace("date: 2026-11-28\n", "date: 2026-11-28\nstyle: marked\n"), "ed.yaml")
    result = cli("build", "--format", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    out = repo / "out"
    pdf = " ".join(pdf_text(out / "ed.pdf").split())
    word = "".join(WordDocument(str(out / "ed.docx")).element.body.itertext())
    page = re.sub(r"<[^>]+>", "", (out / "ed.html").read_text(encoding="utf-8"))
    for text in (pdf, word, page):
        assert "(TLP:CLEAR) Open judgment" in text
        assert "(TLP:AMBER) Closed judgment" in text
    assert "(TLP:AMBER)" not in pdf_text(out / "ed.public.pdf")
    # without the style's say-so, no marks
    write_brief(BRIEF, "ed.yaml")
    assert cli("build", "--format", "pdf").exit_code == 0
    assert "(TLP:" not in pdf_text(out / "ed.pdf")


def test_prune_deletes_a_deleted_brief_editions(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    path = write_brief(BRIEF, "ed.yaml")
    write_brief(
        "briefkit: 1\nid: other\ntitle: T\ndate: 2026-11-28\nsummary:\n  bluf: B.\n", "o.yaml"
    )
    _built(cli)
    path.unlink()
    result = _built(cli, "--prune")
    assert sorted(p.name for p in (repo / "out").glob("[!.]*")) == [
        "o.docx",
        "o.pdf",
    ], result.output


def test_inconsistent_editions_are_located(
    write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    extra = (
        "  - name: public\n    handling: TLP:PURPLE\n"
        "  - name: partners\n    handling: TLP:GREEN\n    bluf: For partners.\n"
        "    replace:\n      kj-closed: {text: Reworded.}\n      kj-open: {colour: red}\n"
    )
    path = write_brief(BRIEF + extra, "ed.yaml")
    output = cli("check", str(path)).output
    assert "ed.yaml:34:15: editions[1].handling: 'TLP:PURPLE' is not a TLP 2.0 label" in output
    # once the marking is known: the name twice, a replacement of a withheld part, a field
    # the part has no text of
    path.write_text(BRIEF + extra.replace("TLP:PURPLE", "TLP:CLEAR"), encoding="utf-8")
    output = cli("check", str(path)).output
    assert "ed.yaml:33:11: editions[1].name: edition 'public' twice" in output, output
    assert (
        "editions[2].replace.kj-closed: edition 'partners' replaces text of 'kj-closed', "
        "which is withheld from it" in output
    ), output
    assert "replaces 'colour' of 'kj-open', which has no such text" in output, output


def test_prune_deletes_the_outputs_of_an_edition_no_longer_declared(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write_brief(BRIEF, "ed.yaml")
    _built(cli)
    _built(cli, "--edition", "public")  # on its own: the brief's outputs stay recorded
    write_brief(BRIEF.replace("name: public", "name: partners"), "ed.yaml")
    _built(cli)  # without --prune the old edition's files stay
    assert (repo / "out" / "ed.public.pdf").is_file()
    write_brief(BRIEF.replace("name: public", "name: friends"), "ed.yaml")
    result = _built(cli, "--prune")
    assert "deleted out/ed.partners.pdf (its edition is no longer declared)" in result.output
    assert "deleted out/ed.public.pdf (its edition is no longer declared)" in result.output
    assert sorted(p.name for p in (repo / "out").glob("[!.]*")) == [
        "ed.docx",
        "ed.friends.docx",
        "ed.friends.pdf",
        "ed.pdf",
    ], result.output


def test_an_edition_named_as_a_brief_beside_it_is_refused(
    repo: Path, write_brief: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    """ed.yaml's edition 'public' writes ed.public.pdf, the name of ed.public.yaml's own PDF:
    one of them would silently overwrite the other's."""
    write_brief(BRIEF, "ed.yaml")
    write_brief(BRIEF.replace("id: ed\n", "id: ed-public\n"), "ed.public.yaml")
    result = cli("build", "--format", "pdf")
    assert result.exit_code != 0
    assert (
        "ed.yaml:" in result.output
        and "edition 'public' would write ed.public.pdf and the other outputs of the brief "
        in result.output
    ), result.output
    assert not (repo / "out" / "ed.pdf").exists()  # the brief with the clash writes nothing
    # the brief beside it keeps its own document: the full text, not the public edition's
    own = " ".join(pdf_text(repo / "out" / "ed.public.pdf").split())
    assert "Quillfeather" in own and "bottom line for everyone" not in own, own
    (repo / "briefs" / "ed.public.yaml").unlink()  # the negative control: no brief beside it
    _built(cli, "--format", "pdf")
    assert (repo / "out" / "ed.pdf").is_file()
