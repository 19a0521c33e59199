"""A brief in its reader's language: every fixed word from the catalogue, dates and digits as
the locale writes them, and a right-to-left brief mirrored as a whole page.

Each shipped language builds the example brief (its ``language`` changed) once; the labels are
read back from the PDF's text layer (for Arabic, whose extracted text is unreliable, by OCR)
and from the .docx with python-docx.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefkit.building.pipeline import BuildOptions, build_brief
from briefkit.i18n import SHIPPED, Words, fields_of, words_for
from briefkit.i18n.catalogues import LOCALE_DIR, available, catalogue_path, compiled, read
from briefkit.i18n.labels import label_problem
from briefkit.i18n.messages import MESSAGES
from tests.conftest import EXAMPLE_BRIEF, MINIMAL, REPO
from tests.end_to_end.test_scripts import ocr
from tests.pdf_helpers import pdftotext, word_boxes

EXAMPLE_DATE = dt.date(2026, 11, 28)


def _docx_text(path: Path) -> str:
    """Every paragraph of the body, its tables and its footers."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
                for inner in cell.tables:
                    texts += [c.text for r in inner.rows for c in r.cells]
    for section in document.sections:
        texts += [p.text for p in section.footer.paragraphs]
    return "\n".join(texts)


def _flat(text: str) -> str:
    """*text* without any whitespace (lines of Chinese break anywhere), case folded (labels
    may be set in capitals)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The example brief built in every shipped language: language → (pdf, docx)."""
    repo = tmp_path_factory.mktemp("languages")
    (repo / ".git").mkdir()
    briefs = repo / "briefs"
    briefs.mkdir()
    source = EXAMPLE_BRIEF.read_text(encoding="utf-8")
    for folder in ("sources",):
        if (EXAMPLE_BRIEF.parent / folder).is_dir():
            shutil.copytree(EXAMPLE_BRIEF.parent / folder, briefs / folder)
    out = repo / "out"
    paths = {}
    for language in SHIPPED:
        text = re.sub(r"^language: .*$", f"language: {language}", source, flags=re.M)
        brief = briefs / f"brief-{language}.yaml"
        brief.write_text(text, encoding="utf-8")
        result = build_brief(brief, BuildOptions(out_dir=out, formats=("pdf", "docx")))
        assert not result.failed, result.diagnostics
        paths[language] = (out / f"brief-{language}.pdf", out / f"brief-{language}.docx")
    return paths


@pytest.fixture(scope="module")
def printed_keys(built: dict[str, tuple[Path, Path]]) -> list[str]:
    """The messages without placeholders the English example prints as labels: those whose
    English text is in its .docx as a paragraph or cell of its own, or starts one (run-in
    labels such as "Observed")."""
    lines = [line.strip() for line in _docx_text(built["en"][1]).splitlines()]
    keys = []
    shared = {text for text in MESSAGES.values() if list(MESSAGES.values()).count(text) > 1}
    for key, english in MESSAGES.items():
        if fields_of(english) or english in shared:  # "Low": a magnitude or a priority?
            continue
        if any(line == english or line.startswith(english + " ") for line in lines):
            keys.append(key)
    assert len(keys) >= 30, keys  # headings, title block, table headers, chips, labels
    return keys


def _expected(words: Words, keys: list[str], pages: int) -> list[str]:
    """What the documents must print: the labels, the date, "Page 1 of N"."""
    return [
        *(words(key) for key in keys),
        words.date(EXAMPLE_DATE),
        words("footer.page", page=words.number(1), pages=words.number(pages)),
    ]


def _page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "ar"])
def test_every_label_is_printed_in_the_pdf(
    built: dict[str, tuple[Path, Path]], printed_keys: list[str], language: str
) -> None:
    pdf = built[language][0]
    text = _flat(pdftotext(pdf))
    words = words_for(language)
    for expected in _expected(words, printed_keys, _page_count(pdf)):
        assert _flat(expected) in text, (language, expected)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_label_is_printed_in_the_docx(
    built: dict[str, tuple[Path, Path]], printed_keys: list[str], language: str
) -> None:
    text = _flat(_docx_text(built[language][1]))
    words = words_for(language)
    for expected in _expected(words, printed_keys, 1)[:-1]:  # "Page X of Y" is fields
        assert _flat(expected) in text, (language, expected)
    footer = docx.Document(str(built[language][1])).sections[0].footer
    footer_text = "".join(p.text for p in footer.paragraphs)
    for piece in re.split(r"\{page\}|\{pages\}", words.messages["footer.page"]):
        assert piece.strip() in footer_text, (language, piece)


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_no_english_label_is_left(
    built: dict[str, tuple[Path, Path]], printed_keys: list[str], language: str
) -> None:
    """No printed label comes out in English where the catalogue translates it."""
    words = words_for(language)
    english = [
        MESSAGES[key]
        for key in printed_keys
        if words(key) != MESSAGES[key] and len(MESSAGES[key]) > 4 and " " in MESSAGES[key]
    ]
    documents = [_docx_text(built[language][1])]
    if language != "ar":
        documents.append(pdftotext(built[language][0]))
    for text in documents:
        flat = " ".join(text.split())
        for phrase in english:
            assert phrase not in flat, (language, phrase)
        assert "Page 1 of" not in flat
        assert "28 November 2026" not in flat


def _without_marks(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def test_arabic_pdf_labels_read_back_by_ocr(
    built: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    read = _without_marks(ocr(built["ar"][0], "ara", tmp_path))
    words = words_for("ar")
    for key in ("title.date", "title.version", "summary.title", "summary.judgments"):
        assert _without_marks(words(key)) in read, (words(key), read)


# --- right to left as a page ------------------------------------------------------------------


def test_arabic_pdf_is_mirrored(built: dict[str, tuple[Path, Path]]) -> None:
    """Title and headings set against the right margin, the first column of a table on the
    right, page numbers on the left."""
    pdf = built["ar"][0]
    boxes = word_boxes(pdf)
    width = boxes[0][4]
    title = [b for b in boxes if b[0] == 1 and b[1] == "capability"]
    assert title and title[0][3] > width - 60  # the title's last word ends at the right margin
    # the stakeholder table: its first column (the stakeholders' names) right of the impacts
    anthropic = [b for b in boxes if b[1] == "Anthropic" and b[2] > width / 2]
    assert anthropic, "a stakeholder name in the right half of the page"
    # the footer: the brief's version on the right, "page 1 of N" on the left
    footer = [b for b in boxes if b[0] == 1 and b[1].startswith("v1.0")]
    assert footer and footer[0][2] > width / 2


def test_english_pdf_is_not_mirrored(built: dict[str, tuple[Path, Path]]) -> None:
    boxes = word_boxes(built["en"][0])
    width = boxes[0][4]
    footer = [b for b in boxes if b[0] == 1 and b[1].startswith("v1.0")]
    assert footer and footer[0][3] < width / 2


def test_arabic_docx_runs_right_to_left(built: dict[str, tuple[Path, Path]]) -> None:
    """Section, paragraph styles and tables are right to left, so that text typed in Word
    continues that way; an English brief has none of it."""
    for language, expected in (("ar", True), ("en", False)):
        path = built[language][1]
        with zipfile.ZipFile(path) as package:
            body = package.read("word/document.xml").decode()
            styles = package.read("word/styles.xml").decode()
        document = docx.Document(str(path))
        section = document.sections[0]._sectPr
        assert (section.find(qn("w:bidi")) is not None) is expected, language
        normal = document.styles["Normal"].element.pPr
        assert (normal is not None and normal.find(qn("w:bidi")) is not None) is expected
        tables = re.findall(r"<w:tblPr>.*?</w:tblPr>", body, re.S)
        assert tables
        assert all(("<w:bidiVisual/>" in t) is expected for t in tables), language
        assert ("<w:bidi/>" in styles) is expected


def test_arabic_html_is_mirrored(tmp_path: Path) -> None:
    brief = tmp_path / "briefs" / "ar.yaml"
    brief.parent.mkdir()
    (tmp_path / ".git").mkdir()
    brief.write_text(MINIMAL + "language: ar\nstatus: draft\n", encoding="utf-8")
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("html",)))
    assert not result.failed, result.diagnostics
    html = (tmp_path / "out" / "ar.html").read_text(encoding="utf-8")
    words = words_for("ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="auto"' not in html  # every block runs right to left, as in the PDF
    assert words("summary.title") in html
    assert words("mark.draft") in html
    assert "@bottom-left" in html and "Page" not in html


# --- dates and digits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "digits", "expected"),
    [
        ("en", "locale", "28 November 2026"),
        ("en-US", "locale", "November 28, 2026"),
        ("fr", "locale", "28 novembre 2026"),
        ("de", "locale", "28. November 2026"),
        ("es", "locale", "28 de noviembre de 2026"),
        ("pt", "locale", "28 de novembro de 2026"),
        ("ru", "locale", "28 ноября 2026\u202fг."),
        ("zh-Hans", "locale", "2026年11月28日"),
        ("ar", "locale", "28 نوفمبر 2026"),
        ("ar", "native", "٢٨ نوفمبر ٢٠٢٦"),
        ("ar-EG", "locale", "٢٨ نوفمبر ٢٠٢٦"),
        ("fa", "locale", "۲۸ نوامبر ۲۰۲۶"),
        ("fa", "latin", "28 نوامبر 2026"),
    ],
)
def test_dates_follow_the_locale(language: str, digits: str, expected: str) -> None:
    assert words_for(language, digits=digits).date(EXAMPLE_DATE) == expected  # type: ignore[arg-type]


def test_native_digits_reach_every_number(tmp_path: Path) -> None:
    """With ``digits: native`` an Arabic brief's dates, list numbers, citations and page
    numbers are in Arabic-Indic digits, in the .docx as in the PDF."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.yaml").write_text(
        "extends: default\ndigits: native\n", encoding="utf-8"
    )
    text = re.sub(
        r"^language: .*$",
        "language: ar\nstyle: house",
        EXAMPLE_BRIEF.read_text(encoding="utf-8"),
        flags=re.M,
    )
    brief = tmp_path / "briefs" / "x.yaml"
    brief.parent.mkdir()
    brief.write_text(text, encoding="utf-8")
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("docx", "html")))
    assert not result.failed, result.diagnostics
    body = _docx_text(tmp_path / "out" / "x.docx")
    assert "٢٨ نوفمبر ٢٠٢٦" in body
    assert "[١]" in body  # a citation
    assert "28 نوفمبر" not in body
    html = (tmp_path / "out" / "x.html").read_text(encoding="utf-8")
    assert "counter(page, arabic-indic)" in html
    assert ".numbered {list-style-type:arabic-indic;}" in html


# --- the catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_shipped_catalogue_translates_every_message(language: str) -> None:
    """A message the code prints that a shipped catalogue lacks (or whose English changed
    since it was translated) fails here, not in front of a reader."""
    name = available()[language.replace("-", "_").lower()]
    translated = read(name)
    missing = [key for key in MESSAGES if key not in translated]
    assert not missing, f"{name} lacks: {missing}"
    for key, text in translated.items():
        assert label_problem(key, text) is None, (name, key, text)


def test_every_shipped_language_has_its_catalogue() -> None:
    names = set(available())
    assert {lang.replace("-", "_").lower() for lang in SHIPPED if lang != "en"} <= names


def test_compiled_catalogues_and_template_are_up_to_date() -> None:
    """The .mo files briefkit reads are compiled from the .po files translators edit, and the
    template is made from the messages the code prints: run
    ``python -m briefkit.i18n.catalogues`` after changing either."""
    from briefkit.i18n.catalogues import template

    assert (LOCALE_DIR / "briefkit.pot").read_bytes() == template()
    for name in available().values():
        assert catalogue_path(name).read_bytes() == compiled(name), name


def test_regional_and_scripted_tags_find_their_catalogue() -> None:
    assert words_for("fr-CH").catalogue == "fr"
    assert words_for("de-AT")("summary.title") == words_for("de")("summary.title")
    assert words_for("zh-CN").catalogue == "zh_Hans"
    assert words_for("zh").catalogue == "zh_Hans"
    assert words_for("zh-TW").catalogue is None  # Traditional Chinese is not shipped
    assert words_for("pt-BR").catalogue == "pt"
    assert words_for("ar-EG").direction == "rtl"
    assert words_for("fa").direction == "rtl"


# --- the fallback to English and its warning -------------------------------------------------


def test_language_without_catalogue_warns_once(cli, write_brief) -> None:
    write_brief(MINIMAL + "language: it\n")
    result = cli("check")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "catalogue" in line]
    assert len(lines) == 1
    assert re.match(r"briefs/brief\.yaml:\d+:\d+: warning: language: ", lines[0])
    assert "no catalogue for language 'it'" in lines[0]
    assert cli("check", "--strict").exit_code != 0
    result = cli("build")
    assert result.exit_code == 0
    assert "1 brief has warnings" in result.output


def test_catalogue_missing_messages_names_them(cli, write_brief, monkeypatch) -> None:
    from briefkit.i18n import catalogues

    real = catalogues.read("fr")
    partial = {k: v for k, v in real.items() if k not in ("summary.title", "section.signals")}
    monkeypatch.setattr(catalogues, "read", lambda name: partial)
    write_brief(MINIMAL + "language: fr\n")
    result = cli("check")
    assert result.exit_code == 0
    assert "the 'fr' catalogue lacks 2 of" in result.output
    assert "summary.title, section.signals" in result.output
    assert words_for("fr")("summary.title") == "Bottom line up front"


def test_english_needs_no_catalogue(cli, write_brief) -> None:
    write_brief(MINIMAL + "language: en-GB\n")
    result = cli("check")
    assert "catalogue" not in result.output


# --- house wording ----------------------------------------------------------------------------


def _house(repo: Path, text: str) -> None:
    (repo / "styles").mkdir(exist_ok=True)
    (repo / "styles" / "house.yaml").write_text("extends: default\n" + text, encoding="utf-8")


def test_style_sheet_overrides_labels_per_language(cli, write_brief, repo) -> None:
    _house(
        repo,
        "labels:\n"
        "  en:\n"
        "    summary.title: Key takeaways\n"
        "  fr:\n"
        "    summary.title: À retenir\n"
        "    footer.page: p. {page}/{pages}\n",
    )
    write_brief(MINIMAL + "style: house\n", "en.yaml")
    write_brief(MINIMAL + "style: house\nlanguage: fr-CH\n", "fr.yaml")
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 0, result.output
    english = " ".join(pdftotext(repo / "out" / "en.pdf").split())
    french = " ".join(pdftotext(repo / "out" / "fr.pdf").split())
    assert "Key takeaways" in english and "Bottom line up front" not in english
    assert "À retenir" in french and "p. 1/1" in french
    assert "Key takeaways" not in french


def test_unknown_label_is_a_located_error_with_a_suggestion(cli, write_brief, repo) -> None:
    _house(repo, "labels:\n  en:\n    summary.titel: Key takeaways\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code != 0
    assert re.search(r"styles/house\.yaml:4:\d+: .*unknown label 'summary\.titel'", result.output)
    assert "did you mean 'summary.title'?" in result.output
    assert "Traceback" not in result.output


def test_a_watermark_label_is_bounded(cli, write_brief, repo) -> None:
    """The watermark is drawn across the page (in Word, a picture whose area grows with the
    square of its length): a long mark.draft is a located error, a short one builds."""
    _house(repo, f"labels:\n  en:\n    mark.draft: {'DRAFT ' * 1000}\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code == 1
    assert re.search(
        r"styles/house\.yaml:4:\d+: .*label 'mark\.draft' has 5,999 characters", (result.output)
    )
    _house(repo, "labels:\n  en:\n    mark.draft: NOT FOR RELEASE\n")  # negative control
    assert cli("check").exit_code == 0


def test_label_must_keep_its_placeholders(cli, write_brief, repo) -> None:
    _house(repo, "labels:\n  de:\n    footer.page: Seite {page}\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code != 0
    assert "label 'footer.page' must use the placeholders {page}, {pages}" in result.output


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ('footer.page: "p. {page}/{pages} {{draft}}"', "braces that are not a placeholder"),
        ('footer.page: "{page!r} of {pages:>8}"', "braces that are not a placeholder"),
        ('footer.page: "Seite {page} von {pages} {page}"', "each once"),
        ('mark.draft: ""', "label 'mark.draft' is empty"),
        ('summary.title: "{titel}"', "takes no placeholders; remove {titel}"),
    ],
)
def test_bad_labels_are_refused_where_written(cli, write_brief, repo, label, expected) -> None:
    """Every bad label of a sheet is reported at its own line, in the sheet that wrote it,
    even through extends; nothing is built."""
    (repo / "styles").mkdir()
    (repo / "styles" / "base.yaml").write_text(
        f"extends: default\nlabels:\n  de:\n    section.signals: Signale\n    {label}\n"
        '    title.date: ""\n',
        encoding="utf-8",
    )
    (repo / "styles" / "house.yaml").write_text(
        "extends: base\nlabels:\n  de:\n    section.sources: Quellen\n", encoding="utf-8"
    )
    write_brief(MINIMAL + "style: house\nstatus: draft\n")
    result = cli("build")
    assert result.exit_code != 0
    assert re.search(r"styles/base\.yaml:5:\d+: .*" + re.escape(expected), result.output)
    assert re.search(r"styles/base\.yaml:6:\d+: .*label 'title.date' is empty", result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (repo / "out" / "brief.pdf").exists()


def test_labels_given_twice_for_one_tag_are_refused(cli, write_brief, repo) -> None:
    _house(repo, "labels:\n  fr-CH:\n    summary.title: A\n  fr-ch:\n    summary.title: B\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code != 0
    assert "labels for 'fr-ch' are given twice (also as 'fr-CH')" in result.output


def test_label_with_unbalanced_brace_is_refused(cli, write_brief, repo) -> None:
    _house(repo, "labels:\n  en:\n    footer.page: Page {page of {pages}\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code != 0
    assert "footer.page" in result.output and "Traceback" not in result.output


def test_language_tag_of_labels_is_checked(cli, write_brief, repo) -> None:
    _house(repo, "labels:\n  French:\n    summary.title: À retenir\n")
    write_brief(MINIMAL + "style: house\n")
    result = cli("check")
    assert result.exit_code != 0
    assert "BCP 47" in result.output


# --- the YAML vocabulary stays English ----------------------------------------------------------


def test_vocabulary_terms_stay_english_in_every_language(built) -> None:
    """Briefs in every language share one schema: only the printed words change."""
    text = (REPO / "briefs" / "xai-anthropic-alliance.yaml").read_text(encoding="utf-8")
    assert "likelihood: likely" in text
    from briefkit.brief.vocab import Likelihood

    chip = words_for("fr").term(Likelihood.LIKELY)
    assert chip == "Probable"


# --- the "What changed" box ---------------------------------------------------------------------


def test_every_field_of_a_brief_has_a_name_in_the_catalogue() -> None:
    """The box names a changed field in the reader's words: a new field of the model without
    a message would print its YAML key."""
    import typing

    from briefkit.brief.model import Brief

    fields: set[str] = set()
    models: list[type] = [Brief]
    while models:
        model = models.pop()
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            fields.add(name)
            for arg in typing.get_args(info.annotation) or (info.annotation,):
                for inner in typing.get_args(arg) or (arg,):
                    if hasattr(inner, "model_fields") and inner not in models:
                        models.append(inner)
    missing = sorted(f for f in fields if f"field.{f}" not in MESSAGES)
    assert not missing


def test_changes_box_is_in_the_readers_language(git_repo: Path) -> None:
    from tests.conftest import commit

    brief = git_repo / "briefs" / "x.yaml"
    text = re.sub(
        r"^language: .*$", "language: fr", EXAMPLE_BRIEF.read_text(encoding="utf-8"), flags=re.M
    )
    brief.write_text(text, encoding="utf-8")
    commit(git_repo, "v1")
    edited = text.replace('version: "1.0"', 'version: "1.1"', 1)
    edited = re.sub(
        r"(likelihood: )likely\n",
        r"\1very likely\n      change_note: Nouvelles preuves.\n",
        edited,
        count=1,
    )
    assert edited != text
    brief.write_text(edited, encoding="utf-8")
    options = BuildOptions(out_dir=git_repo / "out", formats=("docx",), changes_since="HEAD")
    from briefkit.building.pipeline import BriefContext

    result = build_brief(brief, options, BriefContext(since="HEAD"))
    assert not result.failed, result.diagnostics
    body = _docx_text(git_repo / "out" / "x.docx")
    words = words_for("fr")
    assert words("changes.since", version="1.0", date=words.date(EXAMPLE_DATE)) in body
    assert words("changes.why") in body
    line = next(line for line in body.splitlines() if "Nouvelles preuves" in line)
    assert "raised" not in line and " of " not in line, line
    assert words("likelihood.very likely").lower() in line.lower(), line


def test_persian_digits_keep_their_brackets_in_the_pdf(tmp_path: Path) -> None:
    """Persian digits in a left-to-right chip are set left to right: HarfBuzz, left to guess
    from their script, set them right to left and turned the brackets round them."""
    (tmp_path / ".git").mkdir()
    brief = tmp_path / "briefs" / "fa.yaml"
    brief.parent.mkdir()
    brief.write_text(
        re.sub(
            r"^language: .*$", "language: fa", EXAMPLE_BRIEF.read_text(encoding="utf-8"), flags=re.M
        ),
        encoding="utf-8",
    )
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert not result.failed, result.diagnostics
    text = pdftotext(tmp_path / "out" / "fa.pdf")
    # ۸ and ٨ share a glyph, which extracts as either
    assert re.search(r"Likely \(۵۵–[۸٨]۰%\)", text), text[:2000]
    assert "%(" not in text and "]۱[" not in text


def test_arabic_comma_between_references_is_drawn(tmp_path: Path) -> None:
    """A separator alone in its span (between two evidence references) is set in a font that
    has it, not printed as a box."""
    (tmp_path / ".git").mkdir()
    brief = tmp_path / "briefs" / "ev.yaml"
    brief.parent.mkdir()
    brief.write_text(
        MINIMAL + "language: ar\nsignals:\n  - id: s1\n    title: إشارة\n    observation: نص.\n"
        "    interpretation: نص.\n    evidence: [e1, e2]\nsources:\n  - id: src\n    title: S\n"
        "    reliability: B\nevidence:\n  - id: e1\n    source: src\n    credibility: 2\n"
        "    note: ن\n  - id: e2\n    source: src\n    credibility: 3\n    note: ن\n",
        encoding="utf-8",
    )
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert not result.failed, result.diagnostics
    assert "B2، E2" in pdftotext(tmp_path / "out" / "ev.pdf")


@pytest.mark.parametrize(
    ("tag", "catalogue", "date"),
    [
        ("EN", None, "28 November 2026"),
        ("ZH-hans", "zh_Hans", "2026年11月28日"),
        ("ar-u-nu-arab", "ar", "٢٨ نوفمبر ٢٠٢٦"),
        ("de-ch", "de", "28. November 2026"),
    ],
)
def test_language_tags_in_any_case_and_with_extensions(tag: str, catalogue, date) -> None:
    words = words_for(tag)
    assert words.catalogue == catalogue
    assert words.date(EXAMPLE_DATE) == date


def test_native_digits_in_messages_and_headings() -> None:
    from briefkit.checks.loader import load_brief
    from briefkit.layout.from_brief import layout

    words = words_for("ar", digits="native")
    assert "٣" in words("horizon.near.meaning")  # "from 3 to 12 months"
    document = layout(load_brief(EXAMPLE_BRIEF), words)
    from briefkit.layout.document import Heading

    numbered = [b for b in _all_blocks(document.blocks) if isinstance(b, Heading) and b.number]
    assert numbered and numbered[0].numbered_text[0].text == "١. "


def _all_blocks(blocks):
    for block in blocks:
        yield block
        yield from _all_blocks(getattr(block, "blocks", ()))


def test_table_columns_are_measured_in_the_fonts_that_set_them(tmp_path: Path) -> None:
    """Arabic words in a table are measured in the Arabic font (not as a box of the Latin
    one, an em each), so the impacts keep the widest column in both formats."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "briefs", tmp_path / "briefs")
    brief = tmp_path / "briefs" / "red-sea-shipping-exercise-ar.yaml"
    result = build_brief(brief, BuildOptions(out_dir=tmp_path / "out", formats=("docx",)))
    assert not result.failed, result.diagnostics
    with zipfile.ZipFile(tmp_path / "out" / f"{brief.stem}.docx") as package:
        body = package.read("word/document.xml").decode()
    grids = [
        [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', grid)]
        for grid in re.findall(r"<w:tblGrid>.*?</w:tblGrid>", body, re.S)
    ]
    stakeholders = next(grid for grid in grids if len(grid) == 6)
    assert max(stakeholders) == stakeholders[1], stakeholders  # the impact column
