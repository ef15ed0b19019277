"""`rai-graph query` and `rai-graph export` (turtle, nt, nquads, jsonld, OSCAL)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from rai_graph.cli import main

from repo_builder import GovernanceRepo, ex

SELECT_SYSTEMS = ("PREFIX rai: <https://w3id.org/rai-graph/ns#> "
                  "PREFIX dcterms: <http://purl.org/dc/terms/> "
                  "SELECT ?system ?title WHERE { ?system a rai:AISystem ; dcterms:title ?title }")


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    governance = GovernanceRepo(tmp_path / "governance").with_base()
    governance.add_system()
    governance.add_approved_evidence("risk")
    return governance


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_select_as_table_json_and_csv(repo: GovernanceRepo) -> None:
    """SELECT results print as an aligned table, JSON objects or CSV."""
    code, output = _run("query", "--repo", str(repo.root), SELECT_SYSTEMS)
    assert code == 0, output
    assert output.splitlines()[2] == f"{ex('CreditScoring')}  Credit scoring model"
    assert output.endswith("(1 row)\n")
    code, output = _run("query", "--repo", str(repo.root), "--format", "json", SELECT_SYSTEMS)
    assert json.loads(output) == [{"system": ex("CreditScoring"), "title": "Credit scoring model"}]
    code, output = _run("query", "--repo", str(repo.root), "--format", "csv", SELECT_SYSTEMS)
    assert output == f"system,title\n{ex('CreditScoring')},Credit scoring model\n"


def test_ask_and_bad_sparql(repo: GovernanceRepo) -> None:
    """ASK prints true/false; invalid SPARQL is a one-line error with exit code 2."""
    code, output = _run("query", "--repo", str(repo.root),
                        "ASK { ?s a <https://w3id.org/rai-graph/ns#Evidence> }")
    assert (code, output) == (0, "true\n")
    code, output = _run("query", "--repo", str(repo.root), "SELEKT nonsense")
    assert code == 2
    assert "not valid SPARQL" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_export_round_trips(repo: GovernanceRepo, tmp_path: Path, fmt: str) -> None:
    """The exported merged graph parses back and holds the repository's records."""
    target = tmp_path / f"export.{fmt}"
    code, output = _run("export", "--repo", str(repo.root), "--format", fmt, "-o", str(target))
    assert code == 0, output
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph().parse(data=target.read_text(encoding="utf-8"),
                              format="json-ld" if fmt == "jsonld" else fmt)
    assert (URIRef(ex("risk")), None, None) in graph


def test_export_nquads_keeps_one_graph_per_file(repo: GovernanceRepo, tmp_path: Path) -> None:
    """N-Quads keep the file of every triple as its named graph."""
    target = tmp_path / "export.nq"
    assert _run("export", "--repo", str(repo.root), "--format", "nquads", "-o", str(target))[0] == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    graphs = {line.rsplit(" ", 2)[-2] for line in lines if line}
    assert "<urn:rai-graph:file:evidence/credit-scoring/risk.ttl>" in graphs
    assert any(line.startswith(f"<{ex('risk')}> ") and "risk.ttl>" in line for line in lines)


def test_oscal_catalog_is_valid_oscal() -> None:
    """The example's control library exports as an OSCAL catalog that trestle's models accept."""
    from trestle.oscal.catalog import Catalog

    project = Path(__file__).parent.parent
    code, output = _run("export", "--repo", str(project), "--format", "oscal")
    assert code == 0
    document = json.loads(output)
    catalog = Catalog.model_validate(document["catalog"]) if hasattr(Catalog, "model_validate") \
        else Catalog.parse_obj(document["catalog"])
    controls = [c for g in catalog.groups or [] for c in g.controls or []]
    assert len(controls) >= 40
    first = document["catalog"]["groups"][0]["controls"][0]
    assert any(link["rel"] == "satisfies" for link in first["links"])
