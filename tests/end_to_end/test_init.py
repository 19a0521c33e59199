"""briefkit init: a brief repository that checks and builds out of the box."""

from __future__ import annotations

import re
import subprocess

from click.testing import CliRunner

from briefkit.cli import main
from tests.conftest import require_tool


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_makes_a_repository_that_checks_and_builds(tmp_path, monkeypatch):
    require_tool("git")
    target = tmp_path / "briefs-repo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    for relative in (
        "briefs/example.yaml",
        "briefs/sources/council-notice.txt",
        "styles/house.yaml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "schema/brief.schema.json",
    ):
        assert (target / relative).is_file(), relative
    example = (target / "briefs" / "example.yaml").read_text(encoding="utf-8")
    assert example.startswith("# yaml-language-server: $schema=../schema/brief.schema.json")

    monkeypatch.chdir(target)
    check = run("check", "--strict")  # quotes verified against the shipped source text
    assert check.exit_code == 0, check.output
    assert "0 errors, 0 warnings" in check.stderr
    build = run("build", "-q")
    assert build.exit_code == 0, build.output
    assert (target / "out" / "example.pdf").is_file()
    ignored = subprocess.run(
        ["git", "check-ignore", "out/example.pdf"], cwd=target, capture_output=True, text=True
    )
    assert ignored.returncode == 0  # outputs are not committed
    assert "house" in run("styles").stdout


def test_init_never_overwrites(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.yaml").write_text("extends: default\n", encoding="utf-8")
    result = run("init", str(tmp_path), "--no-git")
    assert result.exit_code == 0
    assert "kept existing" in result.stderr
    assert (tmp_path / "styles" / "house.yaml").read_text(encoding="utf-8") == "extends: default\n"
    assert not (tmp_path / ".git").exists()


def _hooks() -> list[dict]:
    from importlib import resources

    from ruamel.yaml import YAML

    from tests.conftest import REPO

    offered = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    template = resources.files("briefkit") / "templates" / "pre-commit-config.yaml"
    written = YAML(typ="safe").load(template.read_text(encoding="utf-8"))
    return [next(h for h in offered if h["id"] == "briefkit-check")] + [
        h for repo in written["repos"] for h in repo["hooks"] if h["id"] == "briefkit-check"
    ]


def test_pre_commit_hooks_offer_briefkit_check():
    hooks = _hooks()
    assert len(hooks) == 2  # the one offered to pre-commit users, the one `init` writes
    for hook in hooks:
        assert hook["entry"].split()[:2] == ["briefkit", "check"]
        assert re.search(hook["files"], "briefs/x.yaml") and not re.search(hook["files"], "x.py")
    assert hooks[0]["language"] == "python"


def test_pre_commit_hooks_check_every_brief_when_what_they_use_changes(tmp_path, monkeypatch):
    """A source text or a style sheet can break briefs that did not change: a change to one
    runs the check, which is given no file names and so checks all of briefs/."""
    changed = ["briefs/sources/notice.txt", "styles/house.yaml", "fonts/House.ttf", "briefs/b.yml"]
    for hook in _hooks():
        assert all(re.search(hook["files"], path) for path in changed), hook
        assert not re.search(hook["files"], "README.md")
        assert hook.get("types") is None  # a source text is not YAML
        assert hook["pass_filenames"] is False
    target = tmp_path / "repo"
    assert run("init", str(target), "--no-git").exit_code == 0
    source = target / "briefs" / "sources" / "council-notice.txt"
    source.write_text("Nothing of what the brief quotes.\n", encoding="utf-8")
    monkeypatch.chdir(target)
    result = run(*_hooks()[1]["entry"].split()[1:])  # as pre-commit runs it: no file names
    assert result.exit_code == 1
    assert "briefs/example.yaml" in result.stdout and "quote not found" in result.stdout


def test_init_without_git_still_checks_and_builds(tmp_path, monkeypatch):
    target = tmp_path / "plain"
    assert run("init", str(target), "--no-git").exit_code == 0
    assert not (target / ".git").exists()
    monkeypatch.chdir(target)
    check = run("check", "--strict")
    assert check.exit_code == 0, check.output  # finds styles/house.yaml and the source text
    build = run("build", "-q")
    assert build.exit_code == 0, build.output
    assert (target / "out" / "example.pdf").is_file()


def test_init_says_to_commit_and_what_to_type(tmp_path, monkeypatch):
    require_tool("git")
    target = tmp_path / "team"
    result = run("init", str(target))
    commit = 'git add -A && git commit -m "Start the brief repository"'
    assert f"then commit: {commit} (diff, absorb" in result.stderr
    # what it says works as typed: after it, diff has a commit to compare with
    monkeypatch.chdir(target)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "A")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "a@example.com")
    subprocess.run(commit, shell=True, check=True, capture_output=True)
    assert run("diff").exit_code == 0
    plain = run("init", str(tmp_path / "plain"), "--no-git")
    assert f"then commit: git init && {commit}" in plain.stderr


def test_init_in_arabic_writes_an_arabic_example_that_checks_and_builds(tmp_path, monkeypatch):
    import docx
    from docx.oxml.ns import qn

    target = tmp_path / "ar"
    result = run("init", str(target), "--language", "ar", "--no-git")
    assert result.exit_code == 0, result.output
    assert "text is English" not in result.stderr
    example = (target / "briefs" / "example.yaml").read_text(encoding="utf-8")
    assert example.startswith("# yaml-language-server: $schema=../schema/brief.schema.json")
    assert re.search(r"^language: ar\b", example, re.M)
    notice = (target / "briefs" / "sources" / "council-notice.txt").read_text(encoding="utf-8")
    assert "رصيفين إضافيين للمياه العميقة" in notice
    monkeypatch.chdir(target)
    check = run("check", "--strict")  # its quotes are verbatim from the Arabic notice
    assert check.exit_code == 0, check.output
    assert run("build", "-q", "--format", "docx").exit_code == 0
    body = docx.Document(str(target / "out" / "example.docx")).element.body
    text = "".join(node.text or "" for node in body.iter(qn("w:t")))
    assert "الموافقة على توسعة الميناء" in text and "سترتفع الطاقة الاستيعابية" in text
    assert "Harbour" not in text and "Berth capacity" not in text  # no English on the page


def test_init_in_a_language_without_an_example_says_its_text_is_english(tmp_path, monkeypatch):
    target = tmp_path / "de"
    result = run("init", str(target), "--language", "de-CH", "--no-git")
    assert "the example's text is English: write it in de-CH" in result.stderr
    example = (target / "briefs" / "example.yaml").read_text(encoding="utf-8")
    first, note = example.splitlines()[:2]
    assert first == "# yaml-language-server: $schema=../schema/brief.schema.json"
    assert note.startswith("# TO WRITE: this example's text is English; write it in de-CH")
    assert "already in de-CH" in example
    assert re.search(r"^language: de-CH\b", example, re.M)
    monkeypatch.chdir(target)
    assert run("check", "--strict").exit_code == 0
    english = run("init", str(tmp_path / "en"), "--no-git")  # negative control
    assert "TO WRITE" not in (tmp_path / "en" / "briefs" / "example.yaml").read_text("utf-8")
    assert "text is English" not in english.stderr
