"""Where each subject of a Turtle document is written.

rdflib forgets source positions, but every message of rai-graph must point at ``file:line``. This
is a small lexer (not a parser: the file is parsed by rdflib) that finds statement subjects and the
lines their statements span, in one linear pass. It never raises, whatever the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\")?
                | '''(?:[^'\\]|\\.|'(?!''))*(?:''')?
                | "(?:[^"\\\n]|\\.)*"?
                | '(?:[^'\\\n]|\\.)*'?)
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<open>[\[(])
    | (?P<close>[\])])
    | (?P<sep>[;,])
    | (?P<dot>\.(?=\s|\#|$))
    | (?P<word>[^\s\[\]();,"'<\#]+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


@dataclass(frozen=True, slots=True)
class Statement:
    """A top-level statement: its subject's IRI and the lines it spans (1-based, inclusive)."""

    subject: str
    first_line: int
    last_line: int


@dataclass(slots=True)
class TurtleLayout:
    """What the lexer found: prefixes in effect and the statement of each subject."""

    prefixes: dict[str, str] = field(default_factory=dict)
    statements: dict[str, list[Statement]] = field(default_factory=dict)

    def first_line(self, iri: str) -> int | None:
        found = self.statements.get(iri)
        return found[0].first_line if found else None

    def spellings(self, iri: str) -> list[str]:
        """The ways ``iri`` may be written in this document (full IRI and prefixed names)."""
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if namespace and iri.startswith(namespace):
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        return forms


def scan_turtle(text: str, base: str) -> TurtleLayout:
    """Find prefixes and statement subjects of ``text``; ``base`` resolves relative IRIs."""
    layout = TurtleLayout()
    line = 1
    depth = 0
    at_statement_start = True
    directive: list[str] = []  # tokens of a @prefix/PREFIX/@base/BASE directive being read
    subject: str | None = None
    subject_line = 1

    def close_statement(end_line: int) -> None:
        nonlocal subject
        if subject is not None:
            layout.statements.setdefault(subject, []).append(
                Statement(subject, subject_line, end_line)
            )
        subject = None

    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        token_line = line
        line += token.count("\n")
        if kind in ("ws", "comment"):
            continue
        if directive:
            directive.append(token)
            keyword = directive[0].lower()
            if kind == "iri":
                iri = urljoin(base, token[1:-1])
                if keyword in ("@prefix", "prefix") and len(directive) >= 3:
                    layout.prefixes[directive[1].rstrip(":")] = iri
                elif keyword in ("@base", "base"):
                    base = iri
                if not keyword.startswith("@"):
                    directive = []
                    at_statement_start = True
            elif kind == "dot" or (kind == "word" and token.endswith(".")):
                directive = []
                at_statement_start = True
            continue
        if kind == "word" and token.endswith(".") and depth == 0 and not at_statement_start:
            close_statement(token_line)
            at_statement_start = True
            continue
        if at_statement_start and depth == 0:
            at_statement_start = False
            if kind == "word" and token.lower() in ("@prefix", "prefix", "@base", "base"):
                directive = [token]
                continue
            subject_line = token_line
            subject = _resolve(token, kind, layout.prefixes, base)
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "dot" and depth == 0:
            close_statement(token_line)
            at_statement_start = True
    close_statement(line)
    return layout


def _resolve(token: str, kind: str | None, prefixes: dict[str, str], base: str) -> str | None:
    if kind == "iri":
        return urljoin(base, token[1:-1])
    if kind == "word" and ":" in token and not token.startswith("_:"):
        prefix, local = token.split(":", 1)
        namespace = prefixes.get(prefix)
        if namespace is not None:
            return namespace + _LOCAL_ESCAPE.sub(r"\1", local.rstrip("."))
    return None


def line_of_object(
    text_lines: list[str], layout: TurtleLayout, subject: str, obj: str
) -> int | None:
    """The line where ``obj`` is written inside a statement about ``subject``."""
    spellings = layout.spellings(obj)
    for statement in layout.statements.get(subject, []):
        for number in range(statement.first_line, statement.last_line + 1):
            text = text_lines[number - 1] if number - 1 < len(text_lines) else ""
            if any(_contains_token(text, form) for form in spellings):
                return number
    return layout.first_line(subject)


def _contains_token(text: str, form: str) -> bool:
    start = text.find(form)
    while start != -1:
        end = start + len(form)
        before_ok = start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_:-")
        after_ok = end == len(text) or not (text[end].isalnum() or text[end] in "_-:")
        if before_ok and after_ok:
            return True
        start = text.find(form, start + 1)
    return False
