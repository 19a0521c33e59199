"""Evidence quotes are checked against the source's local text."""

from __future__ import annotations

from tests.conftest import MINIMAL

SOURCE_TEXT = "The board said: “We’re committed to the plan” — and   left the room.\n"


def brief_with_quote(quote: str, text_path: str = "sources/article.txt") -> str:
    return (
        MINIMAL
        + f"sources:\n  - id: art\n    title: Article\n    text: {text_path}\n"
        + f"evidence:\n  - id: e1\n    source: art\n    quote: '{quote}'\n"
    )


def test_quote_found_with_normalised_quotes_dashes_and_spaces(repo, write_brief, cli):
    (repo / "briefs" / "sources").mkdir()
    (repo / "briefs" / "sources" / "article.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    write_brief(brief_with_quote("\"We''re committed to the plan\" - and left the room"))
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.output


def test_quote_not_in_source_is_located(repo, write_brief, cli):
    (repo / "briefs" / "sources").mkdir()
    (repo / "briefs" / "sources" / "article.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    write_brief(brief_with_quote("We are committed to the plan"))
    result = cli("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "briefs/brief.yaml:14:12: evidence[0].quote: quote not found in the text of source 'art'"
        in result.stdout
    )
    assert "the first 2 of 28 characters match, up to '…We'" in result.stdout


def test_case_is_not_normalised(repo, write_brief, cli):
    (repo / "briefs" / "sources").mkdir()
    (repo / "briefs" / "sources" / "article.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    write_brief(brief_with_quote("the board said"))
    assert cli("check").exit_code == 1


def test_missing_source_text_is_a_warning(write_brief, cli):
    write_brief(brief_with_quote("anything at all"))
    result = cli("check")
    assert result.exit_code == 0
    assert (
        "briefs/brief.yaml:10:11: warning: sources[0].text: source text 'sources/article.txt' "
        "not found; quotes from this source are not verified" in result.stdout
    )
    strict = cli("check", "--strict")
    assert strict.exit_code == 1


def test_source_text_outside_repository_is_refused(repo, write_brief, cli):
    outside = repo.parent / "outside.txt"
    outside.write_text(SOURCE_TEXT, encoding="utf-8")
    write_brief(brief_with_quote("The board said", text_path="../../outside.txt"))
    result = cli("check")
    assert result.exit_code == 1
    assert "briefs/brief.yaml:10:11: sources[0].text: '../../outside.txt' is outside" in (
        result.stdout
    )
