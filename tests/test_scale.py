"""The fast paths give exactly the results of the reference path.

Reference: rdflib parses every file, pySHACL validates the whole data graph at once, nothing is
cached. Fast: pyoxigraph parses, SHACL is scoped per record file (and run by the Rust engine when
installed), results come from the cache. Every combination must print the same JSON on the same
repositories: the example organisation, a generated one, and one full of mistakes (every
structural-shape violation of ``test_structural_shapes.py``, syntax errors, blank nodes, tricky
Turtle).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rai_graph import progress as progress_module
from rai_graph.authoring.generator import generate_repository
from rai_graph.load.parse import parse_turtle
from rai_graph.load.repository import load_repository
from rai_graph.model import build_model
from rai_graph.pipeline import run
from rai_graph.progress import RichProgress, SilentProgress, progress_for
from rai_graph.render.machine_schema import check_report, status_report
from rai_graph.validate import shacl as _shacl
from rai_graph.validate.records import check_structure
from rai_graph.validate.shacl import Scope
from test_structural_shapes import BREAKING_EDITS, PREFIXES, VALID, edit

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_scale")]  # not in `make test-fast`

ROOT = Path(__file__).parent.parent
AS_OF = "2026-11-24"

# Turtle on which parsers are known to disagree in small ways; rai-graph must not.
TRICKY = {
    "case-and-datatypes.ttl": """@prefix ex: <https://example.org/tricky/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:label "Upper"@EN-GB , "plain" , "typed"^^xsd:string , "x"^^<http://www.w3.org/2001/XMLSchema#string> ;
  ex:n 01 , 1.50 , 1e3 , -0 , true , "2026-13-45"^^xsd:date .
""",
    "escapes-and-bases.ttl": """@base <https://example.org/base/dir/> .
@prefix ex: <https://example.org/tricky/> .
<rel> ex:p <../up> , <#frag> , <> , <?q=1> ;
  ex:s "tab\\tnew\\nline \\"quoted\\" \\u00e9\\U0001F600 back\\\\slash" , '''single
multi''' .
ex:esc\\-aped ex:p ex:a.b , ex:c .
""",
    "blank-nodes.ttl": """@prefix ex: <https://example.org/tricky/> .
ex:x ex:list ( ex:a [ ex:b ( 1 2 ) ] ) ; ex:node [ ex:c [ ex:d "deep" ] ] .
[ ex:e ex:f ] .
_:shared ex:g ex:h . ex:y ex:ref _:shared , _:shared .
""",
    "reified-tilde.ttl": """@prefix ex: <https://example.org/tricky/> .
ex:home ex:page <https://example.org/~someone/> ; ex:text "a << b" .
""",
}


def _copy_example(target: Path) -> Path:
    for name in ("frameworks", "controls", "evidence"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "rai-graph.toml", target / "rai-graph.toml")
    return target


def _generated(target: Path) -> Path:
    generate_repository(target, systems=6, seed=11)
    return target


def _messy(target: Path) -> Path:
    """A generated repository plus every structural-shape violation, syntax errors and odd Turtle."""
    generate_repository(target, systems=2, seed=4)
    cases = [("valid", VALID)] + [(case[0], edit(case[1], case[2])) for case in BREAKING_EDITS]
    for number, (_name, records) in enumerate(cases):
        namespace = f"https://example.org/case{number:02d}/"
        prefixes = PREFIXES.replace("https://example.org/acme/", namespace)
        folder = target / "evidence" / f"case-{number:02d}"
        folder.mkdir(parents=True)
        (folder / "records.ttl").write_text(prefixes + records, encoding="utf-8")
    tricky = target / "evidence" / "tricky"
    tricky.mkdir()
    for name, text in TRICKY.items():
        (tricky / name).write_text(text, encoding="utf-8")
    (tricky / "broken.ttl").write_text('@prefix ex: <https://example.org/t/> .\nex:a ex:b "open .\n',
                                       encoding="utf-8")
    (tricky / "unknown-prefix.ttl").write_text("nope:a nope:b nope:c .\n", encoding="utf-8")
    return target


CORPORA: dict[str, Callable[[Path], Path]] = {
    "example": _copy_example, "generated": _generated, "messy": _messy,
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return CORPORA[request.param](tmp_path_factory.mktemp(request.param) / "repo")


def outputs(repo: Path, monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, object]:
    """check and status JSON of ``repo`` (as the CLI prints them) with RAI_GRAPH_* settings."""
    with monkeypatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(f"RAI_GRAPH_{name}", value)
        result = run(repo, dt.date.fromisoformat(AS_OF))
    systems, errors = result.assessment.systems, result.validation.errors
    return {
        "check": json.loads(check_report(result.assessment, errors, systems).model_dump_json()),
        "status": json.loads(status_report(result.assessment, errors, systems).model_dump_json()),
    }


REFERENCE = {"PARSER": "rdflib", "SHACL": "pyshacl", "NO_CACHE": "1"}


def test_every_fast_path_prints_what_the_reference_prints(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """pyoxigraph parsing, scoped SHACL with either engine, cold and warm cache: same JSON."""
    monkeypatch.setenv("RAI_GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    reference = outputs(corpus, monkeypatch, **REFERENCE)
    engines = ["pyshacl"] + (["rust"] if _shacl.rust_shacl is not None else [])
    for engine in engines:
        cold = outputs(corpus, monkeypatch, SHACL=engine, PARSER="oxigraph")
        warm = outputs(corpus, monkeypatch, SHACL=engine, PARSER="oxigraph")
        assert cold == reference, engine
        assert warm == reference, engine


def test_scoped_validation_equals_whole_graph_validation(
    corpus: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per-unit SHACL results (each engine) are pySHACL's results over the whole data graph."""
    repo = load_repository(corpus)
    model = build_model(repo)
    with monkeypatch.context() as patch:
        patch.setattr(_shacl, "scope_of", lambda shapes: Scope(False))
        whole = set(check_structure(repo, model, engine="pyshacl"))
    assert whole == set(check_structure(repo, model, engine="pyshacl"))
    if _shacl.rust_shacl is not None:
        assert whole == set(check_structure(repo, model, engine="rust"))


def test_structural_cases_are_reported_the_same_by_both_engines(tmp_path: Path) -> None:
    """Every breaking edit of the structural-shape tests: identical errors from pySHACL and Rust."""
    if _shacl.rust_shacl is None:
        pytest.skip("the Rust shacl package is not installed")
    repo = load_repository(_messy(tmp_path / "repo"))
    model = build_model(repo)
    reference = set(check_structure(repo, model, engine="pyshacl"))
    # The corpus files its records under evidence/; a statement evidence may never make at all
    # (a role grant) is refused by the model's trust boundary before SHACL sees it.
    refused_first = {number for number, case in enumerate(BREAKING_EDITS, start=1) if "rai:hasRole" in case[2]}
    expected = {f"evidence/case-{number:02d}/records.ttl" for number in range(1, len(BREAKING_EDITS) + 1)
                if number not in refused_first}
    assert {e.file for e in reference if e.file.startswith("evidence/case-")} == expected
    assert set(check_structure(repo, model, engine="rust")) == reference


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_both_parsers_give_the_same_triples(name: str) -> None:
    """pyoxigraph and rdflib give isomorphic graphs, term for term, on tricky Turtle."""
    text, base = TRICKY[name], f"file:///evidence/tricky/{name}"
    graphs = []
    for parser in ("rdflib", "oxigraph"):
        outcome = parse_turtle(text, base, parser)
        assert outcome[0] == "ok", outcome
        graph = Graph()
        from rai_graph.load.parse import TermInterner

        for triple in TermInterner().triples(outcome, "b"):
            graph.add(triple)
        graphs.append(graph)
    assert len(graphs[0]) == len(graphs[1]) > 0
    assert isomorphic(graphs[0], graphs[1])


def test_shapes_needing_the_whole_graph_are_not_scoped() -> None:
    """SPARQL constraints and paths into other nodes are validated over the whole graph."""
    sparql = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?x }" ] .""", format="turtle")
    inverse = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .""", format="turtle")
    nested = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:property [ sh:path ex:p ; sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ] .""",
                           format="turtle")
    local = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetObjectsOf ex:t ;
          sh:or ( [ sh:not [ sh:path ex:p ; sh:hasValue ex:v ] ] [ sh:path ex:q ; sh:class ex:D ] ) ;
          sh:property [ sh:path [ sh:alternativePath ( ex:a ex:b ) ] ;
                        sh:or ( [ sh:datatype ex:x ] [ sh:nodeKind sh:IRI ] ) ] .""", format="turtle")
    assert not _shacl.scope_of(sparql).per_unit
    assert not _shacl.scope_of(inverse).per_unit
    assert not _shacl.scope_of(nested).per_unit
    scope = _shacl.scope_of(local)
    assert scope.per_unit
    assert {str(p) for p in scope.class_predicates} == {"http://ex/q"}
    assert {str(p) for p in scope.objects_of} == {"http://ex/t"}


def test_progress_bars_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bars on a terminal; never in CI, with --quiet or RAI_GRAPH_QUIET, or when stderr is piped."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("RAI_GRAPH_QUIET", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(progress_for(), RichProgress)
    assert isinstance(progress_for(quiet=True), SilentProgress)
    monkeypatch.setenv("RAI_GRAPH_QUIET", "1")
    assert isinstance(progress_for(), SilentProgress)
    monkeypatch.delenv("RAI_GRAPH_QUIET")
    monkeypatch.setenv("CI", "true")
    assert isinstance(progress_for(), SilentProgress)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert isinstance(progress_for(), SilentProgress)


def test_a_run_with_progress_bars_judges_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing bars (forced on, shown at once) changes nothing in the results."""
    repo = _generated(tmp_path / "repo")
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0.0)
    with_bars = run(repo, dt.date.fromisoformat(AS_OF), cache=False, progress=RichProgress())
    without = run(repo, dt.date.fromisoformat(AS_OF), cache=False)
    assert with_bars.validation.errors == without.validation.errors
    assert [(p.control.iri, p.status) for s in with_bars.assessment.systems for p in s.pairs] == [
        (p.control.iri, p.status) for s in without.assessment.systems for p in s.pairs]
