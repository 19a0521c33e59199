"""``briefkit new``: a commented brief skeleton that passes ``briefkit check``."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path

from briefkit.building.repository import repository_root
from briefkit.diagnostics import UserError
from briefkit.schema import SCHEMA_FILE, schema_text

_SKELETON = """\
# yaml-language-server: $schema={schema}
# A briefkit brief. Check it with `briefkit check`; build it with `briefkit build`.
# Text fields accept **bold**, *italic*, `code`, [links](https://example.com) and
# citations of sources or evidence as [@id]. Only briefkit, id, title, date and
# summary.bluf are required; delete what you do not need.
briefkit: 1
id: {slug}
title: {title}
# subtitle: One line of context
date: {date}
# cutoff: {date}        # information cut-off
version: "0.1"
status: draft               # draft | final
authors: []
# audience: Executive committee
# handling: TLP:AMBER       # a TLP 2.0 label (TLP:CLEAR … TLP:RED) or free text
tags: []
language: {language}               # the reader's language (BCP 47): en, fr, de-CH, ar, zh-Hans…
{style}
summary:
  bluf: >-
    TODO the bottom line, in one or two sentences.
  judgments:
    - id: kj1
      text: TODO the first key judgment.
      likelihood: likely      # almost no chance … almost certain (ICD 203)
      confidence: moderate    # low | moderate | high

signals:
  - id: signal-1
    title: TODO short headline
    observation: TODO what was observed (facts only).
    interpretation: TODO what it means.
    likelihood: likely
    confidence: low
    horizon: near             # immediate | near | medium | long
    trend: emerging           # emerging | strengthening | stable | weakening
    evidence: []
    indicators:
      - TODO an observable event that would confirm or refute this signal.

stakeholders:
  - id: stakeholder-1
    name: TODO who
    impact: TODO how they are affected.
    direction: uncertain      # positive | negative | mixed | uncertain
    magnitude: moderate       # low | moderate | high
    signals: [signal-1]

questions:
  - id: q1
    question: TODO what we do not know yet?
    why: TODO which judgment an answer would change.
    changes: [kj1]
    priority: moderate        # low | moderate | high

sources:
{source}
evidence: []
"""

_SOURCE_PLACEHOLDER = """\
  - id: source-1
    title: TODO title of the source
    # publisher: …
    # url: https://…
    # date: YYYY-MM-DD
    reliability: F            # Admiralty A (completely reliable) … F (cannot be judged)
"""

_SOURCE_FROM_ARTICLE = """\
  - id: article
    title: {title}
    # publisher: …
    # url: https://…
    # date: YYYY-MM-DD
    reliability: F            # Admiralty A (completely reliable) … F (cannot be judged)
{text}"""


class ScaffoldError(UserError):
    pass


def _yaml_string(text: str) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def read_article(article: Path) -> str:
    from briefkit.checks.quotes import MAX_SOURCE_TEXT_BYTES
    from briefkit.reading.files import InputFileError, read_regular

    try:
        return read_regular(article, MAX_SOURCE_TEXT_BYTES).decode("utf-8-sig")
    except InputFileError as exc:
        raise ScaffoldError(f"{article}: the article {exc}") from None
    except UnicodeDecodeError:
        raise ScaffoldError(f"{article}: not UTF-8 text; give a plain text copy") from None


# What a page copied from the web puts around its headline: bylines, times, counts, dates.
_BOILERPLATE = re.compile(
    r"^\W*(by|written by|posted by|published|updated|author|share|menu|home|subscribe)\b"
    r"|\b(written|posted) by\b"
    r"|\b\d{1,2}:\d{2}\b|\b[ap]\.?m\.?\b"
    r"|\b(views?|comments?|shares?|likes?|min(ute)?s? read)\b\W*\d|\d+\s*(views?|comments?|"
    r"shares?|likes?|min(ute)?s? read)\b"
    r"|https?://|www\.",
    re.IGNORECASE,
)


def _headline(line: str) -> bool:
    words = line.split()
    letters = sum(c.isalpha() for c in line)
    return (
        2 <= len(words) <= 30
        and 10 <= len(line) <= 250
        and letters * 2 >= len(line.replace(" ", ""))
        and not _BOILERPLATE.search(line)
    )


def article_title(text: str, article: Path) -> str:
    """The article's headline: its first line that looks like one (bylines, times, view
    counts, links and short lines skipped), else its first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ScaffoldError(f"{article}: the article is empty; its first line should be its title")
    return next((line for line in lines[:40] if _headline(line)), lines[0])


def article_copy(article: Path, brief_path: Path, text: str) -> Path | None:
    """Where an article from outside the repository is copied, so that quotes are checked
    against it: the brief's ``sources/`` folder, under a name no other file has there (the
    file already there, if it holds the same text). None for an article in the repository."""
    if article.resolve().is_relative_to(repository_root(brief_path)):
        return None
    folder = brief_path.parent / "sources"
    name = re.sub(r"[^\w.-]+", "-", article.stem).strip("-.") or "article"
    for number in range(1, 1000):
        candidate = folder / f"{name}{'' if number == 1 else f'-{number}'}.txt"
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if candidate.is_file() and candidate.read_text(encoding="utf-8-sig") == text:
                return candidate
    raise ScaffoldError(f"{folder}: no free name for a copy of {article.name}")


def skeleton(
    slug: str,
    brief_path: Path,
    article: Path | None,
    today: dt.date,
    language: str = "en",
    *,
    article_text: str | None = None,
    copy: Path | None = None,
) -> str:
    """The brief *brief_path* starts as; with an *article* (whose *article_text* was read), a
    source whose text is the article, or its *copy* in the repository."""
    root = repository_root(brief_path)
    schema_path = Path(os.path.relpath(root / SCHEMA_FILE, brief_path.parent)).as_posix()
    title = "TODO title"
    source = _SOURCE_PLACEHOLDER
    if article is not None:
        if article_text is None:
            article_text = read_article(article)
        title = _yaml_string(article_title(article_text, article))
        local = (copy or article).resolve()
        if local.is_relative_to(root):
            relative = Path(os.path.relpath(local, brief_path.parent.resolve())).as_posix()
            text = f"    text: {_yaml_string(relative)}   # quotes are checked against it\n"
        else:
            text = (
                "    # text: sources/article.txt   # copy the article into this repository to\n"
                "    #                              # have evidence quotes checked against it\n"
            )
        source = _SOURCE_FROM_ARTICLE.format(title=title, text=text)
    return _SKELETON.format(
        schema=schema_path,
        slug=slug,
        title=title,
        date=today.isoformat(),
        source=source,
        style=style_line(root),
        language=language,
    )


_STYLE_KEY = re.compile(r"^style:[ \t]*([\w.-]+)", re.MULTILINE)


def house_style(root: Path) -> str | None:
    """The repository's own style sheet a new brief should name: the one its briefs use most,
    else ``house`` (as ``briefkit init`` writes it), else its only sheet. None when the
    repository has no sheet of its own, or only a ``default.yaml`` (used without naming it)."""
    folder = root / "styles"
    own = sorted(p.stem for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []
    named = [n for n in own if n != "default"]
    if not named:
        return None
    used: Counter[str] = Counter()
    briefs = root / "briefs"
    for brief in sorted(briefs.rglob("*.y*ml"))[:200] if briefs.is_dir() else []:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            match = _STYLE_KEY.search(brief.read_text(encoding="utf-8")[:20_000])
            if match and match.group(1) in named:
                used[match.group(1)] += 1
    if used:
        return used.most_common(1)[0][0]
    if "house" in named:
        return "house"
    return named[0] if len(named) == 1 else None


def style_line(root: Path) -> str:
    name = house_style(root)
    if name is not None:
        return f"style: {name}               # this repository's styles/{name}.yaml\n"
    return "# style: default          # a style sheet `briefkit styles` lists\n"


def ensure_schema(brief_path: Path) -> Path | None:
    """Write the schema beside the repository if it is missing; return it if written."""
    target = repository_root(brief_path) / SCHEMA_FILE
    if target.exists():
        return None
    from briefkit.building.output import write_atomic

    write_atomic(target, schema_text())
    return target


# --- briefkit init ----------------------------------------------------------------------------


def example_in_english(language: str) -> bool:
    """Whether ``init --language LANGUAGE`` writes the example's text in English (no example
    in that language ships)."""
    from importlib import resources

    from briefkit.i18n import catalogue_for, is_source_language

    catalogue = catalogue_for(language)
    translated = resources.files("briefkit") / "templates" / f"example.{catalogue}.yaml"
    return not is_source_language(language) and not (catalogue and translated.is_file())


def _in_english_note(language: str, catalogue: str | None) -> str:
    words = (
        f"The documents' headings, labels and dates are already in {language}."
        if catalogue
        else f"briefkit has no catalogue for {language}: headings and labels print in English."
    )
    return (
        f"# TO WRITE: this example's text is English; write it in {language}, the reader's\n"
        f"# language. {words}\n"
        "# Quotes stay verbatim from their source text.\n"
    )


# template file → where it goes in a new brief repository
REPOSITORY_FILES = {
    "example.yaml": "briefs/example.yaml",
    "council-notice.txt": "briefs/sources/council-notice.txt",
    "house.yaml": "styles/house.yaml",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}


def init_repository(directory: Path, language: str = "en") -> list[tuple[Path, bool]]:
    """Lay out a brief repository in *directory*, its example brief in *language*; never
    overwrite a file.

    Returns each file with whether it was written (False: it existed and was kept).
    """
    from importlib import resources

    from briefkit.building.output import write_atomic
    from briefkit.i18n import catalogue_for, is_source_language

    templates = resources.files("briefkit") / "templates"
    catalogue = catalogue_for(language)
    done: list[tuple[Path, bool]] = []
    for template, relative in REPOSITORY_FILES.items():
        target = directory / relative
        if target.exists():
            done.append((target, False))
            continue
        # the example and its source text written in the reader's language, where one ships
        stem, dot, suffix = template.partition(".")
        translated = templates / f"{stem}.{catalogue}{dot}{suffix}"
        text = (
            translated if catalogue and translated.is_file() else templates / template
        ).read_text(encoding="utf-8")
        if template == "example.yaml":
            text = re.sub(r"^language: \S+", f"language: {language}", text, flags=re.M)
            if not is_source_language(language) and not translated.is_file():
                modeline, rest = text.split("\n", 1)  # the schema's line stays first
                text = f"{modeline}\n{_in_english_note(language, catalogue)}{rest}"
        write_atomic(target, text)
        done.append((target, True))
    schema = directory / SCHEMA_FILE
    existed = schema.exists()
    if not existed:
        write_atomic(schema, schema_text())
    done.append((schema, not existed))
    return done
