"""`briefkit absorb` reads an edited .docx from outside through one archive reader: a regular
file within a size limit, members inflated in chunks and counted as they really inflate, only
the stored and deflated methods, nothing encrypted. Each refusal is one line naming the file,
exit code 1, no traceback."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefkit.absorb import archive, reader
from briefkit.cli import main
from tests.conftest import MINIMAL

DOCUMENT = "word/document.xml"
_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
# where a field sits in a member's local header and in its central-directory record
_FLAGS, _METHOD, _SIZE = (6, 8), (8, 10), (22, 24)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A brief repository with one brief built as .docx (out/b.docx)."""
    from briefkit.building.pipeline import BuildOptions, build_brief

    repo = tmp_path_factory.mktemp("archive")
    (repo / ".git").mkdir()
    (repo / "briefs").mkdir()
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    result = build_brief(repo / "briefs" / "b.yaml", BuildOptions(repo / "out", ("docx",)))
    assert not result.failed, result.diagnostics
    return repo


def _absorb(repo: Path, document: Path) -> Result:
    with contextlib.chdir(repo):
        return CliRunner().invoke(
            main,
            ["absorb", "--dry-run", str(document), "briefs/b.yaml"],
            catch_exceptions=False,
        )


def _refused(result: Result, document: Path, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    [line] = result.output.strip().splitlines()
    assert str(document) in line
    for word in words:
        assert word in line, line


def _rewritten(source: Path, target: Path, **replaced: bytes) -> bytes:
    """*source* written again as *target*, members named in *replaced* holding those bytes
    (added when *source* has no such member)."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as copy:
        for item in package.infolist():
            data = replaced.pop(item.filename, package.read(item))
            copy.writestr(item, data, zipfile.ZIP_DEFLATED)
        for name, data in replaced.items():
            copy.writestr(name, data, zipfile.ZIP_DEFLATED)
    return target.read_bytes()


def _patch(data: bytes, name: str, where: tuple[int, int], value: bytes) -> bytes:
    """*data* with a field of member *name* set to *value* in both of its headers."""
    patched = bytearray(data)
    encoded = name.encode()
    start = 0
    while (start := data.find(_CENTRAL, start)) >= 0:
        length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + length] == encoded:
            local = int.from_bytes(data[start + 42 : start + 46], "little")
            assert data[local : local + 4] == _LOCAL
            patched[local + where[0] : local + where[0] + len(value)] = value
            patched[start + where[1] : start + where[1] + len(value)] = value
            return bytes(patched)
        start += 4
    raise AssertionError(f"no member {name}")


def test_the_built_document_is_read(built: Path) -> None:
    """The negative control: the reader takes what briefkit itself wrote."""
    result = _absorb(built, built / "out" / "b.docx")
    assert result.exit_code == 0, result.output


def test_a_member_inflating_past_the_size_it_declares_is_never_held_whole(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """8 MiB of zeros declared as 1 KB: the reader inflates a chunk at a time, so it holds
    about one chunk, not the whole member, and refuses the document."""
    monkeypatch.setattr(archive, "MAX_PART_BYTES", 1 << 20)
    bomb = tmp_path / "bomb.docx"
    data = _rewritten(built / "out" / "b.docx", bomb, **{DOCUMENT: bytes(8 << 20)})
    bomb.write_bytes(_patch(data, DOCUMENT, _SIZE, (1024).to_bytes(4, "little")))
    tracemalloc.start()
    try:
        with pytest.raises(reader.DocumentError):
            reader.read_docx(bomb)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak
    _refused(_absorb(built, bomb), bomb, "damaged")


def test_a_member_larger_than_the_limit_is_refused(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_PART_BYTES", 1 << 20)
    large = tmp_path / "large.docx"
    _rewritten(built / "out" / "b.docx", large, **{DOCUMENT: bytes(8 << 20)})
    _refused(_absorb(built, large), large, DOCUMENT, "1,048,576 bytes")


def test_too_many_members_are_refused(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 50)
    many = tmp_path / "many.docx"
    _rewritten(built / "out" / "b.docx", many, **{f"extra/{n}.xml": b"<x/>" for n in range(60)})
    _refused(_absorb(built, many), many, "more than 50 zip members")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        (_METHOD, (99).to_bytes(2, "little"), ("method 99", "stored or deflated")),
        (_METHOD, (14).to_bytes(2, "little"), ("method 14", "stored or deflated")),
        (_FLAGS, (1).to_bytes(1, "little"), ("encrypted", "without a password")),
    ],
    ids=["unknown method", "lzma", "encrypted"],
)
def test_a_member_neither_stored_nor_deflated_or_encrypted_is_refused(
    built: Path, tmp_path: Path, field: tuple[int, int], value: bytes, words: tuple[str, ...]
) -> None:
    patched = tmp_path / "patched.docx"
    data = (built / "out" / "b.docx").read_bytes()
    patched.write_bytes(_patch(data, DOCUMENT, field, value))
    _refused(_absorb(built, patched), patched, DOCUMENT, *words)


def test_a_member_written_with_lzma_is_refused(built: Path, tmp_path: Path) -> None:
    lzma = tmp_path / "lzma.docx"
    source = zipfile.ZipFile(built / "out" / "b.docx")
    with source as package, zipfile.ZipFile(lzma, "w", zipfile.ZIP_LZMA) as copy:
        for item in package.infolist():
            copy.writestr(item.filename, package.read(item))
    _refused(_absorb(built, lzma), lzma, "stored or deflated")


def _limit_memory() -> None:
    """In the child: a reader that reads /dev/zero whole fails here, not on the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize(("make", "words"), [("fifo", "named pipe"), ("zero", "character device")])
def test_a_named_pipe_or_a_device_is_refused_without_waiting(
    built: Path, tmp_path: Path, make: str, words: str
) -> None:
    document = Path("/dev/zero")
    if make == "fifo":
        document = tmp_path / "pipe.docx"
        os.mkfifo(document)
    script = "from briefkit.cli import main; main()"
    command = [sys.executable, "-c", script, "absorb", "--dry-run", str(document), "briefs/b.yaml"]
    # the timeout only keeps a hang from stopping the suite; a fixed reader returns at once
    done = subprocess.run(
        command,
        cwd=built,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert done.returncode == 1, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


# positions near the start of a header (flags, method, sizes, name lengths) and anywhere
# (a member absorb reads, by name, or any member, by number)
_NEAR_HEADER = st.tuples(
    st.sampled_from([_LOCAL, _CENTRAL]),
    st.integers(0, 40),
    st.one_of(st.sampled_from([DOCUMENT, "docProps/custom.xml"]), st.integers()),
)


def _headers(data: bytes, signature: bytes) -> list[tuple[int, bytes]]:
    """Where each header with *signature* starts in *data*, and the member it names."""
    length_at = 26 if signature == _LOCAL else 28
    name_at = length_at + (4 if signature == _LOCAL else 18)
    found = []
    start = 0
    while (start := data.find(signature, start)) >= 0:
        length = int.from_bytes(data[start + length_at : start + length_at + 2], "little")
        found.append((start, data[start + name_at : start + name_at + length]))
        start += 4
    return found


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    mutations=st.lists(
        st.tuples(
            st.one_of(_NEAR_HEADER, st.integers(min_value=0)),
            st.integers(min_value=0, max_value=255),
        ),
        min_size=1,
        max_size=4,
    )
)
@example(mutations=[((_CENTRAL, 8, DOCUMENT), 0x01)])  # the body's encrypted flag
@example(mutations=[((_CENTRAL, 10, DOCUMENT), 99)])  # its method
def test_a_mutated_document_is_read_or_refused_in_one_line(
    built: Path, tmp_path: Path, mutations: list[tuple[object, int]]
) -> None:
    original = (built / "out" / "b.docx").read_bytes()
    data = bytearray(original)
    for where, byte in mutations:
        if isinstance(where, tuple):
            signature, offset, which = where
            headers = _headers(original, signature)
            if isinstance(which, str):
                [start] = [at for at, name in headers if name == which.encode()]
            else:
                start = headers[which % len(headers)][0]
            position = start + offset
        else:
            position = where % len(data)
        data[position] = byte
    document = tmp_path / "mutated.docx"
    document.write_bytes(bytes(data))
    result = _absorb(built, document)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 1:
        assert result.output.strip(), "refused without a word"


def test_a_refusal_names_the_file_once_as_typed(built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "bad.docx"
    outside.write_bytes(b"not a zip")
    inside = built / "bad.docx"
    inside.write_bytes(b"not a zip")
    for typed, shown in ((outside, str(outside)), (Path("bad.docx"), "bad.docx")):
        result = _absorb(built, typed)
        _refused(result, typed, "not a Word document")
        [line] = result.output.strip().splitlines()
        assert line.startswith(f"{shown}: not a Word document"), line
        assert line.count("bad.docx") == 1, line


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            f'<!DOCTYPE d [<!ENTITY e "x">]><w:document xmlns:w="{_W}"><w:body><w:p><w:r>'
            "<w:t>&e;</w:t></w:r></w:p></w:body></w:document>",
            ("declares a DTD",),
        ),
        ("<x/>", ("no w:document body",)),
        (f'<w:document xmlns:w="{_W}"/>', ("no w:document body",)),
    ],
)
def test_a_body_word_never_writes_is_refused_in_one_line(
    built: Path, tmp_path: Path, body: str, words: tuple[str, ...]
) -> None:
    document = tmp_path / "odd.docx"
    _rewritten(built / "out" / "b.docx", document, **{DOCUMENT: body.encode()})
    _refused(_absorb(built, document), document, *words)


def test_anything_the_reader_did_not_foresee_is_a_refusal_naming_the_file(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unforeseen(*_args: object) -> None:
        raise LookupError("a shape nobody foresaw")

    monkeypatch.setattr(reader._Walker, "walk", unforeseen)
    document = tmp_path / "b.docx"
    document.write_bytes((built / "out" / "b.docx").read_bytes())
    _refused(_absorb(built, document), document, "LookupError", "save it again")


_SHAPES = st.lists(
    st.tuples(
        st.sampled_from(["drop-attributes", "set-attribute", "remove", "copy", "move", "wrap"]),
        st.integers(min_value=0),
        st.integers(min_value=0),
        st.text(max_size=12),
    ),
    min_size=1,
    max_size=5,
)


def _reshaped(xml: bytes, operations: list[tuple[str, int, int, str]]) -> bytes:
    """*xml* with elements an editor could leave behind: stripped, retyped, moved, wrapped."""
    from lxml import etree

    root = etree.fromstring(xml)
    for operation, first, second, text in operations:
        elements = list(root.iter())[2:]  # never the document or its body
        if not elements:
            break
        element = elements[first % len(elements)]
        other = elements[second % len(elements)]
        parent = element.getparent()
        if operation == "drop-attributes":
            element.attrib.clear()
        elif operation == "set-attribute":
            name = ["id", "name", "val", "author"][second % 4]
            element.set(f"{{{_W}}}{name}", "".join(c for c in text if c.isprintable()))
        elif operation == "remove" and parent is not None:
            parent.remove(element)
        elif operation == "copy" and parent is not None:
            import copy

            parent.insert(parent.index(element), copy.deepcopy(element))
        elif operation == "move" and element not in other.iterancestors() and other is not element:
            if parent is not None:
                other.append(element)
        elif operation == "wrap" and parent is not None:
            kind = ["ins", "del", "sdt", "customXml", "tbl", "tc"][second % 6]
            wrapper = etree.Element(f"{{{_W}}}{kind}")
            parent.replace(element, wrapper)
            wrapper.append(element)
    return etree.tostring(root)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=_SHAPES)
def test_a_reshaped_body_is_read_or_refused_in_one_line(
    built: Path, tmp_path: Path, operations: list[tuple[str, int, int, str]]
) -> None:
    with zipfile.ZipFile(built / "out" / "b.docx") as package:
        body = package.read(DOCUMENT)
    document = tmp_path / "reshaped.docx"
    _rewritten(built / "out" / "b.docx", document, **{DOCUMENT: _reshaped(body, operations)})
    result = _absorb(built, document)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 1:
        assert result.output.strip(), "refused without a word"
