"""kept.memo is the one way to make a renderer cache, and its checking mode
(BRIEFKIT_CHECK_KEPT=1) catches a key that misses something the result depends on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from briefkit.render.common import kept
from briefkit.render.common.kept import KeptMismatch, memo

SOURCE = Path(__file__).resolve().parents[2] / "src" / "briefkit"
# Caches of process facts, not of renderer results: the installed packages, the shipped
# catalogues, the markdown parser, font files by name and digest (checked by mtime and size).
OUTSIDE_RENDERERS = {
    "checks/links.py": {"inline_parser"},
    "fonts/families.py": {"_file_family", "_package_folder", "_digest_of"},
    "fonts/coverage.py": {"_codepoints"},
    "i18n/__init__.py": {"_locale"},
    "i18n/catalogues.py": {"available", "read"},
}
# Found by the scan and not converted yet (lookups of constants or of font files; each
# should become a memo): listed so that no new one comes in unseen.
NOT_YET = {
    "editions/derive.py": {"_RECENT"},  # by identity of the brief it holds: memo keys by value
    "fonts/families.py": {"_FAMILY_BY_NAME", "_VERSIONS"},
    "fonts/cache.py": {"_INTACT"},
    "brief/model.py": {"SPELLINGS"},
    "render/docx/ooxml.py": {"_ATTRIBUTES", "_EMPTY", "_MADE"},
    "reading/source.py": {"_TAGS"},
    "style/sheet.py": {"_SHEETS"},
    "checks/validation.py": {"_TYPES_AT"},
}
_CACHING = {"cache", "lru_cache", "cached_property"}


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _other_caches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(_decorator_name(d) in _CACHING for d in node.decorator_list)
    ]
    for statement in tree.body:  # an empty module-level dict is a cache unless kept({})
        value = getattr(statement, "value", None)
        if isinstance(statement, ast.AnnAssign | ast.Assign) and isinstance(value, ast.Dict):
            targets = (
                [statement.target] if isinstance(statement, ast.AnnAssign) else statement.targets
            )
            if not value.keys:
                found += [
                    f"{t.id} (an empty module-level dict)"
                    for t in targets
                    if isinstance(t, ast.Name)
                ]
    return found


def test_no_cache_is_made_but_with_kept_memo() -> None:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative == "render/common/kept.py":
            continue
        allowed = OUTSIDE_RENDERERS.get(relative, set()) | NOT_YET.get(relative, set())
        others = {name.split(" ")[0] for name in _other_caches(path)} - allowed
        others.discard("_block_spans")  # document.py: a property of one frozen document
        if others:
            found[relative] = sorted(others)
    assert found == {}


def test_the_scan_finds_a_cache_made_otherwise(tmp_path: Path) -> None:
    # the negative control of the scan
    module = tmp_path / "module.py"
    module.write_text(
        "import functools\n_seen: dict[str, str] = {}\n"
        "@functools.lru_cache(maxsize=8)\ndef f(x): return x\n",
        encoding="utf-8",
    )
    assert sorted(_other_caches(module)) == ["_seen (an empty module-level dict)", "f"]


def test_memo_is_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFKIT_CHECK_KEPT", raising=False)  # it would call again
    calls = []

    @memo(4)
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert double(2) == double(2) == 4 and calls == [2]
    kept.forget()
    assert double(2) == 4 and calls == [2, 2]


def test_a_key_that_misses_what_the_result_depends_on_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a wrong key: the direction dropped, as it once was
    @memo(16, key=lambda text, direction: text)
    def shaped(text: str, direction: str) -> str:
        return text[::-1] if direction == "rtl" else text

    monkeypatch.delenv("BRIEFKIT_CHECK_KEPT", raising=False)
    assert shaped("abc", "ltr") == "abc"
    assert shaped("abc", "rtl") == "abc"  # the cache's wrong answer goes unnoticed
    monkeypatch.setenv("BRIEFKIT_CHECK_KEPT", "1")
    with pytest.raises(KeptMismatch, match=r"shaped.*'abc', 'rtl'"):
        shaped("abc", "rtl")
    assert shaped("abc", "ltr") == "abc"  # a right entry passes


def test_a_renderer_cache_keyed_without_the_direction_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefkit.render.common import bidi_levels

    # the bidi levels of a text, wrongly kept by the text alone (the base direction dropped)
    wrong = memo(16, key=lambda text, base: text)(bidi_levels.levels.__wrapped__)
    monkeypatch.setenv("BRIEFKIT_CHECK_KEPT", "1")
    assert wrong("abc", 0) == (0, 0, 0)
    with pytest.raises(KeptMismatch, match="levels"):
        wrong("abc", 1)
