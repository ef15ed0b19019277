"""The traceability site: Markdown pages for MkDocs (Material theme) from a pipeline result.

:func:`render_site` is pure: it returns the pages (``{relative path: Markdown}``), the static
files the pages use (CSS, the vendored Mermaid script) and which artefacts to copy where;
:func:`mkdocs_yaml` gives the MkDocs configuration. Writing files and running MkDocs is the
``site`` command's job (:mod:`rai_graph.commands.site`).

Everything is seen through one audience (:class:`._data.SiteData`): evidence above the audience's
level has no page, anchor, title, path, hash, approval or artefact copy anywhere in the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from rai_graph.audience import Audience
from rai_graph.pipeline import PipelineResult
from rai_graph.render.site._controls import control_pages
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._frameworks import framework_pages
from rai_graph.render.site._history import PAGE as HISTORY_PAGE
from rai_graph.render.site._history import History, history_page
from rai_graph.render.site._overview import overview_pages
from rai_graph.render.site._search import INDEX_PATH, search_entries, search_script
from rai_graph.render.site._systems import system_pages
from rai_graph.render.site._trust import trust_pages

SOURCE_DIR = "build/site-src"
SITE_DIR = "site"
SITE_NAME = "AI compliance traceability"
TRUST_SITE_NAME = "Trust centre"
SITE_DESCRIPTION = "Which evidence proves which clause, for which AI system, approved by whom."
TRUST_DESCRIPTION = "Our commitments on AI, the evidence behind them and the frameworks we follow."

NAV: tuple[tuple[str, str], ...] = (
    ("Dashboard", "index.md"),
    ("Executive", "executive.md"),
    ("Heatmap", "heatmap/index.md"),
    ("Frameworks", "frameworks/index.md"),
    ("Controls", "controls/index.md"),
    ("Systems", "systems/index.md"),
    ("Gaps", "gaps/index.md"),
    ("Organisation", "organisation.md"),
)
HISTORY_NAV: tuple[str, str] = ("Over time", HISTORY_PAGE)
ASSETS: tuple[str, ...] = ("assets/rai-graph.css", "assets/mermaid.min.js", "assets/search.js")
"""Static files under ``templates/site/`` copied into every site (paths inside the docs folder)."""
SCRIPTS: tuple[str, ...] = ("assets/mermaid.min.js", "assets/search.js")
TRUST_NAV: tuple[tuple[str, str], ...] = (("Trust centre", "index.md"),)
TRUST_ASSETS: tuple[str, ...] = ("assets/rai-graph.css",)
"""The trust page draws no diagram and has no search: it needs the badges' styles only."""


@dataclass(slots=True)
class SiteSources:
    """What the site is built from."""

    pages: dict[str, str]
    """Markdown per path relative to the docs folder."""
    static: dict[str, bytes]
    """CSS and scripts per path relative to the docs folder."""
    artifacts: dict[str, str] = field(default_factory=dict)
    """Artefact copies: path in the built site → repository-relative path to read."""


def render_site(result: PipelineResult, audience: Audience, history: History | None = None) -> SiteSources:
    """Every page of the site for ``audience``; with ``history``, the posture-over-time page too."""
    data = SiteData(result, audience)
    pages: dict[str, str] = {}
    for generate in (overview_pages, framework_pages, control_pages, system_pages):
        pages.update(generate(data))
    if history is not None:
        pages[HISTORY_PAGE] = history_page(history, data)
    static = static_files()
    static[INDEX_PATH] = search_script(search_entries(data, _findable_pages(pages)))
    artifacts = {}
    for evidence in data.visible.values():
        target = data.artifact_site_path(evidence)
        check = data.artifact_check(evidence)
        if target is not None and check is not None:
            artifacts[target] = check.path
    return SiteSources(pages, static, artifacts)


def render_trust_page(result: PipelineResult, title: str = TRUST_SITE_NAME) -> SiteSources:
    """The trust page for customers (public audience only) and the evidence pages it links to."""
    pages, artifacts = trust_pages(SiteData(result, "public"), title)
    return SiteSources(pages, static_files(TRUST_ASSETS), artifacts)


def trust_mkdocs_yaml(docs_dir: str, site_dir: str, site_name: str = TRUST_SITE_NAME) -> str:
    """The MkDocs configuration of the trust page: its own navigation, no scripts."""
    return mkdocs_yaml(docs_dir, site_dir, site_name, nav=TRUST_NAV, scripts=(), description=TRUST_DESCRIPTION)


def _findable_pages(pages: dict[str, str]) -> dict[str, str]:
    """The lists worth finding by name in the search: the navigation and the pages beside it."""
    named = {path: title for title, path in (*NAV, HISTORY_NAV)}
    extra = {"expiring.md": "Controls lapsing", "waivers.md": "Waivers expiring", "errors.md": "Input errors"}
    named.update({path: title for path, title in extra.items() if path in pages})
    return {path: title for path, title in named.items() if path in pages}


def static_files(names: tuple[str, ...] = ASSETS) -> dict[str, bytes]:
    root = resources.files("rai_graph").joinpath("templates/site")
    return {name: root.joinpath(name).read_bytes() for name in names}


def mkdocs_yaml(
    docs_dir: str = SOURCE_DIR, site_dir: str = SITE_DIR, site_name: str = SITE_NAME, *,
    nav: tuple[tuple[str, str], ...] = NAV, scripts: tuple[str, ...] = SCRIPTS,
    description: str = SITE_DESCRIPTION,
) -> str:
    """The MkDocs configuration of the site (the repository's ``mkdocs.yml`` is this text).

    Built as text, not with a YAML dumper, because the Mermaid fence needs MkDocs' ``!!python/name``
    tag. Values are JSON strings, which YAML reads as they are.
    """
    import json

    entries = "\n".join(f"  - {json.dumps(title)}: {json.dumps(path)}" for title, path in nav)
    javascript = "".join(f"\n  - {script}" for script in scripts) if scripts else " []"
    return f"""\
site_name: {json.dumps(site_name)}
site_description: {json.dumps(description)}
docs_dir: {json.dumps(docs_dir)}
site_dir: {json.dumps(site_dir)}
use_directory_urls: false
strict: true
theme:
  name: material
  font: false
  language: en
  icon:
    logo: material/scale-balance
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: teal
      toggle:
        icon: material/weather-night
        name: Dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: teal
      toggle:
        icon: material/weather-sunny
        name: Light mode
  features:
    - navigation.tabs
    - navigation.top
    - navigation.footer
    - toc.follow
plugins: []
markdown_extensions:
  - tables
  - attr_list
  - admonition
  - md_in_html
  - pymdownx.details
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
extra_css:
  - assets/rai-graph.css
extra_javascript:{javascript}
validation:
  nav:
    omitted_files: ignore
  links:
    not_found: warn
    anchors: warn
    unrecognized_links: warn
nav:
{entries}
"""


__all__ = ["NAV", "SITE_DIR", "SOURCE_DIR", "TRUST_SITE_NAME", "SiteSources", "mkdocs_yaml", "render_site",
           "render_trust_page", "static_files", "trust_mkdocs_yaml"]
