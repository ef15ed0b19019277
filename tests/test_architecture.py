"""The house shows the pipeline: load → provenance → model → validate → trace → views.

Views (renderers, questionnaires, KPIs and analyses, evidence packs) take the judged parts — the
model, the assessment, the validation outcome, provenance, settings and a tree for artefact
bytes — never the rdflib dataset or triples, so no view can re-derive a judgement from the graph.
The stages import only what comes before them, and the CLI stays thin.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "rai_graph"

VIEWS = ("render", "questionnaire", "analysis", "pack/build.py", "pack/manifest.py")
"""Everything that renders the judgement. ``pack/verify.py`` reads an untrusted pack (its own
input) and re-judges it through the pipeline; ``export``/``publish`` serialise the graph itself."""

GRAPH_ACCESS = frozenset({"dataset", "quads", "triples", "subjects", "objects", "predicates",
                          "subject_objects", "predicate_objects", "subject_predicates", "value"})
GRAPH_TYPES = frozenset({"Graph", "Dataset", "ConjunctiveGraph"})

# Which stage may import which (a stage may always import itself and the shared leaves).
SHARED = {"errors", "vocab", "_version", "_display", "order", "settings", "progress", "audience", "dates",
          "checkout", "parallel"}
STAGES: dict[str, set[str]] = {
    "load": set(),
    "provenance": {"load"},
    "model": {"load"},
    "validate": {"load", "model"},
    "trace": {"model", "validate", "provenance"},
}


def modules(*roots: str) -> Iterator[Path]:
    for root in roots:
        path = PACKAGE / root
        yield from ([path] if path.suffix == ".py" else sorted(path.rglob("*.py")))


def test_views_never_touch_the_dataset_or_triples() -> None:
    """No module that renders the judgement reads ``.dataset``, iterates triples or builds an
    rdflib graph (a view that did would re-derive what the engine already judged)."""
    offences = []
    for path in modules(*VIEWS):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in GRAPH_ACCESS and node.attr != "value":
                offences.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
            if (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rdflib")
                    and any(alias.name in GRAPH_TYPES for alias in node.names)):
                offences.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: imports rdflib graphs")
    assert offences == []


def test_the_check_above_sees_an_offence() -> None:
    """The scan is not vacuous: the loader itself reads the dataset and would be reported."""
    text = (PACKAGE / "load" / "repository.py").read_text(encoding="utf-8")
    attributes = {n.attr for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Attribute)}
    assert attributes & GRAPH_ACCESS


def _imports(path: Path) -> set[str]:
    """The rai_graph top-level modules ``path`` imports (``rai_graph.trace.status`` → ``trace``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            if name and name.startswith("rai_graph."):
                found.add(name.split(".")[1])
    return found


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_imports_only_earlier_stages(stage: str) -> None:
    """load → provenance → model → validate → trace: no stage reaches forward (validate no longer
    imports trace; the model imports nothing after load)."""
    allowed = STAGES[stage] | SHARED | {stage}
    for path in modules(stage if (PACKAGE / stage).is_dir() else f"{stage}.py"):
        assert _imports(path) <= allowed, (path.relative_to(PACKAGE), _imports(path) - allowed)


def test_the_version_module_imports_nothing_of_the_package() -> None:
    """``_version`` ends the import cycle: any module can read the version without the package."""
    assert _imports(PACKAGE / "_version.py") == set()


def test_the_architecture_document_names_every_package() -> None:
    """docs/architecture.md describes the packages as they are."""
    text = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    missing = [name for name in packages if f"`{name}/`" not in text]
    assert missing == []
