"""`rai-graph publish` against a real Oxigraph server on loopback: what the store holds afterwards,
queried with SPARQL, is what the repository holds; publishing again replaces it."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from rai_graph.authoring.generator import generate_repository
from rai_graph.cli import main
from rai_graph.load.repository import load_repository
from rai_graph.pipeline import run
from rai_graph.publish import graph_iri, sparql_select
from rai_graph.trace import GOOD_STATUSES, organisation_controls_for
from rai_graph.vocab import RAI

pytestmark = pytest.mark.slow  # not in `make test-fast`

BASE = "https://example.org/graphs/generated"
AS_OF = "2026-06-01"
NOT_READY_HIGH_RISK = f"""
    PREFIX rai: <{RAI}>
    SELECT DISTINCT ?system WHERE {{
      GRAPH <{BASE}/judgement> {{ ?judged a rai:SystemJudgement ; rai:judgedSystem ?system ; rai:ready false }}
      GRAPH ?records {{ ?system rai:riskTier rai:HighRisk }}
    }}"""


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server (PyPI package `oxigraph`) on a free loopback port, stopped afterwards."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph")
    log = location / "server.log"
    with log.open("wb") as stream:
        process = subprocess.Popen([binary, "serve", "--location", str(location / "data"), "--bind",
                                    f"127.0.0.1:{port}"], stdout=stream, stderr=stream)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph did not start: {log.read_text(errors='replace')}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    # Seed 2 gives a minimal, a high-risk (with gaps) and a limited-risk system, dated for AS_OF.
    generate_repository(tmp_path / "repo", systems=3, seed=2, as_of=dt.date.fromisoformat(AS_OF))
    return tmp_path / "repo"


def _publish(repo: Path, server: str, *extra: str) -> str:
    result = CliRunner().invoke(main, ["publish", "--repo", str(repo), "--endpoint", f"{server}/store",
                                                  "--graph", BASE, "--quiet", "--as-of", AS_OF, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _graph_sizes(server: str) -> dict[str, int]:
    """Triples per file graph under BASE (the judgement graph left out)."""
    rows = sparql_select(f"{server}/query", f"""
        SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
          FILTER(STRSTARTS(STR(?g), "{BASE}/") && ?g != <{BASE}/judgement>) }} GROUP BY ?g""")
    return {row["g"]: int(row["n"]) for row in rows}


def _local_sizes(repo: Path) -> dict[str, int]:
    loaded = load_repository(repo)
    return {graph_iri(BASE, f.path): len(loaded.triples[f.graph_iri])
            for f in loaded.data_files() if f.role != "ontology"}


def test_published_graphs_hold_exactly_the_repository(repo: Path, server: str) -> None:
    """One named graph per file, each with the file's triples; SPARQL over the store agrees with
    the local model on the evidence of every system."""
    _publish(repo, server)
    assert _graph_sizes(server) == _local_sizes(repo)
    rows = sparql_select(f"{server}/query", f"""
        SELECT ?system (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH ?g {{ ?e a <{RAI.Evidence}> ;
          <{RAI.forSystem}> ?system }} FILTER(STRSTARTS(STR(?g), "{BASE}/")) }} GROUP BY ?system""")
    from rai_graph.model import build_model

    model = build_model(load_repository(repo))
    expected = Counter(system for evidence in model.evidence.values() for system in evidence.systems)
    assert {row["system"]: int(row["n"]) for row in rows} == {str(k): v for k, v in expected.items()}


def test_publishing_again_replaces_what_was_published(repo: Path, server: str) -> None:
    """A changed file is sent again, a removed file's graph is deleted, the rest is left alone; the
    judgement is sent again because the removed record changes statuses, and only then."""
    _publish(repo, server)
    assert "0 sent" in _publish(repo, server)
    records = sorted((repo / "evidence" / "system-00000").glob("*.ttl"))
    changed, removed = records[1], records[2]
    changed.write_text(changed.read_text(encoding="utf-8").replace(" evidence\"", " evidence v2\""),
                       encoding="utf-8")
    removed.unlink()
    output = _publish(repo, server)
    assert "2 sent" in output, output  # the changed file and the judgement
    assert "1 removed" in output, output
    sizes = _graph_sizes(server)
    assert sizes == _local_sizes(repo)
    assert graph_iri(BASE, removed.relative_to(repo).as_posix()) not in sizes
    titles = sparql_select(f"{server}/query", f"""
        SELECT ?t WHERE {{ GRAPH <{graph_iri(BASE, changed.relative_to(repo).as_posix())}> {{
          ?e <http://purl.org/dc/terms/title> ?t }} }}""")
    assert [row["t"] for row in titles if row["t"].endswith("evidence v2")]


def test_one_graph_per_system(repo: Path, server: str) -> None:
    """With --per system, each system folder is one graph; other files keep a graph each."""
    _publish(repo, server, "--per", "system")
    sizes = _graph_sizes(server)
    local = _local_sizes(repo)
    folder_of = {iri: iri[len(BASE) + 1:].split("/")[:2] for iri in local}
    expected: Counter[str] = Counter()
    for iri, count in local.items():
        parts = folder_of[iri]
        name = "/".join(parts) if parts[0] == "evidence" else iri[len(BASE) + 1:]
        expected[graph_iri(BASE, name)] += count
    assert sizes == dict(expected)
    assert graph_iri(BASE, "evidence/system-00001") in sizes


def test_unreachable_store_is_a_usage_error(repo: Path) -> None:
    """No store listening: exit code 2 and one line saying so, never a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["publish", "--repo", str(repo), "--endpoint",
                                                  f"http://127.0.0.1:{port}/store", "--timeout", "5"])
    assert result.exit_code == 2
    assert "cannot reach" in result.output
    assert "Traceback" not in result.output


def test_the_store_answers_which_high_risk_systems_are_not_ready(repo: Path, server: str) -> None:
    """The judgement graph lets SPARQL on the store name the high-risk systems with a gap, exactly
    those the local judgement names; statuses and deferred requirements are queryable too."""
    _publish(repo, server)
    result = run(repo, dt.date.fromisoformat(AS_OF), cache=False)
    expected = {
        str(s.system.iri) for s in result.assessment.systems
        if s.system.tier == RAI.HighRisk and any(
            p.status not in GOOD_STATUSES
            for p in [*s.pairs, *organisation_controls_for(result.assessment, s.system)])
    }
    assert expected
    rows = sparql_select(f"{server}/query", NOT_READY_HIGH_RISK)
    assert {row["system"] for row in rows} == expected
    statuses = sparql_select(f"{server}/query", f"""
        PREFIX rai: <{RAI}>
        SELECT ?system ?control ?status WHERE {{ GRAPH <{BASE}/judgement> {{
          ?j a rai:ControlJudgement ; rai:judgedSystem ?system ; rai:judgedControl ?control ;
             rai:status ?status }} }}""")
    local = {(str(s.system.iri), str(p.control.iri), p.status) for s in result.assessment.systems for p in s.pairs}
    assert {(r["system"], r["control"], r["status"].rsplit("#", 1)[1].lower()) for r in statuses} == local
    (as_of,) = sparql_select(f"{server}/query", f"""
        PREFIX rai: <{RAI}> SELECT ?d WHERE {{ GRAPH <{BASE}/judgement> {{ ?j a rai:Judgement ; rai:asOf ?d }} }}""")
    assert as_of["d"] == AS_OF
    deferred = sum(len(s.deferred) for s in result.assessment.systems)
    (count,) = sparql_select(f"{server}/query", f"""
        PREFIX rai: <{RAI}> SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}/judgement> {{
          ?r a rai:RequirementJudgement ; rai:standing rai:Deferred }} }}""")
    assert int(count["n"]) == deferred


def test_publishing_for_an_audience_leaves_out_what_it_may_not_see(repo: Path, server: str) -> None:
    """With --audience public, files holding internal or customer records are not published (and
    are removed if they were), and no reason names a withheld record."""
    _publish(repo, server)
    output = _publish(repo, server, "--audience", "public")
    assert "removed" in output
    published = set(_graph_sizes(server))
    result = run(repo, dt.date.fromisoformat(AS_OF), cache=False)
    from rai_graph.audience import AudienceView

    view = AudienceView("public", result.model, result.validation.artifacts)
    hidden = {graph_iri(BASE, f.path) for f in result.repository.data_files() if not view.sees_file(f.path)}
    assert hidden
    assert not hidden & published
    rows = sparql_select(f"{server}/query", f"""
        PREFIX rai: <{RAI}> SELECT ?reason WHERE {{ GRAPH <{BASE}/judgement> {{ ?j rai:reason ?reason }} }}""")
    withheld = [e for e in result.model.evidence.values() if not view.sees(e)]
    assert all(e.title not in row["reason"] for e in withheld for row in rows)


def test_publishing_without_an_audience_warns(repo: Path, server: str) -> None:
    """The default audience is internal, and the command says so."""
    output = _publish(repo, server)
    assert "warning: no --audience given: publishing for internal" in output


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Loopback server: the redirecting endpoint, or the other origin it points to."""

    seen: ClassVar[list[dict[str, str]]] = []
    target: ClassVar[str] = ""

    def _any(self) -> None:
        if self.target:
            self.send_response(307)
            self.send_header("Location", self.target + self.path)
            self.end_headers()
        else:
            type(self).seen.append(dict(self.headers))
            self.send_response(404)
            self.end_headers()

    do_GET = do_PUT = do_DELETE = _any

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> tuple[http.server.HTTPServer, str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def test_credentials_never_follow_a_redirect_to_another_origin(repo: Path) -> None:
    """A store that redirects to another origin (another port of loopback here) gets an error
    back, and the other origin never receives a request, let alone the Authorization header."""
    other_handler = type("Other", (_Recorder,), {"seen": [], "target": ""})
    other, other_url = _serve(other_handler)
    redirecting = type("Redirecting", (_Recorder,), {"seen": [], "target": other_url})
    first, first_url = _serve(redirecting)
    try:
        result = CliRunner().invoke(main, ["publish",
            "--repo", str(repo), "--endpoint", f"{first_url}/store", "--graph", BASE, "--quiet",
            "--audience", "internal", "--header", "Authorization: Bearer s3cret", "--timeout", "5"])
    finally:
        for httpd in (first, other):
            httpd.shutdown()
            httpd.server_close()  # shutdown() stops the loop; only this closes the listening socket
    assert result.exit_code == 2, result.output
    assert "another origin; not followed" in result.output
    assert other_handler.seen == []
