"""Typography that follows each script: no synthetic italic where a script has none."""

from __future__ import annotations

import colorsys
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefkit.brief.vocab import Likelihood
from briefkit.style.sheet import load_style
from tests.conftest import MINIMAL
from tests.pdf_helpers import word_boxes

# scripts whose faces (Noto Sans SC, Noto Sans Arabic, Noto Sans Devanagari, Heebo, Noto Sans
# Thai) have no italic: a renderer that slants them draws a synthetic oblique
UPRIGHT_ONLY = ("CJK", "ARABIC", "DEVANAGARI", "HEBREW", "THAI")
MIXED = "Latin words *slanted here, 中文引语, نقل قول فارسی, हिन्दी उद्धरण, שלום, ข้าว* end."


def upright_only(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(UPRIGHT_ONLY) for ch in text)


def build(repo: Path, cli, *formats: str) -> Path:
    (repo / "briefs" / "s.yaml").write_text(
        MINIMAL.replace("The bottom line.", f'"{MIXED}"'), encoding="utf-8"
    )
    for fmt in formats:
        result = cli("build", "--format", fmt)
        assert result.exit_code == 0, result.output
    return repo / "out"


def test_word_never_slants_a_script_without_italic(repo, cli):
    out = build(repo, cli, "docx")
    document = docx.Document(str(out / "s.docx"))
    paragraphs = [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]
    runs = [run for paragraph in paragraphs if "中文" in paragraph.text for run in paragraph.runs]
    scripted = [run for run in runs if upright_only(run.text)]
    latin = [run for run in runs if "slanted" in run.text]
    assert len(scripted) >= 5 and latin
    assert all(run.italic is True for run in latin)  # negative control: Latin stays italic
    for run in scripted:  # off explicitly: an italic paragraph style (quotes) is overridden
        assert run.italic is False, run.text
        assert run._r.rPr.find(qn("w:iCs")).get(qn("w:val")) == "0"


class _Slant(HTMLParser):
    """Each text run of the page with whether it is set italic, from <em>/<i> and the page's
    own class rules (font-style)."""

    VOID = frozenset({"br", "img", "meta", "link", "hr", "input", "wbr", "col", "area", "source"})

    def __init__(self, rules: dict[str, str]) -> None:
        super().__init__()
        self.rules = rules
        self.stack: list[tuple[str, bool]] = [("", False)]
        self.runs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        italic = self.stack[-1][1] or tag in ("em", "i")
        for name in (dict(attrs).get("class") or "").split():
            style = self.rules.get(name, "")
            found = re.findall(r"font-style:\s*(\w+)", style)
            if found:
                italic = found[-1] == "italic"
        style = dict(attrs).get("style") or ""
        found = re.findall(r"font-style:\s*(\w+)", style)
        if found:
            italic = found[-1] == "italic"
        self.stack.append((tag, italic))

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            self.runs.append((data, self.stack[-1][1]))


def slants(page: str) -> list[tuple[str, bool]]:
    rules = dict(re.findall(r"\.([\w-]+) \{([^}]*)\}", page))
    parser = _Slant(rules)
    parser.feed(page[page.index("<body") :])
    return parser.runs


def test_html_never_slants_a_script_without_italic(repo, cli):
    out = build(repo, cli, "html")
    runs = [run for run in slants((out / "s.html").read_text(encoding="utf-8"))]
    scripted = [(text, italic) for text, italic in runs if upright_only(text)]
    assert len(scripted) >= 5
    assert [text for text, italic in scripted if italic] == []
    assert any(italic for text, italic in runs if "slanted" in text)  # negative control


def hue(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(red, green, blue)[0]


def test_likelihood_chips_follow_the_accent_colour(repo, cli):
    """boardroom (burgundy accent) and a house sheet (green accent) inherit the default's
    likelihood ramp re-hued to their accent; a sheet with its own ramp keeps it."""
    (repo / "styles").mkdir(exist_ok=True)
    (repo / "styles" / "green.yaml").write_text(
        'extends: default\ncolors:\n  accent: "#1E6B2E"\n', encoding="utf-8"
    )
    own = "\n".join(f'    {t.value}: "#808080"' for t in Likelihood)
    (repo / "styles" / "own.yaml").write_text(
        f'extends: green\ncolors:\n  accent: "#1E6B2E"\n  likelihood:\n{own}\n', encoding="utf-8"
    )
    for name in ("boardroom", "green"):
        style = load_style(name, repo)
        accent = hue(style.color("accent"))
        for colour in style.colors.likelihood.values():
            assert abs(hue(colour) - accent) < 0.02, (name, colour)
    default = load_style("default", repo).colors.likelihood
    assert all(abs(hue(c) - hue("#1F4E79")) < 0.05 for c in default.values())  # unchanged blue
    assert set(load_style("own", repo).colors.likelihood.values()) == {"#808080"}


CITED = "Cargo moves through Bandar Abbas and چابهار [@src], then north by rail."


def test_a_number_after_a_right_to_left_word_keeps_its_logical_side(repo, cli):
    """In a left-to-right sentence, "[1]" after an Arabic-script word is drawn to its right
    (the word is isolated), not pulled to its left into the right-to-left run."""
    (repo / "briefs" / "s.yaml").write_text(
        MINIMAL.replace("The bottom line.", f'"{CITED}"')
        + "sources:\n  - id: src\n    title: A source\n",
        encoding="utf-8",
    )
    result = cli("build", "--format", "pdf,html")
    assert result.exit_code == 0, result.output
    boxes = word_boxes(repo / "out" / "s.pdf")
    persian = next(b for b in boxes if upright_only(b[1]))
    cite = next(b for b in boxes if "[1]" in b[1])
    assert persian[3] <= cite[2], (persian, cite)  # before the fix: "[1]" left of the word
    page = (repo / "out" / "s.html").read_text(encoding="utf-8")
    assert re.search(r'<bdi lang="fa-IR"[^>]*>چابهار</bdi> <bdi>.*?\[1\].*?</bdi>', page)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cs_font(element, styles: dict[str, object]) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts") if element is not None else None
    return fonts.get(f"{W}cs") if fonts is not None else None


def test_every_arabic_run_in_word_has_a_font_with_its_letters(tmp_path):
    """Each run holding Arabic letters, chips and labels included, resolves (run, its
    character style, its paragraph style and the styles those are based on) to a
    complex-script font that has those letters."""
    from click.testing import CliRunner
    from lxml import etree

    from briefkit import fonts
    from briefkit.cli import main
    from tests.conftest import REPO

    source = REPO / "briefs" / "red-sea-shipping-exercise-ar.yaml"
    result = CliRunner().invoke(
        main, ["build", str(source), "-o", str(tmp_path), "--format", "docx", "-q"]
    )
    assert result.exit_code == 0, result.output
    package = zipfile.ZipFile(tmp_path / "red-sea-shipping-exercise-ar.docx")
    body = etree.fromstring(package.read("word/document.xml"))
    styles = etree.fromstring(package.read("word/styles.xml"))
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    default = _cs_font(styles.find(f"{W}docDefaults/{W}rPrDefault"), {})

    def style_cs(style_id: str | None) -> str | None:
        while style_id in by_id:
            style = by_id[style_id]
            found = _cs_font(style, {})
            if found:
                return found
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return None

    checked = 0
    for paragraph in body.iter(f"{W}p"):
        p_style = paragraph.find(f"{W}pPr/{W}pStyle")
        for run in paragraph.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            arabic = {ch for ch in text if unicodedata.name(ch, "").startswith("ARABIC LETTER")}
            if not arabic:
                continue
            r_style = run.find(f"{W}rPr/{W}rStyle")
            family = (
                _cs_font(run, {})
                or style_cs(r_style.get(f"{W}val") if r_style is not None else None)
                or style_cs(p_style.get(f"{W}val") if p_style is not None else "Normal")
                or default
            )
            covered = fonts.codepoints(family) if family in fonts.FAMILIES else frozenset()
            assert {ord(ch) for ch in arabic} <= covered, (text, family)
            checked += 1
    assert checked > 50


LONG = " ".join(["Internationalisation considerations notwithstanding, characteristically"] * 12)


def test_justified_styles_hyphenate_in_every_format(repo, cli):
    """boardroom justifies body text: the PDF breaks words at pyphen's points, the .docx
    asks Word to hyphenate, the HTML says hyphens:auto; default (ragged) does neither."""
    import subprocess

    import pyphen

    (repo / "briefs" / "s.yaml").write_text(
        MINIMAL.replace("The bottom line.", LONG), encoding="utf-8"
    )
    ends: dict[str, list[str]] = {}
    for style in ("boardroom", "default"):
        out = repo / style
        result = cli("build", "--style", style, "-o", str(out), "--format", "pdf,docx,html")
        assert result.exit_code == 0, result.output
        text = subprocess.run(
            ["pdftotext", "-raw", str(out / "s.pdf"), "-"], capture_output=True, text=True
        ).stdout
        ends[style] = [line.split()[-1] for line in text.splitlines() if line.endswith("-")]
        settings = zipfile.ZipFile(out / "s.docx").read("word/settings.xml").decode()
        page = (out / "s.html").read_text(encoding="utf-8")
        justified = style == "boardroom"
        assert ("<w:autoHyphenation/>" in settings) is justified
        assert ("hyphens:auto" in page) is justified
    assert ends["default"] == []  # negative control
    assert ends["boardroom"]
    points = pyphen.Pyphen(lang="en")
    for end in ends["boardroom"]:
        head = end.rstrip("-").lstrip("(")
        word = next(w for w in LONG.replace(",", "").split() if w.startswith(head))
        assert len(head) in points.positions(word), (end, word)
