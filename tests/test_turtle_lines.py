"""The Turtle layout lexer: where each subject's statement starts and ends."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rai_graph.load.lines import line_of_object, scan_turtle

BASE = "file:///evidence/x/record.ttl"

DOCUMENT = '''@prefix ex: <https://ex.org/> .
PREFIX rai: <https://w3id.org/rai-graph/ns#>
# a comment . with a dot
ex:system a rai:AISystem ;
   ex:title """multi
line . string ; with [ brackets""" ;
   ex:nested [ ex:y ex:z ] .
<https://ex.org/full> ex:p 1.5 .
ex:escaped\\-name ex:p ex:c.
[ ex:p ex:q ] .
<relative> ex:p "x"@en.
ex:last ex:p ex:system ,
    ex:other .
'''


def test_subjects_and_their_line_spans_are_found() -> None:
    """Each top-level subject maps to the lines of its statement, strings and comments ignored."""
    layout = scan_turtle(DOCUMENT, BASE)
    spans = {iri: [(s.first_line, s.last_line) for s in statements]
             for iri, statements in layout.statements.items()}
    assert spans == {
        "https://ex.org/system": [(4, 7)],
        "https://ex.org/full": [(8, 8)],
        "https://ex.org/escaped-name": [(9, 9)],
        "file:///evidence/x/relative": [(11, 11)],
        "https://ex.org/last": [(12, 13)],
    }


def test_prefixes_in_both_syntaxes_are_collected() -> None:
    """@prefix and SPARQL-style PREFIX declarations are both understood."""
    layout = scan_turtle(DOCUMENT, BASE)
    assert layout.prefixes == {"ex": "https://ex.org/", "rai": "https://w3id.org/rai-graph/ns#"}


def test_object_line_is_found_inside_the_statement() -> None:
    """A reference is located on the line where the object is written, not the subject's line."""
    layout = scan_turtle(DOCUMENT, BASE)
    lines = DOCUMENT.splitlines()
    assert line_of_object(lines, layout, "https://ex.org/last", "https://ex.org/other") == 13
    assert line_of_object(lines, layout, "https://ex.org/last", "https://ex.org/system") == 12
    # An object never written falls back to the subject's first line.
    assert line_of_object(lines, layout, "https://ex.org/last", "https://ex.org/nowhere") == 12


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_lexer_never_raises(text: str) -> None:
    """Any text, however broken, gives a layout rather than an exception."""
    layout = scan_turtle(text, BASE)
    for statements in layout.statements.values():
        for statement in statements:
            assert 1 <= statement.first_line <= statement.last_line
