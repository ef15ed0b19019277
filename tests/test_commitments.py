"""Commitments (rai:Commitment in controls/): plain records with their origin, and audience-filtered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import URIRef

from rai_graph.load.repository import load_repository
from rai_graph.model import build_model

ROOT = Path(__file__).resolve().parents[1]
EX = "https://example.org/northwind/"
RAI = "https://w3id.org/rai-graph/ns#"


def test_example_commitments_are_records_with_origins() -> None:
    model = build_model(load_repository(ROOT))
    disclosure = model.commitments[URIRef(EX + "commitment-ai-disclosure")]
    assert disclosure.title == "You know when you are talking to an AI"
    assert disclosure.rests_on == frozenset({URIRef(EX + "RAI-TRN-01")})
    assert disclosure.evidence == frozenset({URIRef(EX + "support-chatbot-ai-disclosure-notice")})
    assert disclosure.reviewed == dt.date(2026, 10, 15)
    assert disclosure.contact == "mailto:trust@northwind.example"
    assert disclosure.confidentiality == URIRef(RAI + "Public")
    assert disclosure.origin.file == "controls/commitments.ttl"
    assert disclosure.origin.line == 12
    assert len(model.commitments) == 5
    under_review = [c for c in model.commitments.values() if c.origin.file.endswith("under-review.ttl")]
    assert len(under_review) == 1
    assert under_review[0].confidentiality != URIRef(RAI + "Public")
