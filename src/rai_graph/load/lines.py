"""Where each subject of a Turtle document is written.

rdflib forgets source positions, but every message of rai-graph must point at ``file:line``. This
is a small lexer (not a parser: the file is parsed by rdflib) that finds statement subjects and the
lines their statements span, in one linear pass. It never raises, whatever the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, uses_netloc, uses_relative

_SKIP = r"""(?:\s+|\#[^\n]*)*+"""
# Possessive runs (``++``, ``*+``): a 50 MB literal is one run, not one backtracking frame per byte.
_STRING = r"""\"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\")?
            | '''(?:[^'\\]++|\\.|'(?!''))*+(?:''')?
            | "(?:[^"\\\n]++|\\.)*+"?
            | '(?:[^'\\\n]++|\\.)*+'?"""
_IRI = r"""<[^<>"{}|^`\\\s]*>"""
_WORD = r"""[^\s\[\]();,"'<\#]+"""
STRING_PATTERN, IRI_PATTERN = _STRING, _IRI
"""A string literal and an IRI (verbose regular expressions), for other linear scans."""

# One token, whitespace and comments before it skipped (possessively, so never re-scanned);
# ``end`` matches at the end of the text, so a match is always found.
_TOKEN = re.compile(
    rf"""
    {_SKIP}
    (?: (?P<string>{_STRING})
      | (?P<iri>{_IRI})
      | (?P<open>[\[(])
      | (?P<close>[\])])
      | (?P<sep>[;,])
      | (?P<dot>\.(?=\s|\#|$))
      | (?P<word>{_WORD})
      | (?P<other>.)
      | (?P<end>\Z) )
    """,
    re.VERBOSE | re.DOTALL,
)

# Inside a statement only brackets and the closing dot matter, so the regex engine skips every
# other token (strings, IRIs, separators, words not ending in a dot) without a trip through Python.
# The alternatives keep _TOKEN's tokenisation: a word is taken whole, then skipped only if it does
# not end in a dot.
_BODY = re.compile(
    rf"""
    (?: \s+ | \#[^\n]* | {_STRING} | {_IRI} | [;,] | (?>{_WORD})(?<!\.) | < )*+
    (?: (?P<open>[\[(])
      | (?P<close>[\])])
      | (?P<dot>\.(?=\s|\#|$))
      | (?P<word>{_WORD})
      | (?P<end>\Z) )
    """,
    re.VERBOSE | re.DOTALL,
)

# The tokens _TOKEN would give for the common prefix directive: word "@prefix", word "name:",
# an IRI, a dot; only spaces and tabs between them (anything else is left to the general path).
_PREFIX_DIRECTIVE = re.compile(
    rf"""{_SKIP}@prefix[ \t]+(?P<name>[A-Za-z_][\w\-.]*|):[ \t]*<(?P<iri>[^<>"{{}}|^`\\\s]*)>[ \t]*\.(?=\s|\#|$)""",
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
    counted = [0, 1]  # lines are counted lazily, only where a statement starts or ends

    def line_at(position: int) -> int:
        counted[1] += text.count("\n", counted[0], position)
        counted[0] = position
        return counted[1]

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

    position = 0
    while True:
        if at_statement_start and not directive:
            # The usual `@prefix ex: <...> .` in one match; anything unusual takes the long way.
            found = _PREFIX_DIRECTIVE.match(text, position)
            if found is not None:
                layout.prefixes[found.group("name")] = join_iri(base, found.group("iri"))
                position = found.end()
                continue
        pattern = _TOKEN if directive or at_statement_start else _BODY
        match = pattern.match(text, position)
        kind = match.lastgroup if match is not None else None
        if match is None or kind is None or kind == "end":
            break  # both patterns match the empty end of the text, so only there
        position = match.end()
        token = match.group(kind)
        if directive:
            directive.append(token)
            keyword = directive[0].lower()
            if kind == "iri":
                iri = join_iri(base, token[1:-1])
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
            close_statement(line_at(match.start(kind)))
            at_statement_start = True
            continue
        if at_statement_start:  # always at depth 0
            at_statement_start = False
            if kind == "word" and token.lower() in ("@prefix", "prefix", "@base", "base"):
                directive = [token]
                continue
            subject_line = line_at(match.start(kind))
            subject = _resolve(token, kind, layout.prefixes, base)
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "dot" and depth == 0:
            close_statement(line_at(match.start(kind)))
            at_statement_start = True
    close_statement(1 + text.count("\n"))
    return layout


def _resolve(token: str, kind: str | None, prefixes: dict[str, str], base: str) -> str | None:
    if kind == "iri":
        return join_iri(base, token[1:-1])
    if kind == "word" and ":" in token and not token.startswith("_:"):
        prefix, local = token.split(":", 1)
        namespace = prefixes.get(prefix)
        if namespace is not None:
            return namespace + _LOCAL_ESCAPE.sub(r"\1", local.rstrip("."))
    return None


def join_iri(base: str, reference: str) -> str:
    """``urljoin(base, reference)``, with the common case (an absolute IRI) memoised."""
    absolute = _join_absolute(_scheme_of(base), reference)
    return absolute if absolute is not None else urljoin(base, reference)


_last_scheme: list[str] = ["", ""]  # (base, its scheme): a file's IRIs share one base


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*(?=:)")


def _scheme_of(base: str) -> str:
    """The scheme urlsplit finds (lower-cased), without its cost: one per file, every run."""
    if _last_scheme[0] == base:
        return _last_scheme[1]
    _last_scheme[0], _last_scheme[1] = base, _scheme_uncached(base)
    return _last_scheme[1]


def _scheme_uncached(base: str) -> str:
    found = _SCHEME.match(base)
    return found.group().lower() if found and not any(c in base for c in "\t\r\n") \
        else urlsplit(base).scheme


@lru_cache(maxsize=16384)
def _join_absolute(base_scheme: str, reference: str) -> str | None:
    """What urljoin gives for ``reference`` under any base of that scheme; None if it depends on
    the rest of the base (a relative reference)."""
    try:
        scheme, netloc = urlsplit(reference, base_scheme)[:2]
    except ValueError:
        return None
    if not reference or (scheme == base_scheme and not (scheme in uses_netloc and netloc)):
        return None
    if scheme != base_scheme or scheme not in uses_relative:
        return reference
    return urljoin(f"{base_scheme}://host/", reference)


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
