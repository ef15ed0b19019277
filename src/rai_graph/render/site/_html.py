"""HTML fragments written into the Markdown pages (cards, bars, badges, the heatmap).

They come from jinja2 templates in ``rai_graph/templates/site/`` with autoescape on, and with a
``finalize`` that turns every plain value into character references (:func:`._markdown.inline`):
HTML-escaping alone would leave ``[x](javascript:...)`` for Markdown to turn into a link when the
fragment sits inline in a Markdown line. Only :class:`markupsafe.Markup` built by this package
passes unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from markupsafe import Markup

from rai_graph.render.site._markdown import inline


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return Markup(inline(value))


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (cached: templates compile once per process)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rai_graph", "templates/site"),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render(template: str, **context: Any) -> str:
    """Render ``template`` to one line-joined HTML string with no blank lines.

    Python-Markdown ends a raw HTML block at a blank line, so none may appear inside.
    """
    html = environment().get_template(template).render(**context)
    return "\n".join(line for line in html.splitlines() if line.strip())


@functools.cache
def _macros() -> Any:
    return environment().get_template("macros.html.j2").module


def macro(name: str, *args: Any) -> Markup:
    """Call a macro of ``macros.html.j2`` (badges, bars, artefact links) from Python."""
    return Markup(getattr(_macros(), name)(*args).strip())
