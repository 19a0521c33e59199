"""The layout pass: decide once what a brief's documents contain, and in what order.

Both renderers take the Document built here, so the PDF and the Word file say the same thing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, replace

from briefkit.citations import CITATION
from briefkit.document import (
    Block,
    BulletList,
    Callout,
    Cell,
    Column,
    Document,
    Group,
    Heading,
    Inline,
    ListItem,
    Metadata,
    NumberedList,
    Paragraph,
    Span,
    Table,
    Tag,
    TagLine,
    TitleBlock,
    inline_text,
    plain,
    property_text,
)
from briefkit.inline import parse_inline
from briefkit.longtext import split_long_paragraphs
from briefkit.model import Brief, Evidence, Question, Signal, Source
from briefkit.parts import BY_NAME, PARTS
from briefkit.vocab import Confidence, Horizon, Likelihood, QuestionStatus, Status, Vocabulary

LIKELIHOOD_LEGEND = (
    "Estimative language (ICD 203): likelihood is one of "
    + ", ".join(f"{term.value} ({term.range})" for term in Likelihood)
    + ". Confidence (low, moderate, high) is a separate judgment of the evidence base."
)
ADMIRALTY_LEGEND = (
    "Admiralty codes: source reliability A (completely reliable) to F (cannot be judged); "
    "information credibility 1 (confirmed) to 6 (cannot be judged)."
)
# the anchor of the "What changed" box, which says nothing of the brief's own
CHANGES_ANCHOR = "changes"
STAKEHOLDER_COLUMNS = (
    Column("Stakeholder", 0.17),
    Column("Impact", 0.41),
    Column("Direction", 0.11),
    Column("Magnitude", 0.12),
    Column("Horizon", 0.11),
    Column("Signals", 0.08),
)
EVIDENCE_COLUMNS = (
    Column("No.", 0.07),
    Column("Source", 0.08),
    Column("Code", 0.07),
    Column("Quote and what it shows", 0.78),
)


@dataclass(frozen=True)
class ChangesSince:
    """What changed in the brief since an earlier revision, for a box on page one."""

    revision: str  # as the user named it, with its commit: "v1.0" or "HEAD~3, 1f559a6"
    lines: tuple[str, ...]  # sentences; empty when nothing changed in meaning
    new: bool = False  # the brief did not exist at that revision
    old_version: str | None = None  # the brief's version and date at that revision
    old_date: str | None = None  # as printed: "28 November 2026"
    notes: tuple[str | None, ...] = ()  # the change_note printed beside each line, if any

    @property
    def title(self) -> str:
        """Named the way the brief names itself, not the way git does."""
        if self.old_version is None:
            return "What changed"
        return f"What changed since version {self.old_version} of {self.old_date}"

    @property
    def footnote(self) -> str:
        return f"Compared with the brief at git revision {self.revision}."


def uses_estimative_language(brief: Brief) -> bool:
    """Whether anything in *brief* carries a likelihood or a confidence (then the legend of
    the ICD 203 terms is printed)."""
    rated = (*brief.summary.judgments, *brief.signals)
    return any(part.likelihood or part.confidence for part in rated)


def layout(
    brief: Brief, *, revision: str | None = None, changes: ChangesSince | None = None
) -> Document:
    return _Layout(brief, revision, changes).document()


# Word keeps at most 255 characters of a document property (and refuses to save more).
def property_plain_text(text: str) -> str:
    """*text* as a document property shows it: without markup and without citation markers
    ("[1]" means nothing outside the document)."""
    stripped = re.sub(r"\s*" + CITATION.pattern, "", text)
    return " ".join(inline_text(parse_inline(stripped)).split())


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _cell_text(value: str, field: str | None = None) -> Cell:
    return Cell((Paragraph((Span(value, field=field),), role="table_cell"),))


def chip_text(term: Vocabulary) -> str:
    """How a chip (tag) prints a vocabulary term: "Likely (55–80%)", "Near term (3–12
    months)", "Low confidence". ``briefkit absorb`` reads chips back through this function."""
    if isinstance(term, Likelihood | Horizon):
        return f"{term.label} ({term.meaning})"
    return term.label


def term_text(term: Vocabulary) -> str:
    """How a table cell or a caption prints a vocabulary term: "Negative", "Near term"."""
    return term.label


def _chip(kind: str, term: Vocabulary, field: str) -> Tag:
    return Tag(chip_text(term), kind, term, field=field)


def _estimate_tags(
    likelihood: Likelihood | None, confidence: Confidence | None, path: str
) -> list[Tag]:
    tags = []
    if likelihood:
        tags.append(_chip("likelihood", likelihood, f"{path}.likelihood"))
    if confidence:
        tags.append(_chip("confidence", confidence, f"{path}.confidence"))
    return tags


class _Layout:
    """Numbers every part of one brief and lays it out, resolving references as it goes."""

    def __init__(self, brief: Brief, revision: str | None, changes: ChangesSince | None) -> None:
        self.brief = brief
        self.revision = revision
        self.changes = changes
        self.judgment_number = {j.id: n for n, j in enumerate(brief.summary.judgments, 1)}
        self.signal_number = {s.id: n for n, s in enumerate(brief.signals, 1)}
        self.question_number = {q.id: n for n, q in enumerate(brief.questions, 1)}
        self.source_number = {s.id: n for n, s in enumerate(brief.sources, 1)}
        self.evidence_number = {e.id: n for n, e in enumerate(brief.evidence, 1)}
        self.sources = {s.id: s for s in brief.sources}
        self.evidence = {e.id: e for e in brief.evidence}
        # names as plain text: a cross-reference prints the name, not its markup
        self.stakeholder_name = {
            s.id: inline_text(parse_inline(CITATION.sub("", s.name))).strip()
            for s in brief.stakeholders
        }
        self.anchor = {
            item.id: part.anchor_of(item.id)
            for part in PARTS
            if part.name in ("judgment", "signal", "question", "stakeholder")
            for item in part.items(brief)
        }

    # --- inline text and references -------------------------------------------------------

    def text(self, value: str, field: str | None = None) -> Inline:
        """*value*'s inline markup as spans; with *field* (its path in the brief), each span
        says where it comes from, and each citation its index in the field."""
        if field is None:
            return parse_inline(value, self.cite)
        counter = itertools.count()

        def cite(ids: list[str]) -> Inline:
            index = next(counter)
            return tuple(replace(span, cite=index) for span in self.cite(ids))

        return tuple(replace(span, field=field) for span in parse_inline(value, cite))

    def cite(self, ids: list[str]) -> Inline:
        """Spans for one ``[@a; @b]`` group: sources and evidence as "[n]", parts by name."""
        numbers: list[int] = []
        spans: list[Span] = []
        for ident in ids:
            number = self.source_number.get(ident)
            if number is None and ident in self.evidence:
                number = self.source_number[self.evidence[ident].source]
            if number is not None:
                if number not in numbers:
                    numbers.append(number)
                continue
            if spans:
                spans.append(Span(", "))
            spans.append(Span(self.cross_reference(ident), href=f"#{self.anchor[ident]}"))
        if numbers:
            if spans:
                spans.append(Span(" "))
            label = f"[{', '.join(map(str, numbers))}]"
            spans.append(Span(label, href=f"#{BY_NAME['source'].anchor_of('', numbers[0])}"))
        return tuple(spans)

    def cross_reference(self, ident: str) -> str:
        """How the text names the part *ident*: "key judgment 2"; a stakeholder by its name."""
        for name, numbers in (
            ("judgment", self.judgment_number),
            ("signal", self.signal_number),
            ("question", self.question_number),
        ):
            if ident in numbers:
                return BY_NAME[name].numbered(numbers[ident])
        return self.stakeholder_name[ident]

    def admiralty(self, evidence: Evidence) -> str:
        source = self.sources[evidence.source]
        return f"{source.reliability.value}{int(evidence.credibility)}"

    # --- the document ---------------------------------------------------------------------

    def document(self) -> Document:
        brief = self.brief
        blocks: list[Block] = [self.title_block(), self.summary()]
        if self.changes is not None:
            blocks.append(self.changes_box(self.changes))
        if uses_estimative_language(brief):
            blocks.append(Paragraph(plain(LIKELIHOOD_LEGEND), role="caption"))
        if brief.signals:
            blocks.append(Heading(1, plain("Strategic signals"), "signals"))
            blocks += [self.signal(n, s) for n, s in enumerate(brief.signals, 1)]
        if brief.stakeholders:
            blocks.append(Heading(1, plain("Stakeholder impacts"), "stakeholders"))
            blocks.append(self.stakeholder_table())
        if brief.questions:
            blocks.append(Heading(1, plain("Open questions"), "questions"))
            items = tuple(self.question(n, q) for n, q in enumerate(brief.questions))
            blocks.append(NumberedList(items))
        if brief.sources:
            blocks.append(Heading(1, plain("Sources and evidence"), "sources"))
            items = tuple(self.source(n, s) for n, s in enumerate(brief.sources, 1))
            blocks.append(NumberedList(items, prefix="[", suffix="]"))
            if brief.evidence:
                blocks.append(Heading(2, plain("Evidence"), "evidence"))
                blocks.append(self.evidence_table())
            blocks.append(Paragraph(plain(ADMIRALTY_LEGEND), role="caption"))
        return Document(metadata=self.metadata(), blocks=split_long_paragraphs(tuple(blocks)))

    def metadata(self) -> Metadata:
        brief = self.brief
        draft = brief.status is Status.DRAFT
        return Metadata(
            id=brief.id,
            title=brief.title,
            subject=property_plain_text(brief.summary.bluf),
            authors=tuple(brief.authors),
            keywords=tuple(brief.tags),
            language=brief.language,
            date=brief.date.isoformat(),
            version=property_text(brief.version),
            status=brief.status.label,
            draft=draft,
            handling=brief.handling,
            tlp=brief.tlp.value if brief.tlp else None,
            footer=" · ".join(
                part
                for part in (
                    brief.id,
                    f"v{brief.version}",
                    f"rev {self.revision}" if self.revision else "",
                    "DRAFT" if draft else "",
                )
                if part
            ),
            revision=self.revision,
        )

    def title_block(self) -> TitleBlock:
        brief = self.brief
        fields = [
            ("Date", long_date(brief.date)),
            ("Version", f"{brief.version} · {brief.status.label}"),
        ]
        marks: dict[int, str] = {}
        if brief.cutoff:
            fields.append(("Information cut-off", long_date(brief.cutoff)))
        if brief.authors:
            fields.append(("Authors", ", ".join(brief.authors)))
        if brief.audience:
            marks[len(fields)] = "audience"
            fields.append(("Audience", brief.audience))
        if brief.handling:
            fields.append(("Handling", brief.handling))
        if self.revision:
            fields.append(("Source revision", self.revision))
        return TitleBlock(
            brief.title,
            brief.subtitle,
            tuple(fields),
            title_field="title",
            subtitle_field="subtitle" if brief.subtitle else None,
            field_marks=tuple(marks.get(n) for n in range(len(fields))),
        )

    def changes_box(self, changes: ChangesSince) -> Callout:
        if changes.new:
            blocks: tuple[Block, ...] = (
                Paragraph(plain("This brief is new: there was no earlier version of it.")),
            )
        elif not changes.lines:
            blocks = (Paragraph(plain("No change in meaning.")),)
        else:
            blocks = (
                BulletList(tuple(self.change_line(changes, n) for n in range(len(changes.lines)))),
            )
        blocks += (Paragraph(plain(changes.footnote), role="caption"),)
        return Callout(changes.title, blocks, anchor=CHANGES_ANCHOR)

    def change_line(self, changes: ChangesSince, index: int) -> Inline:
        """One change, with the analyst's change_note beside it."""
        note = changes.notes[index] if index < len(changes.notes) else None
        line = plain(changes.lines[index])
        return line if note is None else (*line, Span(" Why: ", bold=True), *self.text(note))

    def summary(self) -> Callout:
        summary = self.brief.summary
        blocks: list[Block] = [Paragraph(self.text(summary.bluf, "summary.bluf"))]
        if summary.judgments:
            blocks.append(Paragraph(plain("Key judgments"), role="label"))
            items = []
            for index, judgment in enumerate(summary.judgments):
                path = f"summary.judgments.{index}"
                parts: list[Block] = [Paragraph(self.text(judgment.text, f"{path}.text"))]
                tags = _estimate_tags(judgment.likelihood, judgment.confidence, path)
                if tags:
                    parts.append(TagLine(tuple(tags)))
                items.append(ListItem(tuple(parts), anchor=self.anchor[judgment.id]))
            blocks.append(NumberedList(tuple(items)))
        return Callout("Bottom line up front", tuple(blocks), anchor="summary")

    def signal(self, number: int, signal: Signal) -> Group:
        path = f"signals.{number - 1}"
        tags = _estimate_tags(signal.likelihood, signal.confidence, path)
        if signal.horizon:
            tags.append(_chip("horizon", signal.horizon, f"{path}.horizon"))
        if signal.trend:
            tags.append(_chip("trend", signal.trend, f"{path}.trend"))
        title = self.text(signal.title, f"{path}.title")
        blocks: list[Block] = [Heading(2, title, self.anchor[signal.id], number=number)]
        if tags:
            blocks.append(TagLine(tuple(tags)))
        observation = self.text(signal.observation, f"{path}.observation")
        blocks.append(Paragraph(observation, label="Observed"))
        interpretation = self.text(signal.interpretation, f"{path}.interpretation")
        blocks.append(Paragraph(interpretation, label="Assessment"))
        if signal.indicators:
            blocks.append(Paragraph(plain("Indicators to watch"), role="label"))
            items = (
                self.text(item, f"{path}.indicators.{n}")
                for n, item in enumerate(signal.indicators)
            )
            blocks.append(BulletList(tuple(items)))
        if signal.evidence:
            refs = self.evidence_references(signal.evidence)
            blocks.append(Paragraph(refs, role="caption", label="Evidence"))
        return Group(tuple(blocks))

    def evidence_references(self, ids: list[str]) -> Inline:
        """ "E1 [1] C3, E4 [1] C2": evidence numbers, their sources and Admiralty codes."""
        spans: list[Span] = []
        for ident in ids:
            evidence = self.evidence[ident]
            if spans:
                spans.append(Span(", "))
            part = BY_NAME["evidence"]
            label = part.label.format(n=self.evidence_number[ident])
            spans.append(Span(label, href=f"#{part.anchor_of(ident)}"))
            source = self.source_number[evidence.source]
            spans.append(Span(f" [{source}] {self.admiralty(evidence)}"))
        return tuple(spans)

    def stakeholder_table(self) -> Table:
        """One row per stakeholder; a column nobody has a value for is left out, its width
        going to the impact."""
        rows = []
        for index, stakeholder in enumerate(self.brief.stakeholders):
            path = f"stakeholders.{index}"
            signals = ", ".join(str(self.signal_number[s]) for s in stakeholder.signals)
            direction = Cell(
                (
                    Paragraph(
                        (Span(term_text(stakeholder.direction), field=f"{path}.direction"),),
                        role="table_cell",
                    ),
                ),
                shade=("direction", stakeholder.direction.value),
            )
            name = self.text(stakeholder.name, f"{path}.name")
            impact = self.text(stakeholder.impact, f"{path}.impact")
            magnitude, horizon = stakeholder.magnitude, stakeholder.horizon
            rows.append(
                (
                    Cell((Paragraph(name, role="table_cell"),)),
                    Cell((Paragraph(impact, role="table_cell"),)),
                    direction,
                    _cell_text(term_text(magnitude) if magnitude else "–", f"{path}.magnitude"),
                    _cell_text(term_text(horizon) if horizon else "–", f"{path}.horizon"),
                    _cell_text(signals or "–", f"{path}.signals"),
                )
            )
        stakeholders = self.brief.stakeholders
        filled = {
            "Magnitude": any(s.magnitude for s in stakeholders),
            "Horizon": any(s.horizon for s in stakeholders),
            "Signals": any(s.signals for s in stakeholders),
        }
        keep = [
            index
            for index, column in enumerate(STAKEHOLDER_COLUMNS)
            if filled.get(column.header, True)
        ]
        spare = sum(c.width for i, c in enumerate(STAKEHOLDER_COLUMNS) if i not in keep)
        columns = tuple(
            Column(c.header, c.width + (spare if c.header == "Impact" else 0.0))
            for i, c in enumerate(STAKEHOLDER_COLUMNS)
            if i in keep
        )
        return Table(columns, tuple(tuple(row[i] for i in keep) for row in rows))

    def question(self, index: int, question: Question) -> ListItem:
        path = f"questions.{index}"
        title = tuple(
            replace(s, bold=True) for s in self.text(question.question, f"{path}.question")
        )
        blocks: list[Block] = [Paragraph(title)]
        if question.why:
            why = self.text(question.why, f"{path}.why")
            blocks.append(Paragraph(why, label="Why it matters"))
        if question.changes:
            refs = ", ".join(f"key judgment {self.judgment_number[j]}" for j in question.changes)
            blocks.append(Paragraph(plain(refs[0].upper() + refs[1:]), label="Would change"))
        if question.how:
            how = self.text(question.how, f"{path}.how")
            blocks.append(Paragraph(how, label="How to answer"))
        if question.status is QuestionStatus.ANSWERED and question.answer:
            answer = self.text(question.answer, f"{path}.answer")
            blocks.append(Paragraph(answer, label="Answer"))
        facts = [
            ("Priority: ", term_text(question.priority), "priority"),
            ("Status: ", term_text(question.status), "status"),
        ]
        if question.owner:
            facts.insert(0, ("Owner: ", question.owner, "owner"))
        spans: list[Span] = []
        for lead, value, name in facts:
            spans.append(Span((" · " if spans else "") + lead))
            spans.append(Span(value, field=f"{path}.{name}"))
        blocks.append(Paragraph(tuple(spans), role="caption"))
        return ListItem(tuple(blocks), anchor=self.anchor[question.id])

    def source(self, number: int, source: Source) -> ListItem:
        path = f"sources.{number - 1}"
        spans: list[Span] = []
        if source.publisher:
            spans += [Span(source.publisher, field=f"{path}.publisher"), Span(", ")]
        spans.append(Span(source.title, italic=True, field=f"{path}.title"))
        if source.date:
            spans.append(Span(f", {long_date(source.date)}"))
        spans.append(Span(". "))
        if source.url:
            url = Span(source.url, href=source.url, field=f"{path}.url")
            spans += [url, Span(". ")]
        reliability = source.reliability
        spans.append(Span("Reliability "))
        spans.append(Span(reliability.value, field=f"{path}.reliability"))
        spans.append(Span(f" ({reliability.meaning})."))
        return ListItem((Paragraph(tuple(spans)),), anchor=BY_NAME["source"].anchor_of("", number))

    def evidence_table(self) -> Table:
        rows = []
        for index, evidence in enumerate(self.brief.evidence):
            path = f"evidence.{index}"
            content: list[Block] = []
            if evidence.quote:
                # one span with its quotation marks, which then take the quote's direction
                quote = (Span(f"“{evidence.quote}”", field=f"{path}.quote"),)
                content.append(Paragraph(quote, role="quote"))
            if evidence.note:
                note = self.text(evidence.note, f"{path}.note")
                content.append(Paragraph(note, role="table_cell"))
            number = Paragraph(
                plain(BY_NAME["evidence"].label.format(n=self.evidence_number[evidence.id])),
                role="table_cell",
                anchor=BY_NAME["evidence"].anchor_of(evidence.id),
            )
            rows.append(
                (
                    Cell((number,)),
                    _cell_text(f"[{self.source_number[evidence.source]}]"),
                    _cell_text(self.admiralty(evidence)),
                    Cell(tuple(content)) if content else _cell_text("–"),
                )
            )
        return Table(EVIDENCE_COLUMNS, tuple(rows))
