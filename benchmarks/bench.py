"""Measure briefkit: cold-process and warm in-process build times, check time, a large brief.

    python benchmarks/bench.py [--repeat N]

Fonts are cached after the first run (see ``briefkit.fonts.cache_dir()``); the first line
reports whether the cache was cold. Times are wall-clock medians on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "briefs" / "xai-anthropic-alliance.yaml"
MULTI_SCRIPT = REPO / "briefs" / "red-sea-shipping-exercise.yaml"


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli(*args: str) -> Callable[[], object]:
    command = [sys.executable, "-m", "briefkit", *args]
    return lambda: subprocess.run(command, check=True, capture_output=True)


def large_brief(folder: Path, signals: int = 200, stakeholders: int = 50) -> Path:
    parts = [
        "briefkit: 1\nid: large\ntitle: A large synthetic brief\ndate: 2026-11-28\n",
        "summary:\n  bluf: Many signals, many stakeholders.\n",
        "signals:\n",
    ]
    for n in range(signals):
        parts.append(
            textwrap.indent(
                f"- id: s{n}\n  title: Signal {n}\n  observation: Observed fact number {n}.\n"
                f"  interpretation: What fact {n} means for the business.\n"
                "  likelihood: likely\n  confidence: moderate\n  horizon: near\n"
                "  indicators: [First indicator, second indicator]\n",
                "  ",
            )
        )
    parts.append("stakeholders:\n")
    for n in range(stakeholders):
        parts.append(
            f"  - id: p{n}\n    name: Party {n}\n    impact: {'Affected in some way. ' * 12}\n"
            f"    direction: mixed\n    signals: [s{n}]\n"
        )
    path = folder / "large.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from briefkit import fonts

    cache = fonts.cache_dir() / "fonts"
    print(f"font cache: {cache} ({'warm' if any(cache.glob('*.ttf')) else 'cold'})")
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        first = median_seconds(cli("build", str(EXAMPLE), "-o", str(out), "--format", "pdf"), 1)
        rows.append(("first build, cold process (fills the font cache if cold)", first))
        rows.append(
            ("check example, cold process", median_seconds(cli("check", str(EXAMPLE)), args.repeat))
        )
        for formats in ("pdf", "docx", "pdf,docx"):
            rows.append(
                (
                    f"build example {formats}, cold process",
                    median_seconds(
                        cli("build", str(EXAMPLE), "-o", str(out), "--format", formats, "--force"),
                        args.repeat,
                    ),
                )
            )

        from briefkit.pipeline import BuildOptions, build_brief

        for label, brief in (("example", EXAMPLE), ("multi-script example", MULTI_SCRIPT)):
            for fmt in ("pdf", "docx"):
                options = BuildOptions(out_dir=out, formats=(fmt,))
                build_brief(brief, options)  # warm up: imports, font registration
                rows.append(
                    (
                        f"build {label} {fmt}, warm in-process",
                        median_seconds(lambda o=options, b=brief: build_brief(b, o), args.repeat),
                    )
                )
        size = (out / "xai-anthropic-alliance.docx").stat().st_size
        rows.append((f"(example .docx size: {size / 1000:.0f} KB; not a time)", 0.0))
        large = large_brief(Path(tmp))
        for fmt in ("pdf", "docx"):
            options = BuildOptions(out_dir=out, formats=(fmt,))
            rows.append(
                (
                    f"build large brief {fmt} (200 signals, 50 stakeholders), warm",
                    median_seconds(lambda o=options: build_brief(large, o), 3),
                )
            )
        pages = _pages(out / "large.pdf")
        rows += repository_rows(Path(tmp), count=100)
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.0f} ms")
    print(f"(large brief: {pages} PDF pages)")


def repository_rows(tmp: Path, count: int) -> list[tuple[str, float]]:
    """Full builds of *count* briefs on one and on all cores, and a no-op rebuild."""
    repo = tmp / "repo"
    (repo / "briefs").mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for n in range(count):
        (repo / "briefs" / f"brief-{n:03d}.yaml").write_text(text, encoding="utf-8")

    def build(*extra: str) -> Callable[[], object]:
        command = [sys.executable, "-m", "briefkit", "build", "-q", "--format", "pdf,docx"]
        return lambda: subprocess.run(
            [*command, *extra], cwd=repo, check=False, capture_output=True
        )

    one = median_seconds(build("-j", "1", "--force"), 1)
    cores = os.cpu_count() or 1
    parallel = median_seconds(build("-j", str(cores), "--force"), 1)
    noop = median_seconds(build(), 3)
    return [
        (f"{count} briefs pdf+docx, full build, -j 1", one),
        (
            f"{count} briefs pdf+docx, full build, -j {cores} (speed-up {one / parallel:.2f}x)",
            parallel,
        ),
        (f"{count} briefs, no-op rebuild ({noop / parallel:.1%} of a full build)", noop),
    ]


def _pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


if __name__ == "__main__":
    main()
