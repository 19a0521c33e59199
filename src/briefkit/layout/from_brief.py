"""The layout pass: decide once what a brief's documents contain, and in what order.

Both renderers take the Document built here, so the PDF and the Word file say the same thing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from briefkit.brief.model import Brief, Evidence, Judgment, Question, Signal, Source
from briefkit.brief.parts import BY_NAME, PARTS
from briefkit.brief.vocab import Confidence, Horizon, Likelihood, QuestionStatus, Status, Vocabulary
from briefkit.checks.citations import CITATION
from briefkit.i18n import Words, words_for
from briefkit.layout.document import (
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
from briefkit.layout.inline import parse_inline
from briefkit.layout.longtext import split_long_paragraphs
from briefkit.layout.quotes import quoted, typeset_document

# What a table cell prints for a field with no value (and absorb reads back as none).
EMPTY_CELL = "–"
# the anchor of the "What changed" box, which says nothing of the brief's own
CHANGES_ANCHOR = "changes"
# Columns as message keys and shares of the width.
STAKEHOLDER_COLUMNS = (
    ("stakeholders.name", 0.17),
    ("stakeholders.impact", 0.41),
    ("stakeholders.direction", 0.11),
    ("stakeholders.magnitude", 0.12),
    ("stakeholders.horizon", 0.11),
    ("stakeholders.signals", 0.08),
)
EVIDENCE_COLUMNS = (
    ("evidence.number", 0.07),
    ("evidence.source", 0.08),
    ("evidence.code", 0.07),
    ("evidence.quote", 0.78),
)


@dataclass(frozen=True)
class ChangesSince:
    """What changed in the brief since an earlier revision, for a box on page one."""

    revision: str  # as the user named it, with its commit: "v1.0" or "HEAD~3, 1f559a6"
    lines: tuple[str, ...]  # sentences; empty when nothing changed in meaning
    new: bool = False  # the brief did not exist at that revision
    old_version: str | None = None  # the brief's version and date at that revision
    old_date: dt.date | None = None
    notes: tuple[str | None, ...] = ()  # the change_note printed beside each line, if any


def uses_estimative_language(brief: Brief) -> bool:
    """Whether anything in *brief* carries a likelihood or a confidence (then the legend of
    the ICD 203 terms is printed)."""
    rated: tuple[Judgment | Signal, ...] = (*brief.summary.judgments, *brief.signals)
    return any(part.likelihood or part.confidence for part in rated)


def layout(
    brief: Brief,
    words: Words | None = None,
    *,
    revision: str | None = None,
    changes: ChangesSince | None = None,
    portion_marks: bool = False,
) -> Document:
    """The document of *brief*, its fixed words in *words* (by default the catalogue of the
    brief's language); with *portion_marks*, each marked part's marking in front of it."""
    laid = _Layout(brief, words or words_for(brief.language), revision, changes)
    laid.portion_marks = portion_marks
    return laid.document()


# Word keeps at most 255 characters of a document property (and refuses to save more).
def property_plain_text(text: str) -> str:
    """*text* as a document property shows it: without markup and without citation markers
    ("[1]" means nothing outside the document)."""
    stripped = re.sub(r"\s*" + CITATION.pattern, "", text)
    return " ".join(inline_text(parse_inline(stripped)).split())


def _cell_text(value: str, field: str | None = None) -> Cell:
    return Cell((Paragraph((Span(value, field=field),), role="table_cell"),))


def likelihood_range(words: Words, term: Likelihood) -> str:
    """ "55–80%" as the reader writes it."""
    low, high = (words.number(bound.rstrip("%")) for bound in term.range.split("–"))
    return words("likelihood.range", low=low, high=high)


def chip_text(words: Words, term: Vocabulary) -> str:
    """What a chip prints for *term*: "Likely (55–80%)", "Moderate confidence". ``briefkit
    absorb`` reads chips back through this function."""
    if isinstance(term, Likelihood):
        return words("chip.likelihood", term=words.term(term), range=likelihood_range(words, term))
    if isinstance(term, Horizon):
        return words("chip.horizon", term=words.term(term), meaning=words.meaning(term))
    return words.term(term)


def term_text(words: Words, term: Vocabulary) -> str:
    """How a table cell or a caption prints a vocabulary term: "Negative", "Near term"."""
    return words.term(term)


def _chip(words: Words, kind: str, term: Vocabulary, field: str) -> Tag:
    return Tag(chip_text(words, term), kind, term, field=field)


def _estimate_tags(
    words: Words, likelihood: Likelihood | None, confidence: Confidence | None, path: str
) -> list[Tag]:
    return [
        _chip(words, kind, term, f"{path}.{kind}")
        for term, kind in ((likelihood, "likelihood"), (confidence, "confidence"))
        if term
    ]


class _Layout:
    """Numbers every part of one brief and lays it out, resolving references as it goes."""

    portion_marks = False

    def mark(self, part: Any) -> Inline:
        """ "(TLP:AMBER) " in front of a portion, when the style sheet asks for marks."""
        handling = getattr(part, "handling", None)
        if not self.portion_marks or not handling:
            return ()
        return (Span(f"({handling}) ", bold=True),)

    def __init__(
        self, brief: Brief, words: Words, revision: str | None, changes: ChangesSince | None
    ) -> None:
        self.brief = brief
        self.words = words
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
        # how a cross-reference names a part by its number: every numbered part not cited "[n]"
        self.numbered = {
            item.id: (part.name, number)
            for part in PARTS
            if part.label and not part.cited
            for number, item in enumerate(part.items(brief), 1)
        }
        self.anchor = {
            item.id: part.anchor_of(item.id)
            for part in PARTS
            if not part.cited
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

    def spans(self, key: str, fields: Mapping[str, str | None], **values: str) -> Inline:
        """Message *key* as spans, each placeholder filled with *values* and marked as the
        brief field *fields* names for it (for ``briefkit absorb``)."""
        template = self.words.messages[key]
        out: list[Span] = []
        for literal, name, _, _ in string.Formatter().parse(template):
            if literal:
                out.append(Span(self.words.number(literal)))
            if name:
                out.append(Span(values[name], field=fields.get(name)))
        return tuple(out)

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
                spans.append(Span(self.separator))
            spans.append(Span(self.cross_reference(ident), href=f"#{self.anchor[ident]}"))
        if numbers:
            if spans:
                spans.append(Span(" "))
            label = f"[{self.separator.join(map(self.words.number, numbers))}]"
            spans.append(Span(label, href=f"#{BY_NAME['source'].anchor_of('', numbers[0])}"))
        return tuple(spans)

    @property
    def separator(self) -> str:
        """Between the items of a list: ", ", Arabic "، ", Chinese "、"."""
        return self.words("list.separator")

    @property
    def revision_text(self) -> str:
        """The brief's git revision as printed: "1a2b3c4", "1a2b3c4+dirty", "uncommitted"."""
        from briefkit.versions.git import UNCOMMITTED

        revision = self.revision or ""
        if revision == UNCOMMITTED:
            return self.words("revision.uncommitted")
        if revision.endswith("+dirty"):
            return self.words("revision.edited", revision=revision.removesuffix("+dirty"))
        return revision

    def cross_reference(self, ident: str) -> str:
        """How the text names the part *ident*: "key judgment 2"; a stakeholder by its name."""
        if ident in self.numbered:
            name, number = self.numbered[ident]
            return self.words(f"part.{name}.numbered", n=self.words.number(number))
        return self.stakeholder_name[ident]

    def short_reference(self, ident: str) -> str:
        """A part named in a list of them: "KJ2" for a judgment, else as the text names it."""
        if ident in self.judgment_number:
            number = self.words.number(self.judgment_number[ident])
            return self.words("reference.judgment.short", n=number)
        return self.cross_reference(ident)

    def admiralty(self, evidence: Evidence) -> str:
        source = self.sources[evidence.source]
        return f"{source.reliability.value}{self.words.number(int(evidence.credibility))}"

    # --- the document ---------------------------------------------------------------------

    def document(self) -> Document:
        brief = self.brief
        blocks: list[Block] = [self.title_block(), self.summary()]
        words = self.words
        if uses_estimative_language(brief):  # beside the judgments it explains
            blocks.append(Paragraph(plain(self.likelihood_legend()), role="caption"))
        if self.changes is not None:
            blocks.append(self.changes_box(self.changes))
        if brief.signals:
            blocks.append(Heading(1, plain(words(BY_NAME["signal"].heading_key)), "signals"))
            if any(signal.evidence for signal in brief.signals):  # a key to "E3 [1] C2"
                blocks.append(Paragraph(self.spans("legend.evidence", {}), role="caption"))
            blocks += [self.signal(n, s) for n, s in enumerate(brief.signals, 1)]
        if brief.stakeholders:
            blocks.append(
                Heading(1, plain(words(BY_NAME["stakeholder"].heading_key)), "stakeholders")
            )
            blocks.append(self.stakeholder_table())
        if brief.questions:
            blocks.append(Heading(1, plain(words(BY_NAME["question"].heading_key)), "questions"))
            items = tuple(self.question(n, q) for n, q in enumerate(brief.questions))
            blocks.append(NumberedList(items))
        if brief.sources:
            blocks.append(Heading(1, plain(words(BY_NAME["source"].heading_key)), "sources"))
            # the key to the codes before what they grade: never a page of its own at the end
            blocks.append(Paragraph(plain(words("legend.admiralty")), role="caption"))
            items = tuple(self.source(n, s) for n, s in enumerate(brief.sources, 1))
            blocks.append(NumberedList(items, prefix="[", suffix="]"))
            if brief.evidence:
                blocks.append(Heading(2, plain(words(BY_NAME["evidence"].heading_key)), "evidence"))
                blocks.append(self.evidence_table())
        blocks.append(Paragraph(plain(self.colophon()), role="caption"))
        document = Document(metadata=self.metadata(), blocks=split_long_paragraphs(tuple(blocks)))
        return typeset_document(document)  # quotation marks as the reader's language writes them

    def colophon(self) -> str:
        """One quiet line at the end: the brief's id, version and source revision, for
        whoever traces a copy back to its source (the document properties say it too)."""
        words = self.words
        revision = words("footer.revision", revision=self.revision_text) if self.revision else ""
        version = words("footer.version", version=self.brief.version)
        return " · ".join(part for part in (self.brief.id, version, revision) if part)

    def likelihood_legend(self) -> str:
        terms = self.separator.join(
            f"{self.words.term(t)} ({likelihood_range(self.words, t)})" for t in Likelihood
        )
        return self.words("legend.likelihood", terms=terms)

    def metadata(self) -> Metadata:
        brief = self.brief
        words = self.words
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
            status=words.term(brief.status),
            draft=draft,
            handling=brief.handling,
            tlp=brief.tlp.value if brief.tlp else None,
            # what a reader needs on every page; where the brief came from is in the
            # document's properties and the colophon at its end
            footer=" · ".join(
                part
                for part in (
                    words("footer.version", version=brief.version),
                    words("mark.draft") if draft else "",
                )
                if part
            ),
            revision=self.revision,
            direction=words.direction,
            page_label=words.messages["footer.page"],  # filled in on every page
            draft_mark=words("mark.draft"),
            category=words("document.category"),
            handling_label=words("banner.handling"),
            digits=words.digits,
        )

    def title_block(self) -> TitleBlock:
        brief = self.brief
        words = self.words
        fields = [
            ("title.date", words.date(brief.date)),
            ("title.version", f"{brief.version} · {words.term(brief.status)}"),
        ]
        if brief.cutoff:
            fields.append(("title.cutoff", words.date(brief.cutoff)))
        marks: dict[int, str] = {}
        if brief.authors:
            fields.append(("title.authors", self.separator.join(brief.authors)))
        if brief.audience:
            marks[len(fields)] = "audience"
            fields.append(("title.audience", brief.audience))
        if brief.handling:
            marks[len(fields)] = "handling"
            fields.append(("title.handling", brief.handling))
        labelled = tuple((words(key), value) for key, value in fields)
        return TitleBlock(
            brief.title,
            brief.subtitle,
            labelled,
            title_field="title",
            subtitle_field="subtitle" if brief.subtitle else None,
            field_marks=tuple(marks.get(n) for n in range(len(fields))),
        )

    def changes_box(self, changes: ChangesSince) -> Callout:
        words = self.words
        if changes.new:
            blocks: tuple[Block, ...] = (Paragraph(plain(words("changes.new"))),)
        elif not changes.lines:
            blocks = (Paragraph(plain(words("changes.none"))),)
        else:
            blocks = (
                BulletList(tuple(self.change_line(changes, n) for n in range(len(changes.lines)))),
            )
        footnote = words("changes.footnote", revision=changes.revision)
        blocks += (Paragraph(plain(footnote), role="caption"),)
        # named the way the brief names itself, not the way git does
        if changes.old_version is None or changes.old_date is None:
            title = words("changes.title")
        else:
            old_date = words.date(changes.old_date)
            title = words("changes.since", version=changes.old_version, date=old_date)
        return Callout(title, blocks, anchor=CHANGES_ANCHOR)

    def change_line(self, changes: ChangesSince, index: int) -> Inline:
        """One change, with the analyst's change_note beside it."""
        note = changes.notes[index] if index < len(changes.notes) else None
        line = plain(changes.lines[index])
        if note is None:
            return line
        return (*line, Span(f" {self.words('changes.why')} ", bold=True), *self.text(note))

    def summary(self) -> Callout:
        summary = self.brief.summary
        bluf = (*self.mark(summary), *self.text(summary.bluf, "summary.bluf"))
        blocks: list[Block] = [Paragraph(bluf)]
        if summary.judgments:
            blocks.append(Paragraph(plain(self.words("summary.judgments")), role="label"))
            items = []
            for index, judgment in enumerate(summary.judgments):
                path = f"summary.judgments.{index}"
                text = (*self.mark(judgment), *self.text(judgment.text, f"{path}.text"))
                parts: list[Block] = [Paragraph(text)]
                tags = _estimate_tags(self.words, judgment.likelihood, judgment.confidence, path)
                if tags:
                    parts.append(TagLine(tuple(tags)))
                items.append(ListItem(tuple(parts), anchor=self.anchor[judgment.id]))
            blocks.append(NumberedList(tuple(items)))
        return Callout(self.words("summary.title"), tuple(blocks), anchor="summary")

    def signal(self, number: int, signal: Signal) -> Group:
        words = self.words
        path = f"signals.{number - 1}"
        tags = _estimate_tags(words, signal.likelihood, signal.confidence, path)
        if signal.horizon:
            tags.append(_chip(words, "horizon", signal.horizon, f"{path}.horizon"))
        if signal.trend:
            tags.append(_chip(words, "trend", signal.trend, f"{path}.trend"))
        blocks: list[Block] = [
            Heading(
                2,
                (*self.mark(signal), *self.text(signal.title, f"{path}.title")),
                self.anchor[signal.id],
                number=number,
                number_text=words.number(number),
            )
        ]
        if tags:
            blocks.append(TagLine(tuple(tags)))
        observation = self.text(signal.observation, f"{path}.observation")
        blocks.append(Paragraph(observation, label=words("signal.observed")))
        interpretation = self.text(signal.interpretation, f"{path}.interpretation")
        blocks.append(Paragraph(interpretation, label=words("signal.assessment")))
        if signal.indicators:
            blocks.append(Paragraph(plain(words("signal.indicators")), role="label"))
            items = (
                self.text(item, f"{path}.indicators.{n}")
                for n, item in enumerate(signal.indicators)
            )
            blocks.append(BulletList(tuple(items)))
        if signal.evidence:
            refs = self.evidence_references(signal.evidence)
            blocks.append(Paragraph(refs, role="caption", label=words("signal.evidence")))
        return Group(tuple(blocks))

    def evidence_references(self, ids: list[str]) -> Inline:
        """ "E1 [1] C3, E4 [1] C2": evidence numbers, their sources and Admiralty codes."""
        spans: list[Span] = []
        for ident in ids:
            evidence = self.evidence[ident]
            if spans:
                spans.append(Span(self.separator))
            label = self.evidence_label(ident)
            spans.append(Span(label, href=f"#{BY_NAME['evidence'].anchor_of(ident)}"))
            source = self.words.number(self.source_number[evidence.source])
            spans.append(Span(f" [{source}] {self.admiralty(evidence)}"))
        return tuple(spans)

    def evidence_label(self, ident: str) -> str:
        return self.words("reference.evidence", n=self.words.number(self.evidence_number[ident]))

    def stakeholder_table(self) -> Table:
        """One row per stakeholder; a column nobody has a value for is left out, its width
        going to the impact."""
        words = self.words
        rows = []
        for index, stakeholder in enumerate(self.brief.stakeholders):
            path = f"stakeholders.{index}"
            signals = self.separator.join(
                words.number(self.signal_number[s]) for s in stakeholder.signals
            )
            direction = Cell(
                _cell_text(term_text(words, stakeholder.direction), f"{path}.direction").blocks,
                shade=("direction", stakeholder.direction.value),
            )
            name = (*self.mark(stakeholder), *self.text(stakeholder.name, f"{path}.name"))
            impact = self.text(stakeholder.impact, f"{path}.impact")
            magnitude, horizon = stakeholder.magnitude, stakeholder.horizon
            rows.append(
                (
                    Cell((Paragraph(name, role="table_cell"),)),
                    Cell((Paragraph(impact, role="table_cell"),)),
                    direction,
                    _cell_text(
                        term_text(words, magnitude) if magnitude else EMPTY_CELL,
                        f"{path}.magnitude",
                    ),
                    _cell_text(
                        term_text(words, horizon) if horizon else EMPTY_CELL, f"{path}.horizon"
                    ),
                    _cell_text(signals or EMPTY_CELL, f"{path}.signals"),
                )
            )
        stakeholders = self.brief.stakeholders
        filled = {
            "stakeholders.magnitude": any(s.magnitude for s in stakeholders),
            "stakeholders.horizon": any(s.horizon for s in stakeholders),
            "stakeholders.signals": any(s.signals for s in stakeholders),
        }
        keep = [i for i, (key, _) in enumerate(STAKEHOLDER_COLUMNS) if filled.get(key, True)]
        spare = sum(width for i, (_, width) in enumerate(STAKEHOLDER_COLUMNS) if i not in keep)
        columns = tuple(
            Column(words(key), width + (spare if key == "stakeholders.impact" else 0.0))
            for i, (key, width) in enumerate(STAKEHOLDER_COLUMNS)
            if i in keep
        )
        return Table(columns, tuple(tuple(row[i] for i in keep) for row in rows))

    def question(self, index: int, question: Question) -> ListItem:
        words = self.words
        path = f"questions.{index}"
        title = tuple(
            replace(s, bold=True) for s in self.text(question.question, f"{path}.question")
        )
        blocks: list[Block] = [Paragraph((*self.mark(question), *title))]
        if question.why:
            why = self.text(question.why, f"{path}.why")
            blocks.append(Paragraph(why, label=words("question.why")))
        if question.changes:
            refs: list[Span] = []
            for ident in question.changes:
                refs += [Span(self.separator)] if refs else []
                refs.append(Span(self.short_reference(ident), href=f"#{self.anchor[ident]}"))
            first = refs[0]
            refs[0] = replace(first, text=first.text[0].upper() + first.text[1:])
            blocks.append(Paragraph(tuple(refs), label=words("question.changes")))
        if question.how:
            how = self.text(question.how, f"{path}.how")
            blocks.append(Paragraph(how, label=words("question.how")))
        if question.status is QuestionStatus.ANSWERED and question.answer:
            answer = self.text(question.answer, f"{path}.answer")
            blocks.append(Paragraph(answer, label=words("question.answer")))
        facts = [
            self.spans(
                "question.priority",
                {"term": f"{path}.priority"},
                term=term_text(words, question.priority),
            ),
            self.spans(
                "question.status",
                {"term": f"{path}.status"},
                term=term_text(words, question.status),
            ),
        ]
        if question.owner:
            owner = {"name": f"{path}.owner"}
            facts.insert(0, self.spans("question.owner", owner, name=question.owner))
        spans: list[Span] = []
        for fact in facts:
            spans += [Span(" · ")] if spans else []
            spans += fact
        blocks.append(Paragraph(tuple(spans), role="caption"))
        return ListItem(tuple(blocks), anchor=self.anchor[question.id])

    def source(self, number: int, source: Source) -> ListItem:
        path = f"sources.{number - 1}"
        spans: list[Span] = list(self.mark(source))
        if source.publisher:
            spans += [Span(source.publisher, field=f"{path}.publisher"), Span(self.separator)]
        spans.append(Span(source.title, italic=True, field=f"{path}.title"))
        if source.date:
            spans.append(Span(f"{self.separator}{self.words.date(source.date)}"))
        spans.append(Span(". "))
        if source.url:
            url = Span(source.url, href=source.url, field=f"{path}.url")
            spans += [url, Span(". ")]
        reliability = source.reliability
        meaning = self.words(f"reliability.{reliability.value}.meaning")
        spans += self.spans(
            "source.reliability",
            {"code": f"{path}.reliability"},
            code=reliability.value,
            meaning=meaning,
        )
        return ListItem((Paragraph(tuple(spans)),), anchor=BY_NAME["source"].anchor_of("", number))

    def evidence_table(self) -> Table:
        rows = []
        for index, evidence in enumerate(self.brief.evidence):
            path = f"evidence.{index}"
            content: list[Paragraph] = []
            if evidence.quote:
                # one span with its quotation marks (the quote's language's), which then take
                # the quote's direction
                quote = quoted(evidence.quote, self.brief.language)
                content.append(Paragraph((Span(quote, field=f"{path}.quote"),), role="quote"))
            if evidence.note:
                note = self.text(evidence.note, f"{path}.note")
                content.append(Paragraph(note, role="table_cell"))
            if self.mark(evidence):  # in front of what the evidence says
                first = content[0] if content else Paragraph((), role="table_cell")
                marked = replace(first, text=(*self.mark(evidence), *first.text))
                content[:1] = [marked]
            number = Paragraph(
                plain(self.evidence_label(evidence.id)),
                role="table_cell",
                anchor=BY_NAME["evidence"].anchor_of(evidence.id),
            )
            rows.append(
                (
                    Cell((number,)),
                    _cell_text(f"[{self.words.number(self.source_number[evidence.source])}]"),
                    _cell_text(self.admiralty(evidence)),
                    Cell(tuple(content)) if content else _cell_text(EMPTY_CELL),
                )
            )
        columns = tuple(Column(self.words(key), width) for key, width in EVIDENCE_COLUMNS)
        return Table(columns, tuple(rows))
