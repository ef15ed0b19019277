"""Read the Formex 4 XML of Regulation (EU) 2024/1689 into a flat list of clauses.

Formex 4 (the Publications Office's XML for the Official Journal) marks an article up as
``ARTICLE`` > ``PARAG`` (numbered paragraph, ``NO.PARAG``) > ``ALINEA`` (unnumbered
subparagraph) > ``LIST`` > ``ITEM`` > ``NP`` (numbered point: ``NO.P`` label, ``TXT`` text, and
``P`` holding a nested ``LIST`` of sub-points). Annexes are separate files: ``ANNEX`` >
``TITLE`` + ``CONTENTS``.

Clauses and their keys (local names in the ``euaia:`` namespace):

- article ``Art9``; numbered paragraph ``Art9-2``; point ``Art9-2-a``; sub-point
  ``Art5-1-h-i``. An article without numbered paragraphs (Arts. 3, 4, 16, 113 ...) has its
  points directly below it: ``Art16-a``, ``Art3-1``.
- Unnumbered subparagraphs are not clauses of their own: their text is folded into the text
  of the paragraph (or article) they belong to, and their points are keyed by label within that
  paragraph. Where the same label recurs in two subparagraphs of one paragraph (only Art. 43(1)
  in this act), every point of that paragraph is qualified by its subparagraph ordinal:
  ``Art43-1-sub2-a``, notation "Art. 43(1), second subparagraph, point (a)".
- annex ``AnnexIII``; its numbered points ``AnnexIII-4`` and sub-points ``AnnexIII-4-a``.
- an annex divided into lettered sections that number their points straight through (Annex I:
  Section A items 1-12, Section B items 13-20): the sections ``AnnexI-A``, ``AnnexI-B``
  (notation "Annex I Section A", title the heading after "Section A.") and below them the items
  ``AnnexI-1`` ... ``AnnexI-20`` (notation "Annex I 11"), keyed by their number alone since it is
  unique in the annex.
- kept at annex level only: Annex II (unnumbered dashes); Annexes VIII and XI, whose numbering
  restarts in each section (VIII: Section A 1-13, B 1-9, C 1-5; XI: Section 1 1-2, Section 2 1-3);
  and Annexes VII and X, whose numbers stand in the section headings themselves, with decimal
  points below them in VII (3.1, 4.6) and lettered points under each heading in X (1(a), 2(a)).

The text of a clause is the official wording of that element with every level below it (so a
paragraph keeps its chapeau and the text of its points, each point label in place), without
its own number and without footnotes; quotation marks (``QUOT.START``/``QUOT.END``, empty
elements carrying a Unicode code point) are restored, formatted numbers (``FT TYPE="NUMBER"``)
are printed with the Official Journal's digit grouping ("35 000 000"), superscript digits as
Unicode superscripts ("10²⁵" FLOPs, never "1025"), and all whitespace,
non-breaking spaces included, is collapsed to single spaces. Footnotes (``NOTE``) are returned
separately, on the innermost clause that holds them. Text quoted by the amending articles
(``QUOT.S``, Arts. 102-110) belongs to the amended acts: it stays in the text but yields no
clauses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rai_graph.catalogues._common import SourceDataError

MAIN_ACT_FILE = "L_202401689EN.000101.fmx.xml"
# One file per annex, in the order of the publication's manifest (L_202401689EN.doc.fmx.xml).
ANNEX_FILES = (
    "L_202401689EN.012401.fmx.xml",
    "L_202401689EN.012601.fmx.xml",
    "L_202401689EN.012701.fmx.xml",
    "L_202401689EN.013001.fmx.xml",
    "L_202401689EN.013201.fmx.xml",
    "L_202401689EN.013301.fmx.xml",
    "L_202401689EN.013401.fmx.xml",
    "L_202401689EN.013601.fmx.xml",
    "L_202401689EN.013801.fmx.xml",
    "L_202401689EN.013901.fmx.xml",
    "L_202401689EN.014101.fmx.xml",
    "L_202401689EN.014301.fmx.xml",
    "L_202401689EN.014401.fmx.xml",
)
ROMAN_NUMERALS = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
)  # fmt: skip

ClauseKind = Literal["article", "paragraph", "point", "annex", "section"]

# Elements that start a new block of text; everything else is inline.
_BLOCK_TAGS = frozenset(
    {
        "ALINEA", "ITEM", "LIST", "NO.P", "NO.PARAG", "NP", "P", "PARAG", "QUOT.S", "TXT",
        "TITLE", "TI", "STI", "GR.SEQ", "CONTENTS",
    }
)  # fmt: skip
# Marks a block boundary while rendering; becomes a space unless punctuation follows.
_BREAK = "\x00"
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


class FormexError(SourceDataError):
    """The Formex source does not have the structure this reader relies on."""


@dataclass(frozen=True)
class Place:
    """Where a clause sits: its source file and, inside the enacting terms, its article."""

    source_file: str
    article: int | None = None  # the article number, for articles and everything inside them
    chapter: str | None = None  # roman numeral of the chapter
    section: int | None = None  # section within the chapter, when the chapter has sections


@dataclass(frozen=True)
class Clause:
    """One article, paragraph, point, annex, annex section or annex point of the act."""

    local_name: str
    notation: str
    kind: ClauseKind
    text: str
    parent: str | None
    title: str | None
    anchor: str  # fragment of the EUR-Lex HTML page, e.g. "art_9", "009.002", "anx_III"
    place: Place
    footnotes: tuple[str, ...] = ()


def read_clauses(formex_dir: Path) -> list[Clause]:
    """Return every clause of the act and its annexes, in document order."""
    clauses = list(_article_clauses(_parse(formex_dir / MAIN_ACT_FILE), MAIN_ACT_FILE))
    for file_name, numeral in zip(ANNEX_FILES, ROMAN_NUMERALS, strict=True):
        clauses.extend(_annex_clauses(_parse(formex_dir / file_name), file_name, numeral))
    return clauses


def render_text(element: ET.Element, *, skip: frozenset[str] = frozenset()) -> str:
    """Return the normalised text of ``element``, leaving out direct children tagged ``skip``."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag not in skip:
            _render_into(child, parts)
        _append_tail(child, parts)
    return _normalise("".join(parts))


def _parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def _render_into(element: ET.Element, parts: list[str]) -> None:
    tag = element.tag
    if tag == "NOTE":
        return
    if tag in ("QUOT.START", "QUOT.END"):
        parts.append(chr(int(element.attrib["CODE"], 16)))
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append(_BREAK)
    text = element.text or ""
    if tag == "FT" and element.get("TYPE") == "NUMBER" and text.isdigit():
        text = f"{int(text):,}".replace(",", " ")
    elif tag == "HT" and element.get("TYPE") == "SUP" and text.isdigit() and len(element) == 0:
        text = text.translate(_SUPERSCRIPT_DIGITS)  # "10<SUP>25</SUP>" must not read "1025"
    parts.append(text)
    for child in element:
        _render_into(child, parts)
        _append_tail(child, parts)
    if block:
        parts.append(_BREAK)


def _append_tail(element: ET.Element, parts: list[str]) -> None:
    if element.tail:
        parts.append(element.tail)


def _normalise(raw: str) -> str:
    # Punctuation that follows a closed block (the ";" after a quoted paragraph) is glued on.
    glued = re.sub(_BREAK + r"+(?=[;,.:])", "", raw)
    return " ".join(glued.replace(_BREAK, " ").split())


def _footnotes(element: ET.Element, inner_clauses: list[ET.Element]) -> tuple[str, ...]:
    """Footnote texts inside ``element`` but not inside one of its ``inner_clauses``."""
    found: list[str] = []
    inner = {id(clause) for clause in inner_clauses}

    def visit(node: ET.Element) -> None:
        for child in node:
            if child.tag == "NOTE":
                found.append(render_text(child))
            elif id(child) not in inner:
                visit(child)

    visit(element)
    return tuple(found)


def _required(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    if found is None:
        raise FormexError(f"<{element.tag}> has no <{path}>")
    return found


def _label(number: str) -> str:
    """``"(a)"`` -> ``"a"``, ``"2."`` -> ``"2"``, ``"(iv)"`` -> ``"iv"``."""
    match = re.fullmatch(r"\(?([0-9]+|[a-z]+)\)?\.?", number)
    if match is None:
        raise FormexError(f"unexpected clause number {number!r}")
    return match.group(1)


# Articles -------------------------------------------------------------------------------------


def _article_clauses(act: ET.Element, source_file: str) -> Iterator[Clause]:
    enacting_terms = _required(act, "ENACTING.TERMS")
    for chapter_division in enacting_terms.findall("DIVISION"):
        chapter = _division_number(chapter_division, "CHAPTER")
        for child in chapter_division:
            if child.tag == "ARTICLE":
                yield from _one_article(child, Place(source_file, chapter=chapter))
            elif child.tag == "DIVISION":
                section = int(_division_number(child, "SECTION"))
                for article in child.findall("ARTICLE"):
                    place = Place(source_file, chapter=chapter, section=section)
                    yield from _one_article(article, place)


def _division_number(division: ET.Element, kind: str) -> str:
    heading = render_text(_required(division, "TITLE/TI"))
    match = re.fullmatch(kind + r" ([0-9IVXL]+)", heading)
    if match is None:
        raise FormexError(f"unexpected division heading {heading!r}")
    return match.group(1)


def _one_article(article: ET.Element, division: Place) -> Iterator[Clause]:
    number = int(article.attrib["IDENTIFIER"])
    heading = render_text(_required(article, "TI.ART"))
    if heading != f"Article {number}":
        raise FormexError(f"{division.source_file}: article {number} is headed {heading!r}")
    place = Place(division.source_file, number, division.chapter, division.section)
    name = f"Art{number}"
    notation = f"Art. {number}"
    anchor = f"art_{number}"
    paragraphs = article.findall("PARAG")
    inner = paragraphs or _subparagraph_points(article)
    yield Clause(
        local_name=name,
        notation=notation,
        kind="article",
        text=render_text(article, skip=frozenset({"TI.ART", "STI.ART"})),
        parent=None,
        title=render_text(_required(article, "STI.ART")),
        anchor=anchor,
        place=place,
        footnotes=_footnotes(article, inner),
    )
    if not paragraphs:
        yield from _points_of(article, name, notation, anchor, place)
    for paragraph in paragraphs:
        label = _label(render_text(_required(paragraph, "NO.PARAG")))
        paragraph_name = f"{name}-{label}"
        paragraph_notation = f"{notation}({label})"
        paragraph_anchor = paragraph.attrib["IDENTIFIER"]
        yield Clause(
            local_name=paragraph_name,
            notation=paragraph_notation,
            kind="paragraph",
            text=render_text(paragraph, skip=frozenset({"NO.PARAG"})),
            parent=name,
            title=None,
            anchor=paragraph_anchor,
            place=place,
            footnotes=_footnotes(paragraph, _subparagraph_points(paragraph)),
        )
        yield from _points_of(paragraph, paragraph_name, paragraph_notation, paragraph_anchor, place)


def _subparagraph_points(container: ET.Element) -> list[ET.Element]:
    return [point for alinea in container.findall("ALINEA") for point in _point_elements(alinea)]


def _points_of(
    container: ET.Element, parent_name: str, parent_notation: str, anchor: str, place: Place
) -> Iterator[Clause]:
    """Points of a paragraph (or of an article without paragraphs), subparagraph by subparagraph."""
    per_subparagraph = [_point_elements(alinea) for alinea in container.findall("ALINEA")]
    labels = [_point_label(point) for points in per_subparagraph for point in points]
    qualify = len(labels) != len(set(labels))
    for ordinal, points in enumerate(per_subparagraph, start=1):
        for point in points:
            label = _point_label(point)
            if qualify:
                name = f"{parent_name}-sub{ordinal}-{label}"
                ordinal_word = _ORDINALS[ordinal - 1]
                notation = f"{parent_notation}, {ordinal_word} subparagraph, point ({label})"
            else:
                name = f"{parent_name}-{label}"
                notation = f"{parent_notation}({label})"
            yield from _point_tree(point, name, notation, parent_name, anchor, place)


def _point_tree(
    point: ET.Element, name: str, notation: str, parent_name: str, anchor: str, place: Place
) -> Iterator[Clause]:
    sub_points = [sub for child in point if child.tag != "NO.P" for sub in _point_elements(child)]
    yield Clause(
        local_name=name,
        notation=notation,
        kind="point",
        text=render_text(point, skip=frozenset({"NO.P"})),
        parent=parent_name,
        title=None,
        anchor=anchor,
        place=place,
        footnotes=_footnotes(point, sub_points),
    )
    for sub_point in sub_points:
        label = _point_label(sub_point)
        yield from _point_tree(
            sub_point, f"{name}-{label}", f"{notation}({label})", name, anchor, place
        )


def _point_elements(element: ET.Element) -> list[ET.Element]:
    """The nearest ``NP`` descendants of ``element``, outside quoted text and headings."""
    found: list[ET.Element] = []
    for child in element:
        if child.tag == "NP":
            found.append(child)
        elif child.tag not in ("QUOT.S", "NOTE", "TITLE"):
            found.extend(_point_elements(child))
    return found


def _point_label(point: ET.Element) -> str:
    return _label(render_text(_required(point, "NO.P")))


# Annexes --------------------------------------------------------------------------------------


def _annex_clauses(annex: ET.Element, source_file: str, numeral: str) -> Iterator[Clause]:
    title_paragraphs = [render_text(p) for p in _required(annex, "TITLE/TI").findall("P")]
    if title_paragraphs[:1] != [f"ANNEX {numeral}"]:
        raise FormexError(f"{source_file}: expected ANNEX {numeral}, found {title_paragraphs}")
    subtitle = annex.find("TITLE/STI")
    # Annex X carries its title as a second TI paragraph instead of an STI.
    title = render_text(subtitle) if subtitle is not None else " ".join(title_paragraphs[1:])
    contents = _required(annex, "CONTENTS")
    name = f"Annex{numeral}"
    anchor = f"anx_{numeral}"
    place = Place(source_file)
    groups = contents.findall("GR.SEQ")
    sections = _lettered_sections(groups, source_file)
    if groups and sections is None:
        points: list[ET.Element] = []  # no single numbering under the section headings: kept whole
    else:
        points = _point_elements(contents)
    yield Clause(
        local_name=name,
        notation=f"Annex {numeral}",
        kind="annex",
        text=render_text(contents),
        parent=None,
        title=title,
        anchor=anchor,
        place=place,
        footnotes=_footnotes(contents, points),
    )
    labels = [_point_label(point) for point in points]
    if len(labels) != len(set(labels)):
        raise FormexError(f"{source_file}: repeated point numbers {labels}")
    parent_of_point = {id(point): name for point in points}
    for letter, heading, group in sections or ():
        section_name = f"{name}-{letter}"
        yield Clause(
            local_name=section_name,
            notation=f"Annex {numeral} Section {letter}",
            kind="section",
            text=render_text(group, skip=frozenset({"TITLE"})),
            parent=name,
            title=heading,
            anchor=anchor,
            place=place,
            footnotes=_footnotes(group, _point_elements(group)),
        )
        for point in _point_elements(group):
            parent_of_point[id(point)] = section_name
    for point, label in zip(points, labels, strict=True):
        yield from _point_tree(
            point, f"{name}-{label}", f"Annex {numeral} {label}", parent_of_point[id(point)], anchor, place
        )


_SECTION_HEADING = re.compile(r"Section ([A-Z])\. (.+)")


def _lettered_sections(
    groups: list[ET.Element], source_file: str
) -> list[tuple[str, str, ET.Element]] | None:
    """``(letter, heading, group)`` per section when every section is headed "Section X. ..."
    and the points number straight through the annex; None otherwise (or when there are none)."""
    if not groups:
        return None
    sections: list[tuple[str, str, ET.Element]] = []
    for group in groups:
        heading = group.find("TITLE/TI")
        match = _SECTION_HEADING.fullmatch(render_text(heading)) if heading is not None else None
        if match is None:
            return None
        sections.append((match.group(1), match.group(2), group))
    labels = [_point_label(point) for _, _, group in sections for point in _point_elements(group)]
    if len(labels) != len(set(labels)):
        return None  # numbering restarts in each section
    letters = [letter for letter, _, _ in sections]
    if len(letters) != len(set(letters)):
        raise FormexError(f"{source_file}: repeated section letters {letters}")
    return sections
