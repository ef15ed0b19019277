"""An independent reading of the EU AI Act Formex files, for the catalogue tests.

Clause ids and texts are re-derived from the vendored Formex XML by a second, deliberately
different extraction (the serialised XML rewritten by regular expressions, with a locator of its
own), never through the builder's helpers.
"""

from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

REPO = Path(__file__).parent.parent
FORMEX = REPO / "frameworks" / "sources" / "eu-ai-act" / "formex"
MAIN_ACT = FORMEX / "L_202401689EN.000101.fmx.xml"

_BLOCK = (
    r"P|ALINEA|ITEM|LIST|NO\.P|NO\.PARAG|NP|PARAG|QUOT\.S|TXT|TITLE|TI|STI|GR\.SEQ|CONTENTS"
)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def reference_text(element: ET.Element, drop: tuple[str, ...] = ()) -> str:
    """Text of ``element`` by rewriting its serialised XML; ``drop`` removes direct children."""
    trimmed = copy.deepcopy(element)
    trimmed.tail = None
    for child in [c for c in trimmed if c.tag in drop]:
        if (child.tail or "").strip():
            raise AssertionError(f"text after <{child.tag}>")
        trimmed.remove(child)
    xml = ET.tostring(trimmed, encoding="unicode")
    xml = re.sub(r"<NOTE\b.*?</NOTE>", "", xml, flags=re.S)
    xml = re.sub(
        r'<QUOT\.(?:START|END) CODE="([0-9A-F]{4})"[^>]*/>', lambda m: chr(int(m[1], 16)), xml
    )
    xml = re.sub(r'<FT TYPE="NUMBER">(\d+)</FT>', lambda m: f"{int(m[1]):,}".replace(",", " "), xml)
    xml = re.sub(r'<HT TYPE="SUP">(\d+)</HT>', lambda m: m[1].translate(_SUPERSCRIPT), xml)
    xml = re.sub(rf"(?:</(?:{_BLOCK})>)+(?=[;,.:])", "", xml)
    xml = re.sub(rf"</?(?:{_BLOCK})(?:\s[^>]*)?/?>", " ", xml)
    xml = re.sub(r"<[^>]+>", "", xml)
    return " ".join(html.unescape(xml).split())


def _child(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    if found is None:
        raise AssertionError(f"<{element.tag}> has no <{path}>")
    return found


def _label(point: ET.Element) -> str:
    """``(a)`` -> ``a``, ``1.`` -> ``1``: the label of an NP from its NO.P."""
    return "".join(_child(point, "NO.P").itertext()).strip().strip("().")


def expected_clauses() -> dict[str, str]:
    """Every clause id the sources define, with its reference text."""
    expected: dict[str, str] = {}
    act = ET.parse(MAIN_ACT).getroot()
    parents = {child: parent for parent in act.iter() for child in parent}
    for article in act.iter("ARTICLE"):
        name = f"Art{int(article.attrib['IDENTIFIER'])}"
        expected[name] = reference_text(article, ("TI.ART", "STI.ART"))
        paragraphs = article.findall("PARAG")
        for paragraph in paragraphs:
            paragraph_name = f"{name}-{int(paragraph.attrib['IDENTIFIER'].split('.')[1])}"
            expected[paragraph_name] = reference_text(paragraph, ("NO.PARAG",))
            _expect_points(paragraph, paragraph_name, parents, expected)
        if not paragraphs:
            _expect_points(article, name, parents, expected)

    for path in sorted(FORMEX.glob("L_202401689EN.01*.fmx.xml")):
        annex = ET.parse(path).getroot()
        name = "Annex" + "".join(_child(annex, "TITLE/TI/P").itertext()).split()[1]
        contents = _child(annex, "CONTENTS")
        expected[name] = reference_text(contents)
        annex_parents = {child: parent for parent in annex.iter() for child in parent}
        sections = _lettered_sections(contents)
        if contents.find("GR.SEQ") is None or sections:
            _expect_points(contents, name, annex_parents, expected)
        for letter, group in sections.items():
            expected[f"{name}-{letter}"] = reference_text(group, ("TITLE",))
    return expected


def _lettered_sections(contents: ET.Element) -> dict[str, ET.Element]:
    """The sections of an annex headed "Section A. ..." whose points number straight through."""
    groups = contents.findall("GR.SEQ")
    headings = [" ".join("".join(_child(g, "TITLE/TI").itertext()).split()) for g in groups]
    letters = [re.match(r"Section ([A-Z])\. ", heading) for heading in headings]
    numbers = [_label(point) for point in contents.iter("NP")]
    if not groups or not all(letters) or len(numbers) != len(set(numbers)):
        return {}
    return {match[1]: group for match, group in zip(letters, groups, strict=True) if match}


def _ancestors(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> list[ET.Element]:
    chain = []
    while element in parents:
        element = parents[element]
        chain.append(element)
    return chain


def _expect_points(
    container: ET.Element,
    prefix: str,
    parents: dict[ET.Element, ET.Element],
    expected: dict[str, str],
) -> None:
    """Points below ``container``: every NP outside quotations and headings, keyed by its chain."""
    points = []
    for point in container.iter("NP"):
        chain = _ancestors(point, parents)
        chain = chain[: chain.index(container)]
        if any(a.tag in ("QUOT.S", "TITLE") for a in chain):
            continue
        outer = [a for a in chain if a.tag == "NP"]
        alinea = next((a for a in chain if a.tag == "ALINEA" and parents[a] is container), None)
        points.append((point, outer, alinea))
    top_labels = [_label(point) for point, outer, _ in points if not outer]
    clash = len(top_labels) != len(set(top_labels))
    alineas = container.findall("ALINEA")
    for point, outer, alinea in points:
        labels = [_label(np) for np in reversed([point, *outer])]  # outermost first
        qualifier = f"-sub{alineas.index(alinea) + 1}" if clash and alinea is not None else ""
        name = prefix + qualifier + "".join(f"-{label}" for label in labels)
        expected[name] = reference_text(point, ("NO.P",))




@cache
def formex_texts() -> dict[str, str]:
    """Every clause id the Formex files define, with its reference text (computed once)."""
    return expected_clauses()
