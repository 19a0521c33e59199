"""The pipeline's shape: one-way passes. No import cycles between briefkit's modules (lazy
imports inside functions included), and no renderer that knows the brief model."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "briefkit"


def _modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _runtime_imports(tree: ast.AST) -> set[str]:
    """Modules imported when the code runs (``if TYPE_CHECKING:`` blocks left out)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
            if node.module != "briefkit":  # `from briefkit import fonts` is the submodule
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {dep for dep in _runtime_imports(ast.parse(path.read_text())) if dep in modules}
        - {name}
        for name, path in modules.items()
    }


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles = []

    def walk(name: str, path: list[str], done: set[str]) -> None:
        for dep in sorted(graph[name]):
            if dep in path:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in done:
                done.add(dep)
                walk(dep, [*path, dep], done)

    for name in sorted(graph):
        walk(name, [name], {name})
    assert cycles == []


def test_renderers_never_see_the_brief_model() -> None:
    graph = _graph()
    model = {
        "briefkit.brief.model",
        "briefkit.brief.vocab",
        "briefkit.checks.loader",
        "briefkit.reading.source",
    }
    leaks = {
        (name, dep)
        for name, deps in graph.items()
        if name.startswith("briefkit.render")
        for dep in deps & model
    }
    assert leaks == set()


def test_every_user_error_derives_from_one_base() -> None:
    """So a build reports them as plain diagnostics, never as "internal error"."""
    from briefkit.absorb.reader import DocumentError
    from briefkit.absorb.run import AbsorbError
    from briefkit.building.discover import NoSuchPath
    from briefkit.building.lock import Busy
    from briefkit.building.pipeline import SettingError
    from briefkit.diagnostics import BriefError, UserError
    from briefkit.fonts import FontError
    from briefkit.reading.files import InputFileError
    from briefkit.scaffold import ScaffoldError
    from briefkit.versions.git import GitError

    for error in (
        AbsorbError,
        DocumentError,
        BriefError,
        SettingError,
        NoSuchPath,
        InputFileError,
        FontError,
        GitError,
        Busy,
        ScaffoldError,
    ):
        assert issubclass(error, UserError), error


def test_the_build_passes_are_short_functions() -> None:
    """One brief (pipeline) and many (batch): each function readable at a glance."""
    for name in ("building/pipeline.py", "building/batch.py"):
        tree = ast.parse((SOURCE / name).read_text())
        longest = max(
            (node.end_lineno - node.lineno + 1, node.name)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
        )
        assert longest[0] < 40, (name, longest)


# The modules that belong to no single pass; everything else lives in a folder named for its
# pass (the command line too: briefkit/cli/, one module per command).
PACKAGE = {"__init__", "__main__", "diagnostics"}
TOP_LEVEL = PACKAGE | {"scaffold", "schema"}


def test_every_module_is_in_the_folder_of_its_pass() -> None:
    top = {p.stem for p in SOURCE.glob("*.py")}
    assert top >= PACKAGE  # the scan sees the package
    loose = top - TOP_LEVEL
    assert not loose, f"put {sorted(loose)} in the folder of their pass (CONTRIBUTING.md)"
    assert len(TOP_LEVEL - PACKAGE) <= 3, "at most three modules at the top besides these"


def test_the_contributing_map_names_every_folder() -> None:
    guide = (SOURCE.parents[1] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    folders = {p.parent.name for p in SOURCE.glob("*/__init__.py")}
    assert folders >= {"reading", "brief", "checks", "layout", "render", "building"}  # not vacuous
    unnamed = {f for f in folders if f"| `{f}/` |" not in guide}
    assert not unnamed, f"describe {sorted(unnamed)} in CONTRIBUTING.md's map of the passes"


def test_every_test_is_in_the_folder_of_its_kind() -> None:
    tests = SOURCE.parents[1] / "tests"
    kinds = {"end_to_end", "unit", "golden", "codebase"}
    found = {p.relative_to(tests).parts[0] for p in tests.rglob("test_*.py")}
    assert "end_to_end" in found  # the scan sees the tests
    assert found <= kinds, f"put {sorted(found - kinds)} in one of {sorted(kinds)}"


def test_no_pass_imports_the_command_line() -> None:
    """The command line calls the passes, never the other way round."""
    graph = _graph()
    assert "briefkit.cli.check" in graph  # the scan sees the commands
    callers = {
        name
        for name, deps in graph.items()
        if not name.startswith(("briefkit.cli", "briefkit.__main__"))
        and any(dep == "briefkit.cli" or dep.startswith("briefkit.cli.") for dep in deps)
    }
    assert callers == set()
