"""The site's search index: every framework, clause, control and system, and the site's lists.

MkDocs-Material's search (lunr over the full text of every page) needs a web server, takes
seconds to start on a large site and ranks an id's own page among the hundreds that mention it.
This index holds ids and titles only, in one script file (``assets/search-index.js``) that
``assets/search.js`` loads with a ``<script>`` tag the first time the search box is used, so it
works from ``file://`` as served, and a search for ``RAI-EVAL-08``, ``Art. 27(1)``,
``MEASURE 2.11`` or a system's name ranks that record's page first (the ranking is in
``search.js``: exact id, then id prefix, then words of the title).

Evidence records are not indexed (they are reached from their system's page): at a thousand
systems they would make the index ten times larger. Only what the audience may see is in it: the
entries come from :class:`._data.SiteData`, whose records and paths already are the audience's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rai_graph.order import clause_key as natural_key
from rai_graph.render.site._common import clause_summary
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._frameworks import short_framework_name
from rai_graph.render.site._markdown import inline_plain

INDEX_PATH = "assets/search-index.js"
KINDS = ("system", "control", "clause", "framework", "page")
"""Entry kinds, in the order that breaks ties between equally good matches."""
GLOBAL = "RAI_GRAPH_SEARCH_INDEX"


@dataclass(frozen=True, slots=True)
class SearchEntry:
    kind: str
    ident: str
    """What a person types: a notation, a system's folder name, a page's name."""
    title: str
    detail: str
    """A short context shown beside the title (framework, tier)."""
    page: str
    """The page's Markdown path relative to the docs folder."""


def search_entries(data: SiteData, pages: dict[str, str] | None = None) -> list[SearchEntry]:
    """Every searchable record of the site, in the site's order (systems, controls, clauses...).

    ``pages`` are the site's other pages worth finding by name (``{path: title}``).
    """
    entries: list[SearchEntry] = []
    for assessment in data.systems:
        system = assessment.system
        entries.append(SearchEntry("system", system.name, system.title, data.label(system.tier),
                                   data.paths.system[system.iri]))
    for control in sorted(data.model.controls.values(), key=lambda c: natural_key(c.notation)):
        entries.append(SearchEntry("control", control.notation, control.title,
                                   "organisation-wide" if control.organisation_scope else "per system",
                                   data.paths.control[control.iri]))
    frameworks = sorted(data.model.frameworks.values(), key=lambda f: f.notation)
    for framework in frameworks:
        name = short_framework_name(data, framework.iri)
        clauses = sorted((r for r in data.model.requirements.values() if r.framework == framework.iri),
                         key=lambda r: natural_key(r.notation))
        entries += [SearchEntry("clause", r.notation, clause_summary(r, 90), name, data.paths.clause[r.iri])
                    for r in clauses]
    others = sorted((r for r in data.model.requirements.values() if r.framework not in data.model.frameworks),
                    key=lambda r: natural_key(r.notation))
    entries += [SearchEntry("clause", r.notation, clause_summary(r, 90), "Other", data.paths.clause[r.iri])
                for r in others]
    for framework in frameworks:
        entries.append(SearchEntry("framework", short_framework_name(data, framework.iri), framework.title,
                                   framework.notation, data.paths.framework[framework.iri]))
    for path, title in (pages or {}).items():
        entries.append(SearchEntry("page", title, "", "", path))
    return entries


def search_script(entries: list[SearchEntry]) -> bytes:
    """The index as a script that sets ``window.RAI_GRAPH_SEARCH_INDEX``.

    Compact: each entry is ``[kind, id, title, detail, folder, file]`` with the kind, detail and
    folder as indexes into tables, and the link ``folders[folder] + file + ".html"``.
    """
    folders: dict[str, int] = {}
    details: dict[str, int] = {}
    rows = []
    for entry in entries:
        folder, _, name = entry.page.rpartition("/")
        folder_index = folders.setdefault(folder + "/" if folder else "", len(folders))
        detail_index = details.setdefault(inline_plain(entry.detail), len(details))
        rows.append([KINDS.index(entry.kind), inline_plain(entry.ident), inline_plain(entry.title), detail_index,
                     folder_index, name.removesuffix(".md")])
    index = {"version": 1, "kinds": list(KINDS), "folders": list(folders), "details": list(details),
             "entries": rows}
    # ASCII-only JSON is valid JavaScript whatever the data holds (no line separators, no quotes
    # that end the literal). It is a file of its own, never inlined into HTML; still, no "<", ">"
    # or "&" is left in it (they only occur inside strings, where the escapes mean the same).
    text = json.dumps(index, ensure_ascii=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.{GLOBAL}={text};\n".encode("ascii")
