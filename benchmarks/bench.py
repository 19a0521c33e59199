"""Measure briefkit against pandoc, cold and warm, and how it scales with a brief's size.

    python benchmarks/bench.py [--repeat N] [--count N] [--quick] [--only PART ...]

Cold runs are separate processes, timed in CPU seconds (user + system, from
``resource.getrusage(RUSAGE_CHILDREN)``); warm runs are in-process CPU seconds
(``time.process_time``). Each row gives min / median / max. When ``pandoc`` is installed, the
same content is converted from Markdown (generated here from the brief) to .docx, in the same
run, and the ratios are printed. Fonts are cached after the first run (see
``briefkit.fonts.cache_dir()``); the first line reports whether the cache was cold.

briefkit's modules are compiled to bytecode first, as installing a wheel does (an editable
install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile them in every cold run). The
"floor" rows time a process that only imports the libraries a command cannot do without: no
change inside briefkit makes a cold run cheaper than that.

The "first build" rows prepare every font the examples need into an empty cache
($BRIEFKIT_CACHE_DIR pointed at a new folder each run), on one core and on two; their floor is
the same build with the cache filled. The suite row (``--only suite``, not in the default run)
times ``pytest -n auto`` once per ten repeats.

The watch round edits the brief before each rebuild, as a save in an editor does, so that it
measures a real rebuild and not the no-op one; the 100 briefs of the batch rows differ in their
text, so that nothing one brief renders is reused for the next except what is truly shared
(labels, headings, chips).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "briefs" / "xai-anthropic-alliance.yaml"
MULTI_SCRIPT = REPO / "briefs" / "red-sea-shipping-exercise.yaml"
SCALE = (50, 200, 800, 1600)

Stats = tuple[float, float, float]  # min, median, max (seconds)

# What a cold command cannot do without: the interpreter and the stack the product is built
# on. Whatever else a command imports (Babel, markdown-it, PyYAML, lxml, fontTools) is
# briefkit's own cost, loaded only when a brief needs it.
_CHECK_LIBRARIES = "click, pydantic, pydantic.main, ruamel.yaml"
_BUILD_LIBRARIES = (
    f"{_CHECK_LIBRARIES}, reportlab.platypus, reportlab.pdfgen.canvas, docx, uharfbuzz, bidi"
)
FLOORS = (
    ("floor: python starting, nothing imported", "sys"),
    ("floor: python importing what check needs", _CHECK_LIBRARIES),
    ("floor: python importing what build needs", _BUILD_LIBRARIES),
)
# the targets of the cold rows: CPU above the command's floor (issue 24)
_ABOVE_FLOOR_TARGETS = {"check": 0.060, "build pdf,docx": 0.300}


def stats(samples: list[float]) -> Stats:
    return min(samples), statistics.median(samples), max(samples)


def child_cpu(
    command: list[str],
    cwd: Path | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> float:
    """CPU seconds (user + system) that *command* and its children took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and result.returncode != 0:
        raise SystemExit(f"{command} failed:\n{result.stderr.decode(errors='replace')}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold(command: list[str], repeat: int, cwd: Path | None = None, check: bool = True) -> Stats:
    return stats([child_cpu(command, cwd, check) for _ in range(repeat)])


def warm(action: Callable[[], object], repeat: int, *, kept: bool = True) -> Stats:
    """CPU time of *action* in this (warmed up) process; unless *kept*, with nothing kept
    from the run before (briefkit.render.common.kept), as a brief the process has not built yet."""
    from briefkit.render.common.kept import forget

    action()  # warm up: imports, font registration, caches
    samples = []
    for _ in range(repeat):
        if not kept:
            forget()
        started = time.process_time()
        action()
        samples.append(time.process_time() - started)
    return stats(samples)


def briefkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefkit", *args]


# --- the same content as Markdown, for pandoc ---------------------------------------------------


def markdown_of(brief: Path) -> str:
    """The text of *brief* as Markdown: its fields as headings, paragraphs and lists."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(brief.read_text(encoding="utf-8"))
    lines = [f"# {data.get('title', '')}", ""]
    for key, value in data.items():
        if key in ("title", "briefkit", "id"):
            continue
        lines += [f"## {key.replace('_', ' ').capitalize()}", ""]
        lines += _markdown_value(value, 3)
    return "\n".join(lines) + "\n"


def _markdown_value(value: Any, level: int) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list):
                out += [f"{'#' * min(level, 6)} {key}", "", *_markdown_value(item, level + 1)]
            else:
                out += [f"**{key}**: {item}", ""]
        return out
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [*(f"- {item}" for item in value), ""]
        out = []
        for item in value:
            out += _markdown_value(item, level)
        return out
    return [str(value), ""]


# --- synthetic briefs ---------------------------------------------------------------------------


def distinct_copy(text: str, n: int) -> str:
    """The example's text, every sentence with "the" in it made its own to copy *n*."""
    return re.sub(r"\bthe\b", f"the {n}", text)


def without_editions(text: str) -> str:
    """The brief's text with its declared editions taken out, so that a build writes one
    document per format, as pandoc does (the example's build writes three: brief, amber, clear)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(text)
    del data["editions"]
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def large_brief(folder: Path, signals: int = 200, stakeholders: int = 50, variant: int = 0) -> Path:
    parts = [
        "briefkit: 1\nid: large\ntitle: A large synthetic brief\ndate: 2026-11-28\n",
        "summary:\n  bluf: Many signals, many stakeholders.\n",
        "signals:\n",
    ]
    for n in range(signals):
        parts.append(
            textwrap.indent(
                f"- id: s{n}\n  title: Signal {n}\n"
                f"  observation: Observed fact number {n} of version {variant}.\n"
                f"  interpretation: What fact {n} of version {variant} means for the business.\n"
                "  likelihood: likely\n  confidence: moderate\n  horizon: near\n"
                "  indicators: [First indicator, second indicator]\n",
                "  ",
            )
        )
    parts.append("stakeholders:\n")
    for n in range(stakeholders):
        parts.append(
            f"  - id: p{n}\n    name: Party {n}\n"
            f"    impact: {f'Affected in way {n}.{variant}. ' * 12}\n"
            f"    direction: mixed\n    signals: [s{n}]\n"
        )
    path = folder / f"large-{signals}-{variant}.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


# --- the measurements ---------------------------------------------------------------------------

Row = tuple[str, Stats | None, str]  # label, times, note


def cold_rows(tmp: Path, repeat: int) -> list[Row]:
    out = tmp / "out"
    rows: list[Row] = []
    pandoc = shutil.which("pandoc")
    md = tmp / "example.md"
    md.write_text(markdown_of(EXAMPLE), encoding="utf-8")
    reference = None
    if pandoc:
        reference = cold([pandoc, str(md), "-o", str(tmp / "example.docx")], repeat)
        rows.append(("pandoc md→docx of the example, cold", reference, ""))
    child_cpu(briefkit("build", str(EXAMPLE), "-o", str(out)))  # fills the font cache
    floors = {}
    for label, modules in FLOORS:
        times = cold([sys.executable, "-c", f"import {modules}"], repeat)
        floors[label.rsplit(" ", 2)[-2]] = times
        rows.append((label, times, ratio(times, reference)))
    check = cold(briefkit("check", str(EXAMPLE)), repeat)
    rows.append(("check example, cold", check, ratio(check, reference)))
    rows.append(_above("check", check, floors["check"]))
    for formats in ("pdf", "docx", "pdf,docx"):
        command = briefkit("build", str(EXAMPLE), "-o", str(out), "--format", formats, "--force")
        times = cold(command, repeat)
        note = ratio(times, reference) if formats == "pdf,docx" else ""
        rows.append((f"build example {formats}, cold", times, note))
        if formats == "pdf,docx":
            rows.append(_above("build pdf,docx", times, floors["build"]))
    return rows


def _above(command: str, times: Stats, floor: Stats) -> Row:
    above = times[1] - floor[1]
    target = _ABOVE_FLOOR_TARGETS[command]
    verdict = "met" if above <= target else "not met"
    return (
        f"{command}: median above its floor",
        None,
        f"{above * 1e3:+.0f} ms (target ≤ +{target * 1e3:.0f} ms: {verdict})",
    )


def warm_rows(tmp: Path, repeat: int) -> list[Row]:
    from briefkit.building.batch import build_all
    from briefkit.building.pipeline import BuildOptions, build_brief

    out = tmp / "warm"
    rows: list[Row] = []
    for label, brief in (("example", EXAMPLE), ("multi-script example", MULTI_SCRIPT)):
        for fmt in ("pdf", "docx"):
            options = BuildOptions(out_dir=out, formats=(fmt,), force=True)
            times = warm(lambda o=options, b=brief: build_brief(b, o), repeat, kept=False)
            rows.append((f"build {label} {fmt}, warm process, nothing kept", times, ""))
    # the example declares two editions: one build writes the brief and both; an edition
    # alone must cost no more than the brief alone (issue 21)
    for edition in ("amber", "clear"):
        options = BuildOptions(out_dir=out / edition, formats=("pdf",), force=True, edition=edition)
        times = warm(lambda o=options: build_brief(EXAMPLE, o), repeat, kept=False)
        rows.append((f"build example pdf, edition {edition} alone, nothing kept", times, ""))
    options = BuildOptions(out_dir=out, formats=("pdf", "docx"), force=True)
    times = warm(lambda: build_all([EXAMPLE], options), repeat)
    rows.append(("rebuild of the unchanged example, pdf+docx, forced, warm", times, ""))
    rounds = _watch_rounds(tmp / "all", repeat, editions=True)
    rows.append(("watch round: one edit, rebuild pdf+docx, brief and 2 editions", rounds, ""))
    rounds = _watch_rounds(tmp / "one", repeat, editions=False)
    rows.append(("watch round: one edit, rebuild pdf+docx, brief alone", rounds, ""))
    return rows


def _watch_rounds(tmp: Path, repeat: int, *, editions: bool) -> Stats:
    """What ``watch`` does after each save: the example's bottom line is edited, then the brief
    is built as watch builds it (not forced: only a changed brief is rebuilt); without
    *editions*, the example with its editions taken out."""
    from briefkit.building.batch import build_all
    from briefkit.building.pipeline import BuildOptions, Outcome

    folder = tmp / "watched" / "briefs"
    shutil.copytree(EXAMPLE.parent, folder)
    brief = folder / EXAMPLE.name
    text = brief.read_text(encoding="utf-8")
    if not editions:
        text = without_editions(text)
    marker = "  bluf: >-\n    "
    assert marker in text, "the example's bottom line is where the benchmark edits it"
    options = BuildOptions(out_dir=tmp / "watched" / "out", formats=("pdf", "docx"))
    edits = itertools.count()

    def round_() -> None:
        edited = text.replace(marker, f"{marker}Revision {next(edits)}: ", 1)
        brief.write_text(edited, encoding="utf-8")
        report = build_all([brief], options)
        assert report.count(Outcome.BUILT) == 1, "the edited brief was rebuilt"

    return warm(round_, repeat)


def repository_rows(tmp: Path, count: int, repeat: int) -> list[Row]:
    """Full builds of *count* briefs on one and on all cores, and no-op rebuilds in a git
    repository and outside one; pandoc converting the same briefs one by one."""
    rows: list[Row] = []
    # one document per format and brief, as pandoc writes one .docx per brief
    example = without_editions(EXAMPLE.read_text(encoding="utf-8"))
    texts = [distinct_copy(example, n) for n in range(count)]
    repos = {"git repository": tmp / "repo", "plain folder": tmp / "plain"}
    for folder in repos.values():
        (folder / "briefs").mkdir(parents=True)
        for n, text in enumerate(texts):
            (folder / "briefs" / f"brief-{n:03d}.yaml").write_text(text, encoding="utf-8")
    git = shutil.which("git")
    if git:
        repo = repos["git repository"]
        env = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run([git, "init", "-q"], cwd=repo, check=True)
        subprocess.run([git, "add", "."], cwd=repo, check=True)
        subprocess.run([git, *env, "commit", "-qm", "briefs"], cwd=repo, check=True)
    else:
        del repos["git repository"]
    reference = None
    pandoc = shutil.which("pandoc")
    if pandoc:
        md = tmp / "md"
        md.mkdir()
        for n in range(count):
            brief = next(iter(repos.values())) / "briefs" / f"brief-{n:03d}.yaml"
            (md / f"brief-{n:03d}.md").write_text(markdown_of(brief), encoding="utf-8")

        def pandoc_all() -> float:
            return sum(
                child_cpu([pandoc, str(md / f"brief-{n:03d}.md"), "-o", str(md / f"{n}.docx")])
                for n in range(count)
            )

        reference = stats([pandoc_all() for _ in range(max(1, repeat // 3))])
        rows.append((f"pandoc md→docx of {count} briefs, one process each", reference, ""))
    build = [*briefkit("build", "-q", "--format", "pdf,docx")]
    first = next(iter(repos.values()))
    walls: dict[int, list[float]] = {}

    def full_build(jobs: int) -> float:
        started = time.perf_counter()
        cpu = child_cpu([*build, "-j", str(jobs), "--force"], first)
        walls.setdefault(jobs, []).append(time.perf_counter() - started)
        return cpu

    cores = os.cpu_count() or 1
    one = stats([full_build(1) for _ in range(max(1, repeat // 3))])
    rows.append((f"{count} briefs pdf+docx, full build, -j 1", one, ratio(one, reference)))
    parallel = stats([full_build(cores) for _ in range(max(1, repeat // 3))])
    rows.append(
        (f"{count} briefs pdf+docx, full build, -j {cores} (CPU of all processes)", parallel, "")
    )
    share = statistics.median(walls[cores]) / statistics.median(walls[1])
    rows.append(
        (f"{count} briefs, wall time -j {cores} / -j 1", None, f"{share:.2f} (target ≤ 0.60)")
    )
    for where, folder in repos.items():
        child_cpu([*build, "-j", "1"], folder)  # builds what is not built yet
        noop = cold(build, repeat, folder)
        rows.append((f"{count} briefs, no-op rebuild, {where}", noop, ""))
    return rows


def first_build_rows(tmp: Path, repeat: int) -> list[Row]:
    """The first build on a machine: the example briefs (four scripts, so every font family
    they use is prepared) into an empty font cache, a fresh one ($BRIEFKIT_CACHE_DIR) each run;
    on one core and on two. Its floor is the same build with the cache filled."""
    rows: list[Row] = []
    briefs = sorted(EXAMPLE.parent.glob("*.yaml"))
    build = briefkit("build", str(EXAMPLE.parent), "-q", "--format", "pdf,docx", "--force")
    runs = max(1, repeat // 5)  # each run prepares the fonts again: seconds of CPU
    child_cpu([*build, "-j", "1", "-o", str(tmp / "first-warm")])  # fills the font cache
    warm_cache = stats(
        [child_cpu([*build, "-j", "1", "-o", str(tmp / "first-warm")]) for _ in range(runs)]
    )
    label = f"first build of the {len(briefs)} examples pdf+docx"
    rows.append((f"{label}, font cache filled, -j 1 (the floor)", warm_cache, ""))
    for jobs in (1, 2):
        cpu, wall = [], []
        for run in range(runs):
            env = {**os.environ, "BRIEFKIT_CACHE_DIR": str(tmp / f"empty-cache-{jobs}-{run}")}
            command = [*build, "-j", str(jobs), "-o", str(tmp / f"first-{jobs}-{run}")]
            started = time.perf_counter()
            cpu.append(child_cpu(command, env=env))
            wall.append(time.perf_counter() - started)
        times = stats(cpu)
        above = f"{times[1] - warm_cache[1]:+.1f} s above the floor"
        rows.append((f"{label}, empty font cache, -j {jobs} (CPU)", times, above))
        rows.append((f"{label}, empty font cache, -j {jobs} (wall)", stats(wall), ""))
    return rows


def suite_rows(repeat: int) -> list[Row]:
    """The test suite as .ci/run runs it (``pytest -n auto``), CPU of all its processes and
    wall time. Not in the default run: it takes minutes of every core, and the outside
    programs the tests read documents back with (each skipped without them)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto"]
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFKIT_TEST_CACHE_DIR", "CI")}
    cpu, wall = [], []
    for _ in range(max(1, repeat // 10)):
        started = time.perf_counter()
        cpu.append(child_cpu(command, cwd=REPO, env=env))
        wall.append(time.perf_counter() - started)
    return [
        (f"test suite, pytest -n {os.cpu_count()}, fresh font cache (CPU)", stats(cpu), ""),
        (f"test suite, pytest -n {os.cpu_count()}, fresh font cache (wall)", stats(wall), ""),
    ]


_SCALE_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from briefkit.checks.loader import load
from briefkit.building.pipeline import BuildOptions, build_brief
briefs, out = [Path(p) for p in json.loads(sys.argv[1])], Path(sys.argv[2])
warmup = Path(sys.argv[3])
for fmt in ("pdf", "docx", "html"):
    build_brief(warmup, BuildOptions(out_dir=out, formats=(fmt,)))
def timed(action):
    samples = []
    for brief in briefs:
        started = time.process_time()
        action(brief)
        samples.append(time.process_time() - started)
    return samples
result = {"check": timed(load)}
for fmt in ("pdf", "docx", "html"):
    options = BuildOptions(out_dir=out, formats=(fmt,), force=True)
    result[fmt] = timed(lambda brief: build_brief(brief, options))
from briefkit.absorb import Options, absorb
def absorbed(brief):
    return absorb(out / (brief.stem + ".docx"), brief, Options(dry_run=True))
result["absorb"] = timed(absorbed)
result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(result))
"""


def scaling_rows(tmp: Path, repeat: int) -> tuple[list[Row], dict[int, dict[str, Any]]]:
    """Warm CPU time per signal for check, pdf, docx, html and absorb, each size in its own
    process."""
    rows: list[Row] = []
    series: dict[int, dict[str, Any]] = {}
    warmup = large_brief(tmp, 10, 5)
    for signals in SCALE:
        runs = repeat if signals <= 200 else max(1, repeat // 3)
        # each run its own text: what one run renders is not reused by the next
        briefs = [str(large_brief(tmp, signals, signals // 4, run)) for run in range(runs)]
        command = [
            sys.executable,
            "-c",
            _SCALE_SCRIPT,
            json.dumps(briefs),
            str(tmp / "scale"),
            str(warmup),
        ]
        result = subprocess.run(command, capture_output=True, check=True, text=True)
        series[signals] = json.loads(result.stdout)
    for task in ("check", "pdf", "docx", "html", "absorb"):
        for signals, result in series.items():
            per = [t / signals for t in result[task]]
            rows.append((f"{task}, {signals} signals: per signal", stats(per), ""))
        medians = [statistics.median(r[task]) / n for n, r in series.items()]
        spread = max(medians) / min(medians) - 1
        rows.append((f"{task}: per-signal spread 50→{SCALE[-1]}", None, f"{spread:+.0%}"))
        # the cost of one more signal, between consecutive sizes (fixed costs cancel out)
        sizes = list(series)
        slopes = []
        for small, large in itertools.pairwise(sizes):
            added = statistics.median(series[large][task]) - statistics.median(series[small][task])
            slopes.append(added / (large - small))
            rows.append(
                (
                    f"{task}, {small}→{large} signals: per added signal",
                    None,
                    f"{slopes[-1] * 1e6:.0f} µs",
                )
            )
        marginal = max(slopes) / min(slopes) - 1
        rows.append((f"{task}: per-added-signal spread 50→{SCALE[-1]}", None, f"{marginal:+.0%}"))
    peak = series[SCALE[-1]]["maxrss_kb"] / 1024
    rows.append(
        (
            f"peak memory, {SCALE[-1]} signals (check+pdf+docx+html+absorb in one process)",
            None,
            f"{peak:.0f} MB",
        )
    )
    return rows, series


def ratio(times: Stats, reference: Stats | None) -> str:
    if reference is None:
        return ""
    return f"{times[1] / reference[1]:.2f}x pandoc"


def print_rows(rows: list[Row]) -> None:
    width = max(len(label) for label, _, _ in rows)
    print(f"{'':<{width}}  {'min':>8} {'median':>8} {'max':>8}")
    for label, times, note in rows:
        if times is None:
            print(f"{label:<{width}}  {'':>26}  {note}")
            continue
        lo, mid, hi = times
        unit, scale = ("µs", 1e6) if mid < 0.01 else ("ms", 1e3)
        cells = " ".join(f"{t * scale:8.1f}" for t in (lo, mid, hi))
        print(f"{label:<{width}}  {cells} {unit} {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--count", type=int, default=100, help="briefs in the batch rows")
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and briefs: --repeat 3 --count 20"
    )
    parser.add_argument(
        "--only",
        choices=("cold", "warm", "repository", "scaling", "first", "suite"),
        action="append",
        help="run only these parts (suite runs only when named)",
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.count = min(args.repeat, 3), min(args.count, 20)
    parts = set(args.only or ("cold", "warm", "repository", "scaling", "first"))

    import compileall

    import briefkit
    from briefkit import fonts

    compileall.compile_dir(Path(briefkit.__file__).parent, quiet=1)
    cache = fonts.cache_dir() / "fonts"
    print(f"font cache: {cache} ({'warm' if any(cache.glob('*.ttf')) else 'cold'})")
    print(f"pandoc: {shutil.which('pandoc') or 'not installed (no ratios)'}")
    print("CPU time (user + system); cold = a new process each run\n")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if "cold" in parts:
            rows += cold_rows(tmp, args.repeat)
        if "warm" in parts:
            rows += warm_rows(tmp, args.repeat)
        if "repository" in parts:
            rows += repository_rows(tmp, args.count, args.repeat)
        if "scaling" in parts:
            rows += scaling_rows(tmp, args.repeat)[0]
        if "first" in parts:
            rows += first_build_rows(tmp, args.repeat)
        if "suite" in parts:
            rows += suite_rows(args.repeat)
    print_rows(rows)


if __name__ == "__main__":
    main()
