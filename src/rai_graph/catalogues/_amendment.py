"""An amending act as data, and the catalogue layer built from it.

An :class:`AmendmentRecord` lists an act's changes to a framework, one :class:`Change` each, with
the amending provision, what it changes, the sources it rests on and how sure that is. Readers
produce records (today :mod:`rai_graph.catalogues._amendment_2026_1744`, from a secondary-source
file); :func:`resolve` checks a record against the clauses of the amended act, and
:func:`layer_graph` writes the amendment layer: a catalogue file of its own that holds, besides
the ``rai:Amendment`` record and one record per change,

* new dates of application: the clause's default ``rai:appliesFrom`` (for a system whose route
  is not recorded: the earliest, conservative date) and ``rai:application`` nodes by route or
  placing on the market, each naming the amending provision in ``dcterms:source``;
* replaced wording: the original ``rai:text`` moved to ``rai:previousVersion`` (a
  ``rai:TextVersion`` invalidated when the act entered into force). The text of a clause includes
  every clause below it, so an amended point or an inserted paragraph replaces the wording of
  every clause above it too. The wording in force is given as ``rai:text`` only when the record
  has it verbatim; otherwise ``skos:note`` quotes what the sources report;
* new clauses, with their date, and notes on changes reported but not encoded.

Everything the layer changes carries ``rai:verificationStatus`` from the record. The base
catalogue leaves out what the layer replaces (:attr:`ResolvedLayer.redated` dates and
:attr:`ResolvedLayer.superseded` texts), so the union of the two files holds one default date and
at most one text per clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from rai_graph.catalogues._common import SourceDataError, derived_from, new_graph
from rai_graph.catalogues._formex import Clause
from rai_graph.vocab import RAI

Confidence = TypingLiteral["high", "medium-high", "medium", "low"]
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium-high", "medium", "low")

#: Amendment records and their changes live under this base.
AMENDMENTS = Namespace("https://w3id.org/rai-graph/amendment/")


@dataclass(frozen=True, kw_only=True)
class SecondarySource:
    """A passage of a secondary source that a change rests on."""

    key: str
    publisher: str
    title: str
    url: str | None
    quotation: str
    """The passage, exactly as quoted where it was read (``read_in``)."""
    read_in: str
    in_shared_notes: bool
    """Whether the quotation was read in the project's shared source notes (else elsewhere)."""
    licence: str


@dataclass(frozen=True, kw_only=True)
class ClauseSelection:
    """Clauses of the amended act; a named clause brings every clause below it."""

    clauses: tuple[str, ...] = ()
    chapter: str | None = None
    sections: tuple[int, ...] = ()
    """With ``chapter``: every clause of the chapter's articles in these sections."""
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DateOfApplication:
    """One ``rai:application`` node: a date, for a route or for systems placed before a date."""

    applies_from: dt.date
    route: URIRef | None = None
    placed_before: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Change:
    """One change the amending act makes, and what it rests on."""

    key: str
    provision: str
    """The amending provision, e.g. "Art. 1(40)(b) of Regulation (EU) 2026/1744"."""
    amended: str
    """The amended provision, e.g. "Art. 113, third paragraph, point (c)"."""
    what: str
    sources: tuple[str, ...]
    confidence: Confidence
    reasons: str | None = None
    """Why it is encoded as it is, where that needs saying (an inference, conflicting sources)."""


@dataclass(frozen=True, kw_only=True)
class DateChange(Change):
    """New dates of application for some clauses."""

    selection: ClauseSelection
    default: dt.date | None
    """The new default ``rai:appliesFrom`` (None: the clause keeps the one of the base file)."""
    applications: tuple[DateOfApplication, ...]
    date_source: str
    """The act and article that set the dates, as ``dcterms:source`` of each date."""


@dataclass(frozen=True, kw_only=True)
class TextChange(Change):
    """Wording of a clause replaced."""

    clause: str
    new_text: str | None = None
    """The wording in force, only when the reader has it verbatim from the official text."""


@dataclass(frozen=True, kw_only=True)
class NewClause(Change):
    """A clause the amending act inserts."""

    local_name: str
    notation: str
    parent: str | None
    title: str | None = None
    text: str | None = None
    """The official wording, only when the reader has it verbatim."""
    applies_from: dt.date
    date_source: str
    informative: bool


@dataclass(frozen=True, kw_only=True)
class ReportedChange(Change):
    """A change the sources report that the layer does not encode, noted on the clauses it concerns."""

    clauses: tuple[str, ...]
    not_encoded: str
    """Why it is not encoded."""


AmendmentChange = DateChange | TextChange | NewClause | ReportedChange


@dataclass(frozen=True, kw_only=True)
class AmendmentRecord:
    """An amending act and its changes to one framework."""

    key: str
    """Local name of the record under :data:`AMENDMENTS`, e.g. "2026-1744"."""
    title: str
    citation: str
    oj_reference: str
    adopted: dt.date
    published: dt.date
    in_force: dt.date
    verification: URIRef
    status: str
    derived_from: str
    """The vendored file the record was read from, relative to ``frameworks/sources``."""
    record_sources: tuple[str, ...]
    """Sources of the act's identity (number, dates of publication and entry into force)."""
    sources: Mapping[str, SecondarySource]
    changes: tuple[AmendmentChange, ...]

    @property
    def iri(self) -> URIRef:
        return AMENDMENTS[self.key]

    def change_iri(self, change: Change) -> URIRef:
        return AMENDMENTS[f"{self.key}/{change.key}"]


@dataclass
class ResolvedLayer:
    """A record checked against the amended act: which clause each change touches."""

    redated: dict[str, DateChange] = field(default_factory=dict)
    """Clause → the change that sets its default date (the base file leaves its own out)."""
    dated: dict[str, list[DateChange]] = field(default_factory=dict)
    """Clause → every change that gives it dates of application."""
    superseded: dict[str, list[tuple[Change, str | None]]] = field(default_factory=dict)
    """Clause → (change, the amended clause below it or None) for each change to its wording."""
    new_clauses: dict[str, NewClause] = field(default_factory=dict)
    noted: dict[str, list[ReportedChange]] = field(default_factory=dict)


def resolve(record: AmendmentRecord, clauses: Sequence[Clause]) -> ResolvedLayer:
    """Check ``record`` against the act's ``clauses`` and find the clauses each change touches."""
    by_name = {clause.local_name: clause for clause in clauses}
    children: dict[str, list[str]] = {}
    for clause in clauses:
        if clause.parent is not None:
            children.setdefault(clause.parent, []).append(clause.local_name)
    where = f"{record.derived_from}"

    def known(name: str, change: Change) -> str:
        if name not in by_name:
            raise SourceDataError(f"{where}: change {change.key!r} names {name!r}, not a clause of the act")
        return name

    def with_below(name: str) -> list[str]:
        found = [name]
        for child in children.get(name, []):
            found.extend(with_below(child))
        return found

    layer = ResolvedLayer()
    for change in record.changes:
        missing = [key for key in change.sources if key not in record.sources]
        if missing:
            raise SourceDataError(f"{where}: change {change.key!r} cites unknown sources {missing}")
        if isinstance(change, DateChange):
            for name in _select(change, by_name, known, with_below):
                layer.dated.setdefault(name, []).append(change)
                if change.default is not None:
                    if name in layer.redated:
                        raise SourceDataError(
                            f"{where}: {name} gets a default date from both {layer.redated[name].key!r} "
                            f"and {change.key!r}"
                        )
                    layer.redated[name] = change
        elif isinstance(change, TextChange):
            name = known(change.clause, change)
            layer.superseded.setdefault(name, []).append((change, None))
            for ancestor in _ancestors(name, by_name):
                layer.superseded.setdefault(ancestor, []).append((change, name))
        elif isinstance(change, NewClause):
            if change.local_name in by_name or change.local_name in layer.new_clauses:
                raise SourceDataError(f"{where}: new clause {change.local_name} already exists")
            layer.new_clauses[change.local_name] = change
        else:
            for name in change.clauses:
                layer.noted.setdefault(known(name, change), []).append(change)
    for new in layer.new_clauses.values():
        if new.parent is None:
            continue
        if new.parent in layer.new_clauses:
            continue
        parent = known(new.parent, new)
        for above in (parent, *_ancestors(parent, by_name)):
            layer.superseded.setdefault(above, []).append((new, new.local_name))
    return layer


def _select(
    change: DateChange,
    by_name: Mapping[str, Clause],
    known: Callable[[str, Change], str],
    with_below: Callable[[str], list[str]],
) -> list[str]:
    selection = change.selection
    chosen: list[str] = []
    for name in selection.clauses:
        chosen.extend(with_below(known(name, change)))
    if selection.chapter is not None:
        chosen.extend(
            name
            for name, clause in by_name.items()
            if clause.place.chapter == selection.chapter and clause.place.section in selection.sections
        )
    excluded = {below for name in selection.excluded for below in with_below(known(name, change))}
    unique = list(dict.fromkeys(name for name in chosen if name not in excluded))
    if not unique:
        raise SourceDataError(f"change {change.key!r} selects no clause")
    return unique


def _ancestors(name: str, by_name: Mapping[str, Clause]) -> list[str]:
    found: list[str] = []
    parent = by_name[name].parent
    while parent is not None:
        found.append(parent)
        parent = by_name[parent].parent
    return found


# --- The layer ----------------------------------------------------------------------------------


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def layer_graph(
    record: AmendmentRecord,
    clauses: Sequence[Clause],
    *,
    framework: URIRef,
    clause_iri: Callable[[str], URIRef],
) -> Graph:
    """The amendment layer of ``record`` over the act whose ``clauses`` are given."""
    layer = resolve(record, clauses)
    by_name = {clause.local_name: clause for clause in clauses}
    graph = new_graph()
    graph.bind("amendment", AMENDMENTS)
    _add_record(graph, record, framework)
    status = record.verification

    def checked(node: URIRef | BNode) -> None:
        graph.add((node, RAI.verificationStatus, status))

    for name, changes in sorted(layer.dated.items()):
        iri = clause_iri(name)
        checked(iri)
        for change in changes:
            graph.add((iri, SKOS.changeNote, Literal(
                f"Dates of application set by {change.provision} ({change.amended}); "
                f"{record.status}.")))
            applications = list(change.applications)
            if change.default is not None:
                graph.add((iri, RAI.appliesFrom, _date(change.default)))
                restated = DateOfApplication(applies_from=change.default)
                if restated not in applications:
                    applications.insert(0, restated)
            for application in applications:
                node = BNode()
                graph.add((iri, RAI.application, node))
                graph.add((node, RAI.appliesFrom, _date(application.applies_from)))
                if application.route is not None:
                    graph.add((node, RAI.route, application.route))
                if application.placed_before is not None:
                    graph.add((node, RAI.placedBefore, _date(application.placed_before)))
                graph.add((node, DCTERMS.source, Literal(change.date_source)))
                graph.add((node, PROV.wasDerivedFrom, record.change_iri(change)))
                checked(node)

    for name, supersessions in sorted(layer.superseded.items()):
        iri = clause_iri(name)
        checked(iri)
        version = BNode()
        graph.add((iri, RAI.previousVersion, version))
        graph.add((version, RDF.type, RAI.TextVersion))
        graph.add((version, RAI.text, Literal(by_name[name].text)))
        graph.add((version, PROV.invalidatedAtTime, _date(record.in_force)))
        checked(version)
        new_text: str | None = None
        for cause, below in supersessions:
            graph.add((version, DCTERMS.source, Literal(cause.provision)))
            graph.add((version, PROV.wasDerivedFrom, record.change_iri(cause)))
            if below is None and isinstance(cause, TextChange):
                new_text = cause.new_text
                graph.add((iri, SKOS.changeNote, Literal(
                    f"Wording replaced by {cause.provision} ({cause.amended}): {cause.what}")))
                if new_text is None:
                    graph.add((iri, SKOS.note, Literal(_reported(record, cause))))
            elif below is not None:
                notation = (
                    by_name[below].notation if below in by_name else layer.new_clauses[below].notation
                )
                graph.add((iri, SKOS.changeNote, Literal(
                    f"Wording replaced: it includes {notation}, which {cause.provision} "
                    f"{'inserts' if isinstance(cause, NewClause) else 'amends'}.")))
        if new_text is not None:
            graph.add((iri, RAI.text, Literal(new_text)))
        else:
            graph.add((iri, SKOS.changeNote, Literal(
                "The wording in force is not quoted in full by any available source, so this clause "
                "has no rai:text until the official text of the amending act is vendored; the "
                "replaced wording is its rai:previousVersion.")))

    for name, new in sorted(layer.new_clauses.items()):
        _add_new_clause(graph, record, new, framework, clause_iri)
        checked(clause_iri(name))

    for name, reported in sorted(layer.noted.items()):
        for note in reported:
            graph.add((clause_iri(name), SKOS.note, Literal(
                f"Reported change, not encoded ({note.provision}, {note.amended}): {note.what} "
                f"Not encoded because {note.not_encoded} {_reported(record, note)}")))
    return graph


def _reported(record: AmendmentRecord, change: Change) -> str:
    quoted = "; ".join(
        f"{source.publisher}, {source.title}{f' <{source.url}>' if source.url else ''}: “{source.quotation}”"
        for source in (record.sources[key] for key in change.sources)
    )
    return f"As reported (secondary sources, not the official text; {record.status}): {quoted}"


def _add_record(graph: Graph, record: AmendmentRecord, framework: URIRef) -> None:
    iri = record.iri
    graph.add((iri, RDF.type, RAI.Amendment))
    graph.add((iri, RAI.amends, framework))
    graph.add((iri, DCTERMS.title, Literal(record.title)))
    graph.add((iri, DCTERMS.bibliographicCitation, Literal(record.citation)))
    graph.add((iri, DCTERMS.source, Literal(record.oj_reference)))
    graph.add((iri, DCTERMS.date, _date(record.adopted)))
    graph.add((iri, DCTERMS.issued, _date(record.published)))
    graph.add((iri, RAI.inForceFrom, _date(record.in_force)))
    graph.add((iri, RAI.verificationStatus, record.verification))
    graph.add((iri, SKOS.note, Literal(
        f"Encoded from secondary sources, {record.status}: the official text was not available. "
        "Each change below names its amending provision, the sources it rests on and how sure "
        "they are.")))
    graph.add((iri, PROV.wasDerivedFrom, derived_from(record.derived_from)))
    for key in record.record_sources:
        _cite(graph, iri, record.sources[key])
    graph.add((iri, DCTERMS.rights, Literal(
        "Encoding by the rai-graph contributors; quotations are attributed to their sources; the "
        "EU legal text is © European Union, https://eur-lex.europa.eu/")))
    for change in record.changes:
        _add_change(graph, record, change)


def _cite(graph: Graph, subject: URIRef, source: SecondarySource) -> None:
    if source.url is not None:
        graph.add((subject, PROV.wasDerivedFrom, URIRef(source.url)))
    graph.add((subject, SKOS.note, Literal(
        f"Source: {source.publisher}, {source.title}{f' <{source.url}>' if source.url else ''} "
        f"(read in {source.read_in}): “{source.quotation}”")))


def _add_change(graph: Graph, record: AmendmentRecord, change: AmendmentChange) -> None:
    iri = record.change_iri(change)
    graph.add((iri, RDF.type, PROV.Entity))
    graph.add((iri, DCTERMS.isPartOf, record.iri))
    graph.add((iri, DCTERMS.source, Literal(change.provision)))
    graph.add((iri, DCTERMS.description, Literal(f"{change.amended}: {change.what}")))
    graph.add((iri, SKOS.note, Literal(f"Confidence: {change.confidence}. Status: {record.status}.")))
    if change.reasons is not None:
        graph.add((iri, SKOS.note, Literal(change.reasons)))
    if isinstance(change, ReportedChange):
        graph.add((iri, SKOS.note, Literal(f"Not encoded because {change.not_encoded}")))
    for key in change.sources:
        _cite(graph, iri, record.sources[key])


def _add_new_clause(
    graph: Graph,
    record: AmendmentRecord,
    new: NewClause,
    framework: URIRef,
    clause_iri: Callable[[str], URIRef],
) -> None:
    iri = clause_iri(new.local_name)
    graph.add((iri, RDF.type, RAI.Requirement))
    graph.add((iri, SKOS.inScheme, framework))
    graph.add((iri, SKOS.notation, Literal(new.notation)))
    graph.add((iri, DCTERMS.source, Literal(f"{new.provision} ({record.oj_reference})")))
    graph.add((iri, PROV.wasDerivedFrom, derived_from(record.derived_from)))
    graph.add((iri, PROV.wasDerivedFrom, record.change_iri(new)))
    if new.parent is None:
        graph.add((iri, SKOS.topConceptOf, framework))
        graph.add((framework, SKOS.hasTopConcept, iri))
    else:
        graph.add((iri, SKOS.broader, clause_iri(new.parent)))
    if new.title is not None:
        graph.add((iri, DCTERMS.title, Literal(new.title)))
    if new.text is not None:
        graph.add((iri, RAI.text, Literal(new.text)))
    else:
        graph.add((iri, SKOS.note, Literal(_reported(record, new))))
    if new.informative:
        graph.add((iri, RAI.informative, Literal(True)))
    graph.add((iri, SKOS.changeNote, Literal(f"Inserted by {new.provision} ({new.amended}): {new.what}")))
    graph.add((iri, RAI.appliesFrom, _date(new.applies_from)))
    node = BNode()
    graph.add((iri, RAI.application, node))
    graph.add((node, RAI.appliesFrom, _date(new.applies_from)))
    graph.add((node, DCTERMS.source, Literal(new.date_source)))
    graph.add((node, PROV.wasDerivedFrom, record.change_iri(new)))
    graph.add((node, RAI.verificationStatus, record.verification))
