"""Regulation (EU) 2026/1744 ("Digital Omnibus on AI") as an :class:`AmendmentRecord`.

The Official Journal text of 2026/1744 is not vendored, so this reader builds the record from the
project's own secondary-source file ``eu-ai-act/amendment-2026-1744/changes.toml`` (TOML, read
with :mod:`tomllib`): every change names its amending provision, the passages of secondary sources
it rests on, a confidence and the status "to be verified against the OJ"; the record's
verification status is ``rai:ToBeVerified``.

This module is the only place that knows where the record comes from. Once the OJ Formex XML of
2026/1744 is vendored, replace it by a reader of that XML with the same :func:`read_amendment`
signature: it returns the same record, with ``rai:VerifiedAgainstOfficialText``, the amended
wording verbatim (``TextChange.new_text``, ``NewClause.text``) and the amending articles as
sources, and the catalogue build, the base file and the layer follow without other changes
(see ``frameworks/sources/eu-ai-act/amendment-2026-1744/SOURCE.md``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from rai_graph.catalogues._amendment import (
    CONFIDENCES,
    AmendmentChange,
    AmendmentRecord,
    ClauseSelection,
    Confidence,
    DateChange,
    DateOfApplication,
    NewClause,
    ReportedChange,
    SecondarySource,
    TextChange,
)
from rai_graph.catalogues._common import SourceDataError, as_list, as_mapping, field_str, field_str_list, source_path
from rai_graph.vocab import RAI

CHANGES_FILE = "eu-ai-act/amendment-2026-1744/changes.toml"
STATUS = "to be verified against the OJ"
ROUTES = {"AnnexIRoute": RAI.AnnexIRoute, "AnnexIIIRoute": RAI.AnnexIIIRoute}
#: Where a quotation was read (``read_in`` in the file), spelled out.
READ_IN = {
    "shared-notes": (
        "the shared source notes on Regulation (EU) 2026/1744 (eu-ai-act/amendment-2026-1744/SOURCE.md "
        "of the project's source data, gathered 2026-12-03)"
    ),
    "stored-snapshot": (
        "a stored snapshot of ThomasMoreAI/legal-skills-open at commit "
        "3dd1e52b653ce3741ca1375dd1dd3761c5cf9c0a (a passage the shared notes do not quote)"
    ),
}


class _CommonFields(TypedDict):
    key: str
    provision: str
    amended: str
    what: str
    sources: tuple[str, ...]
    confidence: Confidence
    reasons: str | None


def read_amendment(sources: Path) -> AmendmentRecord:
    """The record of Regulation (EU) 2026/1744, from the vendored secondary-source file."""
    path = source_path(sources, CHANGES_FILE)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SourceDataError(f"{path}: not valid TOML: {error}") from error
    where = str(path)
    head = as_mapping(document.get("amendment"), f"{where}: [amendment]")
    status = field_str(head, "status", f"{where}: [amendment]")
    if status != STATUS:
        raise SourceDataError(f"{where}: [amendment] status must be {STATUS!r}, found {status!r}")
    table = as_mapping(document.get("sources"), f"{where}: [sources]")
    secondary = {
        key: _source(key, as_mapping(entry, f"{where}: [sources.{key}]"), where) for key, entry in table.items()
    }
    changes = tuple(
        _change(as_mapping(entry, f"{where}: [[change]] {number}"), f"{where}: [[change]] {number}")
        for number, entry in enumerate(as_list(document.get("change"), f"{where}: [[change]]"), start=1)
    )
    keys = [change.key for change in changes]
    if len(keys) != len(set(keys)):
        raise SourceDataError(f"{where}: repeated change keys")
    return AmendmentRecord(
        key=field_str(head, "key", where),
        title=field_str(head, "title", where),
        citation=field_str(head, "citation", where),
        oj_reference=field_str(head, "oj_reference", where),
        adopted=_day(head, "adopted", where),
        published=_day(head, "published", where),
        in_force=_day(head, "in_force", where),
        verification=RAI.ToBeVerified,
        status=status,
        derived_from=CHANGES_FILE,
        record_sources=tuple(field_str_list(head, "sources", where)),
        sources=secondary,
        changes=changes,
    )


def _source(key: str, entry: Mapping[str, object], where: str) -> SecondarySource:
    read_in = field_str(entry, "read_in", f"{where}: [sources.{key}]")
    if read_in not in READ_IN:
        raise SourceDataError(f"{where}: [sources.{key}] read_in must be one of {sorted(READ_IN)}")
    url = entry.get("url")
    if url is not None and not isinstance(url, str):
        raise SourceDataError(f"{where}: [sources.{key}] url must be a string")
    return SecondarySource(
        key=key,
        publisher=field_str(entry, "publisher", where),
        title=field_str(entry, "title", where),
        url=url,
        quotation=field_str(entry, "quotation", where),
        read_in=READ_IN[read_in],
        in_shared_notes=read_in == "shared-notes",
        licence=field_str(entry, "licence", where),
    )


def _change(entry: Mapping[str, object], where: str) -> AmendmentChange:
    if field_str(entry, "status", where) != STATUS:
        raise SourceDataError(f"{where}: status must be {STATUS!r}")
    confidence = field_str(entry, "confidence", where)
    if confidence not in CONFIDENCES:
        raise SourceDataError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}")
    reasons = entry.get("reasons")
    if reasons is not None and not isinstance(reasons, str):
        raise SourceDataError(f"{where}: reasons must be a string")
    common = _CommonFields(
        key=field_str(entry, "key", where),
        provision=field_str(entry, "provision", where),
        amended=field_str(entry, "amended", where),
        what=field_str(entry, "what", where),
        sources=tuple(field_str_list(entry, "sources", where)),
        confidence=confidence,
        reasons=reasons,
    )
    if not common["sources"]:
        raise SourceDataError(f"{where}: a change must rest on at least one source")
    kind = field_str(entry, "kind", where)
    if kind == "dates":
        select = as_mapping(entry.get("select"), f"{where}: select")
        return DateChange(
            **common,
            selection=ClauseSelection(
                clauses=tuple(field_str_list(select, "clauses", where)) if "clauses" in select else (),
                chapter=field_str(select, "chapter", where) if "chapter" in select else None,
                sections=tuple(_ints(select.get("sections", []), where)),
                excluded=tuple(field_str_list(select, "excluded", where)) if "excluded" in select else (),
            ),
            default=_day(entry, "default", where) if "default" in entry else None,
            applications=tuple(
                _application(as_mapping(item, f"{where}: applications"), where)
                for item in as_list(entry.get("applications"), f"{where}: applications")
            ),
            date_source=field_str(entry, "date_source", where),
        )
    if kind == "text":
        return TextChange(**common, clause=field_str(entry, "clause", where))
    if kind == "clause":
        informative = entry.get("informative")
        if not isinstance(informative, bool):
            raise SourceDataError(f"{where}: informative must be true or false")
        return NewClause(
            **common,
            local_name=field_str(entry, "local_name", where),
            notation=field_str(entry, "notation", where),
            parent=field_str(entry, "parent", where) if "parent" in entry else None,
            applies_from=_day(entry, "applies_from", where),
            date_source=field_str(entry, "date_source", where),
            informative=informative,
        )
    if kind == "reported":
        return ReportedChange(
            **common,
            clauses=tuple(field_str_list(entry, "clauses", where)),
            not_encoded=field_str(entry, "not_encoded", where),
        )
    raise SourceDataError(f"{where}: unknown kind {kind!r} (dates, text, clause or reported)")


def _application(item: Mapping[str, object], where: str) -> DateOfApplication:
    route = item.get("route")
    if route is not None and route not in ROUTES:
        raise SourceDataError(f"{where}: route must be one of {sorted(ROUTES)}, found {route!r}")
    return DateOfApplication(
        applies_from=_day(item, "applies_from", where),
        route=ROUTES[route] if isinstance(route, str) else None,
        placed_before=_day(item, "placed_before", where) if "placed_before" in item else None,
    )


def _day(record: Mapping[str, object], key: str, where: str) -> dt.date:
    value = record.get(key)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise SourceDataError(f"{where}: {key} must be a TOML date such as 2027-12-02, found {value!r}")
    return value


def _ints(value: object, where: str) -> list[int]:
    items = as_list(value, f"{where}: sections")
    if not all(isinstance(item, int) for item in items):
        raise SourceDataError(f"{where}: sections must be numbers")
    return [int(str(item)) for item in items]
