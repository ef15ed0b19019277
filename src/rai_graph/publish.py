"""Publish a repository's graph to a SPARQL 1.1 store (Graph Store HTTP Protocol).

Organisations with many governance repositories query them together in one store (Fuseki,
GraphDB, Neptune, Oxigraph, ...). Each repository is published under a *base* graph IRI:

* one named graph per Turtle file (``<base>/<path>``), or per system with ``per="system"``
  (``<base>/evidence/<folder>`` holds every file of that system's folder; files outside
  ``evidence/<system>/`` keep a graph each);
* the judgement as of a date in the graph ``<base>/judgement`` (:func:`judgement_graph`): a
  ``rai:Judgement`` with a ``rai:SystemJudgement`` per system (readiness, ready, gap count), a
  ``rai:ControlJudgement`` per (system, control) pair (status, reason) and a
  ``rai:RequirementJudgement`` per applicable or deferred requirement (standing, coverage, the date
  a deferred one binds), so the store can answer "which high-risk systems are not ready";
* a manifest in the graph ``<base>`` itself: ``<base> void:subset <graph>``, and for each graph its
  source path and a SHA-256 of its content (``dcterms:identifier "sha256-…"``).

Publishing is scoped to an audience (:class:`~rai_graph.audience.AudienceView`): a file is
published only if the audience may see every record in it, and reasons that would name a withheld
record are replaced by the status's neutral meaning. Credentials (``--header`` values) are never
sent to another origin: a redirect away from the endpoint's scheme, host and port is refused, not
followed.

Publishing again *replaces* what was published before: graphs whose content changed are put
again, graphs that no longer exist are deleted, unchanged graphs are left alone (``full=True`` puts
every graph). The manifest is first written as the union of the old and new graphs, so an
interrupted run never leaves a graph the next run would not know to delete.

Only the standard protocol is used: ``PUT``, ``GET`` and ``DELETE`` on ``ENDPOINT?graph=IRI`` with
N-Triples bodies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from typing import Literal as TypingLiteral
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from rai_graph.audience import AudienceView
from rai_graph.errors import RaiGraphError
from rai_graph.load.parse import Triple, ntriples_line
from rai_graph.load.repository import LoadedRepository, SourceFile
from rai_graph.progress import Progress, SilentProgress
from rai_graph.trace import GOOD_STATUSES, Assessment, PairStatus, organisation_controls_for
from rai_graph.vocab import RAI

Granularity = TypingLiteral["file", "system"]
NTRIPLES = "application/n-triples"
HASH_PREFIX = "sha256-"


class PublishError(RaiGraphError):
    """The store refused a request or could not be reached."""


@dataclass(slots=True)
class PublishSummary:
    endpoint: str
    base: str
    put: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Graphs left as they were because a file in them failed to load."""
    triples: int = 0


def default_base(repo: LoadedRepository) -> str:
    """The base graph IRI when none is given: the repository's ``base_iri`` setting, else a URN
    naming its folder (give ``--graph`` when several repositories share a folder name)."""
    if repo.settings.base_iri:
        return repo.settings.base_iri.rstrip("/#") + "/graph"
    return f"urn:rai-graph:repository:{quote(repo.tree.location.name)}"


def graph_iri(base: str, name: str) -> str:
    separator = "" if base.endswith(("/", "#", ":")) else "/"
    return f"{base}{separator}{quote(name)}"


def group_name(path: str, per: Granularity) -> str:
    """The graph (by name: a path or ``evidence/<folder>``) that holds the file at ``path``."""
    parts = path.split("/")
    return "/".join(parts[:2]) if per == "system" and parts[0] == "evidence" and len(parts) > 2 \
        else path


def group_files(repo: LoadedRepository, per: Granularity,
                view: AudienceView | None = None) -> dict[str, list[SourceFile]]:
    """Graph name → the data files it holds (only those ``view``'s audience may see), sorted by name."""
    groups: dict[str, list[SourceFile]] = defaultdict(list)
    for source in repo.data_files():
        if source.role != "ontology" and repo.has_triples(source.graph_iri) and (
                view is None or view.sees_file(source.path)):
            groups[group_name(source.path, per)].append(source)
    return dict(sorted(groups.items()))


JUDGEMENT_GRAPH = "judgement"
"""Name of the judgement's graph under the base (``<base>/judgement``)."""


def judgement_graph(
    assessment: Assessment, view: AudienceView, iri: str, *, commit: str | None = None,
    generated: dt.datetime | None = None,
) -> Graph:
    """The judgement as of ``assessment.as_of`` as RDF, for the named graph ``iri``.

    Node IRIs are ``<iri>#…`` names derived from what they judge, so publishing the same judgement
    twice gives the same triples (and the store is left alone).
    """
    from rdflib import Literal
    from rdflib.namespace import PROV, XSD

    graph = Graph()
    node = URIRef(iri + "#judgement")
    graph.add((node, RDF.type, RAI.Judgement))
    graph.add((node, RAI.asOf, Literal(assessment.as_of.isoformat(), datatype=XSD.date)))
    graph.add((node, RAI.audience, Literal(view.audience)))
    if commit:
        graph.add((node, RAI.commit, Literal(commit)))
    if generated is not None:
        graph.add((node, PROV.generatedAtTime, Literal(generated.isoformat(), datatype=XSD.dateTime)))

    def item(kind: str, *parts: object) -> URIRef:
        digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:20]
        return URIRef(f"{iri}#{kind}-{digest}")

    def control(subject: URIRef, pair: PairStatus) -> None:
        graph.add((subject, RDF.type, RAI.ControlJudgement))
        graph.add((subject, RAI.judgedIn, node))
        if pair.system is not None:
            graph.add((subject, RAI.judgedSystem, pair.system))
        graph.add((subject, RAI.judgedControl, pair.control.iri))
        graph.add((subject, RAI.status, _STATUS[pair.status]))
        graph.add((subject, RAI.reason, Literal(view.reason(pair))))

    for pair in assessment.organisation:
        control(item("control", "", pair.control.iri), pair)
    for system in assessment.systems:
        if not system.judged:
            continue
        iri_of_system = system.system.iri
        binding = [*system.pairs, *organisation_controls_for(assessment, system.system)]
        good = sum(1 for p in binding if p.status in GOOD_STATUSES)
        subject = item("system", iri_of_system)
        graph.add((subject, RDF.type, RAI.SystemJudgement))
        graph.add((subject, RAI.judgedIn, node))
        graph.add((subject, RAI.judgedSystem, iri_of_system))
        readiness = f"{good / len(binding):.4f}" if binding else "1.0000"
        graph.add((subject, RAI.readiness, Literal(readiness, datatype=XSD.decimal)))
        graph.add((subject, RAI.ready, Literal(good == len(binding))))
        graph.add((subject, RAI.gapCount, Literal(len(binding) - good, datatype=XSD.nonNegativeInteger)))
        for pair in system.pairs:
            control(item("control", iri_of_system, pair.control.iri), pair)
        for entry in [*system.requirements, *system.deferred]:
            requirement = item("requirement", iri_of_system, entry.requirement.iri)
            graph.add((requirement, RDF.type, RAI.RequirementJudgement))
            graph.add((requirement, RAI.judgedIn, node))
            graph.add((requirement, RAI.judgedSystem, iri_of_system))
            graph.add((requirement, RAI.judgedRequirement, entry.requirement.iri))
            graph.add((requirement, RAI.standing, RAI.Deferred if entry.deferred else RAI.Applies))
            graph.add((requirement, RAI.coverage, _COVERAGE[entry.state]))
            if entry.deferred and entry.standing is not None and entry.standing.applies_from is not None:
                graph.add((requirement, RAI.bindsFrom,
                           Literal(entry.standing.applies_from.isoformat(), datatype=XSD.date)))
    return graph


_STATUS = {"met": RAI.Met, "waived": RAI.Waived, "failing": RAI.Failing, "unapproved": RAI.Unapproved,
           "expired": RAI.Expired, "invalid": RAI.Invalid, "missing": RAI.Missing}
_COVERAGE = {"covered": RAI.Covered, "not": RAI.NotCovered, "unmapped": RAI.Unmapped}


def publish(
    repo: LoadedRepository, endpoint: str, base: str | None = None, *, per: Granularity = "file",
    full: bool = False, headers: Mapping[str, str] | None = None, timeout: float = 60.0,
    progress: Progress | None = None, view: AudienceView | None = None,
    judgement: Callable[[str], Graph] | None = None,
) -> PublishSummary:
    """Make the store at ``endpoint`` hold exactly this repository's graphs under ``base``: the
    files ``view`` may see, and the graph ``judgement(<base>/judgement)`` gives, if any."""
    base = base or default_base(repo)
    store = _GraphStore(endpoint, dict(headers or {}), timeout)
    previous = _read_manifest(store, base)
    # A graph holding a file that failed to load keeps what was published before, untouched.
    blocked = {graph_iri(base, group_name(e.file, per)) for e in repo.errors if e.file}
    bodies: dict[str, tuple[str, str, int]] = {}  # graph IRI → (source, N-Triples, triple count)
    for name, members in group_files(repo, per, view).items():
        if graph_iri(base, name) in blocked:
            continue
        triples: list[Triple] = [t for source in members for t in repo.triples[source.graph_iri]]
        body = "".join(sorted(ntriples_line(t) for t in triples))
        bodies[graph_iri(base, name)] = (name, body, len(triples))
    if judgement is not None:
        judged_iri = graph_iri(base, JUDGEMENT_GRAPH)
        judged = list(judgement(judged_iri))
        bodies[judged_iri] = (JUDGEMENT_GRAPH, "".join(sorted(ntriples_line(t) for t in judged)), len(judged))
    hashes = {iri: HASH_PREFIX + hashlib.sha256(body.encode()).hexdigest()
              for iri, (_name, body, _count) in bodies.items()}
    summary = PublishSummary(endpoint, base)
    kept = {iri: digest for iri, digest in previous.items() if iri in blocked}
    hashes.update(kept)
    summary.kept = sorted(kept)
    stale = sorted(set(previous) - set(bodies) - blocked)
    # Announce every graph (old and new) first: an interrupted run leaves nothing unaccounted for.
    sources = {**{g: g for g in previous}, **{g: b[0] for g, b in bodies.items()}}
    store.put(base, _manifest(base, {**previous, **hashes}, sources))
    with (progress or SilentProgress()).task("Publishing", total=len(bodies)) as task:
        for iri, (_name, body, count) in bodies.items():
            task.advance()
            summary.triples += count
            if not full and previous.get(iri) == hashes[iri]:
                summary.unchanged.append(iri)
                continue
            store.put(iri, body)
            summary.put.append(iri)
    for iri in stale:
        store.delete(iri)
        summary.deleted.append(iri)
    store.put(base, _manifest(base, hashes, sources))
    return summary


def _manifest(base: str, hashes: Mapping[str, str], sources: Mapping[str, str]) -> str:
    from rdflib import Literal

    graph = Graph()
    node = URIRef(base)
    graph.add((node, RDF.type, VOID.Dataset))
    for iri, digest in sorted(hashes.items()):
        graph.add((node, VOID.subset, URIRef(iri)))
        graph.add((URIRef(iri), DCTERMS.identifier, Literal(digest)))
        graph.add((URIRef(iri), DCTERMS.source, Literal(sources.get(iri, iri))))
    return "".join(sorted(ntriples_line(t) for t in graph))


def _read_manifest(store: _GraphStore, base: str) -> dict[str, str]:
    """Graph IRI → content hash of what was published under ``base`` before (empty if nothing)."""
    text = store.get(base)
    if not text:
        return {}
    graph = Graph()
    try:
        graph.parse(data=text, format="nt")
    except Exception as exc:  # whatever the store sent back, it is not our manifest
        raise PublishError(f"the graph <{base}> on the store is not a rai-graph manifest: {exc}") from exc
    found: dict[str, str] = {}
    for subset in graph.objects(URIRef(base), VOID.subset):
        digest = graph.value(subset, DCTERMS.identifier)
        found[str(subset)] = str(digest) if digest is not None else ""
    return found


class _GraphStore:
    """The Graph Store HTTP Protocol, indirect graph identification (``?graph=IRI``)."""

    def __init__(self, endpoint: str, headers: dict[str, str], timeout: float) -> None:
        scheme = urllib.parse.urlsplit(endpoint).scheme
        if scheme not in ("http", "https"):
            raise PublishError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.headers = headers
        self.timeout = timeout

    def url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}graph={quote(graph, safe='')}"

    def get(self, graph: str) -> str:
        try:
            return self._send("GET", graph, None, {"Accept": NTRIPLES})
        except _NotFound:
            return ""

    def put(self, graph: str, body: str) -> None:
        self._send("PUT", graph, body.encode("utf-8"), {"Content-Type": NTRIPLES})

    def delete(self, graph: str) -> None:
        with contextlib.suppress(_NotFound):  # already gone: that is what was wanted
            self._send("DELETE", graph, None, {})

    def _send(self, method: str, graph: str, body: bytes | None, extra: Mapping[str, str]) -> str:
        request = urllib.request.Request(self.url(graph), data=body, method=method,
                                         headers={**self.headers, **extra})
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                return data.decode("utf-8")
        except urllib.error.HTTPError as exc:
            with exc:  # the error is the response: close its connection whatever happens next
                if exc.code == 404:
                    raise _NotFound from exc
                detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise PublishError(f"{method} <{graph}> at {self.endpoint}: HTTP {exc.code} {exc.reason}"
                               + (f": {detail}" if detail else "")) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PublishError(f"cannot reach {self.endpoint}: {reason}") from exc


class _NotFound(Exception):
    pass


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of ``url`` (the port made explicit for http and https)."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class CrossOriginRedirect(PublishError):
    """The store redirected a request to another origin; it was not followed."""


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the origin it was sent to.

    urllib copies every header of the request (``Authorization`` included) onto the redirected
    request, so following a redirect to another host would hand it the credentials given with
    ``--header``. Such a redirect is refused with a message instead.
    """

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if origin(newurl) != origin(req.full_url):
            fp.close()  # the redirect response is not read: release its connection now
            raise CrossOriginRedirect(
                f"{req.get_method()} {req.full_url}: HTTP {code} redirects to {newurl}, another origin; "
                "not followed, so no credentials leave for it (give the final URL as --endpoint)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOriginRedirects())


def sparql_select(query_endpoint: str, query: str, timeout: float = 60.0) -> list[dict[str, str]]:
    """Run a SELECT query over HTTP (SPARQL 1.1 Protocol); rows of variable → lexical value."""
    import json

    request = urllib.request.Request(
        query_endpoint, data=urllib.parse.urlencode({"query": query}).encode(), method="POST",
        headers={"Accept": "application/sparql-results+json",
                 "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            results = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PublishError(f"query at {query_endpoint} failed: {exc}") from exc
    rows: Iterable[dict[str, dict[str, str]]] = results.get("results", {}).get("bindings", [])
    return [{name: value["value"] for name, value in row.items()} for row in rows]
