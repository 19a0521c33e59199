"""Fonts prepared on demand, once, with a line that says so; repository font files bounded and
damaged ones refused with a message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit import fonts

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "briefs" / "xai-anthropic-alliance.yaml"


def _build(cache: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFKIT_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "briefkit", "build", str(ENGLISH), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_an_english_brief_prepares_only_its_own_faces_and_says_so(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(cache, tmp_path / "out1")
    assert first.returncode == 0, first.stderr
    assert "preparing fonts for Source Sans 3 (once per machine)" in first.stderr
    faces = [p.name for p in (cache / "fonts").glob("*.ttf")]
    assert any(name.startswith("SourceSans3-") for name in faces)  # negative control
    others = ("NotoSansArabic", "NotoSansSC", "Heebo", "NotoSansDevanagari", "NotoSansThai")
    assert not [name for name in faces if name.startswith(others)]
    again = _build(cache, tmp_path / "out2")
    assert again.returncode == 0, again.stderr
    assert "preparing" not in again.stderr


def test_two_builds_at_once_share_whole_faces(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "BRIEFKIT_CACHE_DIR": str(cache)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefkit", "build", str(ENGLISH), "-o", str(tmp_path / n)],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for n in ("a", "b")
    ]
    errors = [run.communicate()[1] for run in runs]
    assert all(run.returncode == 0 for run in runs), errors
    said = "".join(errors)
    assert "preparing fonts for Source Code Pro" in said
    # each family is said once between them, though each build prepares some of its faces
    lines = [line for line in said.splitlines() if line.startswith("preparing fonts for ")]
    assert lines and len(lines) == len(set(lines)), said
    # The two builds share the faces one of them prepared under the lock, whole: the same PDF.
    # (Which build announces which family depends on which gets a face's lock first.)
    assert (tmp_path / "a" / f"{ENGLISH.stem}.pdf").read_bytes() == (
        tmp_path / "b" / f"{ENGLISH.stem}.pdf"
    ).read_bytes()


@pytest.fixture(scope="module")
def real_font() -> bytes:
    return fonts.face_path("Source Code Pro", bold=False, italic=False).read_bytes()


def test_a_font_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "Big.ttf"
    with big.open("wb") as stream:
        stream.write(b"\0\1\0\0")
        stream.truncate(fonts.FONT_FILE_LIMIT + 1)  # sparse
    problem = fonts.check_font_file(big)
    assert problem is not None and "the limit is" in problem


def test_a_fifo_named_as_a_font_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "Pipe.ttf"
    os.mkfifo(fifo)
    problem = fonts.check_font_file(fifo)
    assert problem is not None and "not a regular file" in problem


@pytest.mark.parametrize("tag", [b"name", b"hmtx", b"post", b"glyf"])
def test_a_font_whose_directory_lost_a_table_is_refused(
    real_font: bytes, tmp_path: Path, tag: bytes
) -> None:
    path = tmp_path / "Lost.ttf"
    path.write_bytes(real_font)
    assert fonts.check_font_file(path) is None  # the negative control: the font itself is fine
    directory = 12 + 16 * int.from_bytes(real_font[4:6], "big")
    at = real_font.index(tag, 12, directory)
    path.write_bytes(real_font[:at] + b"zzzz" + real_font[at + 4 :])
    problem = fonts.check_font_file(path)
    assert problem is not None and repr(tag.decode()) in problem, problem


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_damaged_font_is_refused_or_works_never_a_traceback(
    data: st.DataObject, real_font: bytes, tmp_path: Path
) -> None:
    raw = bytearray(real_font)
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        directory = 12 + 16 * int.from_bytes(raw[4:6], "big")
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            at = data.draw(
                st.one_of(st.integers(4, directory - 1), st.integers(0, len(raw) - 1)),
                label="at",
            )
            raw[at] = data.draw(st.integers(0, 255), label="byte")
    path = tmp_path / f"Damaged{data.draw(st.integers(0, 10**9), label='n')}.ttf"
    path.write_bytes(bytes(raw))
    if fonts.check_font_file(path) is not None:
        return  # refused where the style sheet names it
    # faces of damaged fonts go to a cache of their own, not the session's the other tests read
    shared = os.environ["BRIEFKIT_CACHE_DIR"]
    os.environ["BRIEFKIT_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        fonts.codepoints(str(path))
        fonts.face_path(str(path), bold=True, italic=False)
    except fonts.FontError as exc:
        assert str(path) in str(exc)
    finally:
        os.environ["BRIEFKIT_CACHE_DIR"] = shared
