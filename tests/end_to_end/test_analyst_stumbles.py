"""The stumbles of an analyst's first day (issue 14), one test or more per point, through the
command line in temporary repositories."""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from briefkit import fonts
from briefkit.cli import main
from tests.conftest import MINIMAL, commit, require_tool
from tests.libreoffice import LibreOffice, producer
from tests.pdf_helpers import pdftotext, words


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


JUDGED = """\
briefkit: 1
id: judged
title: A judged brief
date: 2026-11-28
version: "0.9"
summary:
  bluf: The bottom line.
  judgments:
    - id: kj1
      text: The first judgment.
      likelihood: likely
      confidence: moderate
signals:
  - id: s1
    title: A signal
    observation: O.
    interpretation: I.
    likelihood: unlikely
"""


# --- 1. repository-relative paths -------------------------------------------------------------


def test_commands_find_the_repository_from_a_subfolder(git_repo, monkeypatch):
    (git_repo / "styles").mkdir()
    (git_repo / "styles" / "team.yaml").write_text(
        "extends: default\ncolors:\n  accent: '#7A1F5C'\n", encoding="utf-8"
    )
    (git_repo / "briefs" / "a.yaml").write_text(MINIMAL + "style: team\n", encoding="utf-8")
    (git_repo / ".gitignore").write_text("/out/\n", encoding="utf-8")
    monkeypatch.chdir(git_repo / "briefs")

    assert run("check").exit_code == 0
    built = run("build", "-q", "--format", "pdf")
    assert built.exit_code == 0, built.output
    assert (git_repo / "out" / "a.pdf").is_file()
    assert not (git_repo / "briefs" / "out").exists()

    new = run("new", "second")
    assert new.exit_code == 0, new.output
    second = git_repo / "briefs" / "second.yaml"
    assert second.is_file() and not (git_repo / "briefs" / "briefs").exists()
    # the repository's own style, the one its briefs use
    assert re.search(r"^style: team ", second.read_text(encoding="utf-8"), re.MULTILINE)
    assert run("check", "second.yaml").exit_code == 0
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=git_repo,
        capture_output=True,
        text=True,
    ).stdout
    assert "out/" not in status  # compiled documents are never files to commit


def test_a_repository_in_a_subfolder_of_a_git_work_tree(git_repo, monkeypatch):
    team = git_repo / "teams" / "intel"
    (team / "briefs" / "drafts").mkdir(parents=True)
    (team / "briefs" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(team / "briefs" / "drafts")
    result = run("build", "-q", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert (team / "out" / "a.pdf").is_file()
    assert run("new", "b").exit_code == 0
    assert (team / "briefs" / "b.yaml").is_file()


def test_init_prints_the_cd_and_new_uses_the_house_style(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "my briefs", "--no-git")
    assert result.exit_code == 0
    assert "next: cd 'my briefs' && briefkit check && briefkit build" in result.stderr
    here = run("init", ".", "--no-git")
    assert "next: briefkit check && briefkit build" in here.stderr
    monkeypatch.chdir(tmp_path / "my briefs")
    assert run("new", "fresh").exit_code == 0
    text = (tmp_path / "my briefs" / "briefs" / "fresh.yaml").read_text(encoding="utf-8")
    assert re.search(r"^style: house ", text, re.MULTILINE)


# --- 2. the shipped example on a fresh clone: see test_first_day and test_schema_and_example


# --- 3. quotes ----------------------------------------------------------------------------------


def _quoted(repo: Path, source_text: str, quote: str, extra: str = "") -> None:
    (repo / "briefs" / "sources").mkdir(exist_ok=True)
    (repo / "briefs" / "sources" / "s.txt").write_text(source_text, encoding="utf-8")
    (repo / "briefs" / "brief.yaml").write_text(
        MINIMAL
        + extra
        + "sources:\n  - id: s\n    title: S\n    text: sources/s.txt\n"
        + f"evidence:\n  - id: e1\n    source: s\n    quote: {json.dumps(quote)}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        (unicodedata.normalize("NFD", "Le café a fermé."), "café a fermé"),  # decomposed accent
        ("the ﬁnal deal", "the final deal"),  # a ligature
        ("it’s settled", "itʼs settled"),  # a different apostrophe
        ("costs\u00a0rose by 5\u00ad%", "costs rose by 5%"),  # no-break space, soft hyphen
        ("ＡＢＣ corp said", "ABC corp said"),  # full-width letters
    ],
    ids=["decomposed", "ligature", "apostrophe", "invisible", "full-width"],
)
def test_quotes_match_across_unicode_forms(repo, cli, source, quote):
    _quoted(repo, source, quote)
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output


def test_superscripts_still_differ(repo, cli):
    _quoted(repo, "growth of x² per year", "growth of x2 per year")
    assert cli("check").exit_code == 1


@pytest.mark.parametrize(
    ("quote", "kind"),
    [
        ("The Board said", "a different letter case"),
        ("the board voted", "a different word"),
        ("the bóard said", "a different accent"),
        ("the board said... left", "an ellipsis"),
        # where the quote and the source part before a space, the space is not the difference
        ("the board saidd", "a different word ('saidd' in the quote, 'said' in the source)"),
        ("the board said it would waits", "a different word ('waits' in the quote, 'wait'"),
        ("the board said it would wait and", "U+002C COMMA in the source that the quote leaves"),
        ("the board said it would wait,, and", "U+002C COMMA in the quote that the source does"),
        ("the board said itwould", "a space on one side only"),
    ],
)
def test_a_failed_quote_says_where_and_what_kind(repo, cli, quote, kind):
    _quoted(repo, "Then the board said it would wait, and left.\n", quote)
    result = cli("check")
    assert result.exit_code == 1
    assert "evidence[0].quote: quote not found in the text of source 's'" in result.stdout
    assert f"({kind}" in result.stdout, result.stdout


def test_quote_problems_come_with_every_other_problem(repo, cli):
    _quoted(repo, "The board said yes.\n", "The board said no", extra="colour: blue\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "unknown key 'colour'" in result.stdout
    assert "evidence[0].quote: quote not found" in result.stdout  # in the same run


# --- 4. vocabulary ------------------------------------------------------------------------------


def test_medium_is_a_deprecated_moderate(repo, write_brief, cli):
    write_brief(
        JUDGED.replace("confidence: moderate", "confidence: medium")
        + "questions:\n  - id: q1\n    question: Q?\n    priority: Medium\n"
    )
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert (
        "briefs/brief.yaml:12:19: warning: summary.judgments[0].confidence: 'medium' is "
        "deprecated; write 'moderate'" in result.stdout
    )
    assert "questions[0].priority: 'Medium' is deprecated; write 'moderate'" in result.stdout
    assert cli("check", "--strict").exit_code == 1


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("likelihood", "probable", "did you mean 'likely'?"),
        ("likelihood", "highly unlikely", "did you mean 'very unlikely'?"),
        ("likelihood", "70%", "did you mean 'likely'? (ICD 203 gives it 55–80%, which holds 70%)"),
        ("likelihood", "0.9", "did you mean 'very likely'?"),
        ("likelihood", "80%", "80% is where 'likely' (55–80%) and 'very likely' (80–95%) meet"),
        ("likelihood", "100%", "ICD 203 has no term for 100%"),
        ("confidence", "mid", "did you mean 'moderate'?"),
    ],
)
def test_did_you_mean_across_synonyms_and_percentages(write_brief, cli, field, value, hint):
    old = "likelihood: likely" if field == "likelihood" else "confidence: moderate"
    write_brief(JUDGED.replace(old, f"{field}: {value}"))
    result = cli("check")
    assert result.exit_code == 1
    assert f"summary.judgments[0].{field}:" in result.stdout
    assert hint in result.stdout, result.stdout


def test_style_sheet_enumerations_ignore_case(repo, write_brief, cli):
    (repo / "styles").mkdir()
    (repo / "styles" / "us.yaml").write_text(
        "extends: default\npage:\n  size: letter\nparagraphs:\n"
        "  body: {size: 10pt, leading: 13pt, align: Justify, font: BODY}\n"
        "colors:\n  likelihood: {Very Likely: '#112233'}\n  direction: {Negative: '#AA0000'}\n",
        encoding="utf-8",
    )
    (repo / "styles" / "typo.yaml").write_text(
        "extends: default\npage:\n  size: leter\n", encoding="utf-8"
    )
    write_brief(MINIMAL + "style: us\n")
    assert cli("check", "--strict").exit_code == 0
    write_brief(MINIMAL + "style: typo\n")
    result = cli("check")
    assert "page.size: 'leter' is not allowed" in result.stdout
    assert "did you mean 'Letter'?" in result.stdout


# --- 5. diff over folders -----------------------------------------------------------------------


def test_diff_takes_folders_and_defaults_to_briefs(git_repo):
    briefs = git_repo / "briefs"
    (briefs / "kept.yaml").write_text(JUDGED, encoding="utf-8")
    (briefs / "same.yaml").write_text(MINIMAL, encoding="utf-8")
    (briefs / "gone.yaml").write_text(MINIMAL.replace("minimal", "gone"), encoding="utf-8")
    commit(git_repo, "first")
    (briefs / "kept.yaml").write_text(
        JUDGED.replace("likelihood: likely", "likelihood: very likely"), encoding="utf-8"
    )
    (briefs / "gone.yaml").unlink()
    added = JUDGED.replace("id: judged", "id: added").replace("A judged", "An added")
    (briefs / "added.yaml").write_text(added, encoding="utf-8")

    everything = run("diff")
    assert everything.exit_code == 0, everything.output
    out = everything.stdout
    assert "briefs/kept.yaml: HEAD → working tree" in out
    assert "likelihood raised: likely → very likely" in out
    assert "+ briefs/added.yaml: new since HEAD (An added brief)" in out
    assert "- briefs/gone.yaml: removed since HEAD (A gone brief)" in out
    assert (
        "4 briefs compared (HEAD → working tree): 1 changed, 1 added, 1 removed, 1 unchanged"
        in (out)
    )
    assert "same.yaml" not in out.split("4 briefs")[0]

    second = commit(git_repo, "second")
    between = run("diff", "HEAD~1", "HEAD", "briefs/")
    assert between.exit_code == 0, between.output
    assert "1 changed, 1 added, 1 removed, 1 unchanged" in between.stdout
    assert second
    data = json.loads(run("diff", "HEAD~1", "briefs", "--format", "json").stdout)
    statuses = {b["path"]: b["status"] for b in data["briefs"]}
    assert statuses == {
        "briefs/added.yaml": "added",
        "briefs/gone.yaml": "removed",
        "briefs/kept.yaml": "changed",
        "briefs/same.yaml": "unchanged",
    }
    one = run("diff", "HEAD~1", "briefs/kept.yaml")  # one brief: as before
    assert "likelihood raised: likely → very likely" in one.stdout


# --- 6. the changes box and change_note --------------------------------------------------------


def test_changes_box_speaks_versions_and_prints_change_notes(git_repo):
    require_tool("pdftotext")
    brief = git_repo / "briefs" / "judged.yaml"
    brief.write_text(JUDGED, encoding="utf-8")
    first = commit(git_repo, "first")
    raised = JUDGED.replace('version: "0.9"', 'version: "1.0"').replace(
        "      likelihood: likely\n",
        "      likelihood: very likely\n"
        "      change_note: The second carrier confirmed the contract.\n",
    )
    brief.write_text(raised.replace("likelihood: unlikely", "likelihood: likely"), encoding="utf-8")

    check = run("check", "--changes-since", "HEAD")
    assert check.exit_code == 0
    # the signal's likelihood moved without a reason; the judgment's has one
    assert (
        "briefs/judged.yaml:19:17: warning: signals[0].likelihood: likelihood raised from "
        "unlikely to likely since HEAD, with no change_note saying why" in check.stdout
    )
    assert "summary.judgments[0]" not in check.stdout
    assert run("check").stdout == ""  # without --changes-since: nothing to compare
    wrong = run("check", "--changes-since", "nope")
    assert wrong.exit_code == 2 and "'nope' is not a revision" in wrong.stderr

    build = run("build", "-q", "--format", "pdf,docx", "--changes-since", "HEAD")
    assert build.exit_code == 0, build.output
    assert "signals[0].likelihood: likelihood raised" in build.stderr  # build warns alike
    text = words(pdftotext(git_repo / "out" / "judged.pdf"))
    assert "What changed since version 0.9 of 28 November 2026" in text
    assert (
        "Likelihood of key judgment 1 raised from likely to very likely. Why: The second "
        "carrier confirmed the contract." in text
    )
    assert f"Compared with the brief at git revision HEAD, {first}." in text
    assert "since HEAD (" not in text
    # the note itself is not a change in meaning
    assert "change_note" not in run("diff", "briefs/judged.yaml").stdout
    commit(git_repo, "second")
    stale = run("check", "--changes-since", "HEAD")
    assert (
        "warning: summary.judgments[0].change_note: nothing in this judgment changed since "
        "HEAD, so the note is not printed" in stale.stdout
    )


def _signal(n: int, extra: str = "") -> str:
    fields = f"    title: Signal {n}\n    observation: O.\n    interpretation: I.\n"
    return f"  - id: s{n}\n{fields}{extra}"


@pytest.mark.parametrize(("marked", "grouped"), [(4, True), (2, False)])
def test_one_marking_given_to_many_parts_is_one_line_of_the_changes_box(git_repo, marked, grouped):
    require_tool("pdftotext")
    brief = git_repo / "briefs" / "judged.yaml"
    head = JUDGED.split("signals:")[0].replace("summary:", "handling: TLP:AMBER\nsummary:")
    head += "signals:\n"
    brief.write_text(head + "".join(_signal(n) for n in range(1, marked + 2)), encoding="utf-8")
    commit(git_repo, "first")
    # every signal gets the same marking; the last one's is explained, so it keeps its line
    cleared = "".join(_signal(n, "    handling: TLP:CLEAR\n") for n in range(1, marked + 1))
    noted = "    handling: TLP:CLEAR\n    change_note: The partner may see it now.\n"
    brief.write_text(head + cleared + _signal(marked + 1, noted), encoding="utf-8")
    build = run("build", "-q", "--format", "pdf", "--changes-since", "HEAD")
    assert build.exit_code == 0, build.output
    text = words(pdftotext(git_repo / "out" / "judged.pdf"))
    assert (f"Handling of signals ({marked}) set to TLP:CLEAR." in text) is grouped
    assert text.count("set to TLP:CLEAR.") == (2 if grouped else marked + 1)
    assert (
        f"Handling of signal {marked + 1} \u2018Signal {marked + 1}\u2019 set to TLP:CLEAR. Why: "
        "The partner may see it now." in text
    )


# --- 7. one watermark rule ----------------------------------------------------------------------


def test_watermark_is_over_the_content_and_translucent_in_both_formats(repo, write_brief, cli):
    write_brief(JUDGED)
    assert cli("build", "-q").exit_code == 0
    pdf = pypdf.PdfReader(repo / "out" / "brief.pdf")
    page = pdf.pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    # drawn after the page's shaded boxes and text, with a translucent fill
    assert content.rindex("(DRAFT) Tj") > content.rindex("re f")
    assert content.rindex("(DRAFT) Tj") > content.index("BT")
    states = page["/Resources"]["/ExtGState"]
    alphas = [float(state.get_object().get("/ca", 1)) for state in states.values()]
    assert any(0 < alpha < 0.5 for alpha in alphas)

    with zipfile.ZipFile(repo / "out" / "brief.docx") as package:
        body = package.read("word/document.xml").decode()
        header = next(
            package.read(n).decode()
            for n in package.namelist()
            if n.startswith("word/header") and 'name="Watermark"' in package.read(n).decode()
        )
        image = package.read("word/media/image1.png")
    for xml in (body, header):  # page one in the body, later pages in the header
        anchor = re.search(r"<wp:anchor [^>]*>.*?</wp:anchor>", xml, re.S)
        assert anchor is not None
        assert 'behindDoc="0"' in anchor.group(0)  # in front of the text
        assert anchor.group(0).count('relativeFrom="page"><wp:align>center</wp:align>') == 2
    from io import BytesIO

    from PIL import Image

    alpha = Image.open(BytesIO(image)).getchannel("A").getextrema()
    assert 0 < alpha[1] < 128  # translucent


# --- 8. Word ------------------------------------------------------------------------------------


def test_word_numbers_headings_and_keeps_only_useful_styles(repo, write_brief, cli):
    write_brief(
        JUDGED.replace("The bottom line.", "The bottom line [@src].")
        + "  - id: s2\n    title: Another signal\n    observation: O.\n    interpretation: I.\n"
        + "sources:\n  - id: src\n    title: A source\n"
    )
    assert cli("build", "-q", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(repo / "out" / "brief.docx") as package:
        body = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
        numbering = package.read("word/numbering.xml").decode()
        core = package.read("docProps/core.xml").decode()
    headings = re.findall(r'<w:p><w:pPr><w:pStyle w:val="Heading2"/>.*?</w:p>', body)
    assert len(headings) == 2
    num_ids = {re.search(r'<w:numId w:val="(\d+)"/>', h).group(1) for h in headings}  # type: ignore[union-attr]
    assert len(num_ids) == 1  # one list: Word renumbers when a signal is added or deleted
    assert not any(re.search(r"<w:t[^>]*>\d+\. ", h) for h in headings)  # no typed "1. "
    assert '<w:lvlText w:val="%1."/>' in numbering
    bluf = re.search(r'<w:p><w:pPr><w:pStyle w:val="CalloutTitle"/>.*?</w:pPr>', body)
    assert bluf is not None and '<w:outlineLvl w:val="0"/>' in bluf.group(0)
    ids = re.findall(r'w:styleId="([^"]+)"', styles)
    assert len(ids) < 60, len(ids)
    for needed in ("Normal", "Heading1", "Heading2", "Heading3", "ListBullet", "ListNumber"):
        assert needed in ids
    assert "TableGrid" in ids and "BriefTable" in ids
    assert "LightShading-Accent1" not in ids and "MediumGrid3-Accent6" not in ids
    assert "<dc:subject>The bottom line.</dc:subject>" in core


@producer("renumbered", fixture="renumbered")
def _renumbered(repo: Path) -> dict[Path, Path]:
    """A brief's .docx with its first signal's heading deleted, as an editor deletes it (the
    next one becomes signal 1); LibreOffice's PDF of it goes in repo/lo."""
    (repo / ".git").mkdir(parents=True)
    (repo / "briefs").mkdir()
    (repo / "briefs" / "brief.yaml").write_text(
        JUDGED + "  - id: s2\n    title: Another signal\n    observation: O.\n"
        "    interpretation: I.\n",
        encoding="utf-8",
    )
    old = Path.cwd()
    os.chdir(repo)
    try:
        assert run("build", "-q", "--format", "docx").exit_code == 0
    finally:
        os.chdir(old)
    docx_path = repo / "out" / "brief.docx"
    with zipfile.ZipFile(docx_path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    body = parts["word/document.xml"].decode()
    first = re.search(r'<w:p><w:pPr><w:pStyle w:val="Heading2"/>(?:(?!</w:p>).)*</w:p>', body)
    assert first is not None and "A signal" in first.group(0)
    parts["word/document.xml"] = body.replace(first.group(0), "", 1).encode()
    with zipfile.ZipFile(docx_path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return {docx_path: repo / "lo" / "brief.pdf"}


@pytest.fixture(scope="module")
def renumbered(libreoffice: LibreOffice) -> Path:
    return next(iter(libreoffice.pdfs("renumbered").values()))


def test_word_headings_renumber_in_libreoffice(renumbered):
    require_tool("pdftotext")
    converted = renumbered
    assert converted.is_file()
    text = words(pdftotext(converted))
    assert "1. Another signal" in text and "2. Another signal" not in text
    outline = [
        item.title for item in pypdf.PdfReader(converted).outline if not isinstance(item, list)
    ]
    assert "Bottom line up front" in outline


# --- 9. defaults --------------------------------------------------------------------------------


def test_a_draft_without_version_is_0_1_and_the_legend_needs_estimates(repo, write_brief, cli):
    require_tool("pdftotext")
    write_brief(MINIMAL)
    assert cli("build", "-q", "--format", "pdf").exit_code == 0
    text = words(pdftotext(repo / "out" / "brief.pdf"))
    assert "0.1 · Draft" in text and "v0.1" in text
    assert "Estimative language" not in text
    write_brief(MINIMAL + "status: final\n")
    assert cli("build", "-q", "--format", "pdf").exit_code == 0
    assert "1.0 · Final" in words(pdftotext(repo / "out" / "brief.pdf"))
    write_brief(JUDGED)
    assert cli("build", "-q", "--format", "pdf").exit_code == 0
    assert "Estimative language (ICD 203)" in words(pdftotext(repo / "out" / "brief.pdf"))


# --- 10. the font cache -------------------------------------------------------------------------


def test_tests_never_use_the_users_font_cache():
    cache = fonts.cache_dir().resolve()
    users = [Path.home() / ".cache" / "briefkit"]
    if os.environ.get("XDG_CACHE_HOME"):
        users.append(Path(os.environ["XDG_CACHE_HOME"]) / "briefkit")
    assert all(not cache.is_relative_to(u.resolve()) for u in users), cache
    assert "briefkit-test-cache-" in str(cache) or os.environ.get("BRIEFKIT_TEST_CACHE_DIR")
