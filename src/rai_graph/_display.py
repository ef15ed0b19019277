"""Short, readable names for IRIs in messages (``ex:credit-scoring`` rather than a full IRI)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Node

from rai_graph.vocab import EUAIA, ISO42001, NISTGAI, NISTRMF, RAI_NS

STANDARD_PREFIXES: dict[str, str] = {
    "rai": RAI_NS,
    "euaia": str(EUAIA),
    "nistrmf": str(NISTRMF),
    "nistgai": str(NISTGAI),
    "iso42001": str(ISO42001),
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def short(node: Node | str | None, prefixes: Mapping[str, str] | None = None) -> str:
    """``node`` as a prefixed name when a known prefix fits, else ``<IRI>`` or the literal text."""
    if node is None:
        return "(nothing)"
    text = str(node)
    best = ""
    best_prefix = ""
    for table in (prefixes or {}, STANDARD_PREFIXES):
        for prefix, namespace in table.items():
            if namespace and text.startswith(namespace) and len(namespace) > len(best):
                best, best_prefix = namespace, prefix
    if best and len(text) > len(best):
        return f"{best_prefix}:{text[len(best):]}"
    return f"<{text}>" if "://" in text or text.startswith("urn:") else text


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def duration_words(text: str) -> str:
    """An ``xsd:duration`` as a person says it: ``P365D`` → ``365 days``, ``P1Y6M`` → ``1 year
    6 months``; anything else (a time part, a malformed value) as written."""
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        return text
    units = ("year", "month", "week", "day")
    return " ".join(f"{int(n)} {unit}{'s' * (int(n) != 1)}"
                    for n, unit in zip(match.groups(), units, strict=True) if n)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words_of(name: str) -> str:
    """A CamelCase or hyphenated local name as words: ``StakeholderEngagementRecord`` →
    ``Stakeholder engagement record``, ``AIImpactAssessment`` → ``AI impact assessment``."""
    parts = [p for p in _CAMEL.sub(" ", name).replace("-", " ").replace("_", " ").split(" ") if p]
    if not parts:
        return name
    return " ".join([parts[0]] + [p if p.isupper() and len(p) > 1 else p.lower() for p in parts[1:]])


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: ``Technical documentation`` → ``technical
    documentation``; acronyms and names that start with two capitals (``AI literacy``) as written."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
