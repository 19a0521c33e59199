"""What a reader's language costs: the example brief built in every shipped language.

    python benchmarks/languages.py [--repeat N]

Each language builds the example brief (its ``language`` changed) to PDF and .docx in this
process, warm (fonts cached, modules imported, one build first), and reports the CPU time of a
build: min, median and max of N, and the median's ratio to English. Issue 9 allows 10% over
English. The Arabic edition of the exercise brief is timed beside its English original too:
there the content, not the language, differs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "briefs" / "xai-anthropic-alliance.yaml"
EXERCISE = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
EXERCISE_AR = REPO / "briefs" / "red-sea-shipping-exercise-ar.yaml"


def cpu_times(brief: Path, out: Path, repeat: int) -> list[float]:
    from briefkit.pipeline import BuildOptions, build_brief

    options = BuildOptions(out_dir=out, formats=("pdf", "docx"))
    build_brief(brief, options)  # warm: imports, fonts, catalogues
    times = []
    for _ in range(repeat):
        started = time.process_time()
        result = build_brief(brief, options)
        times.append(time.process_time() - started)
        if result.failed:
            sys.exit(f"{brief} failed: {result.diagnostics}")
    return times


def row(name: str, times: list[float], base: float | None) -> str:
    median = statistics.median(times)
    ratio = f"{median / base:5.2f}×" if base else "  1.00×"
    return (
        f"{name:<28} {min(times) * 1000:7.0f} {median * 1000:7.0f} {max(times) * 1000:7.0f} ms"
        f"   {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from briefkit.i18n import SHIPPED

    print(f"{'build (pdf + docx), CPU':<28} {'min':>7} {'median':>7} {'max':>7}      vs en")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "briefs"
        folder.mkdir()
        (Path(tmp) / ".git").mkdir()
        source = EXAMPLE.read_text(encoding="utf-8")
        base = None
        for language in SHIPPED:
            brief = folder / f"example-{language}.yaml"
            text = re.sub(r"^language: .*$", f"language: {language}", source, flags=re.M)
            brief.write_text(text, encoding="utf-8")
            times = cpu_times(brief, Path(tmp) / "out", args.repeat)
            base = base or statistics.median(times)
            print(row(f"example, {language}", times, base))
        english = cpu_times(EXERCISE, Path(tmp) / "out", args.repeat)
        arabic = cpu_times(EXERCISE_AR, Path(tmp) / "out", args.repeat)
        print(row("exercise (multi-script), en", english, None))
        print(row("exercise, Arabic edition", arabic, statistics.median(english)))


if __name__ == "__main__":
    main()
