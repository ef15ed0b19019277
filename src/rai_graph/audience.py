"""Who may see what: audiences, confidentiality levels, and the one view every output renders through.

``public`` sees only ``rai:Public`` records, ``customer`` also ``rai:CustomerShareable``, ``auditor``
also ``rai:Internal``, ``internal`` everything (``cli.md``, ``--audience``). A record without a known
level is ``rai:Confidential``: when unsure, show less; a record given several levels is judged by
the strictest (the model keeps only that one).

:class:`AudienceView` is built once per output from the judged model. It decides which evidence
records and findings may be shown (and so their approvals, artefacts, hashes and record files),
which texts of the engine may be shown as they are, and how what is withheld is worded, so the
site, reports, evidence packs, questionnaires, KPIs, exports and publishing all say the same thing
the same way: "met — 2 records withheld at this audience".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import ahocorasick
from rdflib import URIRef

from rai_graph.vocab import RAI

if TYPE_CHECKING:
    from rai_graph.errors import InputError
    from rai_graph.model import Commitment, Evidence, Finding, RepositoryModel
    from rai_graph.trace import PairStatus
    from rai_graph.validate.artifacts import ArtifactCheck

Audience = Literal["public", "customer", "auditor", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "customer", "auditor", "internal")

_LEVEL: dict[URIRef, int] = {
    RAI.Public: 0,
    RAI.CustomerShareable: 1,
    RAI.Internal: 2,
    RAI.Confidential: 3,
}
_CLEARANCE: dict[Audience, int] = {"public": 0, "customer": 1, "auditor": 2, "internal": 3}

NEUTRAL_REASON: dict[str, str] = {
    "met": "met by current evidence",
    "waived": "waived",
    "failing": "the evidence on record does not pass the control's thresholds",
    "unapproved": "the evidence on record awaits a valid approval",
    "expired": "the evidence on record is out of date",
    "invalid": "the artefact of the evidence on record is missing or fails its hash check",
    "missing": "no current evidence",
}
"""What a status means, in words that name no record: shown when the engine's own reason would
name something above the audience's level."""


def may_see(audience: Audience, confidentiality: URIRef | None) -> bool:
    """Whether ``audience`` may see an item of the given confidentiality level."""
    level = _LEVEL.get(confidentiality, 3) if confidentiality is not None else 3
    return level <= _CLEARANCE[audience]


WITHHELD_ARTIFACT = "artefact withheld at this audience"
"""Said where a visible record's artefact may not be named (its file is a withheld record's, or the
check refused its path): the one wording of the site, reports and exports."""


def withheld_phrase(count: int, audience: Audience) -> str:
    """The one wording for records left out: '2 records withheld at this audience (auditor)'."""
    return f"{count} record{'s' * (count != 1)} withheld at this audience ({audience})"


@dataclass(slots=True)
class _Hidden:
    """What the audience may not see, as files and the strings that would give it away."""

    files: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    _automaton: Any = None

    def add(self, *texts: str | None) -> None:
        # Very short strings (a one-letter local name, say) would match everywhere.
        self.tokens.update(t for t in texts if t and len(t) >= 4)
        self._automaton = None

    def names_any(self, text: str) -> bool:
        """Whether ``text`` contains any hidden token. One Aho-Corasick pass over the text: testing
        each token in turn cost minutes on a large site (20,000 tokens times 20,000 reasons)."""
        if not self.tokens:
            return False
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for token in self.tokens:
                automaton.add_word(token, token)
            automaton.make_automaton()
            self._automaton = automaton
        return any(True for _ in self._automaton.iter(text))


class AudienceView:
    """The judged repository as one audience may see it."""

    def __init__(
        self, audience: Audience, model: RepositoryModel,
        artifacts: dict[URIRef, ArtifactCheck] | None = None,
    ) -> None:
        self.audience = audience
        self.model = model
        self.artifacts = artifacts or {}
        self.evidence: dict[URIRef, Evidence] = {
            iri: e for iri, e in model.evidence.items() if may_see(audience, e.confidentiality)}
        self._linked: dict[tuple[URIRef | None, URIRef], list[Evidence]] = defaultdict(list)
        for evidence in sorted(model.evidence.values(), key=lambda e: str(e.iri)):
            for control in evidence.controls:
                for system in evidence.systems or (None,):
                    self._linked[(system, control)].append(evidence)
        self.hidden = _Hidden()
        for evidence in model.evidence.values():
            if evidence.iri not in self.evidence:
                self._hide_evidence(evidence)
        for finding in model.findings:
            if not self.sees_finding(finding):
                self.hidden.files.add(finding.origin.file)
                self.hidden.add(finding.title, str(finding.iri) if isinstance(finding.iri, URIRef) else None)
        for commitment in model.commitments.values():
            if not self.sees_commitment(commitment):
                self.hidden.files.add(commitment.origin.file)
                self.hidden.add(commitment.title, str(commitment.iri))

    def _hide_evidence(self, evidence: Evidence) -> None:
        check = self.artifacts.get(evidence.iri)
        self.hidden.files.add(evidence.origin.file)
        if check is not None:  # its artefact too: a file shared with a visible record stays hidden
            self.hidden.files.update(p for p in (check.path, check.source) if p)
        self.hidden.add(str(evidence.iri), _local_name(str(evidence.iri)), evidence.title, evidence.artifact,
                        check.path if check else None, evidence.origin.file, evidence.sha256,
                        check.actual_sha256 if check else None)
        for approval in self.model.approvals_of.get(evidence.iri, ()):
            self.hidden.files.add(approval.origin.file)
            if isinstance(approval.iri, URIRef):
                self.hidden.add(str(approval.iri), _local_name(str(approval.iri)))

    # -- records ------------------------------------------------------------------------------

    @property
    def everything(self) -> bool:
        return self.audience == "internal"

    def sees(self, evidence: Evidence) -> bool:
        return evidence.iri in self.evidence

    def sees_finding(self, finding: Finding) -> bool:
        return may_see(self.audience, finding.confidentiality)

    def sees_commitment(self, commitment: Commitment) -> bool:
        return may_see(self.audience, commitment.confidentiality)

    def sees_file(self, path: str) -> bool:
        """A repository file may be shown (copied, linked, named) only if every record in it may,
        and every record naming it as its artefact: a file shared by a visible and a hidden record
        is treated by its strictest owner, and so is a Turtle file used as an artefact."""
        return path not in self.hidden.files

    def releases(self, evidence: Evidence) -> ArtifactCheck | None:
        """The check of ``evidence``'s artefact when its bytes may go into an output for this
        audience: the check passed (inside the repository, hash matched), the record is visible, and
        the file as named and as read may be shown. The one rule every output copies by
        (:func:`rai_graph.validate.artifacts.release_artifact`)."""
        check = self.names_artifact(evidence)
        return check if check is not None and check.ok else None

    def names_artifact(self, evidence: Evidence) -> ArtifactCheck | None:
        """The check of ``evidence``'s artefact when an output may name its path and hash for this
        audience: the record is visible and the file, as named and as read, may be shown. A path the
        check refused (outside the repository, or not the record's to name) is named to the
        internal audience only. The one rule reports and exports name artefacts by; copying their
        bytes takes :meth:`releases` too."""
        check = self.artifacts.get(evidence.iri)
        if check is None or not self.sees(evidence):
            return None
        if check.path_refused and self.audience != "internal":
            return None
        if not self.sees_file(check.path) or (check.source is not None and not self.sees_file(check.source)):
            return None
        return check

    def findings(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings the audience may see, and how many were withheld."""
        listed = list(findings)
        shown = [f for f in listed if self.sees_finding(f)]
        return shown, len(listed) - len(shown)

    # -- pairs --------------------------------------------------------------------------------

    def linked(self, pair: PairStatus) -> list[Evidence]:
        """Every evidence record (visible or not) that bears on the pair."""
        return self._linked.get((pair.system, pair.control.iri), [])

    def evidence_of(self, pair: PairStatus) -> tuple[list[Evidence], int]:
        """The evidence the pair's status rests on that the audience may see, and how many such
        records are withheld."""
        named = [self.model.evidence[i] for i in pair.evidence if i in self.model.evidence]
        shown = [e for e in named if self.sees(e)]
        return shown, len(named) - len(shown)

    def reason(self, pair: PairStatus) -> str:
        """The engine's reason, unless it would name something the audience may not see; then the
        neutral meaning of the status."""
        if self.everything or pair.status == "waived":  # a waiver's reason names no evidence
            return pair.reason
        if all(self.sees(e) for e in self.linked(pair)) and not self.hidden.names_any(pair.reason):
            return pair.reason
        return NEUTRAL_REASON[pair.status]

    def status_phrase(self, pair: PairStatus) -> str:
        """'met' or 'met — 2 records withheld at this audience (auditor)'."""
        _shown, withheld = self.evidence_of(pair)
        return pair.status if not withheld else f"{pair.status} — {withheld_phrase(withheld, self.audience)}"

    def file_hint(self, pair: PairStatus) -> str | None:
        """The file to look at for a pair, unless it is a hidden record's file."""
        if not self.sees_file(pair.file):
            return None
        return pair.file if pair.line is None else f"{pair.file}:{pair.line}"

    # -- input errors -------------------------------------------------------------------------

    def errors(self, errors: Sequence[InputError]) -> tuple[list[InputError], int]:
        """The input errors the audience may see, and how many were withheld: an error in a hidden
        record's file, or whose message names a hidden record, is counted only."""
        if self.everything:
            return list(errors), 0
        shown = [e for e in errors if self.sees_file(e.file) and not self.hidden.names_any(e.message)]
        return shown, len(errors) - len(shown)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
