"""The hostile corpus: one small governance repository per case, built on demand in ``tmp_path``.

A case is a builder. It receives a fresh repository holding the shared base of
``repo_builder.GovernanceRepo.with_base()`` (control CTRL-1 needs an approved RiskAssessment),
the *victim* system ``credit-scoring`` (where the hostile input goes) and the *bystander* system
``bystander`` (approved evidence, CTRL-1 met), adds its wrong, careless or hostile files, and
returns what the tool must make of them (:class:`Expected`). The bystander proves that the other
files are still judged. ``README.md`` beside this file tabulates every case and its verdict.

Cases that need more than a small repository (a 1 GiB sparse artefact, a 50 MB Turtle file,
named pipes) are marked so that ``test_hostile.py`` runs them in a subprocess with limits.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from repo_builder import DEFAULT_SYSTEM, PREFIXES, GovernanceRepo, literal, sha256_hex

VICTIM = DEFAULT_SYSTEM
BYSTANDER = "bystander"
BYSTANDER_LOCAL = "Bystander"
VICTIM_DIR = f"evidence/{VICTIM}"
HOSTILE_TTL = f"{VICTIM_DIR}/hostile.ttl"

SAME = "same as victim"


@dataclass(frozen=True)
class ExpectedError:
    """An error the run must report: its kind, file, one of ``lines``, and a message fragment."""

    kind: str
    file: str
    lines: tuple[int | None, ...]
    contains: str = ""


@dataclass(frozen=True)
class Expected:
    """The verdict of a case.

    ``victim`` is the status of (credit-scoring, CTRL-1) (or a tuple of acceptable ones), or None
    when the pair must not be listed. ``either_parse_error_in`` names a file the parser may accept or refuse (a lenient
    reference parser, or a limit such as nesting depth): either is a clear verdict, as long as a
    refusal is one parse error about that file. Errors are allowed only in the files of
    ``errors`` and ``either_parse_error_in``.
    """

    errors: tuple[ExpectedError, ...] = ()
    victim: str | tuple[str, ...] | None = "missing"
    exit_code: int = 1
    usage_message: str = ""
    either_parse_error_in: str | None = None
    victim_if_refused: str | tuple[str, ...] | None = SAME
    """The victim's status when the parser refuses ``either_parse_error_in``."""
    bystander: bool = True


@dataclass(frozen=True)
class HostileCase:
    id: str
    summary: str
    build: Callable[[GovernanceRepo], Expected]
    standard: bool = True
    """Start from the standard repository (base, victim and bystander); else an empty folder."""
    subprocess: bool = False
    """Run the CLI in a subprocess with a timeout (the input could make a process hang)."""


def standard_repo(root: Path) -> GovernanceRepo:
    """The base, the victim system and the bystander system with approved evidence."""
    repo = GovernanceRepo(root).with_base()
    repo.add_system()
    repo.add_system(BYSTANDER, BYSTANDER_LOCAL, title="Bystander system")
    repo.add_approved_evidence("bystander-risk", system=BYSTANDER)
    return repo


def _parse(file: str, *lines: int | None, contains: str = "") -> ExpectedError:
    return ExpectedError("parse", file, lines, contains)


def _hostile_text(repo: GovernanceRepo, body: str, relpath: str = HOSTILE_TTL) -> None:
    repo.write_text(relpath, PREFIXES + "\n" + body)


# --- malformed Turtle -----------------------------------------------------------------------


def unterminated_string(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, 'ex:x a rai:Evidence ;\n    dcterms:title "never closed ;\n'
                        "    rai:evidenceType rai:Policy .\n")
    return Expected((_parse(HOSTILE_TTL, repo.line_of(HOSTILE_TTL, "never closed")),))


def unterminated_long_string(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, 'ex:x a rai:Evidence ;\n    dcterms:title """never\nclosed ;\n'
                        "    rai:evidenceType rai:Policy .\n")
    start = repo.line_of(HOSTILE_TTL, '"""never')
    last = (repo.root / HOSTILE_TTL).read_text().count("\n") + 1
    # Where the string starts, or where the parser ran out of file: both point at the fault.
    return Expected((_parse(HOSTILE_TTL, start, last, last - 1, contains="string"),))


def bad_prefix_directive(repo: GovernanceRepo) -> Expected:
    repo.write_text(HOSTILE_TTL, "@prefix rai <https://w3id.org/rai-graph/ns#> .\n"
                                 "@prefix ex: <https://example.org/acme/> .\nex:x a rai:Evidence .\n")
    return Expected((_parse(HOSTILE_TTL, 1, contains="prefix"),))


def prefix_used_before_declared(repo: GovernanceRepo) -> Expected:
    repo.write_text(HOSTILE_TTL, "ex:x a rai:Evidence .\n\n" + PREFIXES)
    return Expected((_parse(HOSTILE_TTL, 1),))


def truncated_statement(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, "ex:x a rai:Evidence ;\n    dcterms:title\n")
    start = repo.line_of(HOSTILE_TTL, "ex:x a")
    return Expected((_parse(HOSTILE_TTL, start, start + 1),))


def truncated_without_final_newline(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, "ex:x a rai:Evidence ;\n    dcterms:title")
    start = repo.line_of(HOSTILE_TTL, "ex:x a")
    return Expected((_parse(HOSTILE_TTL, start, start + 1, contains="Turtle"),))


def bad_escape(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, 'ex:x a rai:Evidence ;\n    dcterms:title "C:\\qwerty\\path" .\n')
    return Expected((_parse(HOSTILE_TTL, repo.line_of(HOSTILE_TTL, "qwerty"), contains="escape"),))


def bad_unicode_escape(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, 'ex:x rdfs:label "bad \\u12G4 escape" .\n')
    return Expected(either_parse_error_in=HOSTILE_TTL)


def iri_with_space_and_nul(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, "ex:x rdfs:seeAlso <https://example.org/a b> .\nex:y\x00 rdfs:label \"y\" .\n")
    return Expected(either_parse_error_in=HOSTILE_TTL)


# --- wrong datatypes ------------------------------------------------------------------------


def date_yesterday(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk", generated="yesterday")
    return Expected((ExpectedError("shape", record.path, (record.line,), "yesterday"),))


def date_as_integer(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence(
        "risk", omit=("prov:generatedAtTime",), extra=(("prov:generatedAtTime", "20260115"),))
    return Expected((ExpectedError("shape", record.path, (record.line,), "generatedAtTime"),))


def valid_until_impossible(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk", valid_until="2026-13-45")
    # Evidence whose last valid day cannot be read must not count: any gap status will do.
    return Expected((ExpectedError("shape", record.path, (record.line,), "2026-13-45"),),
                    victim=("expired", "invalid", "missing"))


def approval_date_not_a_date(repo: GovernanceRepo) -> Expected:
    repo.add_evidence("risk")
    approval = repo.add_approval("risk-approval", "risk", ended="soon")
    return Expected((ExpectedError("shape", approval.path, (approval.line,), "soon"),),
                    victim="unapproved")


def sha256_not_hex(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk", sha256="not-a-hash")
    return Expected((ExpectedError("shape", record.path, (record.line,), "not-a-hash"),
                     ExpectedError("artifact", record.path, (record.line,), "not-a-hash")),
                    victim="invalid")


def sha256_uppercase(repo: GovernanceRepo) -> Expected:
    content = b"# Risk assessment\n"
    record = repo.add_approved_evidence("risk", artifact_bytes=content,
                                        sha256=sha256_hex(content).upper())
    # The bytes match (hex is case-blind), so the evidence counts; the spelling is still wrong.
    return Expected((ExpectedError("shape", record.path, (record.line,), "lowercase"),), victim="met")


def sha256_typed_integer(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk", omit=("rai:sha256",), extra=(("rai:sha256", "42"),))
    return Expected((ExpectedError("shape", record.path, (record.line,), "sha256"),
                     ExpectedError("artifact", record.path, (record.line,), "42")),
                    victim="invalid")


# --- dangling IRIs --------------------------------------------------------------------------


def approval_in_undefined_role(repo: GovernanceRepo) -> Expected:
    repo.add_evidence("risk")
    approval = repo.add_approval("risk-approval", "risk", in_role="GhostRole")
    line = repo.line_of(approval.path, "ex:GhostRole")
    return Expected((ExpectedError("reference", approval.path, (line,), "GhostRole"),),
                    victim="unapproved")


def system_tier_undefined(repo: GovernanceRepo) -> Expected:
    system = f"{VICTIM_DIR}/system.ttl"
    path = repo.root / system
    path.write_text(path.read_text().replace("rai:riskTier rai:HighRisk", "rai:riskTier ex:GhostTier"))
    line = repo.line_of(system, "ex:GhostTier")
    # An unknown tier demands no control: the pair is not listed, and check fails on the error.
    return Expected((ExpectedError("reference", system, (line,), "GhostTier"),), victim=None)


# --- a system defined twice -----------------------------------------------------------------


def system_defined_twice_conflicting_tiers(repo: GovernanceRepo) -> Expected:
    copy = f"{VICTIM_DIR}/system-copy.ttl"
    record = repo.append_block(copy, "ex:CreditScoring", (
        "ex:CreditScoring a rai:AISystem ;\n"
        '    dcterms:title "Credit scoring model (copy)" ;\n'
        "    rai:riskTier rai:MinimalRisk ;\n"
        "    rai:operatorRole rai:Provider ;\n"
        '    rai:intendedPurpose "Copied." ;\n'
        "    rai:owner ex:bob ;\n"
        "    rai:lifecycleStatus rai:Production .\n"))
    original = f"{VICTIM_DIR}/system.ttl"
    either = (record.line, repo.line_of(original, "ex:CreditScoring a"))
    return Expected((
        ExpectedError("shape", copy, either, "riskTier"),
        ExpectedError("shape", original, either, "already defined"),
    ))


def system_tier_downgraded_in_evidence_folder(repo: GovernanceRepo) -> Expected:
    # No second rai:AISystem block (no duplicate error): one triple lowers the tier.
    _hostile_text(repo, "ex:Exempt a rai:RiskTier .\nex:CreditScoring rai:riskTier ex:Exempt .\n")
    system = f"{VICTIM_DIR}/system.ttl"
    # The tier is no tier: only controls/ defines tiers (the typing is ignored, the use dangles).
    return Expected((ExpectedError("shape", system, (repo.line_of(system, "ex:CreditScoring a"),),
                                   "riskTier"),
                     ExpectedError("reference", HOSTILE_TTL, (repo.line_of(HOSTILE_TTL, "ex:Exempt a"),),
                                   "only controls/ and frameworks/ may define a RiskTier"),
                     ExpectedError("reference", HOSTILE_TTL, (repo.line_of(HOSTILE_TTL, "rai:riskTier ex:Exempt"),),
                                   "not defined as a risk tier")),
                    victim="missing")


# --- paths ----------------------------------------------------------------------------------


def artifact_dotdot(repo: GovernanceRepo) -> Expected:
    content = b"outside the repository\n"
    (repo.root.parent / "outside.md").write_bytes(content)
    record = repo.add_approved_evidence("risk", artifact_bytes=content, artifact_path="../../../outside.md")
    return Expected((ExpectedError("artifact", record.path, (record.line,), "leaves the repository"),),
                    victim="invalid")


def artifact_absolute(repo: GovernanceRepo) -> Expected:
    content = b"absolute\n"
    outside = repo.root.parent / "absolute.md"
    outside.write_bytes(content)
    record = repo.add_approved_evidence("risk", artifact_bytes=content, artifact_path=outside.as_posix())
    return Expected((ExpectedError("artifact", record.path, (record.line,), "absolute"),
                     ExpectedError("shape", record.path, (record.line,), "rai:artifact")),
                    victim="invalid")


def artifact_symlink_escape(repo: GovernanceRepo) -> Expected:
    content = b"linked from outside\n"
    outside = repo.root.parent / "linked.md"
    outside.write_bytes(content)
    (repo.root / VICTIM_DIR / "linked.md").symlink_to(outside)
    record = repo.add_approved_evidence("risk", artifact_bytes=content, artifact_path="linked.md")
    return Expected((ExpectedError("artifact", record.path, (record.line,), "symbolic link"),),
                    victim="invalid")


def artifact_symlink_loop(repo: GovernanceRepo) -> Expected:
    (repo.root / VICTIM_DIR / "a.md").symlink_to("b.md")
    (repo.root / VICTIM_DIR / "b.md").symlink_to("a.md")
    record = repo.add_approved_evidence("risk", artifact_path="a.md")
    return Expected((ExpectedError("artifact", record.path, (record.line,), "a.md"),), victim="invalid")


def artifact_is_directory(repo: GovernanceRepo) -> Expected:
    (repo.root / VICTIM_DIR / "attachments.md").mkdir()
    record = repo.add_approved_evidence("risk", artifact_path="attachments.md")
    return Expected((ExpectedError("artifact", record.path, (record.line,), "directory"),),
                    victim="invalid")


def artifact_is_named_pipe(repo: GovernanceRepo) -> Expected:
    os.mkfifo(repo.root / VICTIM_DIR / "pipe.md")
    record = repo.add_approved_evidence("risk", artifact_path="pipe.md")
    return Expected((ExpectedError("artifact", record.path, (record.line,), "pipe.md"),), victim="invalid")


def turtle_symlink_escape(repo: GovernanceRepo) -> Expected:
    # The file outside grants carol the approval role; it must not be loaded.
    outside = repo.root.parent / "grant.ttl"
    outside.write_text(PREFIXES + "ex:carol rai:hasRole ex:RAILead .\n", encoding="utf-8")
    (repo.root / HOSTILE_TTL).symlink_to(outside)
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")
    return Expected((_parse(HOSTILE_TTL, None, contains="outside the repository"),), victim="unapproved")


def turtle_symlink_loop(repo: GovernanceRepo) -> Expected:
    (repo.root / HOSTILE_TTL).symlink_to("loop.ttl")
    (repo.root / VICTIM_DIR / "loop.ttl").symlink_to("hostile.ttl")
    return Expected((_parse(HOSTILE_TTL, None), _parse(f"{VICTIM_DIR}/loop.ttl", None)))


def turtle_is_directory(repo: GovernanceRepo) -> Expected:
    (repo.root / HOSTILE_TTL).mkdir()
    return Expected((_parse(HOSTILE_TTL, None, contains="directory"),))


def turtle_is_named_pipe(repo: GovernanceRepo) -> Expected:
    os.mkfifo(repo.root / HOSTILE_TTL)
    return Expected((_parse(HOSTILE_TTL, None),))


def settings_is_directory(repo: GovernanceRepo) -> Expected:
    (repo.root / "rai-graph.toml").mkdir()
    return Expected((ExpectedError("parse", "rai-graph.toml", (None,), "directory"),))


def settings_not_toml(repo: GovernanceRepo) -> Expected:
    repo.write_text("rai-graph.toml", 'as_of = "tomorrow"\nframeworks = [\n')
    return Expected((ExpectedError("parse", "rai-graph.toml", (None, 2, 3), "TOML"),))


def settings_wrong_keys(repo: GovernanceRepo) -> Expected:
    repo.write_text("rai-graph.toml", 'as_of = "tomorrow"\napproval_strictness = "lax"\nshell = "rm -rf /"\n')
    return Expected((ExpectedError("shape", "rai-graph.toml", (1,), "as_of"),
                     ExpectedError("shape", "rai-graph.toml", (2,), "approval_strictness"),
                     ExpectedError("shape", "rai-graph.toml", (3,), "shell")),
                    # A misspelt strictness reads as the strictest (tests/test_settings.py), so the
                    # bystander's approval, never committed, rightly stops counting.
                    bystander=False)


# --- binary junk and encodings --------------------------------------------------------------


def binary_junk(repo: GovernanceRepo) -> Expected:
    repo.write_bytes(HOSTILE_TTL, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10")
    return Expected((_parse(HOSTILE_TTL, 1, contains="UTF-8"),))


def latin1_bytes(repo: GovernanceRepo) -> Expected:
    text = PREFIXES + '\nex:x rdfs:label "caf'
    repo.write_bytes(HOSTILE_TTL, text.encode() + b'\xe9" .\n')
    return Expected((_parse(HOSTILE_TTL, text.count("\n") + 1, contains="UTF-8"),))


def utf16_file(repo: GovernanceRepo) -> Expected:
    repo.write_bytes(HOSTILE_TTL, (PREFIXES + 'ex:x rdfs:label "x" .\n').encode("utf-16"))
    return Expected((_parse(HOSTILE_TTL, 1, contains="UTF-8"),))


def control_characters(repo: GovernanceRepo) -> Expected:
    repo.write_bytes(HOSTILE_TTL, bytes(range(1, 32)) * 3)
    return Expected((_parse(HOSTILE_TTL, 1, 2, 3, 4),))


def utf8_bom_is_fine(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk")
    path = repo.root / record.path
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Expected(victim="met", exit_code=0)


def cr_line_endings(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk")
    for path in (repo.root / record.path, repo.root / VICTIM_DIR / "risk-approval.ttl"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    # Valid Turtle (CR is whitespace); with pyoxigraph it loads. The rdflib parser alone refuses it:
    # test_fuzz.py::test_parsers_agree_on_cr_line_endings.
    return Expected(victim="met", exit_code=0)


def empty_and_comment_only_files(repo: GovernanceRepo) -> Expected:
    repo.write_bytes(HOSTILE_TTL, b"")
    repo.write_text(f"{VICTIM_DIR}/comments.ttl", "# nothing here yet\n\n   \n")
    return Expected(victim="missing", exit_code=1)


# --- nesting --------------------------------------------------------------------------------


def deep_blank_nodes(repo: GovernanceRepo) -> Expected:
    depth = 50_000
    _hostile_text(repo, "ex:deep rdfs:seeAlso " + "[ rdfs:seeAlso " * depth + "ex:leaf" + " ]" * depth + " .\n")
    return Expected(either_parse_error_in=HOSTILE_TTL)


def deep_collections(repo: GovernanceRepo) -> Expected:
    depth = 50_000
    _hostile_text(repo, "ex:deep rdfs:seeAlso " + "( " * depth + "ex:leaf" + " )" * depth + " .\n")
    return Expected(either_parse_error_in=HOSTILE_TTL)


def deep_nesting_inside_a_record(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk")
    depth = 3_000
    nested = "[ rai:metric " * depth + '"x"' + " ]" * depth
    path = repo.root / record.path
    path.write_text(path.read_text().rstrip()[:-2] + f" ;\n    rai:measurement {nested} .\n")
    # Measurements of the wrong shape are shape errors of the record; the evidence still counts
    # (CTRL-1 sets no threshold). A parser refusing the depth is a clear verdict too.
    return Expected((ExpectedError("shape", record.path, (record.line,), "measurement"),),
                    victim="met", either_parse_error_in=record.path, victim_if_refused="missing")


# --- text that looks like markup or code ----------------------------------------------------

MARKUP_TITLE = (
    "<script>alert('x')</script> **bold** [link](javascript:alert(1)) | cell | "
    "SELECT * WHERE { ?s ?p ?o } ; DROP GRAPH <urn:x> ; $(touch pwned) `rm -rf /` ::error::x"
)


def markup_and_code_in_text(repo: GovernanceRepo) -> Expected:
    repo.add_approved_evidence("risk", omit=("dcterms:title",),
                               extra=(("dcterms:title", literal(MARKUP_TITLE)),
                                      ("rdfs:seeAlso", "<https://example.org/%3Cscript%3E?q=%22%3E>")))
    return Expected(victim="met", exit_code=0)


# --- Unicode confusables --------------------------------------------------------------------


def confusable_approver_undefined(repo: GovernanceRepo) -> Expected:
    repo.add_evidence("risk")
    approval = repo.add_approval("risk-approval", "risk", by="\u0430lice")  # Cyrillic a
    line = repo.line_of(approval.path, "ex:\u0430lice")
    return Expected((ExpectedError("reference", approval.path, (line,), "\u0430lice"),), victim="unapproved")


def confusable_control_id(repo: GovernanceRepo) -> Expected:
    record = repo.add_evidence("risk", implements=("CTRL\u20101",))  # U+2010 HYPHEN
    repo.add_approval("risk-approval", "risk")
    line = repo.line_of(record.path, "ex:CTRL\u20101")
    return Expected((ExpectedError("reference", record.path, (line,), "CTRL\u20101"),), victim="missing")


def confusable_system_folder(repo: GovernanceRepo) -> Expected:
    lookalike = "credit-sc\u043ering"  # Cyrillic o
    repo.add_system(lookalike, "CreditSc\u043ering", title="Credit scoring model")
    repo.add_approved_evidence("risk", system=lookalike)
    return Expected(victim="missing")


def confusable_person_defined(repo: GovernanceRepo) -> Expected:
    # A distinct person (own IRI and mailbox) whose name only looks like Alice's: by the data
    # model a different person, so the approval counts. See README: no confusable warning yet.
    repo.add_person("\u0430lice", roles=("RAILead",))
    repo.add_evidence("risk", author="alice")
    repo.add_approval("risk-approval", "risk", by="\u0430lice")
    return Expected(victim="met", exit_code=0)


# --- empty and partial repositories ---------------------------------------------------------


def empty_directory(repo: GovernanceRepo) -> Expected:
    return Expected(victim=None, exit_code=2, usage_message="not a governance repository", bystander=False)


def empty_governance_folders(repo: GovernanceRepo) -> Expected:
    for folder in ("frameworks", "controls", "evidence"):
        (repo.root / folder).mkdir()
    return Expected(victim=None, exit_code=0, bystander=False)


def no_frameworks(repo: GovernanceRepo) -> Expected:
    for role in ("RAILead", "DPO", "ModelOwner"):
        repo.add_role(role)
    repo.add_person("alice", roles=("RAILead",))
    repo.add_person("bob", roles=("ModelOwner",))
    control = repo.add_control("CTRL-1", "TC-01", evidence_type="RiskAssessment", approval_role="RAILead")
    repo.add_system()
    repo.add_system(BYSTANDER, BYSTANDER_LOCAL, title="Bystander system")
    repo.add_approved_evidence("bystander-risk", system=BYSTANDER)
    line = repo.line_of(control.path, "rai:satisfies tfw:R1")
    return Expected((ExpectedError("reference", control.path, (line,), "R1"),), victim="missing")


# --- a cache folder someone committed ---------------------------------------------------------


def forged_cache_pack(repo: GovernanceRepo) -> Expected:
    cache = repo.root / ".rai-graph-cache"
    cache.mkdir()
    (cache / "parse.pack").write_bytes(b"rai-graph cache\n" + b"\x00" * 32 + b"forged entries")
    (cache / "shacl.pack").write_bytes(os.urandom(4096))
    _hostile_text(repo, "ex:x a rai:Evidence ;\n    rai:implements ] .\n")
    return Expected((_parse(HOSTILE_TTL, repo.line_of(HOSTILE_TTL, "rai:implements ]")),))


# --- file names, surrogates, submodules (issue #15, property 6) -------------------------------

FORGED_COMMAND = "::error file=forged.ttl,line=1::FORGED"
GRANT_TO_CAROL = PREFIXES + "ex:carol rai:hasRole ex:RAILead .\n"


def _carol_approves(repo: GovernanceRepo) -> None:
    repo.add_evidence("risk")
    repo.add_approval("risk-approval", "risk", by="carol")


def file_name_with_newline(repo: GovernanceRepo) -> Expected:
    # A record granting carol the role, named to start a forged workflow command on its own line.
    name = f"{VICTIM_DIR}/grant\n{FORGED_COMMAND}\n.ttl"
    (repo.root / name).write_text(GRANT_TO_CAROL, encoding="utf-8")
    _carol_approves(repo)
    shown = name.replace("\n", "\\n")
    return Expected((_parse(shown, None, contains="line break"),), victim="unapproved")


def file_name_not_utf8(repo: GovernanceRepo) -> Expected:
    name = f"{VICTIM_DIR}/" + os.fsdecode(b"grant-caf\xe9.ttl")
    (repo.root / name).write_text(GRANT_TO_CAROL, encoding="utf-8")
    _carol_approves(repo)
    return Expected((_parse(f"{VICTIM_DIR}/grant-caf\\xe9.ttl", None, contains="UTF-8"),), victim="unapproved")


def file_name_with_workflow_command(repo: GovernanceRepo) -> Expected:
    # No line break: a valid name, loaded; its errors name it (escaped where each output needs).
    name = f"{VICTIM_DIR}/a{FORGED_COMMAND} | cell | [x](javascript:y).ttl"
    _hostile_text(repo, "ex:x a rai:Evidence ;\n    rai:implements ] .\n", name)
    return Expected((_parse(name, repo.line_of(name, "rai:implements ]")),))


def lone_surrogate_escape(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, 'ex:x rdfs:label "half a character: \\uD800" .\n')
    return Expected((_parse(HOSTILE_TTL, repo.line_of(HOSTILE_TTL, "uD800"), contains="surrogate"),))


def nested_git_repository(repo: GovernanceRepo) -> Expected:
    from git_helpers import commit_all, init

    nested = repo.root / VICTIM_DIR / "vendor"
    nested.mkdir()
    init(nested)
    (nested / "grant.ttl").write_text(GRANT_TO_CAROL, encoding="utf-8")
    commit_all(nested, "vendor records")
    _carol_approves(repo)
    return Expected((_parse(f"{VICTIM_DIR}/vendor", None, contains="submodule"),), victim="unapproved")


# --- extreme dates and durations (issue #15, property 6) ---------------------------------------


def date_year_9999(repo: GovernanceRepo) -> Expected:
    record = repo.add_approved_evidence("risk", generated="9999-12-31", valid_until="9999-12-31")
    return Expected((ExpectedError("reference", record.path, (record.line,), "9999-12-31"),))


def date_year_1_in_a_waiver(repo: GovernanceRepo) -> Expected:
    waiver = repo.add_waiver("waiver", ended="0001-01-01", expires="0001-12-31")
    return Expected((ExpectedError("reference", waiver.path, (waiver.line,), "0001-01-01"),))


def evidence_age_of_99999999_years(repo: GovernanceRepo) -> Expected:
    controls = repo.root / "controls" / "controls.ttl"
    controls.write_text(controls.read_text().replace('"P365D"', '"P99999999Y"'))
    repo.add_approved_evidence("risk")
    line = repo.line_of("controls/controls.ttl", "ex:CTRL-1 a")
    # The age is ignored: the control keeps no age limit and the victim's evidence counts.
    return Expected((ExpectedError("reference", "controls/controls.ttl", (line,), "P99999999Y"),), victim="met")


# --- governed definitions and folders (issue #15, property 2) ----------------------------------


def control_restated_in_evidence(repo: GovernanceRepo) -> Expected:
    _hostile_text(repo, "ex:CTRL-1 rai:scope rai:OrganisationScope ;\n    rai:requiresApprovalBy ex:ModelOwner .\n")
    repo.add_approved_evidence("risk")
    return Expected((ExpectedError("reference", HOSTILE_TTL, (repo.line_of(HOSTILE_TTL, "ex:CTRL-1"),),
                                   "controls/"),), victim="met")


def system_retired_from_another_folder(repo: GovernanceRepo) -> Expected:
    other = f"evidence/{BYSTANDER}/hostile.ttl"
    _hostile_text(repo, "ex:CreditScoring rai:lifecycleStatus rai:Retired ;\n    rai:riskTier rai:MinimalRisk .\n",
                  other)
    return Expected((ExpectedError("reference", other, (repo.line_of(other, "ex:CreditScoring"),),
                                   VICTIM_DIR),))


def evidence_filed_for_another_system(repo: GovernanceRepo) -> Expected:
    # The evidence counts for no one, so its approval (beside it) approves nothing of the victim's.
    record = repo.add_approved_evidence("forged", system=BYSTANDER, for_systems=("CreditScoring",))
    return Expected((ExpectedError("reference", record.path, (record.line,), "CreditScoring"),))


# --- the corpus -------------------------------------------------------------------------------

CASES: tuple[HostileCase, ...] = (
    HostileCase("unterminated-string", "a string literal never closed", unterminated_string),
    HostileCase("unterminated-long-string", 'a """ literal never closed', unterminated_long_string),
    HostileCase("bad-prefix-directive", "@prefix without the colon", bad_prefix_directive),
    HostileCase("prefix-used-before-declared", "statements before their @prefix", prefix_used_before_declared),
    HostileCase("truncated-statement", "a file cut off after a predicate", truncated_statement),
    HostileCase("truncated-without-final-newline", "the same, without the final newline",
                truncated_without_final_newline),
    HostileCase("bad-escape", r"a \q escape in a string", bad_escape),
    HostileCase("bad-unicode-escape", r"\u12G4 in a string", bad_unicode_escape),
    HostileCase("iri-with-space-and-nul", "an IRI with a space, a NUL in a prefixed name", iri_with_space_and_nul),
    HostileCase("date-yesterday", '"yesterday"^^xsd:date as prov:generatedAtTime', date_yesterday),
    HostileCase("date-as-integer", "an integer as prov:generatedAtTime", date_as_integer),
    HostileCase("valid-until-impossible", '"2026-13-45"^^xsd:date as rai:validUntil', valid_until_impossible),
    HostileCase("approval-date-not-a-date", '"soon"^^xsd:date as an approval date', approval_date_not_a_date),
    HostileCase("sha256-not-hex", 'rai:sha256 "not-a-hash"', sha256_not_hex),
    HostileCase("sha256-uppercase", "rai:sha256 in upper-case hex", sha256_uppercase),
    HostileCase("sha256-typed-integer", "rai:sha256 42 (an integer)", sha256_typed_integer),
    HostileCase("approval-in-undefined-role", "rai:inRole names no role", approval_in_undefined_role),
    HostileCase("system-tier-undefined", "rai:riskTier names no tier", system_tier_undefined),
    HostileCase("system-defined-twice-conflicting-tiers", "the system typed again in a second file with "
                "rai:MinimalRisk", system_defined_twice_conflicting_tiers),
    HostileCase("system-tier-downgraded-in-evidence-folder", "a second rai:riskTier (an organisation "
                "tier defined on the spot) added from another file", system_tier_downgraded_in_evidence_folder),
    HostileCase("artifact-dotdot", "an artefact path with .. leaving the repository", artifact_dotdot),
    HostileCase("artifact-absolute", "an absolute artefact path", artifact_absolute),
    HostileCase("artifact-symlink-escape", "an artefact that is a symlink to a file outside",
                artifact_symlink_escape),
    HostileCase("artifact-symlink-loop", "an artefact that is a symlink loop", artifact_symlink_loop),
    HostileCase("artifact-is-directory", "an artefact path naming a directory", artifact_is_directory),
    HostileCase("artifact-is-named-pipe", "an artefact that is a FIFO (reading it would block)",
                artifact_is_named_pipe, subprocess=True),
    HostileCase("turtle-symlink-escape", "a .ttl that is a symlink to a file outside (granting a role)",
                turtle_symlink_escape),
    HostileCase("turtle-symlink-loop", "two .ttl symlinks pointing at each other", turtle_symlink_loop),
    HostileCase("turtle-is-directory", "a directory named like a .ttl file", turtle_is_directory),
    HostileCase("turtle-is-named-pipe", "a .ttl that is a FIFO", turtle_is_named_pipe, subprocess=True),
    HostileCase("settings-is-directory", "rai-graph.toml is a directory", settings_is_directory),
    HostileCase("settings-not-toml", "rai-graph.toml that is not TOML", settings_not_toml),
    HostileCase("settings-wrong-keys", "rai-graph.toml with wrong values and an unknown key", settings_wrong_keys),
    HostileCase("binary-junk", "a PNG named .ttl", binary_junk),
    HostileCase("latin1-bytes", "a Latin-1 byte in a literal", latin1_bytes),
    HostileCase("utf16-file", "a UTF-16 file with BOM", utf16_file),
    HostileCase("control-characters", "C0 control characters only", control_characters),
    HostileCase("utf8-bom-is-fine", "a UTF-8 BOM before a valid record", utf8_bom_is_fine),
    HostileCase("cr-line-endings", "records saved with old Mac (CR-only) line endings", cr_line_endings),
    HostileCase("empty-and-comment-only-files", "an empty .ttl and a comments-only .ttl",
                empty_and_comment_only_files),
    HostileCase("deep-blank-nodes", "blank nodes nested 50,000 deep", deep_blank_nodes),
    HostileCase("deep-collections", "collections nested 50,000 deep", deep_collections),
    HostileCase("deep-nesting-inside-a-record", "a measurement nested 3,000 deep in evidence",
                deep_nesting_inside_a_record),
    HostileCase("markup-and-code-in-text", "HTML, Markdown, SPARQL, shell and workflow commands in "
                "a title and an IRI", markup_and_code_in_text),
    HostileCase("confusable-approver-undefined", "approver ex:\u0430lice (Cyrillic a), not defined",
                confusable_approver_undefined),
    HostileCase("confusable-control-id", "implements ex:CTRL\u20101 (U+2010 hyphen)", confusable_control_id),
    HostileCase("confusable-system-folder", "evidence for credit-sc\u043ering (Cyrillic o), a look-alike "
                "system", confusable_system_folder),
    HostileCase("confusable-person-defined", "a person ex:\u0430lice defined with the role approves",
                confusable_person_defined),
    HostileCase("empty-directory", "an empty folder", empty_directory, standard=False),
    HostileCase("empty-governance-folders", "frameworks/, controls/, evidence/ all empty",
                empty_governance_folders, standard=False),
    HostileCase("no-frameworks", "controls and systems but no frameworks/", no_frameworks, standard=False),
    HostileCase("forged-cache-pack", "a committed .rai-graph-cache with forged packs", forged_cache_pack),
    HostileCase("file-name-with-newline", "a .ttl granting a role, named with a line break and a workflow command",
                file_name_with_newline),
    HostileCase("file-name-not-utf8", "a .ttl granting a role, named with a byte that is not UTF-8",
                file_name_not_utf8),
    HostileCase("file-name-with-workflow-command", "a broken .ttl named with ::error, | and a Markdown link",
                file_name_with_workflow_command),
    HostileCase("lone-surrogate-escape", r"\uD800 (half a surrogate pair) in a literal", lone_surrogate_escape),
    HostileCase("nested-git-repository", "a nested git repository (submodule) granting a role",
                nested_git_repository),
    HostileCase("date-year-9999", "evidence dated and valid until 9999-12-31", date_year_9999),
    HostileCase("date-year-1-in-a-waiver", "a waiver approved 0001-01-01, expiring 0001-12-31",
                date_year_1_in_a_waiver),
    HostileCase("evidence-age-of-99999999-years", "rai:maxEvidenceAge P99999999Y on the control",
                evidence_age_of_99999999_years),
    HostileCase("control-restated-in-evidence", "an evidence file moving CTRL-1 to organisation scope",
                control_restated_in_evidence),
    HostileCase("system-retired-from-another-folder", "the bystander's folder retires the victim system",
                system_retired_from_another_folder),
    HostileCase("evidence-filed-for-another-system", "approved evidence for the victim filed in the "
                "bystander's folder", evidence_filed_for_another_system),
)

CASES_BY_ID = {case.id: case for case in CASES}


def build_case(case: HostileCase, root: Path) -> tuple[GovernanceRepo, Expected]:
    """Build ``case`` at ``root``; return the repository and its expected verdict."""
    repo = standard_repo(root) if case.standard else GovernanceRepo(root)
    return repo, case.build(repo)

