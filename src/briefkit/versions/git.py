"""The few git facts briefkit needs, from the ``git`` program (no library, no shell).

Every function runs one or two short git commands. Problems reach callers as :class:`GitError`
with a message meant for the user (never a raw ``CalledProcessError``); the two questions that
are routinely asked about files outside any repository (:func:`repository_of`,
:func:`revision_of`) answer ``None`` instead.

Git is run with ``LC_ALL=C`` (its messages are classified, never shown raw when avoidable) and
``GIT_OPTIONAL_LOCKS=0``, so that parallel builds never fight over the index lock.

A repository is untrusted input too (a checkout from a pull request, a downloaded archive):
its ``.git/config`` may name commands for git to run. briefkit therefore only runs git
commands that read history (``log``, ``rev-parse``, ``cat-file``, ``check-ignore``; never
``status``, which runs ``core.fsmonitor`` and clean filters), with the settings that run
commands (fsmonitor, hooks, pager, external diff) overridden from the environment, inherited
``GIT_CONFIG_*`` settings dropped, and not at all for a file outside any work tree. Whether a
file was edited since its last commit is decided by hashing it here, not by git.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from briefkit.diagnostics import UserError, display_path

TIMEOUT_SECONDS = 60
UNCOMMITTED = "uncommitted"
DIRTY_SUFFIX = "+dirty"

# Exit status of `git rev-parse --verify --quiet` for a name that is not a revision; git exits
# with 128 for fatal problems such as "not a git repository".
_NOT_A_REVISION = 1

# Settings a repository's config could use to make git run a program; overridden with the
# precedence of `git -c` (GIT_CONFIG_COUNT/KEY/VALUE), so no config file can set them back.
_HARDENING = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("diff.external", ""),
    ("core.untrackedCache", "false"),
    ("log.showSignature", "false"),
)
# Inherited variables that would change which settings or programs git uses.
_DROPPED_VARIABLES = ("GIT_CONFIG_PARAMETERS", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER")


class GitError(UserError):
    """A git question could not be answered; the message says why, for the user."""


def repository_of(path: Path) -> Path | None:
    """The root of the git work tree holding *path*; None outside git or without git."""
    try:
        result = _git(_directory(path), "rev-parse", "--show-toplevel")
    except GitError:
        return None
    if result.returncode != 0:
        return None
    return Path(os.fsdecode(result.stdout.rstrip(b"\r\n")))


def revision_of(path: Path) -> str | None:
    """The revision a build of the brief at *path* comes from, for footers and metadata.

    - ``"1a2b3c4"``: the short hash of the last commit touching the file, which is unchanged
      since;
    - ``"1a2b3c4+dirty"``: the file differs from that commit (edited, staged or deleted);
    - ``"uncommitted"``: the file is in a work tree but was never committed (untracked, or
      only staged);
    - None: not in a git work tree, git not installed, the file ignored by git (it is not
      versioned), or no such file known to git.
    """
    if not _in_work_tree(path):
        return None  # git is not run at all outside a repository
    folder, relative = _anchor(path)
    try:
        commit = _last_commit(folder, relative)
        if commit is None:
            ignored = _git(folder, "check-ignore", "-q", "--", relative)
            if ignored.returncode == 0:
                return None
            return UNCOMMITTED if ignored.returncode == 1 else None
        committed = _git(folder, "rev-parse", "--verify", "--quiet", f"HEAD:{relative}")
    except GitError:
        return None
    blob = committed.stdout.decode("ascii", errors="replace").strip()
    if committed.returncode != 0 or not blob or _blob_id(path, len(blob)) != blob:
        return commit + DIRTY_SUFFIX
    return commit


def revisions_of(paths: list[Path]) -> dict[Path, str | None]:
    """:func:`revision_of` of every path, asking git a few times per folder of briefs instead
    of twice per brief (a batch of a hundred briefs ran two hundred git processes).

    The answers are those of :func:`revision_of`: where the shortcut could differ (history
    with merges, which git simplifies per path; anything unexpected), each path is asked
    about on its own.
    """
    revisions: dict[Path, str | None] = {}
    folders: dict[Path, list[tuple[Path, str]]] = {}
    for path in paths:
        if not _in_work_tree(path):
            revisions[path] = None  # git is not run at all outside a repository
            continue
        folder, relative = _anchor(path)
        folders.setdefault(folder, []).append((path, relative))
    for folder, members in folders.items():
        try:
            found = _folder_revisions(folder, members) if len(members) > 1 else {}
        except GitError:
            found = {path: None for path, _ in members}  # as revision_of answers then
        for path, _ in members:
            revisions[path] = found[path] if path in found else revision_of(path)
    return revisions


def _folder_revisions(folder: Path, members: list[tuple[Path, str]]) -> dict[Path, str | None]:
    """The revisions of files in *folder*, from one ``git log`` and one ``git ls-tree`` for
    all of them; a file left out is one that only asking about it alone answers exactly
    (never committed, perhaps ignored; or all of them when history has merges, which git
    simplifies per path)."""
    names = [relative.removeprefix("./") for _, relative in members]
    merges = _git(folder, "rev-list", "--merges", "--max-count=1", "HEAD")
    if merges.returncode != 0 or merges.stdout.strip() or any("\1" in n for n in names):
        return {}
    commits = _last_commits(folder, [relative for _, relative in members], set(names))
    blobs = _head_blobs(folder, [relative for _, relative in members])
    if commits is None or blobs is None:
        return {}
    revisions: dict[Path, str | None] = {}
    for (path, _), name in zip(members, names, strict=True):
        if name not in commits:
            continue
        commit, blob = commits[name], blobs.get(name, "")
        dirty = not blob or _blob_id(path, len(blob)) != blob
        revisions[path] = commit + DIRTY_SUFFIX if dirty else commit
    return revisions


def _last_commits(folder: Path, relatives: list[str], names: set[str]) -> dict[str, str] | None:
    """The short hash of the last commit touching each file (by its name relative to
    *folder*), from one walk of a history without merges; None if git fails, or if a name
    was a folder once (its pathspec would also match the files in it)."""
    result = _git(
        folder, "log", "--format=%x01%h", "-z", "--name-only", "--no-renames", "--relative",
        "--", *relatives,
    )  # fmt: skip
    if result.returncode != 0:
        return None
    commits: dict[str, str] = {}
    commit = ""
    for token in os.fsdecode(result.stdout).split("\0"):
        token = token.lstrip("\n")
        if token.startswith("\1"):
            commit = token[1:]
        elif token and commit:
            if "/" in token and token.partition("/")[0] in names:
                return None
            commits.setdefault(token, commit)
    return commits


def _head_blobs(folder: Path, relatives: list[str]) -> dict[str, str] | None:
    """The object id of each file at HEAD (as ``rev-parse HEAD:file``), by name."""
    result = _git(folder, "ls-tree", "-z", "HEAD", "--", *relatives)
    if result.returncode != 0:
        return None
    blobs = {}
    for entry in os.fsdecode(result.stdout).split("\0"):
        info, _, name = entry.partition("\t")
        if name:
            blobs[name] = info.split(" ")[-1]
    return blobs


def _in_work_tree(path: Path) -> bool:
    """Whether a folder above *path* has a ``.git`` (or ``GIT_DIR`` names a repository)."""
    if os.environ.get("GIT_DIR"):
        return True
    start = path.absolute().parent
    return any((folder / ".git").exists() for folder in (start, *start.parents))


def _blob_id(path: Path, length: int) -> str | None:
    """The id git gives the content of *path* as a blob (SHA-1, or SHA-256 in repositories
    using it), computed here so that no repository setting (filters, fsmonitor) runs."""
    digest = hashlib.sha256() if length == 64 else hashlib.sha1()
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            digest.update(b"blob %d\0" % size)
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def read_at(path: Path, revision: str) -> str:
    """The text of the file at *path* as it was at *revision* (e.g. ``HEAD~1``, a tag).

    Raises :class:`GitError` when *path* is not in a repository, *revision* is not a revision
    of it, or the file did not exist at that revision.
    """
    _check_revision_syntax(revision)
    folder, relative = _anchor(path)
    result = _git(folder, "cat-file", "blob", f"{revision}:{relative}")
    if result.returncode != 0:
        _verify(folder, revision)  # raises when the revision (or the repository) is the problem
        raise GitError(f"{display_path(path)} does not exist at revision '{revision}'")
    try:
        return result.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GitError(f"{display_path(path)} at revision '{revision}' is not UTF-8 text") from None


def text_at(path: Path, revision: str) -> str | None:
    """The text of the file at *path* as it was at *revision*, following renames since then
    (committed ones, and one staged with ``git mv``); None only when git says the file did not
    exist at *revision* under any earlier name.

    Raises :class:`GitError` when *path* is not in a repository, *revision* is not a revision
    of it, or the old version cannot be read.
    """
    _check_revision_syntax(revision)
    folder, relative = _anchor(path)
    result = _git(folder, "cat-file", "blob", f"{revision}:{relative}")
    if result.returncode != 0:
        _verify(folder, revision)  # raises when the revision (or the repository) is the problem
        name = _name_at(folder, relative, revision)
        if name is None:
            return None
        result = _git(folder, "cat-file", "blob", f"{revision}:{name}")
        if result.returncode != 0:
            return None  # not there under its earlier name either
    try:
        return result.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GitError(f"{display_path(path)} at revision '{revision}' is not UTF-8 text") from None


def files_at(folder: Path, revision: str) -> list[Path]:
    """The files under the existing folder *folder* at *revision*, as paths under *folder*.

    Raises :class:`GitError` when *folder* is not in a repository or *revision* is not a
    revision of it.
    """
    _check_revision_syntax(revision)
    where = folder.absolute()
    _verify(where, revision)
    result = _git(
        where, "ls-tree", "-r", "--name-only", "-z", "--end-of-options", revision, "--", "."
    )
    if result.returncode != 0:
        raise GitError(f"git could not list {display_path(folder)} at '{revision}'")
    names = [n for n in os.fsdecode(result.stdout).split("\0") if n]
    return [folder / name for name in names]


def _name_at(folder: Path, relative: str, revision: str) -> str | None:
    """The name (from the top of the repository) the file *relative* had at *revision*, when
    it was renamed since; None when it was added since (or git knows nothing of it)."""
    staged = _git(folder, "diff", "--cached", "-M", "--name-status", "-z", "HEAD", "--")
    original = current = _top_relative(folder, relative)
    for status, old, new in _name_status(staged.stdout if staged.returncode == 0 else b""):
        if status.startswith("R") and new == current:
            current = old
    log = _git(
        folder, "log", "--follow", "-M", "--name-status", "-z", "--format=",
        f"{revision}..HEAD", "--", f":(top){current}",
    )  # fmt: skip
    if log.returncode != 0:
        raise GitError(f"git could not follow {current} since '{revision}'")
    # with no rename found, the file did not exist at the revision under its name
    name: str | None = None if current == original else current
    for status, old, _new in _name_status(log.stdout):
        if status.startswith("R"):
            name = old
        elif status.startswith("A"):
            name = None  # added since: the oldest change in the range is its creation
    return name


def _name_status(output: bytes) -> list[tuple[str, str, str]]:
    """``git … --name-status -z`` as (status, old path, new path) triples."""
    tokens = [t.strip("\n") for t in os.fsdecode(output).split("\0")]
    tokens = [t for t in tokens if t]
    entries = []
    index = 0
    while index < len(tokens):
        status = tokens[index]
        if status[:1] in ("R", "C") and index + 2 < len(tokens):
            entries.append((status, tokens[index + 1], tokens[index + 2]))
            index += 3
        elif index + 1 < len(tokens):
            entries.append((status, tokens[index + 1], tokens[index + 1]))
            index += 2
        else:
            break
    return entries


def _top_relative(folder: Path, relative: str) -> str:
    """*relative* (to *folder*) as a path from the top of the work tree."""
    prefix = _git(folder, "rev-parse", "--show-prefix")
    head = os.fsdecode(prefix.stdout).strip() if prefix.returncode == 0 else ""
    return head + relative.removeprefix("./")


def resolve(revision: str, repo: Path) -> str:
    """The short hash of the commit *revision* names in the repository holding *repo*."""
    _check_revision_syntax(revision)
    folder = _directory(repo)
    result = _rev_parse(folder, revision, "--short")
    if result.returncode != 0:
        raise _revision_error(folder, revision, result)
    return result.stdout.decode("ascii").strip()


def _last_commit(folder: Path, relative: str) -> str | None:
    """Short hash of the last commit touching *relative*; None if there is none (yet)."""
    result = _git(folder, "log", "-1", "--format=%h", "--", relative)
    commit = result.stdout.decode("ascii", errors="replace").strip()
    return commit if result.returncode == 0 and commit else None


def _verify(folder: Path, revision: str) -> None:
    result = _rev_parse(folder, revision)
    if result.returncode != 0:
        raise _revision_error(folder, revision, result)


def _rev_parse(folder: Path, revision: str, *options: str) -> subprocess.CompletedProcess[bytes]:
    return _git(
        folder,
        "rev-parse",
        "--verify",
        "--quiet",
        *options,
        "--end-of-options",
        f"{revision}^{{commit}}",
    )


def _revision_error(
    folder: Path, revision: str, result: subprocess.CompletedProcess[bytes]
) -> GitError:
    if result.returncode == _NOT_A_REVISION:
        return GitError(f"'{revision}' is not a revision in this repository")
    message = result.stderr.decode("utf-8", errors="replace").strip()
    if "not a git repository" in message:
        return GitError(f"not inside a git repository: {display_path(folder)}")
    first = message.splitlines()[0] if message else f"exit status {result.returncode}"
    return GitError(f"git failed in {display_path(folder)}: {first.removeprefix('fatal: ')}")


def _check_revision_syntax(revision: str) -> None:
    # No git revision starts with '-' (nor is empty); refusing them keeps option injection out.
    if not revision.strip() or revision.startswith("-"):
        raise GitError(f"'{revision}' is not a revision in this repository")


def _directory(path: Path) -> Path:
    """*path* if it is an existing directory, else its nearest existing parent directory."""
    return _anchor(path)[0] if not path.is_dir() else path.absolute()


def _anchor(path: Path) -> tuple[Path, str]:
    """The nearest existing directory above *path*, and *path* relative to it as ``./a/b``.

    Git resolves ``./`` paths (in pathspecs and in ``REV:./path``) against the directory it runs
    in, so no call is needed to find the repository root first.
    """
    path = path.absolute()
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder, "./" + path.relative_to(folder).as_posix()


def _environment() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _DROPPED_VARIABLES and not name.startswith("GIT_CONFIG_")
    }
    env.update(LC_ALL="C", GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    env["GIT_CONFIG_COUNT"] = str(len(_HARDENING))
    for index, (key, value) in enumerate(_HARDENING):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    # keep the user's choice to ignore system and global configuration files
    for name in ("GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "--no-pager", "-C", str(folder), *args],
            capture_output=True,
            env=_environment(),
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (the 'git' program was not found on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git took longer than {TIMEOUT_SECONDS} s and was stopped") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
