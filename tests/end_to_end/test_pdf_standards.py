"""The PDF checked by veraPDF, the PDF Association's reference validator, against PDF/UA-1 and
PDF/A-2: the example briefs and their editions in both built-in style sheets and in several
languages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefkit.building.pipeline import BuildOptions, build_brief
from tests.conftest import EXAMPLE_BRIEF, REPO, require_verapdf
from tests.pdf_helpers import strip_first_paragraph_marks

STYLES = ("default", "boardroom")
LANGUAGES = ("en", "fr", "ar", "zh-Hans")
EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))

# The rules veraPDF still reports as failed, as "clause-test" ids. Each step of issue 20 takes
# rules off these lists; a rule failing that is not listed fails the test.
UA1_KNOWN: frozenset[str] = frozenset()
PDFA2_KNOWN: frozenset[str] = frozenset()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example and each of its editions in each style, and the English example in each
    language and style."""
    root = tmp_path_factory.mktemp("standards")
    (root / ".git").mkdir()
    briefs = root / "briefs"
    shutil.copytree(REPO / "briefs", briefs)
    out: dict[str, Path] = {}
    for style in STYLES:
        for brief in EXAMPLES:
            target = root / style
            options = BuildOptions(out_dir=target, style=style, formats=("pdf",))
            result = build_brief(briefs / brief.name, options)
            assert not result.failed, result.diagnostics
            for path in sorted(target.glob(f"{brief.stem}.*pdf")):  # with its editions
                out[f"{path.stem}-{style}"] = path
    assert f"{EXAMPLE_BRIEF.stem}.clear-default" in out  # the example declares editions
    # in each language the brief alone: its editions (the last key) are validated above
    source, editions = EXAMPLE_BRIEF.read_text(encoding="utf-8").split("\neditions:\n")
    assert editions and "\neditions:" not in source
    for language in LANGUAGES:
        text = re.sub(r"^language: .*$", f"language: {language}", source, flags=re.M)
        brief = briefs / f"language-{language}.yaml"
        brief.write_text(text, encoding="utf-8")
        for style in STYLES:
            target = root / f"languages-{style}"
            options = BuildOptions(out_dir=target, style=style, formats=("pdf",))
            result = build_brief(brief, options)
            assert not result.failed, result.diagnostics
            out[f"language-{language}-{style}"] = target / f"language-{language}.pdf"
    return out


# veraPDF's name of each profile the tests ask for
PROFILES = {
    "ua1": "PDF/UA-1 validation profile",
    "2a": "PDF/A-2A validation profile",  # level A: tagged, with languages (what briefkit claims)
    "2u": "PDF/A-2U validation profile",
    "3a": "PDF/A-3A validation profile",
}


def failed_rules(paths: list[Path]) -> dict[str, dict[str, set[str]]]:
    """veraPDF's failed rules ("clause-test") for each file, by the name of the profile it was
    validated against, in one run (each JVM start costs seconds): with the flavour left to
    detection, veraPDF validates a file against every profile its metadata claims."""
    command = require_verapdf()
    run = subprocess.run(
        [*command, "--flavour", "0", "--format", "json", "--maxfailuresdisplayed", "1"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    found: dict[str, dict[str, set[str]]] = {}
    for job in report["report"]["jobs"]:
        name = job["itemDetails"]["name"]
        results = job.get("validationResult")
        assert results, f"veraPDF did not validate {name}: {job.get('taskException')}"
        found[name] = {
            result["profileName"]: {
                f"{rule['clause']}-{rule['testNumber']}"
                for rule in result["details"]["ruleSummaries"]
            }
            for result in (results if isinstance(results, list) else [results])
        }
    assert set(found) == {str(path) for path in paths}, run.stderr
    return found


@pytest.fixture(scope="module")
def with_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with a style sheet that embeds its YAML (PDF/A-3a)."""
    root = tmp_path_factory.mktemp("with-source")
    (root / ".git").mkdir()
    shutil.copytree(REPO / "briefs", root / "briefs")
    (root / "styles").mkdir()
    (root / "styles" / "keeping.yaml").write_text(
        "extends: default\npdf: {embed_source: true}\n", encoding="utf-8"
    )
    options = BuildOptions(out_dir=root / "out", style="keeping", formats=("pdf",))
    result = build_brief(root / "briefs" / EXAMPLE_BRIEF.name, options)
    assert not result.failed, result.diagnostics
    return root / "out" / EXAMPLE_BRIEF.with_suffix(".pdf").name


@pytest.fixture(scope="module")
def broken(pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The negative controls: the example without its structure tree, with one paragraph's
    text outside marked content, with metadata that no longer claims PDF/UA, and with metadata
    that claims PDF/A-2u, not 2a."""
    import pikepdf

    folder = tmp_path_factory.mktemp("broken")
    source = pdfs[f"{EXAMPLE_BRIEF.stem}-default"]
    out = {
        "untagged": folder / "untagged.pdf",
        "unmarked": folder / "unmarked.pdf",
        "unclaimed": folder / "unclaimed.pdf",
        "level-u": folder / "level-u.pdf",
    }
    with pikepdf.open(source) as pdf:
        del pdf.Root.StructTreeRoot
        pdf.save(out["untagged"])
    out["unmarked"].write_bytes(strip_first_paragraph_marks(source.read_bytes()))
    with pikepdf.open(source) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["pdfuaid:part"]
        pdf.save(out["unclaimed"])
    with pikepdf.open(source) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:conformance"] = "U"
        pdf.save(out["level-u"])
    return out


@pytest.fixture(scope="module")
def verapdf_findings(
    pdfs: dict[str, Path], with_source: Path, broken: dict[str, Path]
) -> dict[str, dict[str, set[str]]]:
    """One veraPDF run over every PDF and the negative controls, against every profile."""
    return failed_rules([*pdfs.values(), with_source, *broken.values()])


@pytest.mark.parametrize(("flavour", "known"), [("ua1", UA1_KNOWN), ("2a", PDFA2_KNOWN)])
def test_verapdf_finds_no_failed_rule(
    pdfs: dict[str, Path],
    verapdf_findings: dict[str, dict[str, set[str]]],
    flavour: str,
    known: frozenset[str],
) -> None:
    profile = PROFILES[flavour]
    found = {}
    for path in pdfs.values():
        profiles = verapdf_findings[str(path)]
        assert profile in profiles, f"{path} was not validated as {profile}: {sorted(profiles)}"
        found[str(path)] = profiles[profile]
    new = {name: sorted(rules - known) for name, rules in found.items() if rules - known}
    assert not new, new
    # a rule that no longer fails comes off its list, so the list only shrinks
    fixed = known - set().union(*found.values())
    assert not fixed, f"no longer failing, take off the list: {sorted(fixed)}"


def test_a_pdf_with_its_source_passes_pdfa3a_and_pdfua1(
    with_source: Path, verapdf_findings: dict[str, dict[str, set[str]]]
) -> None:
    found = verapdf_findings[str(with_source)]
    assert found == {PROFILES["3a"]: set(), PROFILES["ua1"]: set()}


def test_verapdf_fails_the_negative_controls(
    broken: dict[str, Path], verapdf_findings: dict[str, dict[str, set[str]]]
) -> None:
    """An untagged PDF fails PDF/UA-1 and PDF/A-2a, one with a paragraph left unmarked
    PDF/UA-1; one that stops claiming PDF/UA is not
    validated as PDF/UA-1 at all, nor one that claims level U as PDF/A-2a, which
    test_verapdf_finds_no_failed_rule refuses."""
    untagged = verapdf_findings[str(broken["untagged"])]
    assert untagged[PROFILES["ua1"]] and untagged[PROFILES["2a"]]
    # one paragraph's text drawn outside marked content: content neither tagged nor an
    # artifact (veraPDF's PDF/A-2a profile does not look at that, its PDF/UA-1 profile does)
    assert "7.1-3" in verapdf_findings[str(broken["unmarked"])][PROFILES["ua1"]]
    unclaimed = verapdf_findings[str(broken["unclaimed"])]
    assert PROFILES["ua1"] not in unclaimed and PROFILES["2a"] in unclaimed
    level_u = verapdf_findings[str(broken["level-u"])]
    assert PROFILES["2a"] not in level_u and PROFILES["2u"] in level_u
