"""The layout pass: decide once what a brief's documents contain, and in what order.

Both renderers take the Document built here, so the PDF and the Word file say the same thing.
"""

from __future__ import annotations

import datetime as dt

from briefkit.document import (
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
)
from briefkit.inline import parse_inline
from briefkit.model import Brief, Evidence, Question, Signal, Source
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


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Numbers:
    """Numbers given to the parts of a brief, in document order, for cross-references."""

    def __init__(self, brief: Brief) -> None:
        self.judgment = {j.id: n for n, j in enumerate(brief.summary.judgments, 1)}
        self.signal = {s.id: n for n, s in enumerate(brief.signals, 1)}
        self.source = {s.id: n for n, s in enumerate(brief.sources, 1)}
        self.evidence = {e.id: n for n, e in enumerate(brief.evidence, 1)}
        self.evidence_source = {e.id: self.source.get(e.source) for e in brief.evidence}
        self.question = {q.id: n for n, q in enumerate(brief.questions, 1)}
        self.stakeholder_name = {s.id: s.name for s in brief.stakeholders}
        self.anchor = {
            **{j.id: f"judgment-{j.id}" for j in brief.summary.judgments},
            **{s.id: f"signal-{s.id}" for s in brief.signals},
            **{q.id: f"question-{q.id}" for q in brief.questions},
            **{s.id: "stakeholders" for s in brief.stakeholders},
        }

    def cite(self, ids: list[str]) -> Inline:
        """Spans for one ``[@a; @b]`` group: sources and evidence as "[n]", parts by name."""
        numbers: list[int] = []
        spans: list[Span] = []
        for ident in ids:
            number = self.source.get(ident) or self.evidence_source.get(ident)
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
            spans.append(Span(label, href=f"#source-{numbers[0]}"))
        return tuple(spans)

    def cross_reference(self, ident: str) -> str:
        if ident in self.judgment:
            return f"key judgment {self.judgment[ident]}"
        if ident in self.signal:
            return f"signal {self.signal[ident]}"
        if ident in self.question:
            return f"question {self.question[ident]}"
        return self.stakeholder_name[ident]


def layout(brief: Brief) -> Document:
    numbers = _Numbers(brief)

    def text(value: str) -> Inline:
        return parse_inline(value, numbers.cite)

    blocks = [
        _title_block(brief),
        _summary(brief, text),
        Paragraph(plain(LIKELIHOOD_LEGEND), role="caption"),
    ]
    if brief.signals:
        blocks.append(Heading(1, plain("Strategic signals"), "signals"))
        for number, signal in enumerate(brief.signals, 1):
            blocks.append(Group(tuple(_signal(number, signal, brief, numbers, text))))
    if brief.stakeholders:
        blocks.append(Heading(1, plain("Stakeholder impacts"), "stakeholders"))
        blocks.append(_stakeholder_table(brief, numbers, text))
    if brief.questions:
        blocks.append(Heading(1, plain("Open questions"), "questions"))
        blocks.append(NumberedList(tuple(_question(q, numbers, text) for q in brief.questions)))
    if brief.sources:
        blocks.append(Heading(1, plain("Sources and evidence"), "sources"))
        blocks.append(
            NumberedList(
                tuple(_source(n, s) for n, s in enumerate(brief.sources, 1)),
                prefix="[",
                suffix="]",
            )
        )
        if brief.evidence:
            blocks.append(Heading(2, plain("Evidence"), "evidence"))
            blocks.append(_evidence_table(brief, numbers, text))
        blocks.append(Paragraph(plain(ADMIRALTY_LEGEND), role="caption"))
    return Document(metadata=_metadata(brief), blocks=tuple(blocks))


def _metadata(brief: Brief) -> Metadata:
    draft = brief.status is Status.DRAFT
    footer = f"{brief.id} · v{brief.version}" + (" · DRAFT" if draft else "")
    return Metadata(
        id=brief.id,
        title=brief.title,
        subject=inline_text(parse_inline(brief.summary.bluf)),
        authors=tuple(brief.authors),
        keywords=tuple(brief.tags),
        language=brief.language,
        date=brief.date.isoformat(),
        version=brief.version,
        status=brief.status.label,
        draft=draft,
        handling=brief.handling,
        tlp=brief.tlp.value if brief.tlp else None,
        footer=footer,
    )


def _title_block(brief: Brief) -> TitleBlock:
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
    return TitleBlock(brief.title, brief.subtitle, tuple(fields))


def _estimate_tags(likelihood: Likelihood | None, confidence: Confidence | None) -> tuple[Tag, ...]:
    tags = []
    if likelihood:
        tags.append(Tag(f"{likelihood.label} ({likelihood.range})", "likelihood", likelihood))
    if confidence:
        tags.append(Tag(confidence.label, "confidence", confidence))
    return tuple(tags)


def _summary(brief: Brief, text) -> Callout:  # type: ignore[no-untyped-def]
    blocks: list = [Paragraph(text(brief.summary.bluf), role="body")]
    if brief.summary.judgments:
        blocks.append(Paragraph(plain("Key judgments"), role="label"))
        items = []
        for judgment in brief.summary.judgments:
            parts: list = [Paragraph(text(judgment.text))]
            tags = _estimate_tags(judgment.likelihood, judgment.confidence)
            if tags:
                parts.append(TagLine(tags))
            items.append(ListItem(tuple(parts), anchor=f"judgment-{judgment.id}"))
        blocks.append(NumberedList(tuple(items)))
    return Callout("Bottom line up front", tuple(blocks), anchor="summary")


def _signal(number: int, signal: Signal, brief: Brief, numbers: _Numbers, text) -> list:  # type: ignore[no-untyped-def]
    tags = list(_estimate_tags(signal.likelihood, signal.confidence))
    if signal.horizon:
        tags.append(
            Tag(f"{signal.horizon.label} ({signal.horizon.meaning})", "horizon", signal.horizon)
        )
    if signal.trend:
        tags.append(Tag(signal.trend.label, "trend", signal.trend))
    blocks: list = [Heading(2, (Span(f"{number}. "), *text(signal.title)), f"signal-{signal.id}")]
    if tags:
        blocks.append(TagLine(tuple(tags)))
    blocks.append(Paragraph(text(signal.observation), label="Observed"))
    blocks.append(Paragraph(text(signal.interpretation), label="Assessment"))
    if signal.indicators:
        blocks.append(Paragraph(plain("Indicators to watch"), role="label"))
        blocks.append(BulletList(tuple(text(i) for i in signal.indicators)))
    if signal.evidence:
        blocks.append(
            Paragraph(
                _evidence_refs(signal.evidence, brief, numbers), role="caption", label="Evidence"
            )
        )
    return blocks


def _evidence_refs(ids: list[str], brief: Brief, numbers: _Numbers) -> Inline:
    by_id = {e.id: e for e in brief.evidence}
    spans: list[Span] = []
    for ident in ids:
        evidence = by_id[ident]
        if spans:
            spans.append(Span(", "))
        spans.append(Span(f"E{numbers.evidence[ident]}", href=f"#evidence-{ident}"))
        source_number = numbers.source[evidence.source]
        spans.append(Span(f" [{source_number}] {_admiralty(brief, evidence)}"))
    return tuple(spans)


def _admiralty(brief: Brief, evidence: Evidence) -> str:
    source = next(s for s in brief.sources if s.id == evidence.source)
    return f"{source.reliability.value}{int(evidence.credibility)}"


def _stakeholder_table(brief: Brief, numbers: _Numbers, text) -> Table:  # type: ignore[no-untyped-def]
    columns = (
        Column("Stakeholder", 0.17),
        Column("Impact", 0.41),
        Column("Direction", 0.11),
        Column("Magnitude", 0.12),
        Column("Horizon", 0.11),
        Column("Signals", 0.08),
    )
    rows = []
    for stakeholder in brief.stakeholders:
        signal_refs = ", ".join(str(numbers.signal[s]) for s in stakeholder.signals)
        rows.append(
            (
                Cell((Paragraph(text(stakeholder.name), role="table_cell"),)),
                Cell((Paragraph(text(stakeholder.impact), role="table_cell"),)),
                Cell(
                    (Paragraph(plain(stakeholder.direction.label), role="table_cell"),),
                    shade=("direction", stakeholder.direction.value),
                ),
                Cell(_cell_text(stakeholder.magnitude.label if stakeholder.magnitude else "–")),
                Cell(_cell_text(stakeholder.horizon.label if stakeholder.horizon else "–")),
                Cell(_cell_text(signal_refs or "–")),
            )
        )
    return Table(columns, tuple(rows))


def _cell_text(value: str) -> tuple[Paragraph, ...]:
    return (Paragraph(plain(value), role="table_cell"),)


def _question(question: Question, numbers: _Numbers, text) -> ListItem:  # type: ignore[no-untyped-def]
    blocks: list = [
        Paragraph(
            tuple(Span(s.text, True, s.italic, s.code, s.href) for s in text(question.question))
        )
    ]
    if question.why:
        blocks.append(Paragraph(text(question.why), label="Why it matters"))
    if question.changes:
        refs = ", ".join(f"key judgment {numbers.judgment[j]}" for j in question.changes)
        blocks.append(Paragraph(plain(refs[0].upper() + refs[1:]), label="Would change"))
    if question.how:
        blocks.append(Paragraph(text(question.how), label="How to answer"))
    if question.status is QuestionStatus.ANSWERED and question.answer:
        blocks.append(Paragraph(text(question.answer), label="Answer"))
    facts = [f"Priority: {question.priority.label}", f"Status: {question.status.label}"]
    if question.owner:
        facts.insert(0, f"Owner: {question.owner}")
    blocks.append(Paragraph(plain(" · ".join(facts)), role="caption"))
    return ListItem(tuple(blocks), anchor=f"question-{question.id}")


def _source(number: int, source: Source) -> ListItem:
    spans: list[Span] = []
    if source.publisher:
        spans.append(Span(f"{source.publisher}, "))
    spans.append(Span(source.title, italic=True))
    if source.date:
        spans.append(Span(f", {long_date(source.date)}"))
    spans.append(Span(". "))
    if source.url:
        spans.append(Span(source.url, href=source.url))
        spans.append(Span(". "))
    spans.append(Span(f"Reliability {source.reliability.value} ({source.reliability.meaning})."))
    return ListItem((Paragraph(tuple(spans)),), anchor=f"source-{number}")


def _evidence_table(brief: Brief, numbers: _Numbers, text) -> Table:  # type: ignore[no-untyped-def]
    columns = (
        Column("No.", 0.07),
        Column("Source", 0.08),
        Column("Code", 0.07),
        Column("Quote and what it shows", 0.78),
    )
    rows = []
    for evidence in brief.evidence:
        content: list = []
        if evidence.quote:
            content.append(Paragraph(plain(f"“{evidence.quote}”"), role="quote"))
        if evidence.note:
            content.append(Paragraph(text(evidence.note), role="table_cell"))
        rows.append(
            (
                Cell(
                    (
                        Paragraph(
                            plain(f"E{numbers.evidence[evidence.id]}"),
                            role="table_cell",
                            anchor=f"evidence-{evidence.id}",
                        ),
                    )
                ),
                Cell(_cell_text(f"[{numbers.source[evidence.source]}]")),
                Cell(_cell_text(_admiralty(brief, evidence))),
                Cell(tuple(content) or _cell_text("–")),
            )
        )
    return Table(columns, tuple(rows))
