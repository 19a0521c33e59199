"""The output folder is shared and untrusted: a manifest of any shape never crashes a build,
--prune deletes nothing outside it nor anything a current brief claims, two builds never mix
their outputs, and outputs keep the permissions the user gave them."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import MINIMAL

MANIFEST = ".briefkit-manifest.json"
LOCK_NAME = ".briefkit-lock"
STAMP = {"sha256": "0" * 64, "size": 1, "mtime_ns": 1}


def build(cli, *args: str):
    return cli("build", "--format", "pdf", "-j", "1", *args)


@pytest.mark.parametrize(
    "manifest",
    [
        [],
        "null",
        {"format": 1, "briefs": []},
        {"format": 1, "briefs": {"x": []}},
        {"format": 1, "briefs": {"x": {"settings": 3, "inputs": {}, "outputs": {}}}},
        {"format": 1, "briefs": {"x": {"settings": "s", "inputs": {"a": {}}, "outputs": {}}}},
        {"format": 1, "briefs": {"x": {"settings": "s", "inputs": {}, "outputs": {"a.pdf": 1}}}},
        {"format": 1, "briefs": {"x": {"settings": "s", "inputs": {}, "outputs": {}, "absent": 1}}},
        {"format": 1, "briefs": {"../briefs/b.yaml": {"settings": "s", "inputs": []}}},
        {"format": "1"},
    ],
    ids=lambda m: json.dumps(m)[:40],
)
def test_a_manifest_of_the_wrong_shape_means_rebuild_everything(
    repo: Path, cli, manifest: object
) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "out").mkdir()
    (repo / "out" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build(cli)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("warning: out/.briefkit-manifest.json: not a briefkit manifest") == 1
    assert "1 built" in result.stderr
    # the manifest is rewritten: the next build skips, without a warning
    again = build(cli)
    assert "warning" not in again.stderr and "1 skipped" in again.stderr


def test_a_manifest_naming_a_device_as_input_neither_hangs_nor_crashes(repo: Path, cli) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    assert build(cli).exit_code == 0
    path = repo / "out" / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["briefs"]["../briefs/b.yaml"]
    entry["inputs"]["../../../../../../../../dev/zero"] = {**STAMP, "size": 0}
    os.mkfifo(repo / "fifo")
    entry["inputs"]["../fifo"] = {**STAMP, "size": 0}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = build(cli)  # read /dev/zero (or waited on the FIFO) forever before
    assert result.exit_code == 0 and "1 built" in result.stderr


def test_prune_never_deletes_outside_the_output_folder(repo: Path, cli) -> None:
    victim = repo / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (repo / "out").mkdir()
    manifest = {
        "format": 1,
        "briefs": {
            "../briefs/gone.yaml": {
                "settings": "s",
                "inputs": {},
                "outputs": {"../victim.txt": STAMP, "../../victim.txt": STAMP},
            }
        },
    }
    (repo / "out" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    result = build(cli, "--prune")
    assert result.exit_code == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "deleted" not in result.stderr


def test_prune_deletes_only_regular_files_inside_the_folder(repo: Path, cli) -> None:
    for name in ("gone", "kept"):
        (repo / "briefs" / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    assert build(cli).exit_code == 0
    elsewhere = repo / "elsewhere.pdf"
    elsewhere.write_text("not an output", encoding="utf-8")
    (repo / "out" / "gone.pdf").unlink()
    (repo / "out" / "gone.pdf").symlink_to(elsewhere)  # swapped for a link by someone
    (repo / "briefs" / "gone.yaml").unlink()
    result = build(cli, "--prune")
    assert result.exit_code == 0
    assert elsewhere.read_text(encoding="utf-8") == "not an output"
    assert (repo / "out" / "kept.pdf").is_file()


def test_prune_keeps_the_outputs_of_a_brief_moved_to_another_folder(repo: Path, cli) -> None:
    (repo / "briefs" / "moved.yaml").write_text(MINIMAL, encoding="utf-8")
    assert build(cli).exit_code == 0
    (repo / "briefs" / "sub").mkdir()
    (repo / "briefs" / "moved.yaml").rename(repo / "briefs" / "sub" / "moved.yaml")
    result = build(cli, "--prune")
    assert result.exit_code == 0, result.output
    assert "deleted" not in result.stderr
    assert (repo / "out" / "moved.pdf").is_file()
    # and it is reported as nothing to prune either
    assert "of deleted briefs" not in build(cli).stderr


def test_a_second_build_refuses_with_no_wait_and_otherwise_waits(repo: Path, cli) -> None:
    import fcntl

    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "out").mkdir()
    fd = os.open(repo / "out" / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another build would
    try:
        refused = build(cli, "--no-wait")
        assert refused.exit_code == 1
        assert "another briefkit build is writing to out/; not waiting (--no-wait)" in (
            refused.stderr
        )
        assert not (repo / "out" / "b.pdf").exists()
        released: list[int] = []

        def finish_other_build() -> None:
            released.append(time.time_ns())
            fcntl.flock(fd, fcntl.LOCK_UN)

        release = threading.Timer(0.5, finish_other_build)
        release.start()  # the other build finishes
        waited = build(cli)
        release.join()
    finally:
        os.close(fd)
    assert waited.exit_code == 0
    assert "waiting for another briefkit build writing to out/ to finish" in waited.stderr
    assert (repo / "out" / "b.pdf").is_file()
    # written once the other build had finished, not before (an order, not a duration)
    assert (repo / "out" / "b.pdf").stat().st_mtime_ns >= released[0]


def test_outputs_are_stamped_with_what_this_build_wrote(repo: Path, cli, monkeypatch) -> None:
    """Another build replacing an output before this one saves its manifest (the race of
    --style boardroom against --style default) must not make the next build skip it."""
    import briefkit.building.output

    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    real = briefkit.building.output.write_atomic

    def and_then_another_build_writes(path: Path, data, **kwargs):
        written = real(path, data, **kwargs)
        if path.suffix == ".pdf":
            time.sleep(0.01)
            real(path, bytes(reversed(data)))  # same size, other content, later time
        return written

    monkeypatch.setattr(briefkit.building.output, "write_atomic", and_then_another_build_writes)
    assert build(cli).exit_code == 0
    monkeypatch.setattr(briefkit.building.output, "write_atomic", real)
    again = build(cli)
    assert "1 built" in again.stderr, again.stderr


def test_outputs_honour_the_umask_and_keep_their_mode(repo: Path, cli) -> None:
    (repo / "briefs" / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    old = os.umask(0o077)
    try:
        assert build(cli).exit_code == 0
    finally:
        os.umask(old)
    pdf = repo / "out" / "b.pdf"
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    pdf.chmod(0o640)
    (repo / "briefs" / "b.yaml").write_text(MINIMAL + "status: final\n", encoding="utf-8")
    assert "1 built" in build(cli).stderr
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o640
