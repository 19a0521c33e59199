"""Briefs in git: revision in the documents, semantic diff, and "What changed since"."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner

from briefkit.cli import main
from tests.conftest import MINIMAL, commit
from tests.pdf_helpers import pdftotext, words

BRIEF = (
    MINIMAL
    + "status: final\n"
    + "signals:\n"
    + "  - id: compute\n    title: Compute strain\n    observation: O.\n"
    + "    interpretation: I.\n    likelihood: likely\n"
    + "  - id: old\n    title: An old signal\n    observation: O.\n    interpretation: I.\n"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace("likelihood: likely", "likelihood: very likely")
    text = text[: text.index("  - id: old")]
    path.write_text(text, encoding="utf-8")


def test_documents_carry_the_source_revision(git_repo):
    brief = git_repo / "briefs" / "b.yaml"
    brief.write_text(BRIEF, encoding="utf-8")
    head = commit(git_repo, "first")
    assert run("build", "-q").exit_code == 0
    pdf = git_repo / "out" / "b.pdf"
    # the revision is in the properties and one quiet line at the end, not the masthead
    text = words(pdftotext(pdf))
    assert f"ASSESSMENT I. minimal · v1.0 · rev {head} v1.0 Page 1 of 1" in text
    assert "Source revision" not in text
    assert pypdf.PdfReader(pdf).metadata["/BriefRevision"] == head
    with zipfile.ZipFile(git_repo / "out" / "b.docx") as package:
        custom = package.read("docProps/custom.xml").decode()
        assert f'name="BriefRevision"><vt:lpwstr>{head}</vt:lpwstr>' in custom
        footers = [n for n in package.namelist() if n.startswith("word/footer")]
        assert not any(head in package.read(name).decode() for name in footers)
        assert f"rev {head}" in package.read("word/document.xml").decode()
    first = pdf.read_bytes()
    assert run("build", "-q", "--force").exit_code == 0
    assert pdf.read_bytes() == first  # reproducible for a given revision

    edit(brief)
    result = run("build")
    assert "1 built" in result.stderr  # the revision changed, so the brief is rebuilt
    assert f"rev {head}+dirty" in words(pdftotext(pdf))


def test_diff_reports_changes_by_meaning(git_repo):
    brief = git_repo / "briefs" / "b.yaml"
    brief.write_text(BRIEF, encoding="utf-8")
    commit(git_repo, "first")
    edit(brief)
    text = run("diff", "briefs/b.yaml")
    assert text.exit_code == 0, text.output
    assert "signal compute: likelihood raised: likely → very likely" in text.stdout
    assert '- signal old removed: "An old signal"' in text.stdout
    data = json.loads(run("diff", "--format", "json", "briefs/b.yaml").stdout)
    kinds = {(c["kind"], c["id"], c["field"], c["direction"]) for c in data["changes"]}
    assert ("changed", "compute", "likelihood", "raised") in kinds
    assert ("removed", "old", None, None) in kinds

    commit(git_repo, "second")
    between = run("diff", "HEAD~1", "HEAD", "briefs/b.yaml")
    assert "likelihood raised: likely → very likely" in between.stdout
    assert "No changes in meaning." in run("diff", "briefs/b.yaml").stdout


def test_diff_errors_are_clear(git_repo):
    (git_repo / "briefs" / "b.yaml").write_text(BRIEF, encoding="utf-8")
    commit(git_repo, "first")
    unknown = run("diff", "nope", "briefs/b.yaml")
    assert unknown.exit_code == 1
    assert "'nope' is not a revision in this repository" in unknown.stderr
    assert run("diff", "missing.yaml").exit_code == 2
    (git_repo / "briefs" / "b.yaml").write_text(BRIEF + "status: drafty\n", encoding="utf-8")
    broken = run("diff", "briefs/b.yaml")
    assert broken.exit_code == 1
    assert "briefs/b.yaml:" in broken.stderr and "status" in broken.stderr


def test_changes_since_box(git_repo):
    brief = git_repo / "briefs" / "b.yaml"
    brief.write_text(BRIEF, encoding="utf-8")
    first = commit(git_repo, "first")
    (git_repo / "briefs" / "new.yaml").write_text(MINIMAL, encoding="utf-8")
    edit(brief)
    result = run("build", "-q", "--changes-since", "HEAD")
    assert result.exit_code == 0, result.output
    text = words(pdftotext(git_repo / "out" / "b.pdf"))
    # named the way the brief names itself; the git revision is a small line at the foot
    assert "What changed since version 1.0 of 28 November 2026" in text
    assert f"Compared with the brief at git revision HEAD, {first}." in text
    assert "raised from likely to very likely" in text
    assert "‘An old signal’ removed" in text
    # the estimative legend stays with the judgments it explains, above the box
    assert text.index("Estimative language") < text.index("What changed since")
    assert "This brief is new: there was no earlier version of it." in words(
        pdftotext(git_repo / "out" / "new.pdf")
    )
    document = docx.Document(str(git_repo / "out" / "b.docx"))
    cells = " ".join(
        paragraph.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    )
    assert "What changed since version 1.0 of 28 November 2026" in cells
    assert f"Compared with the brief at git revision HEAD, {first}." in cells
    assert "raised from likely to very likely" in cells
    bad = run("build", "--changes-since", "nope")
    assert bad.exit_code == 2
    assert "'nope' is not a revision in this repository" in bad.stderr


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "staged"])
def test_changes_since_follows_a_renamed_brief(git_repo, committed: bool):
    (git_repo / "briefs" / "old-name.yaml").write_text(BRIEF, encoding="utf-8")
    commit(git_repo, "first")
    subprocess.run(["git", "tag", "v1"], cwd=git_repo, check=True)
    (git_repo / "briefs" / "sub").mkdir()
    subprocess.run(
        ["git", "mv", "briefs/old-name.yaml", "briefs/sub/new-name.yaml"], cwd=git_repo, check=True
    )
    if committed:
        commit(git_repo, "rename")
    edit(git_repo / "briefs" / "sub" / "new-name.yaml")
    result = run("build", "-q", "--format", "pdf", "--changes-since", "v1")
    assert result.exit_code == 0, result.output
    text = words(pdftotext(git_repo / "out" / "new-name.pdf"))
    assert "This brief is new" not in text
    assert "raised from likely to very likely" in text


def test_changes_since_for_a_brief_outside_the_repository(git_repo, tmp_path: Path):
    (git_repo / "briefs" / "in.yaml").write_text(MINIMAL, encoding="utf-8")
    commit(git_repo, "first")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "loose.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run("build", "-q", "--format", "pdf", "--changes-since", "HEAD", str(outside))
    assert result.exit_code == 0, result.output
    assert "warning: --changes-since HEAD: the brief is not in a git repository" in result.stderr
    text = words(pdftotext(git_repo / "out" / "loose.pdf"))
    assert "What changed" not in text and "This brief is new" not in text


def test_changes_since_an_unreadable_old_version_is_an_error(git_repo):
    brief = git_repo / "briefs" / "b.yaml"
    brief.write_bytes(b"briefkit: 1\ntitle: \xff\xfe not UTF-8\n")
    commit(git_repo, "first")
    brief.write_text(BRIEF, encoding="utf-8")
    result = run("build", "-q", "--format", "pdf", "--changes-since", "HEAD")
    assert result.exit_code == 1
    assert "briefs/b.yaml: --changes-since HEAD: briefs/b.yaml at revision 'HEAD' is not UTF-8" in (
        result.stderr
    )
    assert not (git_repo / "out" / "b.pdf").exists()
