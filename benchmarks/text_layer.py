"""What tagging and /ActualText cost the PDF writer, measured in one process.

    python benchmarks/text_layer.py [--rounds N]

Each example brief is laid out once; then its PDF is rendered in three ways, interleaved round
by round so that the machine's load falls on all three alike: as built (tagged, with
/ActualText spans), without the spans, and untagged (no marked content, no structure tree,
no spans). CPU seconds (``time.process_time``) of the rendering alone, summed over the
examples; the medians of the rounds and their ratios are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.render.pdf import archive, shaped_text, writer
from briefkit.render.pdf.tags import Tags

REPO = Path(__file__).resolve().parents[1]


def _inputs(only: str) -> list[tuple[Any, Any]]:
    """(document, style) of every example, as the pipeline hands them to the PDF writer."""
    seen: list[tuple[Any, Any]] = []
    real = writer.render_pdf

    def record(document: Any, style: Any, **kwargs: Any) -> bytes:
        seen.append((document, style))
        return real(document, style, **kwargs)

    with tempfile.TemporaryDirectory() as out, mock.patch.object(writer, "render_pdf", record):
        for brief in sorted((REPO / "briefs").glob(f"{only}*.yaml")):
            result = build_brief(brief, BuildOptions(out_dir=Path(out), formats=("pdf",)))
            assert not result.failed, result.diagnostics
    return seen


@contextlib.contextmanager
def _mode(name: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        if name in ("no spans", "untagged"):
            stack.enter_context(mock.patch.object(shaped_text, "actual_text_runs", lambda t: []))
        if name == "untagged":
            stack.enter_context(mock.patch.object(Tags, "begin", lambda *a: False))
            stack.enter_context(mock.patch.object(writer, "with_artifacts", lambda code: code))
            stack.enter_context(mock.patch.object(archive, "add_structure", lambda *a: None))
        yield


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", default="", help="the briefs whose names start so")
    args = parser.parse_args()
    rounds = args.rounds
    inputs = _inputs(args.only)
    modes = ("tagged, spans", "no spans", "untagged")
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    sizes: dict[str, int] = {}
    for _ in range(rounds):
        for mode in modes:
            with _mode(mode):
                start = time.process_time()
                size = sum(len(writer.render_pdf(d, s, epoch=0)) for d, s in inputs)
                times[mode].append(time.process_time() - start)
                sizes[mode] = size
    base = statistics.median(times["untagged"])
    for mode in modes:
        median = statistics.median(times[mode])
        print(
            f"{mode:15} median {median * 1000:7.1f} ms  min {min(times[mode]) * 1000:7.1f} ms"
            f"  x{median / base:.3f} of untagged  {sizes[mode]:,} bytes"
        )


if __name__ == "__main__":
    main()
