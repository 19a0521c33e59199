"""The command line as a user meets it: paths, exit codes, JSON output, scaffolds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from briefkit import BriefError, load_brief
from tests.conftest import MINIMAL, REPO


def test_clean_brief_exits_zero(write_brief, cli):
    write_brief(MINIMAL)
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "checked 1 brief: 0 invalid briefs, 0 errors, 0 warnings" in result.stderr


def test_paths_directories_and_globs(repo, write_brief, cli):
    write_brief(MINIMAL, "a.yaml")
    (repo / "briefs" / "nested").mkdir()
    (repo / "briefs" / "nested" / "b.yml").write_text(MINIMAL, encoding="utf-8")
    (repo / "briefs" / "notes.txt").write_text("not a brief", encoding="utf-8")
    (repo / "briefs" / ".trash").mkdir()  # hidden folders (editor backups, trash) are skipped
    (repo / "briefs" / ".trash" / "old.yaml").write_text("broken: [", encoding="utf-8")
    assert "checked 2 briefs" in cli("check", "briefs").stderr
    assert "checked 1 brief:" in cli("check", "briefs/*.yaml").stderr
    assert "checked 2 briefs" in cli("check", "briefs/**/*.y*ml").stderr
    assert "checked 1 brief:" in cli("check", "briefs/a.yaml", "briefs/a.yaml").stderr


def test_usage_errors_exit_2(write_brief, cli):
    write_brief(MINIMAL)
    assert cli("check", "nowhere.yaml").exit_code == 2
    assert cli("check", "nothing/*.yaml").exit_code == 2
    assert cli("check", "--format", "xml").exit_code == 2
    assert cli("new", "Bad Slug").exit_code == 2


def test_json_format(write_brief, cli):
    write_brief(MINIMAL + "status: drafty\n")
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1  # as diff's report has one
    assert report["errors"] == 1
    assert report["files"][0]["valid"] is False
    diagnostic = report["files"][0]["diagnostics"][0]
    assert diagnostic == {
        "path": "briefs/brief.yaml",
        "line": 7,
        "column": 9,
        "message": "'drafty' is not allowed (allowed: 'draft', 'final'); did you mean 'draft'?",
        "field": "status",
        "severity": "error",
    }


def test_check_quiet_prints_only_the_problems(write_brief, cli):
    write_brief(MINIMAL + "status: drafty\n")
    loud, quiet = cli("check"), cli("check", "-q")
    assert quiet.exit_code == loud.exit_code == 1
    assert quiet.stdout == loud.stdout and "'drafty' is not allowed" in quiet.stdout
    assert "checked 1 brief" in loud.stderr and quiet.stderr == ""
    write_brief(MINIMAL)
    clean = cli("check", "--quiet")
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "")


def test_new_skeleton_passes_check(repo, cli):
    result = cli("new", "my-brief")
    assert result.exit_code == 0, result.output
    brief = repo / "briefs" / "my-brief.yaml"
    text = brief.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/brief.schema.json\n")
    assert (repo / "schema" / "brief.schema.json").is_file()
    check = cli("check", str(brief.relative_to(repo)))
    assert check.exit_code == 0, check.output
    assert "placeholder text 'TODO' left in" in check.stdout
    # never overwrites an analyst's work
    again = cli("new", "my-brief")
    assert again.exit_code == 2
    assert brief.read_text(encoding="utf-8") == text


def test_new_from_article_inside_repository(repo, cli):
    (repo / "sources").mkdir()
    article = repo / "sources" / "article.txt"
    article.write_text("Title: with a colon & “quotes”\n\nBody text.\n", encoding="utf-8")
    result = cli("new", "from-article", "--from-article", "sources/article.txt")
    assert result.exit_code == 0, result.output
    brief = load_brief(repo / "briefs" / "from-article.yaml")
    assert brief.title == "Title: with a colon & “quotes”"
    assert brief.sources[0].title == brief.title
    assert brief.sources[0].text == "../sources/article.txt"


def test_new_from_article_outside_repository(repo, tmp_path_factory, cli):
    article = tmp_path_factory.mktemp("elsewhere") / "article.txt"
    article.write_text("\n  Some headline  \nBody.\n", encoding="utf-8")
    result = cli("new", "outside", "--from-article", str(article), "--dir", "drafts")
    assert result.exit_code == 0, result.output
    assert cli("check", "drafts").exit_code == 0
    assert load_brief(repo / "drafts" / "outside.yaml").title == "Some headline"


ARTICLE_PAGE = """\
Written by 2:32 am Tech Views: 0
Share
By Jane Doe
12 min read
xAI and Anthropic agree a compute partnership worth billions
Nov 27, 2026
The two companies said on Thursday that they would share data centres.
"""


def test_new_from_article_takes_the_headline_not_the_boilerplate(repo, cli):
    (repo / "page.txt").write_text(ARTICLE_PAGE, encoding="utf-8")
    assert cli("new", "deal", "--from-article", "page.txt").exit_code == 0
    brief = load_brief(repo / "briefs" / "deal.yaml")
    assert brief.title == "xAI and Anthropic agree a compute partnership worth billions"


def test_new_from_article_outside_copies_it_into_sources_never_overwriting(
    repo, tmp_path_factory, cli
):
    article = tmp_path_factory.mktemp("downloads") / "page.txt"
    article.write_text(ARTICLE_PAGE, encoding="utf-8")
    sources = repo / "briefs" / "sources"
    sources.mkdir(parents=True)
    (sources / "page.txt").write_text("Another article.\n", encoding="utf-8")

    first = cli("new", "deal", "--from-article", str(article))
    assert first.exit_code == 0, first.output
    assert "copied the article to briefs/sources/page-2.txt" in first.stderr
    assert (sources / "page.txt").read_text(encoding="utf-8") == "Another article.\n"
    assert (sources / "page-2.txt").read_text(encoding="utf-8") == ARTICLE_PAGE
    assert load_brief(repo / "briefs" / "deal.yaml").sources[0].text == "sources/page-2.txt"

    again = cli("new", "deal-2", "--from-article", str(article))  # the same text: no new copy
    assert "already in briefs/sources/page-2.txt" in again.stderr
    assert sorted(p.name for p in sources.iterdir()) == ["page-2.txt", "page.txt"]
    assert load_brief(repo / "briefs" / "deal-2.yaml").sources[0].text == "sources/page-2.txt"


def test_load_brief_api_raises_located_errors(write_brief):
    path = write_brief(MINIMAL + "status: drafty\n")
    try:
        load_brief(path)
    except BriefError as exc:
        assert [(d.line, d.column, d.field) for d in exc.errors] == [(7, 9, "status")]
        assert "did you mean 'draft'?" in str(exc)
    else:
        raise AssertionError("expected BriefError")


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_python_m_briefkit_and_no_renderer_import(write_brief, repo):
    write_brief(MINIMAL + "status: drafty\n")
    result = run_module("-m", "briefkit", "check", cwd=repo)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    probe = (
        "import sys\n"
        "from briefkit.cli import main\n"
        "try:\n    main(['check'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'reportlab', 'docx', 'fontTools', 'lxml'})\n"
        "print('HEAVY', heavy)\n"
    )
    result = run_module("-c", probe, cwd=repo)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_readme_example_brief_is_valid(write_brief, cli):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    write_brief(example, "readme-example.yaml")
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "quotes from this source are not verified" in result.stdout


def test_check_of_a_multi_script_brief_imports_no_renderer(repo):
    """check knows the fonts' coverage from the cache, without reportlab or fontTools."""
    text = MINIMAL.replace("The bottom line.", '"قال المتحدث، भारत, ไทย, 中文, Россия"')
    (repo / "briefs" / "b.yaml").write_text(text, encoding="utf-8")
    warm = run_module("-m", "briefkit", "check", "--strict", cwd=repo)  # fills the cache
    assert warm.returncode == 0, warm.stdout + warm.stderr
    probe = (
        "import sys\n"
        "from briefkit.cli import main\n"
        "try:\n    main(['check', '--strict'])\n"
        "except SystemExit as exit:\n    print('EXIT', exit.code)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'reportlab', 'docx', 'fontTools', 'lxml', 'uharfbuzz', 'bidi'})\n"
        "print('HEAVY', heavy)\n"
    )
    result = run_module("-c", probe, cwd=repo)
    assert "EXIT 0" in result.stdout and "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_the_help_lists_every_command(cli):
    """One module per command in briefkit/cli/, each registered and described by --help."""
    from briefkit.cli import COMMANDS

    shared = {"__init__", "common", "reports", "process"}
    modules = {p.stem for p in (REPO / "src" / "briefkit" / "cli").glob("*.py")} - shared
    assert {c.name for c in COMMANDS} == modules  # a module whose command is not registered
    listed = cli("--help").stdout.split("Commands:\n", 1)[1].split()
    assert [name for name in listed if name in modules] == sorted(modules)
    for name in sorted(modules):
        usage = cli(name, "--help")
        assert usage.exit_code == 0 and usage.stdout.startswith(f"Usage: main {name} ")
