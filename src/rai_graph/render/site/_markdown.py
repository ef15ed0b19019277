"""Escaping for the contexts the site emits: Markdown text, table cells, headings, link text,
HTML fragments inside Markdown, YAML front matter and Mermaid labels.

Every text that came from a repository file is untrusted. Rather than backslash-escaping (which
depends on the Markdown dialect and its extensions: ``attr_list`` reads ``{: onclick=...}``,
``\\<`` is not an escape in Python-Markdown), special characters become numeric character
references: Python-Markdown passes ``&#91;`` through untouched, no extension reads it as syntax,
and the browser shows ``[``. The result is safe as Markdown *and* as HTML text, so the same
escaper serves inline HTML written into a Markdown page.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit

# Markdown and HTML syntax characters (and the quotes, for attribute values).
_SPECIAL = frozenset("\\`*_{}[]()<>&|#!~^=+\"'$%:@")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
# C0/C1 controls: Python-Markdown uses STX/ETX as placeholders, so they must never get through.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def inline(text: object) -> str:
    """``text`` as one line of inert Markdown/HTML text (table cells, link text, headings)."""
    return _inline(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _inline(text: str) -> str:
    # Cached: the same titles, labels and notations recur on thousands of pages.
    flat = _SPACE.sub(" ", _CONTROLS.sub("", text)).strip().translate(_ENTITIES)
    # Where the text starts a line, "- x" or "1. x" would open a list: hide the marker.
    flat = _ORDERED_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", flat)
    return "&#45;" + flat[1:] if flat.startswith("-") else flat


def block(text: object) -> str:
    """Multi-line ``text`` as Markdown paragraphs; line breaks are kept, nothing is syntax."""
    paragraphs = re.split(r"\n\s*\n", _CONTROLS.sub("", str(text)).replace("\r\n", "\n"))
    rendered = []
    for paragraph in paragraphs:
        lines = [inline(line) for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        # A paragraph is one Markdown line (joined with <br>), so only its start could be a list
        # marker: "-", "+", "*", "#", ">" are already references; "1." needs its dot hidden.
        first = _ORDERED_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", lines[0])
        first = first.replace("-", "&#45;", 1) if first.startswith("-") else first
        rendered.append("<br>".join([first, *lines[1:]]))
    return "\n\n".join(rendered)


def heading(level: int, text: str, anchor: str | None = None) -> str:
    """A Markdown heading with escaped ``text`` and, optionally, an id of our own (a slug)."""
    suffix = f" {{ #{_checked_anchor(anchor)} }}" if anchor else ""
    return f"{'#' * level} {inline(text)}{suffix}"


@functools.lru_cache(maxsize=1 << 17)  # the same links recur on every page of a folder
def link(text: str, target: str, css: str | None = None) -> str:
    """A Markdown link to one of the site's own pages (``target`` is built by us, never data)."""
    classes = f"{{ .{_checked_anchor(css)} }}" if css else ""
    return f"[{inline(text) or '&#8203;'}]({_checked_target(target)}){classes}"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> str:
    """A Markdown table; header texts are ours, cells must already be escaped Markdown."""
    separators = [":---:" if a == "c" else "---:" if a == "r" else "---"
                  for a in align.ljust(len(headers), "l")]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(separators) + " |"]
    for row in rows:
        cells = [cell.replace("\n", " ") or " " for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def front_matter(title: str) -> str:
    """YAML front matter giving the page's title.

    MkDocs and the theme insert ``page.title`` into the HTML unescaped (``<title>``, header), so
    the title is written with character references; JSON strings are valid YAML scalars.
    """
    safe = "".join(f"&#{ord(c)};" if c in "<>&\"'`" else c for c in inline_plain(title))
    # The navigation is in the tabs; hiding the left sidebar gives tables the room they need.
    return f"---\ntitle: {json.dumps(safe)}\nhide:\n  - navigation\n---\n"


def inline_plain(text: object) -> str:
    """``text`` on one line, control characters removed, nothing else changed."""
    return _SPACE.sub(" ", _CONTROLS.sub("", str(text))).strip()


def mermaid_label(text: object, limit: int = 60) -> str:
    """Text for a quoted Mermaid label: anything but letters, digits and spaces as ``#code;``."""
    flat = inline_plain(text)
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"#{ord(c)};" for c in flat)


def http_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL (percent-encoded where needed), else None."""
    if not value:
        return None
    candidate = _CONTROLS.sub("", value).strip()
    if any(c.isspace() for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(candidate, safe=":/?#[]@!$&'()*+,;=%~-._")


_SLUG_TARGET = re.compile(r"^(?=.)[A-Za-z0-9._/-]*(#[A-Za-z][A-Za-z0-9._-]*)?$")
_ANCHOR = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _checked_target(target: str) -> str:
    if not _SLUG_TARGET.match(target):
        raise ValueError(f"not a site link target: {target!r}")
    return target


def _checked_anchor(anchor: str) -> str:
    if not _ANCHOR.match(anchor):
        raise ValueError(f"not an anchor: {anchor!r}")
    return anchor
