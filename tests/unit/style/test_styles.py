"""Style sheets: built-in and repository ones, extends, and located errors."""

from __future__ import annotations

import textwrap

import pypdf

from briefkit.style.sheet import load_style
from tests.conftest import MINIMAL


def write_style(repo, name: str, text: str) -> None:
    folder = repo / "styles"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def test_built_in_styles_load():
    default = load_style("default", None)
    boardroom = load_style("boardroom", None)
    assert default.page.size == "A4"
    assert boardroom.page.size == "Letter"
    assert boardroom.fonts.body == "Source Serif 4"
    # inherited from default, not repeated in boardroom.yaml
    assert boardroom.fonts.mono == default.fonts.mono
    assert boardroom.paragraph("caption") == default.paragraph("caption")
    assert round(boardroom.page.margins.left, 2) == 72.0
    assert round(default.page.margins.left, 2) == round(20 * 72 / 25.4, 2)


def test_repository_style_extends_default_and_is_used(repo, write_brief, cli):
    write_style(
        repo,
        "house",
        """\
        extends: default
        description: Our house style.
        page: {size: Letter}
        colors: {accent: "#006D5B"}
        paragraphs:
          body: {size: 11pt, leading: 15pt}
        """,
    )
    write_brief(MINIMAL + "style: house\n")
    result = cli("build")
    assert result.exit_code == 0, result.output
    page = pypdf.PdfReader(repo / "out" / "brief.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    listing = cli("styles")
    assert "house          repository  styles/house.yaml" in listing.stdout
    assert "default        built-in" in listing.stdout


def test_repository_default_can_extend_the_built_in_default(repo, write_brief, cli):
    write_style(repo, "default", "extends: default\npage: {size: A5}\n")
    write_brief(MINIMAL)
    assert cli("build").exit_code == 0
    page = pypdf.PdfReader(repo / "out" / "brief.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 420


def test_style_option_overrides_the_brief(repo, write_brief, cli):
    write_brief(MINIMAL + "style: default\n")
    assert cli("build", "--style", "boardroom").exit_code == 0
    page = pypdf.PdfReader(repo / "out" / "brief.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 612


def test_unknown_style_named_by_a_brief_is_located(write_brief, cli):
    write_brief(MINIMAL + "style: bordroom\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:7:8: style: no style sheet named 'bordroom'" in result.stderr
    assert "did you mean 'boardroom'?" in result.stderr
    assert "Traceback" not in result.output


def test_check_reports_an_unknown_style_too(write_brief, cli):
    write_brief(MINIMAL + "style: bordroom\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:7:8: style: no style sheet named 'bordroom'" in result.stdout


def test_unknown_style_option(write_brief, cli):
    write_brief(MINIMAL)
    result = cli("build", "--style", "nope")
    assert result.exit_code == 1
    assert "--style: no style sheet named 'nope' (available: boardroom, default)" in result.stderr


def test_mistakes_in_a_style_sheet_point_into_it(repo, write_brief, cli):
    write_style(
        repo,
        "broken",
        """\
        extends: default
        page:
          margins: {top: 2 furlongs, right: 20mm, bottom: 20mm, left: 20mm}
        fonts:
          body: Source Sans
        paragraphs:
          body: {size: 10pt, leading: 14pt, colour: accent}
          title: {size: 20pt, leading: 24pt, color: acent}
        """,
    )
    write_brief(MINIMAL + "style: broken\n")
    result = cli("build")
    assert result.exit_code == 1
    err = result.stderr
    assert (
        "styles/broken.yaml:3:18: page.margins.top: '2 furlongs' is not a length "
        "(a number with pt, mm, cm or in, e.g. '10.5pt' or '20mm')" in err
    )
    assert "styles/broken.yaml:5:9: fonts.body: font family 'Source Sans' is not available" in err
    assert "did you mean 'Source Sans 3'?" in err
    assert "styles/broken.yaml:7:37: paragraphs.body.colour: unknown key 'colour'" in err
    assert "did you mean 'color'?" in err
    assert not (repo / "out" / "brief.pdf").exists()


def test_unknown_colour_name_points_at_the_value(repo, write_brief, cli):
    write_style(repo, "tinted", "extends: default\nparagraphs:\n  body: {color: acent}\n")
    write_brief(MINIMAL + "style: tinted\n")
    result = cli("build")
    assert result.exit_code == 1
    assert (
        "styles/tinted.yaml:3:17: paragraphs.body.color: 'acent' is neither a hex colour"
        in result.stderr
    )
    assert "did you mean 'accent'?" in result.stderr


def test_extends_cycle_is_reported(repo, write_brief, cli):
    write_style(repo, "a", "extends: b\n")
    write_style(repo, "b", "extends: a\n")
    write_brief(MINIMAL + "style: a\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "extends: style sheets extend in a circle" in result.stderr


def test_extends_unknown_parent(repo, write_brief, cli):
    write_style(repo, "orphan", "extends: nothing\n")
    write_brief(MINIMAL + "style: orphan\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "styles/orphan.yaml:1:10: extends: no style sheet named 'nothing'" in result.stderr


def test_incomplete_style_without_extends(repo, write_brief, cli):
    write_style(repo, "bare", "description: nothing else\n")
    write_brief(MINIMAL + "style: bare\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "styles/bare.yaml:1:1: missing required key 'page'" in result.stderr


def test_styles_command_flags_an_invalid_sheet(repo, cli):
    write_style(repo, "bad", "extends: default\npage: {size: A3}\n")
    result = cli("styles")
    assert result.exit_code == 1
    assert "bad" in result.stdout and "INVALID" in result.stdout


def test_page_without_room_for_text_is_refused(repo, write_brief, cli):
    write_style(repo, "tiny", "extends: default\npage: {size: [10mm, 10mm]}\n")
    write_brief(MINIMAL + "style: tiny\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "styles/tiny.yaml:2:7: page: the margins leave -85 × -102 pt for text" in result.stdout


def test_unknown_page_size_gets_one_clean_message(repo, write_brief, cli):
    write_style(repo, "b5", "extends: default\npage: {size: B5}\n")
    write_brief(MINIMAL + "style: b5\n")
    result = cli("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "styles/b5.yaml:2:14: page.size: 'B5' is not allowed "
        "(allowed: 'A4', 'A5', 'Letter' or 'Legal')"
    ]


def test_a_long_extends_chain_is_refused_where_it_goes_too_far(repo, write_brief, cli):
    from briefkit.style.sheet import MAX_EXTENDS

    for index in range(1000):
        write_style(repo, f"s{index}", f"extends: s{index + 1}\n")
    write_style(repo, "s1000", "extends: default\n")
    write_brief(MINIMAL + "style: s0\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    last = MAX_EXTENDS - 1
    assert (
        f"styles/s{last}.yaml:1:10: extends: too many style sheets extend one another: "
        f"styles/s0.yaml → … → styles/s{last}.yaml → s{last + 1} (at most {MAX_EXTENDS} in a chain)"
    ) in result.output


def test_a_chain_as_long_as_allowed_loads(repo):
    from briefkit.style.sheet import MAX_EXTENDS

    for index in range(MAX_EXTENDS - 2):
        write_style(repo, f"s{index}", f"extends: s{index + 1}\npage: {{size: A5}}\n")
    write_style(repo, f"s{MAX_EXTENDS - 2}", "extends: default\n")  # the last of the chain
    assert load_style("s0", repo).page.size == "A5"
