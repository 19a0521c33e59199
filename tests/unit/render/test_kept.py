"""Renderers keep work from one document to the next (briefkit.render.common.kept): a build
gives the same bytes whatever the process built before it, as a process that built nothing
else."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.render.common.kept import forget
from tests.conftest import MINIMAL, REPO


def _digests(folder: Path) -> dict[str, str]:
    outputs = sorted([*folder.glob("*.pdf"), *folder.glob("*.docx")])
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in outputs}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Outside any repository: the multi-script exercise with Arabic labels on a mirrored page,
    its Arabic edition, and the exercise with Russian labels."""
    folder = tmp_path_factory.mktemp("kept") / "briefs"
    shutil.copytree(REPO / "briefs", folder)
    text = (folder / "red-sea-shipping-exercise.yaml").read_text(encoding="utf-8")
    for language in ("ar", "ru"):
        variant = text.replace("\nlanguage: en\n", f"\nlanguage: {language}\n")
        assert variant != text
        (folder / f"exercise-{language}.yaml").write_text(variant, encoding="utf-8")
    return [
        folder / "exercise-ar.yaml",
        folder / "red-sea-shipping-exercise-ar.yaml",
        folder / "exercise-ru.yaml",
    ]


def test_a_build_is_the_same_after_other_builds_in_the_process(
    briefs: list[Path], tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    for brief in briefs:  # each in a process of its own
        subprocess.run(
            [sys.executable, "-m", "briefkit", "build", str(brief), "-o", str(fresh), "-q"],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1764288000"},
        )
    expected = _digests(fresh)
    assert len(expected) == 2 * len(briefs)

    os.environ["SOURCE_DATE_EPOCH"] = "1764288000"
    forget()  # what this process built before does not decide what is tested
    try:
        for round_, order in enumerate((briefs, briefs[::-1])):
            out = tmp_path / f"round-{round_}"
            for brief in order:
                build_brief(brief, BuildOptions(out_dir=out, formats=("pdf", "docx")))
            assert _digests(out) == expected, f"round {round_}"
        forget()
        out = tmp_path / "forgotten"
        for brief in briefs:
            build_brief(brief, BuildOptions(out_dir=out, formats=("pdf", "docx")))
        assert _digests(out) == expected
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_a_font_file_replaced_while_the_process_runs_reaches_both_outputs(repo: Path) -> None:
    """``watch`` rebuilds a brief when a font in fonts/ changes; the new face must be the one
    measured, shaped, embedded and named, in the PDF and in the .docx."""
    from importlib import resources

    import pypdf
    from docx.oxml.ns import qn
    from lxml import etree

    from briefkit import fonts

    heebo = resources.files("fontpkg_heebo") / "files" / "Heebo[wght].ttf"
    serif = fonts.face_path("Source Serif 4", bold=False, italic=False)  # static: quick to use
    (repo / "fonts").mkdir()
    (repo / "styles").mkdir()
    (repo / "styles" / "house.yaml").write_text(
        "extends: default\nfonts:\n  body: fonts/Brand.ttf\n", encoding="utf-8"
    )
    brief = repo / "briefs" / "b.yaml"
    brief.write_text(MINIMAL + "style: house\n", encoding="utf-8")
    options = BuildOptions(out_dir=repo / "out", formats=("pdf", "docx"), force=True)

    def fonts_used() -> tuple[set[str], set[str]]:
        pdf = pypdf.PdfReader(repo / "out" / "b.pdf")
        pdf_fonts = {
            str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in pdf.pages
            for font in page["/Resources"]["/Font"].values()
        }
        with zipfile.ZipFile(repo / "out" / "b.docx") as package:
            table = etree.fromstring(package.read("word/fontTable.xml"))
        word_fonts = {font.get(qn("w:name")) for font in table.iter(qn("w:font"))}
        return pdf_fonts, word_fonts

    shutil.copyfile(str(heebo), repo / "fonts" / "Brand.ttf")
    assert not build_brief(brief, options).failed
    pdf_fonts, word_fonts = fonts_used()
    assert any(name.startswith("Heebo") for name in pdf_fonts), pdf_fonts
    assert "Heebo" in word_fonts

    shutil.copyfile(str(serif), repo / "fonts" / "Brand.ttf")
    assert not build_brief(brief, options).failed
    pdf_fonts, word_fonts = fonts_used()
    assert not any(name.startswith("Heebo") for name in pdf_fonts), pdf_fonts
    assert any(name.startswith("SourceSerif4") for name in pdf_fonts), pdf_fonts
    assert "Heebo" not in word_fonts and "Source Serif 4" in word_fonts, word_fonts


def test_lines_broken_beside_one_list_number_are_not_reused_beside_another(repo: Path) -> None:
    """In a large body size "10." is wider than the number column and shortens the first line:
    a judgment broken as item 10 must be broken again as item 1."""
    (repo / "styles").mkdir()
    (repo / "styles" / "big.yaml").write_text(
        "extends: default\nparagraphs:\n  body: {size: 16pt, leading: 20pt}\n", encoding="utf-8"
    )
    judgment = (
        "    - id: kj-t\n      text: Frontier analysis compute compute cost safety inference"
        " frontier inference safety strain the analysis the.\n"
    )
    fillers = "".join(f"    - id: kj-{n}\n      text: Filler {n}.\n" for n in range(1, 10))

    def brief(name: str, judgments: str) -> Path:
        text = MINIMAL.replace("id: minimal", f"id: {name}") + "  judgments:\n" + judgments
        path = repo / "briefs" / f"{name}.yaml"
        path.write_text(text + "style: big\n", encoding="utf-8")
        return path

    tenth, first = brief("tenth", fillers + judgment), brief("first", judgment)
    options = BuildOptions(out_dir=repo / "out", formats=("pdf",), force=True)

    forget()
    assert not build_brief(first, options).failed
    alone = (repo / "out" / "first.pdf").read_bytes()
    forget()
    assert not build_brief(tenth, options).failed
    assert not build_brief(first, options).failed
    assert (repo / "out" / "first.pdf").read_bytes() == alone
