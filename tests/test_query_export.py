"""`rai-graph query` and `rai-graph export` (turtle, nt, nquads, jsonld, OSCAL)."""

from __future__ import annotations

import json
import os
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
    # Standard output only: a warning on standard error (a cache another user's run signed, in a
    # developer's checkout) is no part of the document.
    result = CliRunner().invoke(main, ["export", "--repo", str(project), "--format", "oscal"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    catalog = Catalog.model_validate(document["catalog"]) if hasattr(Catalog, "model_validate") \
        else Catalog.parse_obj(document["catalog"])
    controls = [c for g in catalog.groups or [] for c in g.controls or []]
    assert len(controls) >= 40
    first = document["catalog"]["groups"][0]["controls"][0]
    assert any(link["rel"] == "satisfies" for link in first["links"])


def test_shipped_context_is_the_one_the_ontology_gives() -> None:
    """context.jsonld (served at CONTEXT_URL) has a term for every class and property of rai.ttl,
    with IRI-valued and typed terms as the ontology declares them."""
    from importlib import resources

    from rai_graph.export import CONTEXT_URL, build_context, shipped_context

    ontology = Graph().parse(data=resources.files("rai_graph").joinpath("ontology/rai.ttl").read_text("utf-8"),
                             format="turtle")
    if os.environ.get("RAI_GRAPH_UPDATE_GOLDEN"):  # regenerate after changing rai.ttl
        target = Path(str(resources.files("rai_graph").joinpath("context.jsonld")))
        target.write_text(json.dumps(build_context(ontology), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert shipped_context() == build_context(ontology), "regenerate: RAI_GRAPH_UPDATE_GOLDEN=1 pytest"
    terms = shipped_context()["@context"]
    assert terms["forSystem"] == {"@id": "rai:forSystem", "@type": "@id"}
    assert terms["validUntil"] == {"@id": "rai:validUntil", "@type": "xsd:date"}
    assert terms["rai"] == "https://w3id.org/rai-graph/ns#"
    assert CONTEXT_URL == "https://w3id.org/rai-graph/context.jsonld"


def test_jsonld_export_embeds_the_context_and_reads_back_offline(repo: GovernanceRepo, tmp_path: Path) -> None:
    """The JSON-LD export carries the published context itself (no fetch needed), uses its terms,
    and means exactly the triples of the Turtle export."""
    from rai_graph.export import shipped_context

    code, jsonld = _run("export", "--repo", str(repo.root), "--format", "jsonld")
    assert code == 0, jsonld
    document = json.loads(jsonld)
    assert document["@context"] == shipped_context()["@context"]
    risk = next(node for node in document["@graph"] if node.get("@id") in ("ex:risk", ex("risk")))
    assert "forSystem" in risk
    code, turtle = _run("export", "--repo", str(repo.root), "--format", "turtle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from_jsonld = Graph().parse(data=jsonld, format="json-ld")
    from rdflib.compare import isomorphic

    assert isomorphic(from_jsonld, Graph().parse(data=turtle, format="turtle"))


def test_graph_export_is_scoped_to_the_audience(repo: GovernanceRepo) -> None:
    """For the public, the file of the internal risk assessment (and its approval) is not exported."""
    code, everything = _run("export", "--repo", str(repo.root), "--format", "nt")
    assert code == 0
    code, public = _run("export", "--repo", str(repo.root), "--format", "nt", "--audience", "public")
    assert code == 0
    assert f"<{ex('risk')}>" in everything
    assert f"<{ex('risk')}>" not in public
    assert f"<{ex('CreditScoring')}>" in public
