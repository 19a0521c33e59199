"""What a reader's language costs: the example brief built in every shipped language.

    python benchmarks/languages.py [--repeat N]

Each language builds the example brief (its ``language`` changed) to PDF and .docx in this
process, warm (fonts cached, modules imported, one build first), and reports the CPU time of a
build: min, median and max of N, and the median's ratio to English. Issue 9 allows 10% over
English. The Arabic edition of the exercise brief is timed beside its English original too:
there the content, not the language, differs.

Two series: a first build, with nothing kept from the builds before it (briefkit.render.common.kept
forgotten: what a brief costs in a batch or the first time ``watch`` builds it), and a rebuild
of the same brief with what the renderers keep (what an unchanged brief costs in ``watch``).
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


def cpu_times(brief: Path, out: Path, repeat: int, *, kept: bool) -> list[float]:
    from briefkit.building.pipeline import BuildOptions, build_brief
    from briefkit.render.common.kept import forget

    options = BuildOptions(out_dir=out, formats=("pdf", "docx"))
    build_brief(brief, options)  # warm: imports, fonts, catalogues
    times = []
    for _ in range(repeat):
        if not kept:
            forget()
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
        f"{name:<38} {min(times) * 1000:7.0f} {median * 1000:7.0f} {max(times) * 1000:7.0f} ms"
        f"   {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from briefkit.i18n import SHIPPED

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "briefs"
        folder.mkdir()
        (Path(tmp) / ".git").mkdir()
        source = EXAMPLE.read_text(encoding="utf-8")
        briefs = []
        for language in SHIPPED:
            brief = folder / f"example-{language}.yaml"
            text = re.sub(r"^language: .*$", f"language: {language}", source, flags=re.M)
            brief.write_text(text, encoding="utf-8")
            briefs.append((f"example, {language}", brief))
        for kept, title in ((False, "first build, nothing kept"), (True, "rebuild, kept")):
            print(
                f"\n{title + ' (pdf + docx), CPU':<38} {'min':>7} {'median':>7} {'max':>7}   vs en"
            )
            base = None
            for name, brief in briefs:
                times = cpu_times(brief, Path(tmp) / "out", args.repeat, kept=kept)
                base = base or statistics.median(times)
                print(row(name, times, base))
            english = cpu_times(EXERCISE, Path(tmp) / "out", args.repeat, kept=kept)
            arabic = cpu_times(EXERCISE_AR, Path(tmp) / "out", args.repeat, kept=kept)
            print(row("exercise (multi-script), en", english, None))
            print(row("exercise, Arabic edition", arabic, statistics.median(english)))


if __name__ == "__main__":
    main()
