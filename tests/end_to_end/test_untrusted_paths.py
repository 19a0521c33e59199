"""A path briefkit reads from something it did not write (an edited .docx, a committed out/,
a manifest) never decides where it writes: the edited document's BriefPath only picks one of
the repository's own briefs, the default out/ is never a symbolic link, the lock is taken or
the build refuses, and a build stopped by SIGTERM leaves no worker, no temporary file and no
lock behind. A manifest that cannot be saved fails the build."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from briefkit.cli import main
from tests.conftest import EXAMPLE_BRIEF, MINIMAL, REPO, require_tool


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the repository, which nothing may write into."""
    return tmp_path_factory.mktemp("outside")


# --- absorb: the document's BriefPath ---------------------------------------------------------


def _edited(docx: Path, target: Path, brief_path: str) -> Path:
    """*docx* with its bottom line edited and its BriefPath property set to *brief_path*."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"The bottom line.", b"The edited bottom line.")
            elif item.filename == "docProps/custom.xml":
                data = re.sub(
                    rb"briefs/b\.yaml", escape(brief_path).encode().replace(b"\\", b"\\\\"), data
                )
            copy.writestr(item, data)
    return target


@pytest.fixture
def built_docx(repo: Path, cli) -> Path:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    assert cli("build", "--format", "docx", "-q").exit_code == 0
    return repo / "out" / "b.docx"


def _hints(repo: Path, outside: Path) -> dict[str, str]:
    victim = outside / "x.yaml"
    victim.write_text(MINIMAL, encoding="utf-8")  # what the document was built from
    (repo / "briefs" / "link.yaml").symlink_to(victim)
    relative = os.path.relpath(victim, repo)
    return {
        "climbing out": relative,
        "absolute": str(victim),
        "through a link leaving the repository": "briefs/link.yaml",
        "backslashes": relative.replace("/", "\\"),
        "longer than the system allows": "briefs/" + "a" * 5000 + ".yaml",
        "deep": "briefs/" + "a/" * 3000 + "b.yaml",
        "a step back inside": "briefs/../briefs/b.yaml",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "climbing out",
        "absolute",
        "through a link leaving the repository",
        "backslashes",
        "longer than the system allows",
        "deep",
        "a step back inside",
    ],
)
def test_absorb_never_writes_where_the_document_says(
    repo: Path, built_docx: Path, outside: Path, kind: str
) -> None:
    hint = _hints(repo, outside)[kind]
    edited = _edited(built_docx, repo / "edited.docx", hint)
    result = CliRunner().invoke(main, ["absorb", str(edited)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "is not a brief in this repository's briefs/; name the brief:" in result.stderr
    assert "briefkit absorb EDITED.docx briefs/BRIEF.yaml" in result.stderr
    assert len(result.stderr) < 600  # the hint is cut short, not echoed whole
    assert (outside / "x.yaml").read_text(encoding="utf-8") == MINIMAL
    assert (repo / "briefs" / "b.yaml").read_text(encoding="utf-8") == MINIMAL


def test_absorb_follows_a_brief_path_naming_a_brief_of_the_repository(
    repo: Path, built_docx: Path
) -> None:
    """The negative control: the hint, when it names one of the repository's briefs, works."""
    edited = _edited(built_docx, repo / "edited.docx", "briefs/b.yaml")
    result = CliRunner().invoke(main, ["absorb", str(edited)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "bluf: The edited bottom line." in (repo / "briefs" / "b.yaml").read_text("utf-8")


def test_absorb_takes_the_brief_the_user_names_whatever_the_document_says(
    repo: Path, built_docx: Path, outside: Path
) -> None:
    edited = _edited(built_docx, repo / "edited.docx", str(outside / "x.yaml"))
    result = CliRunner().invoke(main, ["absorb", str(edited), "briefs/b.yaml"])
    assert result.exit_code == 0, result.output
    assert "The edited bottom line." in (repo / "briefs" / "b.yaml").read_text("utf-8")
    assert not (outside / "x.yaml").exists()


# --- build: the output folder and its lock ----------------------------------------------------


def test_a_committed_out_link_is_refused_and_nothing_is_written_through_it(
    repo: Path, cli, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "out").symlink_to(outside, target_is_directory=True)
    for args in ((), ("--prune",), ("--force",)):
        result = cli("build", "--format", "pdf", *args)
        assert result.exit_code == 1, result.output
        assert f"out is a symbolic link (to {outside}), not a folder of the repository" in (
            result.stderr
        )
        assert "name the output folder with -o DIR" in result.stderr
    assert list(outside.iterdir()) == []
    # from inside briefs/, out/ is ../out: the same rule
    monkeypatch.chdir(repo / "briefs")
    assert cli("build", "--format", "pdf").exit_code == 1
    assert list(outside.iterdir()) == []


def test_an_out_link_named_with_o_is_the_users_choice(repo: Path, cli, outside: Path) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "out").symlink_to(outside, target_is_directory=True)
    result = cli("build", "--format", "pdf", "-o", "out")
    assert result.exit_code == 0, result.output
    assert (outside / "b.pdf").is_file()


@pytest.mark.parametrize("kind", ["folder", "link"])
def test_a_lock_that_cannot_be_taken_stops_the_build(
    repo: Path, cli, outside: Path, kind: str
) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    lock = repo / "out" / ".briefkit-lock"
    lock.parent.mkdir()
    if kind == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(outside / "victim")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1, result.output
    assert "briefkit build: cannot lock out/.briefkit-lock (" in result.stderr
    assert not (repo / "out" / "b.pdf").exists()
    assert list(outside.iterdir()) == []


def test_the_gitignore_init_writes_also_ignores_an_out_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = require_tool("git")
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init"], catch_exceptions=False).exit_code == 0
    (tmp_path / "out").symlink_to("/tmp", target_is_directory=True)
    ignored = subprocess.run([git, "check-ignore", "-q", "out"], cwd=tmp_path, check=False)
    assert ignored.returncode == 0
    (tmp_path / "out").unlink()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "b.pdf").write_bytes(b"")
    assert subprocess.run([git, "check-ignore", "-q", "out/b.pdf"], cwd=tmp_path).returncode == 0


# --- build: a manifest that cannot be saved ---------------------------------------------------


def test_a_manifest_that_cannot_be_saved_fails_the_build(
    repo: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefkit.building.manifest

    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")

    def full_disk(path: Path, data: object, **kwargs: object) -> os.stat_result:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(briefkit.building.manifest, "write_atomic", full_disk)
        result = cli("build", "--format", "pdf")
    assert result.exit_code == 1, result.output
    assert (
        "briefkit build: cannot save out/.briefkit-manifest.json (No space left on device)"
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert cli("build", "--format", "pdf").exit_code == 0  # the control: it saves, exit 0


# --- build: stopped by SIGTERM ----------------------------------------------------------------


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group *pgid*."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _poll(condition, what: str, limit: float = 300.0) -> None:
    """Wait for *condition*, however slow the machine; a bound only against hanging forever."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_parallel_build_stops_its_workers(repo: Path, stop: signal.Signals) -> None:
    """SIGTERM (timeout, CI cancellation, systemd) stops the build as Ctrl-C would, exit
    status 143; after SIGKILL of the parent, its workers end too (Linux tells them)."""
    shutil.copytree(REPO / "briefs" / "sources", repo / "briefs" / "sources")
    for n in range(8):
        shutil.copy(EXAMPLE_BRIEF, repo / "briefs" / f"e{n}.yaml")
    command = [sys.executable, "-m", "briefkit", "build", "-j", "2", "--format", "pdf,docx"]
    log = repo / "build.log"
    with log.open("wb") as stderr:
        build = subprocess.Popen(command, cwd=repo, start_new_session=True, stderr=stderr)
    try:
        _stopped_mid_build(build, repo / "out", stop)
    finally:  # a failing run leaves no stray worker behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    assert b"Traceback" not in log.read_bytes()


def _stopped_mid_build(build: subprocess.Popen[bytes], out: Path, stop: signal.Signals) -> None:
    _poll(lambda: any(out.glob("*.pdf")) or build.poll() is not None, "nothing was built")
    assert len(_group(build.pid)) == 3, "the parent and its two workers"
    build.send_signal(stop)  # as timeout(1) and systemd do: to the parent only
    assert build.wait(timeout=300) == (128 + stop if stop == signal.SIGTERM else -stop)
    _poll(lambda: not _group(build.pid), "workers outlived the build", limit=60)
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    with open(out / ".briefkit-lock", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held
    assert len(list(out.glob("*.pdf"))) < 8, "the build was stopped before its end"
