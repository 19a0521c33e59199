"""`briefkit absorb`: a built .docx, edited the way an office edits it, taken back into its
brief's YAML in place (only what the office changed changes), and refused, with nothing
written, whenever it cannot be taken back faithfully.

The example brief is built once; LibreOffice saves the documents again in one ``soffice``
call (the ``resaved`` fixture), as an office using it would.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefkit.cli import main
from briefkit.reading.source import parse_yaml
from tests import office_edits as edits
from tests.conftest import EXAMPLE_BRIEF, REPO, commit, require_tool

RED_SEA = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
EXPECTED = REPO / "tests" / "data" / "absorb" / "xai-anthropic-alliance.edited.yaml"
NAME = "xai-anthropic-alliance"
W = edits.W


def _build(repo: Path) -> None:
    from briefkit.building.pipeline import BuildOptions, build_brief

    for brief in sorted((repo / "briefs").glob("*.yaml")):
        result = build_brief(brief, BuildOptions(out_dir=repo / "out", formats=("docx",)))
        assert not result.failed, result.diagnostics


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A brief repository (not under git) with both examples built, and the example edited."""
    repo = tmp_path_factory.mktemp("absorb") / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "briefs", repo / "briefs")
    _build(repo)
    edits.office_edit(repo / "out" / f"{NAME}.docx", repo / "edited.docx")
    return repo


@pytest.fixture(scope="module")
def resaved(built: Path) -> Path:
    """The edited and the untouched documents, opened and saved as .docx by LibreOffice."""
    soffice = require_tool("soffice")
    folder = built / "libreoffice"
    documents = [built / "edited.docx", *sorted((built / "out").glob("*.docx"))]
    # one run (LibreOffice takes seconds to start) into one folder: their names differ
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(built / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder / "out"),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    if (folder / "out" / "edited.docx").is_file():
        (folder / "out" / "edited.docx").replace(folder / "edited.docx")
    for document in documents:
        saved = folder / ("out" if document.parent.name == "out" else "") / document.name
        assert saved.is_file(), f"LibreOffice did not save {saved}"  # it exits 0 regardless
    return folder


@pytest.fixture
def workspace(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built repository to absorb into, as the current folder."""
    repo = tmp_path / "repo"
    shutil.copytree(built, repo, ignore=shutil.ignore_patterns("libreoffice", "lo-profile"))
    monkeypatch.chdir(repo)
    return repo


def absorb(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["absorb", *map(str, args)], catch_exceptions=False)


def edited_copy(source: Path, target: Path, change: Callable[[docx.document.Document], None]):
    document = docx.Document(str(source))
    change(document)
    document.save(str(target))
    return target


def brief_text(repo: Path, name: str = NAME) -> bytes:
    return (repo / "briefs" / f"{name}.yaml").read_bytes()


def value(repo: Path, *loc: str | int, name: str = NAME) -> object:
    path = repo / "briefs" / f"{name}.yaml"
    data = parse_yaml(path.read_text(encoding="utf-8"), path).data
    for key in loc:
        data = data[key]
    return data


# --- idempotence --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [NAME, "red-sea-shipping-exercise"])
def test_an_untouched_document_changes_nothing(workspace: Path, name: str) -> None:
    before = brief_text(workspace, name)
    result = absorb(f"out/{name}.docx")
    assert result.exit_code == 0, result.output
    assert "No changes in meaning." in result.output
    assert brief_text(workspace, name) == before


@pytest.mark.parametrize("name", [NAME, "red-sea-shipping-exercise"])
def test_a_document_libreoffice_saved_again_changes_nothing(
    workspace: Path, resaved: Path, name: str
) -> None:
    before = brief_text(workspace, name)
    result = absorb(resaved / "out" / f"{name}.docx", f"briefs/{name}.yaml")
    assert result.exit_code == 0, result.output
    assert brief_text(workspace, name) == before


# --- the office's edits -------------------------------------------------------------------


def test_office_edits_come_back_into_the_yaml(workspace: Path) -> None:
    result = absorb("edited.docx", "--accept-changes", "--ignore-unmapped")
    assert result.exit_code == 0, result.output
    assert brief_text(workspace) == EXPECTED.read_bytes()
    out = result.output
    # the semantic diff, as `briefkit diff` prints it
    assert "judgment kj-compute-for-capability: likelihood raised: likely → very likely" in out
    assert "+ stakeholder regulators added" in out
    assert "gets the id 'regulators'" in out
    # what a reviewer must see besides
    assert "'Please check these with the desk before Friday.'" in out
    assert "comment by Head of Strategy on signals[1].observation" in out
    assert "tracked deletion by Chief of Staff in signals[0].interpretation" in out


def test_office_edits_come_back_after_libreoffice_saved_them(
    workspace: Path, resaved: Path
) -> None:
    result = absorb(
        resaved / "edited.docx", f"briefs/{NAME}.yaml", "--accept-changes", "--ignore-unmapped"
    )
    assert result.exit_code == 0, result.output
    assert brief_text(workspace) == EXPECTED.read_bytes()


def test_tracked_changes_are_refused_then_rejected_on_request(workspace: Path) -> None:
    before = brief_text(workspace)
    refused = absorb("edited.docx", "--ignore-unmapped")
    assert refused.exit_code == 1
    assert "2 tracked changes are not resolved" in refused.output
    assert "tracked insertion by Chief of Staff in signals[0].interpretation" in refused.output
    assert brief_text(workspace) == before
    rejected = absorb("edited.docx", "--reject-changes", "--ignore-unmapped")
    assert rejected.exit_code == 0, rejected.output
    interpretation = value(workspace, "signals", 0, "interpretation")
    assert "cannot reach frontier quality on its own fast enough" in str(interpretation)


def test_comments_are_listed_in_json(workspace: Path) -> None:
    result = absorb(
        "edited.docx", "--accept-changes", "--ignore-unmapped", "--dry-run", "--format", "json"
    )
    report = json.loads(result.output)
    assert report["comments"] == [
        {
            "author": "Head of Strategy",
            "field": "signals.1.observation",
            "place": "paragraph 39 (under 'A compute-for-capability division of labour')",
            "text": "Is this confirmed?",
        }
    ]
    assert report["written"] is False
    assert {c["field"] for c in report["diff"]["changes"]} >= {"likelihood", "bluf"}


# --- refusals: nothing is written ---------------------------------------------------------


def test_text_outside_every_field_is_reported_and_nothing_written(workspace: Path) -> None:
    before = brief_text(workspace)
    result = absorb("edited.docx", "--accept-changes")
    assert result.exit_code == 1
    assert (
        "not in any field: edited.docx: paragraph 25 (under 'Strategic signals'): "
        "'Please check these with the desk before Friday.'"
    ) in result.output
    assert "1 piece of text is outside every field" in result.output
    assert brief_text(workspace) == before


def _delete_row_and_bullet(document: docx.document.Document) -> None:
    body = document.element.body
    row = edits.paragraph_with(body, "Investors").getparent().getparent()
    row.getparent().remove(row)
    bullet = edits.paragraph_with(body, "Senior research departures")
    bullet.getparent().remove(bullet)
    # the likelihood chip of key judgment 2 (its confidence chip stays)
    chips = edits.paragraph_with(body, "Low confidence")
    chip = edits.run_with(chips, "Likely (55")
    chip.getparent().remove(chip)


def test_deletions_need_allow_deletions(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "cut.docx", _delete_row_and_bullet
    )
    before = brief_text(workspace)
    refused = absorb(edited)
    assert refused.exit_code == 1
    # each with what the brief said there, so the reader knows what would go
    assert re.search(
        r"deleted in the document: stakeholders\[7\] \(.*\): 'Investors'", (refused.output)
    )
    assert re.search(
        r"deleted in the document: signals\[0\]\.indicators\[2\] \(.*\): "
        r"'Senior research departures or hiring shifts at xAI after th…'",
        refused.output,
    )
    assert re.search(
        r"deleted in the document: summary\.judgments\[1\]\.likelihood \(.*\): 'likely'",
        refused.output,
    )
    assert "confidence" not in refused.output
    assert brief_text(workspace) == before
    allowed = absorb(edited, "--allow-deletions")
    assert allowed.exit_code == 0, allowed.output
    assert "- stakeholder investors removed" in allowed.output
    assert [s["id"] for s in value(workspace, "stakeholders")][-1] == "developers-users"  # type: ignore[index]
    assert len(value(workspace, "signals", 0, "indicators")) == 2  # type: ignore[arg-type]
    judgment = value(workspace, "summary", "judgments", 1)
    assert "likelihood" not in judgment and judgment["confidence"] == "low"  # type: ignore[operator,index]


def _chip_to(text: str) -> Callable[[docx.document.Document], None]:
    def change(document: docx.document.Document) -> None:
        chip = edits.paragraph_with(document.element.body, "Moderate confidence")
        for t in chip.iter(f"{W}t"):
            if "Likely (55" in (t.text or ""):
                t.text = text

    return change


def test_a_chip_that_names_no_term_is_a_located_error(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "chip.docx", _chip_to("Probably")
    )
    before = brief_text(workspace)
    result = absorb(edited)
    assert result.exit_code == 1
    assert (
        "chip.docx: paragraph 14 (under 'Bottom line up front'): summary.judgments[0].likelihood: "
        "'Probably' is no likelihood term (allowed: 'Almost no chance (1–5%)'"
    ) in result.output
    assert brief_text(workspace) == before


def _long_title(document: docx.document.Document) -> None:
    edits.replace_text(document.element.body, "xAI chose to partner", "x" * 600)


def test_an_edit_that_makes_the_brief_invalid_writes_nothing(workspace: Path) -> None:
    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "long.docx", _long_title)
    before = brief_text(workspace)
    result = absorb(edited)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "signals[0].title" in line)
    # at the field in the YAML, and at its place in the document
    assert line.startswith(f"briefs/{NAME}.yaml:91:12: signals[0].title: too long")
    assert "(in the document: long.docx: paragraph 26 (under 'Strategic signals'))" in line
    assert brief_text(workspace) == before


def test_a_brief_changed_since_without_its_base_is_refused(workspace: Path) -> None:
    path = workspace / "briefs" / f"{NAME}.yaml"
    path.write_bytes(path.read_bytes().replace(b"working hypothesis", b"working theory"))
    before = path.read_bytes()
    result = absorb("edited.docx", "--accept-changes", "--ignore-unmapped")
    assert result.exit_code == 1
    assert "the brief changed since the document was built" in result.output
    assert path.read_bytes() == before


# --- three-way merge (git) ----------------------------------------------------------------


@pytest.fixture
def git_built(git_repo: Path) -> Path:
    shutil.copy(EXAMPLE_BRIEF, git_repo / "briefs")
    commit(git_repo, "brief")
    result = CliRunner().invoke(main, ["build", "--format", "docx", "-q"])
    assert result.exit_code == 0, result.output
    return git_repo


def _bluf(text: str) -> Callable[[docx.document.Document], None]:
    return lambda document: edits.replace_text(
        document.element.body, "treat it as a working hypothesis", text
    )


def test_a_field_changed_on_both_sides_is_a_conflict(git_built: Path) -> None:
    path = git_built / "briefs" / f"{NAME}.yaml"
    path.write_bytes(path.read_bytes().replace(b"working hypothesis", b"working theory"))
    edited = edited_copy(
        git_built / "out" / f"{NAME}.docx", git_built / "e.docx", _bluf("treat it as a guess")
    )
    before = path.read_bytes()
    result = absorb(edited)
    assert result.exit_code == 1
    conflict = next(line for line in result.output.splitlines() if line.startswith("conflict"))
    assert "working hypothesis" in conflict and "working theory" in conflict
    assert "a guess" in conflict
    assert path.read_bytes() == before
    assert absorb(edited, "--prefer", "source").exit_code == 0
    assert path.read_bytes() == before
    assert absorb(edited, "--prefer", "docx").exit_code == 0
    assert "treat it as a guess until" in str(value(git_built, "summary", "bluf"))


def test_changes_on_one_side_each_are_merged(git_built: Path) -> None:
    path = git_built / "briefs" / f"{NAME}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Anthropic is the clearer", "Anthropic is the plain"), encoding="utf-8"
    )
    edited = edited_copy(
        git_built / "out" / f"{NAME}.docx", git_built / "e.docx", _bluf("treat it as a guess")
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert "treat it as a guess until" in str(value(git_built, "summary", "bluf"))
    judgment = value(git_built, "summary", "judgments", 1, "text")
    assert str(judgment).startswith("Anthropic is the plain near-term winner")


# --- every script -------------------------------------------------------------------------


def _scripts(document: docx.document.Document) -> None:
    body = document.element.body
    edits.replace_text(body, "上海", "深圳")  # Chinese
    edits.replace_text(body, "ค่าระวางเรือ", "ค่าขนส่ง")  # Thai, in bold
    edits.replace_text(body, "सुरक्षा और क्षमता", "सुरक्षा और बंदरगाह")  # Hindi
    edits.replace_text(body, "کریدور شمال–جنوب", "کریدور جنوب")  # Persian
    edits.make_bold(body, "جدة")  # Arabic
    first = edits.paragraph_with(body, "Traffic through")
    indicator = next(
        p
        for p in first.itersiblings()
        if p.find(f".//{W}pStyle") is not None
        and p.find(f".//{W}pStyle").get(f"{W}val") == "ListBullet"
    )
    hebrew = copy.deepcopy(indicator)
    edits.without_marks(hebrew)
    edits.set_paragraph_text(hebrew, "מעקב אחר תעריפי ההובלה")  # Hebrew, a new indicator
    indicator.addnext(hebrew)


def test_edits_in_every_script_come_back(workspace: Path) -> None:
    name = "red-sea-shipping-exercise"
    edited = edited_copy(workspace / "out" / f"{name}.docx", workspace / "s.docx", _scripts)
    result = absorb(edited, f"briefs/{name}.yaml")
    assert result.exit_code == 0, result.output
    bluf = str(value(workspace, "summary", "bluf", name=name))
    assert "深圳" in bluf and "上海" not in bluf
    titles = [s["title"] for s in value(workspace, "signals", name=name)]  # type: ignore[index]
    assert "(**ค่าขนส่ง**)" in titles[2]
    assert "सुरक्षा और बंदरगाह" in titles[3]
    assert "کریدور جنوب" in titles[1]
    assert "a Saudi land bridge to **جدة** against" in bluf
    indicators = value(workspace, "signals", 0, "indicators", name=name)
    assert indicators[1] == "מעקב אחר תעריפי ההובלה"  # type: ignore[index]


def _retype_assessment(document: docx.document.Document) -> None:
    """Select the whole assessment and type over it: the mark is left empty before the text."""
    paragraph = edits.paragraph_with(document.element.body, "Each side is buying what it lacks")
    start = next(
        b for b in paragraph.iter(f"{W}bookmarkStart") if b.get(f"{W}name").startswith("_F_")
    )
    end = next(
        e for e in paragraph.iter(f"{W}bookmarkEnd") if e.get(f"{W}id") == start.get(f"{W}id")
    )
    for run in paragraph.findall(f"{W}r")[2:]:  # the label and its gap stay
        paragraph.remove(run)
    start.addnext(end)
    edits.add_text_run(paragraph, "Each side buys what it lacks.")


def test_a_field_typed_over_whole_is_still_that_field(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "r.docx", _retype_assessment
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert value(workspace, "signals", 1, "interpretation") == "Each side buys what it lacks."


def _link_and_italic(document: docx.document.Document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    body = document.element.body
    run = edits.split_run(
        edits.run_with(edits.paragraph_with(body, "Obtain the Equity episode"), "Equity episode"),
        "Equity episode",
    )
    r_id = document.part.relate_to("https://example.com/equity", RT.HYPERLINK, is_external=True)
    link = run.makeelement(f"{W}hyperlink", {f"{{{edits.R}}}id": r_id})
    run.addprevious(link)
    link.append(run)
    edits.make_italic(body, "money flows mainly")  # in a field with a cross-reference


def test_links_italics_and_cross_references_come_back_as_markup(workspace: Path) -> None:
    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "l.docx", _link_and_italic)
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    how = value(workspace, "questions", 0, "how")
    assert str(how).startswith("Obtain the [Equity episode](https://example.com/equity) and its")
    why = str(value(workspace, "questions", 1, "why"))
    assert why.startswith("If *money flows mainly* from Anthropic to xAI")
    assert "xAI is a supplier and [@kj-xai-retreat] strengthens" in why


def test_the_build_manifest_keeps_the_base_of_a_brief_not_in_git(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    shutil.copy(EXAMPLE_BRIEF, repo / "briefs")
    assert CliRunner().invoke(main, ["build", "--format", "docx", "-q"]).exit_code == 0
    path = repo / "briefs" / f"{NAME}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Anthropic is the clearer", "Anthropic is the plain"
        ),
        encoding="utf-8",
    )
    edited = edited_copy(
        repo / "out" / f"{NAME}.docx", repo / "e.docx", _bluf("treat it as a guess")
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert "treat it as a guess until" in str(value(repo, "summary", "bluf"))
    assert str(value(repo, "summary", "judgments", 1, "text")).startswith("Anthropic is the plain")


def _move_in_bluf(document: docx.document.Document) -> None:
    """Move a clause of the bottom line to its end, with change tracking on."""
    paragraph = edits.paragraph_with(document.element.body, "Anthropic gains inference capacity")
    clause = "Anthropic gains inference capacity, and "
    run = edits.split_run(edits.run_with(paragraph, clause), clause)
    away = run.makeelement(f"{W}moveFrom", {f"{W}id": "5", f"{W}author": "Editor"})
    run.addprevious(away)
    away.append(run)
    here = run.makeelement(f"{W}moveTo", {f"{W}id": "6", f"{W}author": "Editor"})
    moved = copy.deepcopy(run)
    for t in moved.iter(f"{W}t"):
        t.text = " Anthropic gains inference capacity."
    here.append(moved)
    list(paragraph.iter(f"{W}r"))[-1].addnext(here)


def test_moves_are_tracked_changes_too(workspace: Path) -> None:
    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "m.docx", _move_in_bluf)
    refused = absorb(edited)
    assert refused.exit_code == 1
    assert "tracked move (moved away) by Editor in summary.bluf" in refused.output
    assert absorb(edited, "--reject-changes").exit_code == 0
    assert brief_text(workspace) == (REPO / "briefs" / f"{NAME}.yaml").read_bytes()
    assert absorb(edited, "--accept-changes").exit_code == 0
    bluf = str(value(workspace, "summary", "bluf"))
    assert "know-how**: xAI gives up" in bluf
    assert bluf.endswith("until primary disclosures arrive. Anthropic gains inference capacity.")


def _marks(path: Path) -> list[str]:
    import zipfile

    from lxml import etree

    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    names = (b.get(f"{W}name", "") for b in body.iter(f"{W}bookmarkStart"))
    return sorted(name for name in names if name.startswith(("_F_", "_C_", "_T_")))


@pytest.mark.parametrize("name", [NAME, "red-sea-shipping-exercise"])
def test_libreoffice_keeps_every_field_mark_and_the_provenance(
    built: Path, resaved: Path, name: str
) -> None:
    from briefkit.absorb.reader import read_docx

    built_marks = _marks(built / "out" / f"{name}.docx")
    assert len(built_marks) > 150
    assert _marks(resaved / "out" / f"{name}.docx") == built_marks
    properties = read_docx(resaved / "out" / f"{name}.docx").properties
    assert properties["BriefPath"] == f"briefs/{name}.yaml"
    source = (built / "briefs" / f"{name}.yaml").read_bytes()
    assert properties["BriefSourceHash"] == hashlib.sha256(source).hexdigest()


def test_the_what_changed_box_is_not_taken_for_text_outside_the_fields(git_built: Path) -> None:
    built = CliRunner().invoke(main, ["build", "--format", "docx", "-q", "--changes-since", "HEAD"])
    assert built.exit_code == 0, built.output
    before = brief_text(git_built)
    result = absorb(f"out/{NAME}.docx")
    assert result.exit_code == 0, result.output
    assert "the 'What changed' box (paragraphs" in result.output
    assert "not in any field" not in result.output
    assert brief_text(git_built) == before


def test_a_brief_in_another_language_comes_back_through_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office edits a French document: its chips and quotation marks are French, and a
    chip changed to another French term becomes that term; the Arabic edition, untouched,
    changes nothing."""
    import re

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "briefs" / "sources", repo / "briefs" / "sources")
    french = re.sub(
        r"^language: .*$", "language: fr", EXAMPLE_BRIEF.read_text(encoding="utf-8"), flags=re.M
    )
    (repo / "briefs" / f"{NAME}.yaml").write_text(french, encoding="utf-8")
    arabic = "red-sea-shipping-exercise-ar"
    shutil.copy(REPO / "briefs" / f"{arabic}.yaml", repo / "briefs")
    _build(repo)
    monkeypatch.chdir(repo)
    for name in (NAME, arabic):
        before = brief_text(repo, name)
        result = absorb(repo / "out" / f"{name}.docx")
        assert result.exit_code == 0, result.output
        assert brief_text(repo, name) == before, name

    def to_very_likely(document: docx.document.Document) -> None:
        chip = edits.paragraph_with(document.element.body, "Confiance modérée")
        for t in chip.iter(f"{W}t"):
            if "Probable (55" in (t.text or ""):
                t.text = "Très probable"

    edited = edited_copy(repo / "out" / f"{NAME}.docx", repo / "fr.docx", to_very_likely)
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    after = brief_text(repo).decode("utf-8")
    assert after.count("likelihood: very likely") == french.count("likelihood: very likely") + 1


def test_absorbing_the_same_document_twice_adds_nothing_twice(workspace: Path) -> None:
    """The office's new stakeholder row and indicator bullet come in once: absorbed again,
    the document finds them already in the brief."""
    # built the way an analyst builds, so that the manifest keeps the source as built
    built = CliRunner().invoke(main, ["build", "--format", "docx", "--force"])
    assert built.exit_code == 0, built.output
    edits.office_edit(workspace / "out" / f"{NAME}.docx", workspace / "again.docx")
    first = absorb("again.docx", "--accept-changes", "--ignore-unmapped")
    assert first.exit_code == 0, first.output
    once = brief_text(workspace)
    second = absorb("again.docx", "--accept-changes", "--ignore-unmapped")
    assert second.exit_code == 0, second.output
    assert brief_text(workspace) == once
    assert "regulators-2" not in once.decode("utf-8")


def test_a_document_of_another_brief_is_refused(workspace: Path) -> None:
    """Naming the wrong brief never lets one brief's text overwrite another's."""
    other = workspace / "briefs" / "red-sea-shipping-exercise.yaml"
    before = other.read_bytes()
    for extra in ((), ("--prefer", "docx")):
        result = absorb("edited.docx", other, "--accept-changes", "--ignore-unmapped", *extra)
        assert result.exit_code != 0
        assert "the document was built from brief 'xai-anthropic-alliance'" in result.output
        assert "Traceback" not in result.output
        assert other.read_bytes() == before


def _reword_indicator(document: docx.document.Document) -> None:
    edits.replace_text(
        document.element.body,
        "Senior research departures",
        "Senior research and product departures",
    )


def test_an_item_edited_in_the_brief_since_is_matched_by_its_place(
    workspace: Path,
) -> None:
    """An indicator the office reworded, absorbed once and then again: the second time the
    brief already says it, found at its place (no false conflict)."""
    built = CliRunner().invoke(main, ["build", "--format", "docx", "--force"])
    assert built.exit_code == 0, built.output
    document = workspace / "out" / f"{NAME}.docx"
    edited = edited_copy(document, workspace / "indicator.docx", _reword_indicator)
    first = absorb(edited)
    assert first.exit_code == 0, first.output
    once = brief_text(workspace)
    assert b"Senior research and product departures" in once
    second = absorb(edited)
    assert second.exit_code == 0, second.output
    assert brief_text(workspace) == once


def _lose_the_bluf_end_mark(document: docx.document.Document) -> None:
    """What LibreOffice does when Enter splits a marked paragraph: the field's end is gone."""
    body = document.element.body
    start = next(
        node
        for node in body.iter(f"{W}bookmarkStart")
        if node.get(f"{W}name", "").startswith("_F_summary_bluf")
    )
    ident = start.get(f"{W}id")
    for end in list(body.iter(f"{W}bookmarkEnd")):
        if end.get(f"{W}id") == ident:
            end.getparent().remove(end)


def test_a_field_that_lost_its_end_mark_ends_with_its_paragraphs(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "lost.docx", _lose_the_bluf_end_mark
    )
    before = brief_text(workspace)
    result = absorb(edited, "--ignore-unmapped")
    assert result.exit_code == 0, result.output
    assert brief_text(workspace) == before  # nothing was edited: the BLUF took in nothing


def _tracked_bold(document: docx.document.Document) -> None:
    """Bold a phrase with the change tracked, as Word does with Track Changes on."""
    body = document.element.body
    edits.make_bold(body, "working hypothesis")
    for run in body.iter(f"{W}r"):
        if edits.text_of(run) == "working hypothesis":
            rpr = run.find(f"{W}rPr")
            change = rpr.makeelement(
                f"{W}rPrChange",
                {
                    f"{W}id": "901",
                    f"{W}author": "Chief of Staff",
                    f"{W}date": "2026-11-30T00:00:00Z",
                },
            )
            change.append(rpr.makeelement(f"{W}rPr", {}))
            rpr.append(change)


def test_a_tracked_formatting_change_is_a_tracked_change(workspace: Path) -> None:
    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "fmt.docx", _tracked_bold)
    before = brief_text(workspace)
    refused = absorb(edited)
    assert refused.exit_code != 0
    assert "tracked formatting change by Chief of Staff in summary.bluf" in refused.output
    assert brief_text(workspace) == before
    rejected = absorb(edited, "--reject-changes")
    assert rejected.exit_code == 0, rejected.output
    assert brief_text(workspace) == before
    accepted = absorb(edited, "--accept-changes")
    assert accepted.exit_code == 0, accepted.output
    assert b"**working hypothesis**" in brief_text(workspace)


def _row_after_the_first_stakeholder(document: docx.document.Document) -> None:
    import copy as copying

    body = document.element.body
    table = next(t for t in body.iter(f"{W}tbl") if "Impact" in edits.text_of(t.find(f"{W}tr")))
    first = table.findall(f"{W}tr")[1]  # the first stakeholder, under the header row
    new = edits.without_marks(copying.deepcopy(first))
    cells = ["Regulators", "May scrutinise the pact.", "Uncertain", "Low", "Long term", "4"]
    for cell, text in zip(new.findall(f"{W}tc"), cells, strict=True):
        edits.set_paragraph_text(cell.find(f"{W}p"), text)
    first.addnext(new)


def test_a_row_added_mid_table_keeps_its_place(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "row.docx", _row_after_the_first_stakeholder
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    text = brief_text(workspace).decode("utf-8")
    stakeholders = text[text.index("\nstakeholders:") : text.index("\nquestions:")]
    ids = re.findall(r"^  - id: (\S+)", stakeholders, re.M)
    assert ids[1] == "regulators", ids


def _handling_to_red(document: docx.document.Document) -> None:
    edits.replace_text(document.element.body, "TLP:AMBER", "TLP:RED")


def test_the_handling_in_the_title_block_is_a_field(workspace: Path) -> None:
    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "h.docx", _handling_to_red)
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert b"handling: TLP:RED" in brief_text(workspace)


# --- bookmark names are the document's: never keys of the brief ----------------------------


def _new_row_with_column_mark(mark: str) -> Callable[[docx.document.Document], None]:
    """A new stakeholder row, and the impact column of the row above it marked *mark* (absorbed
    with --allow-deletions --ignore-unmapped, so that only the new row can refuse it)."""

    def change(document: docx.document.Document) -> None:
        body = document.element.body
        edits.add_row(
            body,
            "Investors",
            ["Regulators", "May scrutinise the pact.", "Uncertain", "Low", "Long term", " "],
        )
        row = edits.paragraph_with(body, "Investors").getparent().getparent()
        for start in row.iter(f"{W}bookmarkStart"):
            if start.get(f"{W}name", "").endswith("_impact"):
                start.set(f"{W}name", mark)

    return change


_LENIENT = ("--allow-deletions", "--ignore-unmapped")


def _printed_keys(data: object, path: str = "") -> set[str]:
    if isinstance(data, dict):
        return {path + str(k) for k in data} | {
            key for k, v in data.items() for key in _printed_keys(v, f"{path}{k}.")
        }
    if isinstance(data, list):
        return {key for v in data for key in _printed_keys(v, path)}
    return set()


def test_a_bookmark_name_holding_yaml_is_refused(workspace: Path) -> None:
    mark = "_F_stakeholders_7_impact\nstyle: house"
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "m.docx", _new_row_with_column_mark(mark)
    )
    before = brief_text(workspace)
    result = absorb(edited, *_LENIENT)
    assert result.exit_code == 1, result.output
    assert "does not print" in result.output and "allowed: name, impact" in result.output
    assert brief_text(workspace) == before
    # negative control: the column's own name is taken
    good = edited_copy(
        workspace / "out" / f"{NAME}.docx",
        workspace / "g.docx",
        _new_row_with_column_mark("_F_stakeholders_7_impact"),
    )
    assert absorb(good, *_LENIENT).exit_code == 0
    assert value(workspace, "stakeholders", 8, "name") == "Regulators"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(tail="x\nstyle: house")
@example(tail="impact\nstyle: x")
@example(tail="i" * 3000)
@given(
    tail=st.one_of(
        st.text(min_size=1, max_size=40),
        st.sampled_from(
            ["impact\nstyle: x", "x\nstyle: house", "impact: x", "'impact'", "ïmpact", "i" * 3000]
        ),
    )
)
def test_no_bookmark_name_adds_a_key_the_model_does_not_print(workspace: Path, tail: str) -> None:
    mark = "_F_stakeholders_7_" + "".join(c for c in tail if c.isprintable() or c in "\n\t")
    try:
        edited = edited_copy(
            workspace / "out" / f"{NAME}.docx",
            workspace / "f.docx",
            _new_row_with_column_mark(mark),
        )
    except ValueError:  # lxml refuses the name: nothing to absorb
        return
    path = workspace / "briefs" / f"{NAME}.yaml"
    before = path.read_bytes()
    keys_before = _printed_keys(parse_yaml(before.decode(), path).data)
    result = absorb(edited, *_LENIENT)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert path.read_bytes() == before, result.output
        return
    from briefkit.checks.loader import check_brief

    brief, _diagnostics = check_brief(path)
    assert brief is not None
    keys = _printed_keys(parse_yaml(path.read_text(encoding="utf-8"), path).data)
    assert keys - keys_before <= set()
    path.write_bytes(before)


@pytest.mark.parametrize("item", ["Pace of releases, hiring and pricing", "?x", "x]", "a: b"])
def test_an_item_of_a_flow_list_is_written_as_one_item(item: str) -> None:
    from briefkit.absorb.yaml_edit import YamlEditor

    editor = YamlEditor("indicators: [a, b, c]\n")
    editor.set(("indicators", 1), item)
    editor.insert_after(("indicators", 0), item)
    data = parse_yaml(editor.result(), Path("x.yaml")).data
    assert data == {"indicators": ["a", item, item, "c"]}


def test_a_control_character_typed_in_the_document_is_refused(workspace: Path) -> None:
    def change(document: docx.document.Document) -> None:
        edits.replace_text(document.element.body, "strategic stability", "strategic\u0085stability")

    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "c.docx", change)
    before = brief_text(workspace)
    result = absorb(edited)
    assert result.exit_code == 1, result.output
    assert "U+0085" in result.output
    assert brief_text(workspace) == before


def test_a_brief_that_is_a_symbolic_link_is_updated_where_it_points(workspace: Path) -> None:
    """The edit lands in the link's target; the link stays a link (git sees no type change)."""
    brief = workspace / "briefs" / f"{NAME}.yaml"
    kept = workspace / "kept" / f"{NAME}.yaml"
    kept.parent.mkdir()
    brief.rename(kept)
    brief.symlink_to(Path("..") / "kept" / kept.name)

    def change(document: docx.document.Document) -> None:
        edits.replace_text(document.element.body, "strategic stability", "strategic steadiness")

    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "l.docx", change)
    result = absorb(edited, brief)
    assert result.exit_code == 0, result.output
    assert brief.is_symlink()
    assert "strategic steadiness" in kept.read_text(encoding="utf-8")


# --- copies of a bullet with its mark, and links a brief cannot hold -----------------------


def _copy_bullet(document: docx.document.Document, rename: Callable[[str], str]) -> None:
    """The first indicator copied, its mark with it, pasted after the second, and reworded."""
    body = document.element.body
    first = edits.paragraph_with(body, "xAI product releases that credit Anthropic")
    copy_ = copy.deepcopy(first)
    for mark in copy_.iter(f"{W}bookmarkStart"):
        mark.set(f"{W}name", rename(mark.get(f"{W}name")))
    edits.replace_text(copy_, "xAI product releases", "xAI research papers")
    edits.paragraph_with(body, "Pace of xAI’s own flagship").addnext(copy_)


@pytest.mark.parametrize(
    "rename",
    [lambda name: f"{name}_Copy_1", lambda name: name],
    ids=["libreoffice-paste", "duplicated-mark"],
)
def test_a_bullet_copied_with_its_mark_is_a_new_indicator(
    workspace: Path, rename: Callable[[str], str]
) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx",
        workspace / "c.docx",
        lambda document: _copy_bullet(document, rename),
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    indicators = value(workspace, "signals", 0, "indicators")
    assert indicators == [
        "xAI product releases that credit Anthropic models, architecture or safety methods",
        "Pace of xAI's own flagship model releases slowing, or continuing unchanged",
        "xAI research papers that credit Anthropic models, architecture or safety methods",
        "Senior research departures or hiring shifts at xAI after the announcement",
    ]


def _local_link(document: docx.document.Document, target: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    body = document.element.body
    run = edits.split_run(
        edits.run_with(edits.paragraph_with(body, "Obtain the Equity episode"), "Equity episode"),
        "Equity episode",
    )
    r_id = document.part.relate_to(target, RT.HYPERLINK, is_external=True)
    link = run.makeelement(f"{W}hyperlink", {f"{{{edits.R}}}id": r_id})
    run.addprevious(link)
    link.append(run)


@pytest.mark.parametrize("target", ["file:///home/desk/equity.pdf", "notes/equity.pdf"])
def test_a_link_to_a_local_file_is_left_out_with_a_warning(workspace: Path, target: str) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx",
        workspace / "f.docx",
        lambda document: _local_link(document, target),
    )
    before = value(workspace, "questions", 0, "how")
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert f"questions[0].how: the link to {target!r} on 'Equity episode' is left out" in (
        result.output
    )
    assert "check refuses any other link" in result.output
    assert value(workspace, "questions", 0, "how") == before
    data = json.loads(absorb(edited, "--dry-run", "--format", "json").output)
    assert [w["field"] for w in data["warnings"]] == ["questions.0.how"]


def test_a_web_link_gets_no_warning(workspace: Path) -> None:
    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx",
        workspace / "w.docx",
        lambda document: _local_link(document, "https://example.com/equity"),
    )
    result = absorb(edited)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_a_copy_of_a_field_that_is_no_list_item_stays_outside_every_field(
    workspace: Path,
) -> None:
    def paste_interpretation(document: docx.document.Document) -> None:
        body = document.element.body
        original = edits.paragraph_with(body, "Despite Musk’s backing and SpaceX-linked")
        pasted = copy.deepcopy(original)
        for mark in pasted.iter(f"{W}bookmarkStart"):
            mark.set(f"{W}name", mark.get(f"{W}name") + "_Copy_1")
        original.addnext(pasted)

    edited = edited_copy(
        workspace / "out" / f"{NAME}.docx", workspace / "p.docx", paste_interpretation
    )
    before = brief_text(workspace)
    result = absorb(edited)
    assert result.exit_code == 1
    assert "not in any field" in result.output and "Despite Musk’s backing" in result.output
    assert brief_text(workspace) == before


def test_an_invalid_reliability_letter_is_a_located_refusal(workspace: Path) -> None:
    """A source's reliability typed as a letter no Admiralty grade has: the allowed letters,
    at the paragraph, nothing written (it was a StopIteration inside a generator)."""
    import zipfile

    source = workspace / "out" / f"{NAME}.docx"
    edited = workspace / "z.docx"
    mark = b'w:name="_F_sources_0_reliability"/><w:r><w:t>'
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(edited, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                start = data.index(mark) + len(mark)
                data = data[:start] + b"Z" + data[start + 1 :]
            zout.writestr(item, data)
    before = brief_text(workspace)
    result = absorb(edited)
    assert result.exit_code == 1, result.output
    assert "sources[0].reliability: 'Z' is no reliability term (allowed: 'A', 'B'" in result.output
    assert brief_text(workspace) == before


def test_an_emptied_required_field_is_the_problem_reported(workspace: Path) -> None:
    """Emptying the bottom line is not a deletion --allow-deletions could allow: the message
    says the field is required, at its paragraph, and nothing is written."""

    def change(document: docx.document.Document) -> None:
        paragraph = edits.paragraph_with(document.element.body, "The xAI–Anthropic alliance")
        for text in paragraph.iter(f"{W}t"):
            text.text = ""

    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "e.docx", change)
    before = brief_text(workspace)
    for extra in ((), ("--allow-deletions",)):
        result = absorb(edited, *extra)
        assert result.exit_code == 1, result.output
        assert "summary.bluf: is required, and the document leaves it empty" in result.output
        assert "--allow-deletions to delete" not in result.output
        assert brief_text(workspace) == before


def test_a_tracked_insertion_after_a_fields_mark_is_named_in_that_field(workspace: Path) -> None:
    """Text typed at the end of the bottom line lands after its mark closes; accepting it makes
    it the bottom line's, so the refusal names that field, not "outside any field"."""
    import copy

    from docx.oxml.ns import qn

    def change(document: docx.document.Document) -> None:
        paragraph = edits.paragraph_with(document.element.body, "primary disclosures arrive.")
        last = [child for child in paragraph if child.tag == f"{W}r"][-1]
        insertion = last.makeelement(
            f"{W}ins",
            {qn("w:id"): "902", qn("w:author"): "Chief of Staff", qn("w:date"): edits.WHEN},
        )
        typed = copy.deepcopy(last)
        for text in typed.findall(f"{W}t"):
            text.text = " Watch the filings."
        insertion.append(typed)
        paragraph.append(insertion)  # after the paragraph's last bookmarkEnd

    edited = edited_copy(workspace / "out" / f"{NAME}.docx", workspace / "i.docx", change)
    refused = absorb(edited)
    assert refused.exit_code == 1
    assert "tracked insertion by Chief of Staff in summary.bluf" in refused.output
    accepted = absorb(edited, "--accept-changes")
    assert accepted.exit_code == 0, accepted.output
    assert str(value(workspace, "summary", "bluf")).endswith("arrive. Watch the filings.")


_STYLED_SOURCE = """\
plain: one
single: 'one'
double: "one"
folded: >-
  one two three four five six seven eight nine ten eleven twelve thirteen fourteen
  fifteen sixteen
after: kept
"""


@settings(max_examples=150, deadline=None, derandomize=True)
@example(value="a\u2028b")  # a line separator: raw in a double-quoted scalar it reads as a space
@example(value="one two three four five six seven eight nine ten eleven twelve " * 3 + "#x")
@example(value='she said "no" \\ then: left')
@given(
    value=st.text(
        st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufeff"),
        min_size=1,
        max_size=200,
    )
)
def test_every_value_absorb_writes_reads_back_as_itself(value: str) -> None:
    """Whatever the document says, in a field of any scalar style, the YAML says exactly that
    and nothing else changes (the emitter writes it, the parser checks it)."""
    from briefkit.absorb.yaml_edit import YamlEditor

    for key in ("plain", "single", "double", "folded"):
        editor = YamlEditor(_STYLED_SOURCE)
        editor.set((key,), value)
        data = parse_yaml(editor.result(), Path("x.yaml")).data
        expected = parse_yaml(_STYLED_SOURCE, Path("x.yaml")).data
        expected[key] = unicodedata.normalize("NFC", value)  # as every brief is read
        assert data == expected, editor.result()
