"""Input errors (data-model.md "Errors"): parse, shape, reference and artifact errors are reported
with file and line, all in one run, never as a traceback, and never stop other files being judged.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repo_builder import PREFIXES, GovernanceRepo, sha256_hex

if TYPE_CHECKING:
    from conftest import Cli, Outcome

BROKEN_TTL = "evidence/credit-scoring/broken.ttl"
FUZZED_TTL = "evidence/credit-scoring/fuzzed.ttl"


def only_error(outcome: Outcome) -> dict[str, Any]:
    """The single error reported, after checking the run failed because of it."""
    errors = outcome.data["errors"]
    assert len(errors) == 1, errors
    return dict(errors[0])


def assert_readable(message: str) -> None:
    """A message for people: one line, not a pySHACL or rdflib report dump."""
    assert message.strip()
    assert "\n" not in message.strip()
    for dump_marker in ("Constraint Violation in", "Source Shape:", "Traceback"):
        assert dump_marker not in message


def write_broken_turtle(repo: GovernanceRepo, relpath: str = BROKEN_TTL) -> int:
    """A record whose fourth body line is a syntax error; returns that line number."""
    repo.write_text(
        relpath,
        PREFIXES
        + "\n"
        + "ex:broken-record a rai:Evidence ;\n"
        + '    dcterms:title "Half-written record" ;\n'
        + "    rai:evidenceType rai:RiskAssessment ;\n"
        + "    rai:implements ] .\n",
    )
    return repo.line_of(relpath, "rai:implements ]")


# --- parse ----------------------------------------------------------------------------------------


def test_parse_error_has_file_and_line_and_others_are_judged(cli: Cli, repo: GovernanceRepo) -> None:
    """A syntax error is reported at its file and line while the other files are still judged."""
    repo.add_approved_evidence("risk-assessment")
    line = write_broken_turtle(repo)
    check = cli.check(repo)
    assert check.exit_code == 1, check.output
    assert check.data["conforms"] is False
    error = only_error(check)
    assert (error["kind"], error["file"], error["line"]) == ("parse", BROKEN_TTL, line)
    assert_readable(error["message"])
    assert check.data["findings"] == []
    status = cli.status(repo)
    assert status.status_of("CTRL-1") == "met"
    assert [(e["kind"], e["file"], e["line"]) for e in status.data["errors"]] == [("parse", BROKEN_TTL, line)]


def test_errors_a_broken_file_causes_elsewhere_are_folded_into_its_parse_error(
    cli: Cli, repo: GovernanceRepo,
) -> None:
    """Approvals of a record whose file cannot be parsed all dangle: one error, named first, says
    how many more it causes; an unrelated dangling reference is still its own error."""
    repo.write_text(BROKEN_TTL, PREFIXES + "\nex:broken-record a rai:Evidence ;\n"
                    '    dcterms:title "Half-written record" ;\n    rai:implements ] .\n')
    for number in range(3):
        repo.add_approval(f"approval-{number}", "broken-record")
    repo.add_approval("approval-of-nothing", "never-written")
    check = cli.check(repo)
    errors = check.data["errors"]
    assert errors[0]["kind"] == "parse"
    assert errors[0]["file"] == BROKEN_TTL
    assert "and 3 more error(s) caused by it" in errors[0]["message"]
    dangling = [e for e in errors if e["kind"] == "reference"]
    assert len(dangling) == 1
    assert "never-written" in dangling[0]["message"]


def test_every_broken_file_is_reported_in_one_run(cli: Cli, repo: GovernanceRepo) -> None:
    """Two files with syntax errors give two parse errors, not just the first."""
    first = write_broken_turtle(repo, "evidence/credit-scoring/broken-a.ttl")
    second = write_broken_turtle(repo, "controls/broken-b.ttl")
    check = cli.check(repo)
    assert check.exit_code == 1
    reported = {(e["kind"], e["file"], e["line"]) for e in check.data["errors"]}
    assert reported == {
        ("parse", "evidence/credit-scoring/broken-a.ttl", first),
        ("parse", "controls/broken-b.ttl", second),
    }


def test_unknown_prefix_is_a_parse_error_naming_it(cli: Cli, repo: GovernanceRepo) -> None:
    """Using an undeclared prefix is reported at the line of use, naming the prefix."""
    repo.add_approved_evidence("risk-assessment")
    typo = repo.add_evidence("bias-review", extra=(("dcterms:subject", "acme:Bias"),))
    line = repo.line_of(typo.path, "acme:Bias")
    check = cli.check(repo)
    assert check.exit_code == 1
    error = only_error(check)
    assert (error["kind"], error["file"], error["line"]) == ("parse", typo.path, line)
    assert "acme" in error["message"]
    assert_readable(error["message"])
    assert cli.status(repo).status_of("CTRL-1") == "met"


def test_undecodable_bytes_are_a_parse_error(cli: Cli, repo: GovernanceRepo) -> None:
    """A .ttl file that is not UTF-8 is a parse error for that file, not a crash."""
    repo.add_approved_evidence("risk-assessment")
    repo.write_bytes(BROKEN_TTL, b"\xff\xfe\x00ex:a ex:b ex:c .\n\x80\x81")
    check = cli.check(repo, expect_crash_free=True)
    assert check.exit_code == 1
    error = only_error(check)
    assert (error["kind"], error["file"]) == ("parse", BROKEN_TTL)


# --- shape ----------------------------------------------------------------------------------------


def test_two_risk_tiers_is_a_shape_error(cli: Cli, base_repo: GovernanceRepo) -> None:
    """rai:riskTier is exactly one: a second tier is a shape error at the system's subject line."""
    system = base_repo.add_system(extra=(("rai:riskTier", "rai:LimitedRisk"),))
    check = cli.check(base_repo)
    assert check.exit_code == 1
    assert check.data["conforms"] is False
    shape_errors = check.errors_of("shape")
    assert len(shape_errors) == 1, check.data["errors"]
    error = shape_errors[0]
    assert (error["file"], error["line"]) == (system.path, system.line)
    assert "CreditScoring" in error["message"]
    assert_readable(error["message"])


@pytest.mark.parametrize(
    ("record_kind", "dropped"),
    [
        pytest.param("evidence", "dcterms:title", id="evidence-without-title"),
        pytest.param("evidence", "rai:evidenceType", id="evidence-without-type"),
        pytest.param("approval", "rai:decision", id="approval-without-decision"),
        pytest.param("waiver", "rai:rationale", id="waiver-without-rationale"),
        pytest.param("system", "rai:owner", id="system-without-owner"),
    ],
)
def test_missing_required_property_is_a_shape_error(
    cli: Cli, base_repo: GovernanceRepo, record_kind: str, dropped: str
) -> None:
    """A record lacking a property the data model requires is a shape error at its subject line."""
    if record_kind == "system":
        record = base_repo.add_system(omit=(dropped,))
    else:
        base_repo.add_system()
        if record_kind == "evidence":
            record = base_repo.add_evidence("risk-assessment", omit=(dropped,))
        elif record_kind == "approval":
            base_repo.add_evidence("risk-assessment")
            record = base_repo.add_approval("risk-approval", "risk-assessment", omit=(dropped,))
        else:
            record = base_repo.add_waiver("ctrl1-waiver", omit=(dropped,))
    check = cli.check(base_repo)
    assert check.exit_code == 1
    located = [(e["file"], e["line"]) for e in check.errors_of("shape")]
    assert (record.path, record.line) in located, check.data["errors"]
    local = record.iri.rsplit("/", 1)[-1]
    error = next(e for e in check.errors_of("shape") if (e["file"], e["line"]) == (record.path, record.line))
    assert local in error["message"]
    assert_readable(error["message"])


# --- reference ------------------------------------------------------------------------------------


def _evidence_for_ghost_system(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_evidence("risk-assessment", for_systems=("GhostSystem",))
    return "rai:forSystem ex:GhostSystem", "GhostSystem"


def _evidence_for_a_person(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_evidence("risk-assessment", for_systems=("carol",))
    return "rai:forSystem ex:carol", "carol"


def _evidence_implements_ghost_control(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_evidence("risk-assessment", implements=("GHOST-CTRL",))
    return "rai:implements ex:GHOST-CTRL", "GHOST-CTRL"


def _approval_of_ghost_evidence(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_approval("ghost-approval", "ghost-evidence")
    return "rai:approves ex:ghost-evidence", "ghost-evidence"


def _evidence_by_unknown_author(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_evidence("risk-assessment", author="nobody")
    return "prov:wasAttributedTo ex:nobody", "nobody"


def _waiver_of_ghost_control(repo: GovernanceRepo) -> tuple[str, str]:
    repo.add_waiver("ghost-waiver", waives="GHOST-CTRL")
    return "rai:waives ex:GHOST-CTRL", "GHOST-CTRL"


@pytest.mark.parametrize(
    "make_dangling",
    [
        pytest.param(_evidence_for_ghost_system, id="evidence-forSystem-undefined"),
        pytest.param(_evidence_for_a_person, id="evidence-forSystem-not-a-system"),
        pytest.param(_evidence_implements_ghost_control, id="evidence-implements-undefined"),
        pytest.param(_approval_of_ghost_evidence, id="approval-approves-undefined"),
        pytest.param(_evidence_by_unknown_author, id="evidence-author-undefined"),
        pytest.param(_waiver_of_ghost_control, id="waiver-waives-undefined"),
    ],
)
def test_dangling_reference_is_reported_where_it_appears(
    cli: Cli, repo: GovernanceRepo, make_dangling: Any
) -> None:
    """An IRI not defined as the expected class is a reference error at the referring line."""
    needle, name = make_dangling(repo)
    referring = [p for p in (repo.root / "evidence").rglob("*.ttl") if needle in p.read_text()]
    assert len(referring) == 1
    path = referring[0].relative_to(repo.root).as_posix()
    line = repo.line_of(path, needle)
    check = cli.check(repo)
    assert check.exit_code == 1
    assert check.data["conforms"] is False
    reference_errors = check.errors_of("reference")
    assert [(e["file"], e["line"]) for e in reference_errors] == [(path, line)], check.data
    assert name in reference_errors[0]["message"]
    assert_readable(reference_errors[0]["message"])


# --- all kinds together --------------------------------------------------------------------------


def test_all_error_kinds_reported_together_and_good_system_judged(cli: Cli, repo: GovernanceRepo) -> None:
    """Parse, shape, reference and artifact errors all appear in one run; the sound data is judged."""
    repo.add_system("fraud-detection", "FraudDetection", title="Fraud detection")
    repo.add_approved_evidence("fraud-risk", system="fraud-detection")
    parse_line = write_broken_turtle(repo)
    bad_hash = repo.add_approved_evidence("risk-assessment", sha256=sha256_hex(b"not it"))
    repo.add_evidence("ghost-evidence", for_systems=("GhostSystem",))
    waiver = repo.add_waiver("long-waiver", ended="2026-01-01", expires="2027-06-01")
    check = cli.check(repo)
    assert check.exit_code == 1
    located = {(e["kind"], e["file"], e["line"]) for e in check.data["errors"]}
    ghost_path = "evidence/credit-scoring/ghost-evidence.ttl"
    assert {
        ("parse", BROKEN_TTL, parse_line),
        ("artifact", bad_hash.path, bad_hash.line),
        ("reference", ghost_path, repo.line_of(ghost_path, "ex:GhostSystem")),
        ("shape", waiver.path, waiver.line),
    } <= located
    status = cli.status(repo)
    assert status.status_of("CTRL-1", "fraud-detection") == "met"
    assert status.status_of("CTRL-1", "credit-scoring") == "invalid"


# --- property: arbitrary bytes --------------------------------------------------------------------

_TOKENS = [
    "ex:a", "ex:b", "rai:Evidence", "rai:forSystem", "ex:CreditScoring", "a", ";", ",", ".",
    "[", "]", "(", ")", '"text"', '"""long', "<https://example.org/x>", "<>", "@prefix",
    "@base", "PREFIX", "ex:", "_:b0", "42", "-1.5e3", "true", "\n", "#", "'", "\\", "é", "\t",
]  # fmt: skip

# Well-formed statements over the fixture's own IRIs: they parse, and make the tool cope with
# nonsense that is syntactically fine (a system that is also evidence, a date that is a number).
_SUBJECTS = ["ex:CreditScoring", "ex:risk-assessment", "ex:CTRL-1", "ex:alice", "ex:new", "_:b0"]
_PREDICATES = [
    "a", "rai:forSystem", "rai:implements", "rai:riskTier", "rai:evidenceType", "rai:artifact",
    "rai:sha256", "prov:generatedAtTime", "rai:approves", "rai:decision", "rai:waives",
    "rai:expires", "rai:scope", "rai:requiresApprovalBy", "dcterms:title",
]  # fmt: skip
_OBJECTS = [
    "rai:Evidence", "rai:AISystem", "rai:Approval", "rai:Waiver", "rai:Control", "rai:HighRisk",
    "rai:Approved", "rai:Rejected", "rai:OrganisationScope", "ex:CreditScoring", "ex:CTRL-1",
    "ex:risk-assessment", "ex:nowhere", '"text"', "42", '"../../../etc/passwd"', '"/etc/hosts"',
    '"2026-01-01"^^xsd:date', '"2030-01-01"^^xsd:date', "[]",
]  # fmt: skip

_statements = st.lists(
    st.tuples(st.sampled_from(_SUBJECTS), st.sampled_from(_PREDICATES), st.sampled_from(_OBJECTS)),
    max_size=12,
).map(lambda triples: "".join(f"{s} {p} {o} .\n" for s, p, o in triples))

_fuzz_bytes = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda text: text.encode("utf-8")),
    st.lists(st.sampled_from(_TOKENS), max_size=40).map(
        lambda tokens: (PREFIXES + " ".join(tokens)).encode("utf-8")
    ),
    _statements.map(lambda body: (PREFIXES + body).encode("utf-8")),
)


def _rdflib_parses(path: Path) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rdflib.Graph().parse(source=str(path), format="turtle")
        except Exception:  # any failure of the reference parser means "does not parse"
            return False
    return True


@pytest.fixture
def clean_repo(repo: GovernanceRepo) -> GovernanceRepo:
    """The default repository with CTRL-1 met, so check passes until a file is broken."""
    repo.add_approved_evidence("risk-assessment")
    return repo


@pytest.mark.slow  # Hypothesis over arbitrary bytes: not in `make test-fast`
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=_fuzz_bytes)
def test_arbitrary_bytes_never_crash_check(cli: Cli, clean_repo: GovernanceRepo, content: bytes) -> None:
    """Whatever bytes one .ttl holds, check exits 0 or 1 and reports a parse error iff they don't parse."""
    fuzzed = clean_repo.write_bytes(FUZZED_TTL, content)
    check = cli.check(clean_repo, expect_crash_free=True)
    assert check.exit_code in (0, 1), check.output
    parse_errors_here = [e for e in check.errors_of("parse") if e["file"] == FUZZED_TTL]
    if _rdflib_parses(fuzzed):
        assert parse_errors_here == []
    else:
        assert len(parse_errors_here) == 1, check.data["errors"]
        assert check.exit_code == 1
