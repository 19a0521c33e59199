"""The layout pass: decide once what a brief's documents contain, and in what order.

Both renderers take the Document built here, so the PDF and the Word file say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
from briefkit.vocab import Confidence, Likelihood, QuestionStatus, Status

LIKELIHOOD_LEGEND = (
    "Estimative language (ICD 203): likelihood is one of "
    + ", ".join(f"{term.value} ({term.range})" for term in Likelihood)
    + ". Confidence (low, moderate, high) is a separate judgment of the evidence base."
)
ADMIRALTY_LEGEND = (
    "Admiralty codes: source reliability A (completely reliable) to F (cannot be judged); "
    "information credibility 1 (confirmed) to 6 (cannot be judged)."
)
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


def _cell_text(value: str) -> Cell:
    return Cell((Paragraph(plain(value), role="table_cell"),))


def _estimate_tags(likelihood: Likelihood | None, confidence: Confidence | None) -> list[Tag]:
    tags = []
    if likelihood:
        tags.append(Tag(f"{likelihood.label} ({likelihood.range})", "likelihood", likelihood))
    if confidence:
        tags.append(Tag(confidence.label, "confidence", confidence))
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

    def text(self, value: str) -> Inline:
        return parse_inline(value, self.cite)

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
            blocks.append(NumberedList(tuple(self.question(q) for q in brief.questions)))
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
        if brief.cutoff:
            fields.append(("Information cut-off", long_date(brief.cutoff)))
        if brief.authors:
            fields.append(("Authors", ", ".join(brief.authors)))
        if brief.audience:
            fields.append(("Audience", brief.audience))
        if brief.handling:
            fields.append(("Handling", brief.handling))
        if self.revision:
            fields.append(("Source revision", self.revision))
        return TitleBlock(brief.title, brief.subtitle, tuple(fields))

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
        return Callout(changes.title, blocks, anchor="changes")

    def change_line(self, changes: ChangesSince, index: int) -> Inline:
        """One change, with the analyst's change_note beside it."""
        note = changes.notes[index] if index < len(changes.notes) else None
        line = plain(changes.lines[index])
        return line if note is None else (*line, Span(" Why: ", bold=True), *self.text(note))

    def summary(self) -> Callout:
        summary = self.brief.summary
        blocks: list[Block] = [Paragraph(self.text(summary.bluf))]
        if summary.judgments:
            blocks.append(Paragraph(plain("Key judgments"), role="label"))
            items = []
            for judgment in summary.judgments:
                parts: list[Block] = [Paragraph(self.text(judgment.text))]
                tags = _estimate_tags(judgment.likelihood, judgment.confidence)
                if tags:
                    parts.append(TagLine(tuple(tags)))
                items.append(ListItem(tuple(parts), anchor=self.anchor[judgment.id]))
            blocks.append(NumberedList(tuple(items)))
        return Callout("Bottom line up front", tuple(blocks), anchor="summary")

    def signal(self, number: int, signal: Signal) -> Group:
        tags = _estimate_tags(signal.likelihood, signal.confidence)
        if signal.horizon:
            label = f"{signal.horizon.label} ({signal.horizon.meaning})"
            tags.append(Tag(label, "horizon", signal.horizon))
        if signal.trend:
            tags.append(Tag(signal.trend.label, "trend", signal.trend))
        blocks: list[Block] = [
            Heading(2, self.text(signal.title), self.anchor[signal.id], number=number)
        ]
        if tags:
            blocks.append(TagLine(tuple(tags)))
        blocks.append(Paragraph(self.text(signal.observation), label="Observed"))
        blocks.append(Paragraph(self.text(signal.interpretation), label="Assessment"))
        if signal.indicators:
            blocks.append(Paragraph(plain("Indicators to watch"), role="label"))
            blocks.append(BulletList(tuple(self.text(i) for i in signal.indicators)))
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
        for stakeholder in self.brief.stakeholders:
            signals = ", ".join(str(self.signal_number[s]) for s in stakeholder.signals)
            direction = Cell(
                (Paragraph(plain(stakeholder.direction.label), role="table_cell"),),
                shade=("direction", stakeholder.direction.value),
            )
            rows.append(
                (
                    Cell((Paragraph(self.text(stakeholder.name), role="table_cell"),)),
                    Cell((Paragraph(self.text(stakeholder.impact), role="table_cell"),)),
                    direction,
                    _cell_text(stakeholder.magnitude.label if stakeholder.magnitude else "–"),
                    _cell_text(stakeholder.horizon.label if stakeholder.horizon else "–"),
                    _cell_text(signals or "–"),
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

    def question(self, question: Question) -> ListItem:
        title = tuple(
            Span(s.text, bold=True, italic=s.italic, code=s.code, href=s.href)
            for s in self.text(question.question)
        )
        blocks: list[Block] = [Paragraph(title)]
        if question.why:
            blocks.append(Paragraph(self.text(question.why), label="Why it matters"))
        if question.changes:
            refs = ", ".join(f"key judgment {self.judgment_number[j]}" for j in question.changes)
            blocks.append(Paragraph(plain(refs[0].upper() + refs[1:]), label="Would change"))
        if question.how:
            blocks.append(Paragraph(self.text(question.how), label="How to answer"))
        if question.status is QuestionStatus.ANSWERED and question.answer:
            blocks.append(Paragraph(self.text(question.answer), label="Answer"))
        facts = [f"Priority: {question.priority.label}", f"Status: {question.status.label}"]
        if question.owner:
            facts.insert(0, f"Owner: {question.owner}")
        blocks.append(Paragraph(plain(" · ".join(facts)), role="caption"))
        return ListItem(tuple(blocks), anchor=self.anchor[question.id])

    def source(self, number: int, source: Source) -> ListItem:
        spans: list[Span] = []
        if source.publisher:
            spans.append(Span(f"{source.publisher}, "))
        spans.append(Span(source.title, italic=True))
        if source.date:
            spans.append(Span(f", {long_date(source.date)}"))
        spans.append(Span(". "))
        if source.url:
            spans += [Span(source.url, href=source.url), Span(". ")]
        reliability = source.reliability
        spans.append(Span(f"Reliability {reliability.value} ({reliability.meaning})."))
        return ListItem((Paragraph(tuple(spans)),), anchor=BY_NAME["source"].anchor_of("", number))

    def evidence_table(self) -> Table:
        rows = []
        for evidence in self.brief.evidence:
            content: list[Block] = []
            if evidence.quote:
                content.append(Paragraph(plain(f"“{evidence.quote}”"), role="quote"))
            if evidence.note:
                content.append(Paragraph(self.text(evidence.note), role="table_cell"))
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
