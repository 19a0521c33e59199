"""Layout time of one huge field against the same amount of text spread over many fields.

    python benchmarks/long_fields.py [--kb 400] [--word 160000] [--repeat 1]

builds, in one process each (PDF and DOCX), three briefs:

- ``spread``: about KB kilobytes of text spread over signals of about 2 KB each;
- ``field``: the same amount of text in the bottom line alone;
- ``word``: a bottom line that is one word of WORD characters (no space to break at);

and prints each build time and its ratio to ``spread``. Layout must be linear in a field's
length (see briefkit.layout.longtext), so both ratios should stay within 2.

Measured with the defaults (400 KB, a 160,000-character word; one core, PDF and DOCX, cold
process each):

    before (e35e143)   spread 3.24 s   field 69.09 s (21.3x)   word 13.44 s (4.2x)
    after              spread 2.87 s   field  1.91 s (0.66x)   word  1.29 s (0.45x)
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = "briefkit: 1\nid: {id}\ntitle: Long fields\ndate: 2026-11-28\nstatus: final\n"


def words(size: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(2, 9)))]
    vocabulary += [
        "".join(rng.choice("etaoinshrdlu") for _ in range(rng.randint(2, 9))) for _ in range(3000)
    ]
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 20))) + "."
        out.append(sentence.capitalize())
        length += len(sentence) + 1
    return " ".join(out)[:size]


def spread(size: int) -> str:
    per = 2000
    count = max(1, size // per)
    signals = "".join(
        f"  - id: s{n}\n    title: Signal {n}\n"
        f"    observation: {words(per // 2, n)}\n"
        f"    interpretation: {words(per // 2, n + 100_000)}\n"
        for n in range(count)
    )
    return HEAD.format(id="spread") + "summary:\n  bluf: Short.\nsignals:\n" + signals


def one_field(size: int) -> str:
    return HEAD.format(id="field") + f"summary:\n  bluf: {words(size, 1)}\n"


def one_word(length: int) -> str:
    return HEAD.format(id="word") + f"summary:\n  bluf: {'x' * length}\n"


def build_seconds(folder: Path, name: str, text: str) -> float:
    brief = folder / "briefs" / f"{name}.yaml"
    brief.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefkit",
            "build",
            str(brief),
            "-o",
            str(folder / "out"),
            "-q",
            "--force",
            "-j",
            "1",
        ],
        check=True,
        cwd=folder,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=400, help="kilobytes of text (default 400)")
    parser.add_argument("--word", type=int, default=160_000, help="characters of the one word")
    arguments = parser.parse_args()
    size = arguments.kb * 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".git").mkdir()
        (folder / "briefs").mkdir()
        os.environ.setdefault("SOURCE_DATE_EPOCH", "1764288000")
        times = {
            "spread": build_seconds(folder, "spread", spread(size)),
            "field": build_seconds(folder, "field", one_field(size)),
            "word": build_seconds(folder, "word", one_word(arguments.word)),
        }
    base = times["spread"]
    for name, seconds in times.items():
        print(f"{name:<8} {seconds:7.2f} s   {seconds / base:5.2f}x spread")


if __name__ == "__main__":
    main()
