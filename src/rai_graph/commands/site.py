"""``rai-graph site build`` and ``rai-graph site serve``: the traceability site.

``build`` runs the pipeline, writes the generated Markdown to a source folder (default
``build/site-src/`` in the repository), builds it with MkDocs (Material theme) into the output
folder (default ``site/``), and copies the artefacts the audience may see. ``serve`` builds, then
serves the output folder on ``127.0.0.1``.

Both folders are replaced, so each refuses a folder that is neither empty nor a previous output
of this command (or of MkDocs): a mistyped ``-o ~`` must not delete anything. When the previous
output's stamp shows that only pages' Markdown changed, the folders are kept and only those pages
are rebuilt (:mod:`rai_graph.site_build`); the site is the one a full build gives.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import logging
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from rai_graph.audience import Audience, AudienceView
from rai_graph.commands import audience_option, refuse_unsafe_folder, repository_options
from rai_graph.errors import RaiGraphError
from rai_graph.model import Evidence
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render.site import (
    HISTORY_NAV,
    NAV,
    SITE_NAME,
    TRUST_SITE_NAME,
    SiteSources,
    mkdocs_yaml,
    render_site,
    render_trust_page,
    trust_mkdocs_yaml,
)
from rai_graph.render.site._history import History
from rai_graph.site_build import (
    STAMP,
    AnchorKeeper,
    Release,
    Stamp,
    configuration_key,
    digest,
    files_under,
    partial_build_allowed,
    plan_partial_build,
    register_env_handler,
    remove_stamp,
)
from rai_graph.validate.artifacts import release_artifact

SOURCE_MARKER = ".rai-graph-site-src"
SITE_MARKER = ".rai-graph-site"


class SiteBuildError(RaiGraphError):
    """The site could not be built (unsafe output folder, MkDocs reported problems)."""


@dataclass(frozen=True, slots=True)
class BuiltSite:
    output: Path
    source: Path
    pages: int
    artifacts: int
    seconds_generate: float
    seconds_mkdocs: float
    seconds_copy: float
    partial: bool = False
    """Only the changed pages were rebuilt (the last build's stamp allowed it)."""
    files_rewritten: int = 0
    artifacts_copied: int = 0


@click.group()
def site() -> None:
    """The traceability site: dashboard, frameworks, controls, systems, evidence and gaps."""


@site.command("build")
@repository_options
@audience_option
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site/ in the repository).")
@click.option("--source-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the generated Markdown (default: build/site-src/ in the repository).")
@click.option("--site-name", default=None,
              help=f"The site's title (default: {SITE_NAME!r}; with --trust-page {TRUST_SITE_NAME!r}).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail when MkDocs warns (broken links, bad configuration).")
@click.option("--trust-page", is_flag=True,
              help="Build the trust page for customers instead (frameworks, AI systems, public "
                   "commitments and their evidence); needs --audience public.")
@click.option("--history", is_flag=True,
              help="Add the posture over time: the repository judged at each tag (or each month's last "
                   "commit) from git, with every status change and the commit and pull request that made it.")
def build_command(repo: Path, as_of: dt.date | None, audience: Audience, output: Path | None,
                  source_dir: Path | None, site_name: str | None, strict: bool, trust_page: bool,
                  history: bool) -> None:
    """Generate the site's pages from the repository and build them with MkDocs."""
    if trust_page and audience != "public":
        raise click.UsageError("--trust-page is read by anyone: build it with --audience public")
    if trust_page and history:
        raise click.UsageError("--history adds a page to the traceability site; the trust page has none")
    judged_history = None
    if history:
        from rai_graph.analysis.history import github_repository, posture_history, status_changes

        points = posture_history(repo)
        judged_history = History(points, status_changes(repo, points), github_repository(repo))
    built = build_site(run(repo, as_of), audience, output=output, source_dir=source_dir,
                       site_name=site_name, strict=strict, trust_page=trust_page, history=judged_history)
    rebuilt = (f"; {built.files_rewritten} changed since the last build, only they rebuilt" if built.partial
               else "")
    click.echo(f"Built {built.pages} pages for the {audience} audience in {built.output}{rebuilt} "
               f"(pages {built.seconds_generate:.1f} s, MkDocs {built.seconds_mkdocs:.1f} s, "
               f"{built.artifacts_copied} of {built.artifacts} artefacts copied in {built.seconds_copy:.1f} s). "
               f"Open {built.output / 'index.html'}")


@site.command("serve")
@repository_options
@audience_option
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The site folder to build and serve (default: site/ in the repository).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--no-build", is_flag=True, help="Serve the existing site without building it first.")
def serve_command(repo: Path, as_of: dt.date | None, audience: Audience, output: Path | None,
                  host: str, port: int, no_build: bool) -> None:
    """Build the site (unless --no-build) and serve it locally until interrupted."""
    folder = output or repo / "site"
    if no_build:
        if not (folder / "index.html").is_file():
            raise SiteBuildError(f"{folder} holds no built site; run 'rai-graph site build' first")
    else:
        folder = build_site(run(repo, as_of), audience, output=output).output
    try:
        server = serve_directory(folder, host, port)
    except OSError as exc:
        raise SiteBuildError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    address, bound_port = server.server_address[:2]
    click.echo(f"Serving {folder} at http://{address!s}:{bound_port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def serve_directory(folder: Path, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``folder`` (not yet serving: call ``serve_forever``)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)


# --- building -------------------------------------------------------------------------------


def build_site(
    result: PipelineResult, audience: Audience, *, output: Path | None = None, source_dir: Path | None = None,
    site_name: str | None = None, strict: bool = True, trust_page: bool = False, history: History | None = None,
) -> BuiltSite:
    """Render the pages, write them, run MkDocs and copy the artefacts; return what was built.

    With ``trust_page`` the site is the public trust page and the evidence pages it links to.
    When the last build into ``output`` left its stamp and only pages' Markdown changed, MkDocs
    rebuilds those pages alone (:mod:`rai_graph.site_build`); the site is the same either way."""
    if trust_page and audience != "public":
        raise SiteBuildError("the trust page is built for the public audience only")
    root = result.repository.tree.location
    output = (output or root / "site").absolute()
    source = (source_dir or root / "build" / "site-src").absolute()
    if output == source or output in source.parents or source in output.parents:
        raise SiteBuildError(f"the output folder {output} and the source folder {source} must be apart")
    refuse_unsafe_folder(output)
    refuse_unsafe_folder(source)
    _check_replaceable(output, SITE_MARKER, site=True)
    _check_replaceable(source, SOURCE_MARKER, site=False)

    started = time.perf_counter()
    if trust_page:
        name = site_name or TRUST_SITE_NAME
        sources = render_trust_page(result, name)
        config = trust_mkdocs_yaml(str(source), str(output), name)
    else:
        sources = render_site(result, audience, history)
        nav = NAV if history is None else (*NAV, HISTORY_NAV)
        config = mkdocs_yaml(str(source), str(output), site_name or SITE_NAME, nav=nav)
    files = {relative: text.encode("utf-8") for relative, text in sources.pages.items()} | sources.static
    key = configuration_key(config, strict=strict, audience=audience)
    previous = Stamp.load(output) if (output / SITE_MARKER).is_file() else None
    digests = {path: digest(data) for path, data in files.items()}
    plan = plan_partial_build(previous, key, digests, source, output, frozenset({SOURCE_MARKER}))
    if output.is_dir():
        remove_stamp(output)
    if plan is None:
        previous = None
        _write_sources(source, files)
        rewritten = len(files)
    else:
        assert previous is not None
        _rewrite_sources(source, output, files, plan.changed, previous)
        rewritten = len(plan.changed)
    generated = time.perf_counter()
    keeper = AnchorKeeper(previous)
    run_mkdocs(source, output, strict=strict, config_text=config, partial=plan is not None, on_env=keeper)
    built = time.perf_counter()
    releases, copied = _copy_artifacts(result, sources, output, audience, {} if previous is None else previous.releases)
    (output / SITE_MARKER).write_text(f"built by rai-graph for the {audience} audience\n", encoding="utf-8")
    outputs = files_under(output)
    outputs.discard(STAMP)
    Stamp(key, {path: _source_stat(source, path, sha) for path, sha in digests.items()}, sorted(outputs),
          keeper.destinations, keeper.anchors, keeper.links, releases).save(output)
    finished = time.perf_counter()
    return BuiltSite(output, source, len(sources.pages), len(releases), generated - started, built - generated,
                     finished - built, partial=plan is not None, files_rewritten=rewritten, artifacts_copied=copied)


def _check_replaceable(folder: Path, marker: str, *, site: bool) -> None:
    if not folder.exists():
        return
    if not folder.is_dir():
        raise SiteBuildError(f"{folder} exists and is not a folder")
    if not any(folder.iterdir()) or (folder / marker).exists():
        return
    if site and (folder / "index.html").is_file() and (folder / "search" / "search_index.json").is_file():
        return  # an earlier MkDocs build (e.g. `mkdocs build` with the repository's mkdocs.yml)
    what = "output" if site else "source"
    raise SiteBuildError(
        f"refusing to replace {folder}: it is not empty and was not written by 'rai-graph site build' "
        f"(choose another {what} folder or empty it)"
    )


def _write_sources(source: Path, files: dict[str, bytes]) -> None:
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    (source / SOURCE_MARKER).write_text("generated by rai-graph site build; replaced on every build\n",
                                        encoding="utf-8")
    for relative, data in files.items():
        target = source / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _rewrite_sources(source: Path, output: Path, files: dict[str, bytes], changed: frozenset[str],
                     previous: Stamp) -> None:
    """Write the changed docs-folder files and remove what MkDocs made of them, so that a partial
    build reads and writes them again whatever the clock's granularity."""
    for relative in sorted(changed):
        (output / previous.destinations.get(relative, relative)).unlink(missing_ok=True)
        (source / relative).write_bytes(files[relative])


def _source_stat(source: Path, relative: str, sha: str) -> tuple[str, int, int]:
    status = os.stat(source / relative)
    return sha, status.st_size, status.st_mtime_ns


def _copy_artifacts(result: PipelineResult, sources: SiteSources, output: Path, audience: Audience,
                    previous: dict[str, Release]) -> tuple[dict[str, Release], int]:
    """Copy the artefacts the audience may see through :func:`release_artifact` (the output folder
    is new: no fsync). Each is written beside its place and renamed there only once its bytes
    matched, so a file changed since its check is never in the site. An artefact the last build
    copied from the same file with the same SHA-256, still there at its size, is kept; one the
    audience may no longer see is removed. Returns what the site holds and how many were copied."""
    view = AudienceView(audience, result.model, result.validation.artifacts)
    named_by: dict[str, list[Evidence]] = defaultdict(list)
    for evidence in sorted(result.model.evidence.values(), key=lambda e: str(e.iri)):
        if (check := view.artifacts.get(evidence.iri)) is not None:
            named_by[check.path].append(evidence)
    releases: dict[str, Release] = {}
    copied = 0
    for target, origin in sorted(sources.artifacts.items()):
        owner = next((e for e in named_by[origin] if view.releases(e) is not None), None)
        if owner is None:
            continue
        destination = output / target
        check = view.releases(owner)
        kept = previous.get(target)
        if (kept is not None and check is not None and (kept.origin, kept.sha256) == (origin, check.actual_sha256)
                and _size(destination) == kept.size):
            releases[target] = kept
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        try:
            with partial.open("wb") as sink:
                released = release_artifact(result.repository.tree, view, owner, sink)
            if released is not None and released.actual_sha256 is not None:
                partial.replace(destination)
                releases[target] = Release(origin, released.actual_sha256, destination.stat().st_size)
                copied += 1
        finally:
            partial.unlink(missing_ok=True)
    for target in previous.keys() - releases.keys():
        (output / target).unlink(missing_ok=True)
    return releases, copied


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def run_mkdocs(source: Path, output: Path, *, site_name: str = SITE_NAME, strict: bool = True,
               config_text: str | None = None, partial: bool = False,
               on_env: Callable[..., Any] | None = None) -> None:
    """Build ``source`` into ``output`` with MkDocs; MkDocs' warnings become one error.

    ``partial`` keeps the output and rebuilds only the pages whose output is missing or older than
    their source (MkDocs' dirty build); ``on_env`` runs once every page has been read."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner on import; not ours to show
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    text = config_text or mkdocs_yaml(str(source), str(output), site_name)
    with _captured_mkdocs_warnings() as warnings, partial_build_allowed():
        try:
            config = load_config(io.BytesIO(text.encode("utf-8")),
                                 config_file_path=str(source.parent / "mkdocs.yml"), strict=strict)
            if on_env is not None:
                register_env_handler(config, on_env)
            build(config, dirty=partial)
        except (Abort, ConfigurationError) as exc:
            details = "\n".join(f"  {w}" for w in warnings) or f"  {exc}"
            raise SiteBuildError(f"MkDocs could not build the site:\n{details}") from exc


@contextmanager
def _captured_mkdocs_warnings() -> Iterator[list[str]]:
    """Collect MkDocs' warnings instead of letting them print as they come."""
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collector(level=logging.WARNING)
    previous = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate, level = previous
        logger.setLevel(level)
