"""The trust page: what the organisation tells its customers, from what the public may see.

It is a page of its own, not the traceability site with parts removed: the frameworks the
organisation adopted and where it stands against them, the AI systems in use with their tier and
purpose, and the ``rai:Public`` commitments, each with the engine's status of the controls it
rests on, the published evidence behind it, its review date and a contact. Each published
evidence record gets a small page with its document; nothing else is built, so no link leads to
a page that does not exist.

Everything is seen through the public :class:`~rai_graph.audience.AudienceView` (via
:class:`._data.SiteData`): statuses are the assessment's, status explanations are the neutral
ones that name no record, and people appear by role only (never by name or e-mail address).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef

from rai_graph.audience import NEUTRAL_REASON, withheld_phrase
from rai_graph.model import Approval, Commitment, Control, Evidence, Framework
from rai_graph.order import clause_key as natural_key
from rai_graph.render.site import _html
from rai_graph.render.site._common import Pages, badge, code, day, external, facts
from rai_graph.render.site._data import SiteData
from rai_graph.render.site._markdown import block, front_matter, heading, http_url, inline, link, table
from rai_graph.render.site._paths import local_name, relative, slug
from rai_graph.render.words import UNDATED
from rai_graph.trace import GOOD_STATUSES, STATUS_ORDER, PairStatus, RequirementCoverage

INDEX = "index.md"
_MAILBOX = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True, slots=True)
class Published:
    """A public commitment with what the page shows of it."""

    commitment: Commitment
    anchor: str
    pairs: list[PairStatus]
    """The engine's verdicts on the controls it rests on, for every system they bind."""
    evidence: list[Evidence]
    """The evidence behind it that the public may see."""
    withheld: int


def trust_pages(data: SiteData, title: str) -> tuple[Pages, dict[str, str]]:
    """The trust page and the evidence pages it links to, and the artefacts to copy
    (site path → repository path)."""
    published = _published(data)
    evidence = sorted({e.iri: e for p in published for e in p.evidence}.values(),
                      key=lambda e: natural_key(e.title))
    pages: Pages = {INDEX: _index(data, title, published)}
    artifacts: dict[str, str] = {}
    for record in evidence:
        pages[_evidence_path(data, record)] = _evidence_page(data, title, record, published)
        document = _document(data, record)
        if document is not None:
            artifacts[document[0]] = document[1]
    return pages, artifacts


# -- what is published -------------------------------------------------------------------------


def _published(data: SiteData) -> list[Published]:
    view = data.view
    shown = sorted((c for c in data.model.commitments.values() if view.sees_commitment(c)),
                   key=lambda c: (natural_key(c.title), str(c.iri)))
    anchors = _anchors(shown)
    published = []
    for commitment in shown:
        records = [data.model.evidence[i] for i in sorted(commitment.evidence, key=str) if i in data.model.evidence]
        visible = sorted((e for e in records if view.sees(e)), key=lambda e: natural_key(e.title))
        published.append(Published(commitment, anchors[commitment.iri], _pairs_behind(data, commitment),
                                   visible, len(records) - len(visible)))
    return published


def _anchors(commitments: Sequence[Commitment]) -> dict[URIRef, str]:
    taken: set[str] = set()
    anchors = {}
    for commitment in commitments:
        base = "c-" + slug(local_name(commitment.iri), 60).replace(".", "-")
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        anchors[commitment.iri] = anchor
    return anchors


def _pairs_behind(data: SiteData, commitment: Commitment) -> list[PairStatus]:
    """The assessment's pairs for the controls a commitment rests on (a requirement stands for
    the controls satisfying it), organisation-wide first, then by system."""
    controls: dict[URIRef, Control] = {}
    for target in commitment.rests_on:
        if target in data.model.controls:
            controls[target] = data.model.controls[target]
        for control in data.satisfied_by.get(target, ()):
            controls[control.iri] = control
    pairs = []
    for control in sorted(controls.values(), key=lambda c: (natural_key(c.title), str(c.iri))):
        organisation = data.pair_of.get((None, control.iri))
        if organisation is not None:
            pairs.append(organisation)
        pairs += sorted(data.pairs_by_control.get(control.iri, ()), key=lambda p: natural_key(_for(data, p)))
    return pairs


def _for(data: SiteData, pair: PairStatus) -> str:
    system = data.system(pair.system)
    return system.title if system is not None else "All our AI work"


# -- the trust page ----------------------------------------------------------------------------


def _index(data: SiteData, title: str, published: list[Published]) -> str:
    out = [
        front_matter(title), heading(1, title), "",
        inline("How we govern the AI systems you meet when you deal with us: what we commit to, "
               "with the published evidence behind each commitment, the frameworks we follow and the "
               f"AI systems in use. Statuses are taken from our compliance records as they stood on "
               f"{data.as_of}."), "",
        heading(2, "Our commitments", "commitments"), "",
    ]
    if not published:
        out += ["We have not published any commitments yet.", ""]
    for entry in published:
        out += _commitment(data, entry)
    out += _frameworks(data)
    out += _systems(data)
    out += _about(data, published)
    return "\n".join(out)


def _commitment(data: SiteData, entry: Published) -> list[str]:
    commitment = entry.commitment
    out = [heading(3, commitment.title, entry.anchor), "", block(commitment.statement), ""]
    out += [f"**Status on {data.as_of}:** {inline(_summary(entry.pairs))}", ""]
    if entry.pairs:
        rows = [(inline(p.control.title), inline(_for(data, p)),
                 f"{badge(p.status)} {inline(_meaning(p.status))}") for p in entry.pairs]
        out += [table(["What we check", "For", "Status"], rows), ""]
    links = [link(e.title, relative(INDEX, _evidence_path(data, e))) for e in entry.evidence]
    if entry.withheld:
        links.append(inline(f"not published: {withheld_phrase(entry.withheld, data.audience)}"))
    out += [facts([
        ("Published evidence", "<br>".join(links) or "none published yet"),
        ("Last reviewed", day(commitment.reviewed) if commitment.reviewed else "not recorded"),
        ("Questions", _contact(commitment.contact) or ""),
    ]), ""]
    return out


def _summary(pairs: Sequence[PairStatus]) -> str:
    """How the checks behind a commitment stand, in counts of the engine's statuses."""
    if not pairs:
        return "not assessed yet: none of the checks it rests on applies to an AI system in use."
    counts: Counter[str] = Counter(p.status for p in pairs)
    good = sum(counts[s] for s in GOOD_STATUSES)
    parts = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
    if len(pairs) == 1:
        return f"the one check behind it is {pairs[0].status}."
    if good == len(pairs):
        return f"{'both' if good == 2 else f'all {good}'} checks behind it are met or waived ({parts})."
    return f"{good} of the {len(pairs)} checks behind it are met or waived ({parts})."


def _meaning(status: str) -> str:
    """The neutral meaning of a status, without repeating the status word its badge shows."""
    reason = NEUTRAL_REASON[status].removeprefix(status).strip()
    return reason or "an approved exception for a limited time"


def _contact(value: str | None) -> str | None:
    """A mailto: or http(s) contact as a link; anything else is not shown."""
    if value is None:
        return None
    if value.lower().startswith("mailto:"):
        address = value[len("mailto:"):]
        return str(_html.macro("external", "mailto:" + address, address)) if _MAILBOX.match(address) else None
    return external(value, value) if http_url(value) else None


def _frameworks(data: SiteData) -> list[str]:
    adopted = data.model.frameworks_named(data.settings.frameworks)
    frameworks = sorted((f for f in data.model.frameworks.values() if adopted is None or f.iri in adopted),
                        key=lambda f: natural_key(f.title))
    out = [heading(2, "Frameworks we follow", "frameworks"), "",
           inline("The laws and standards we hold our AI systems to. An obligation is met when every "
                  "check answering it is met or waived for each of our systems it applies to."), ""]
    if not frameworks:
        return [*out, "We have not adopted a framework yet.", ""]
    rows = []
    for framework in frameworks:
        now, later = _standing(data, framework)
        rows.append((external(framework.source, framework.title) if framework.source else inline(framework.title),
                     inline(framework.version or "—"), now, later))
    return [*out, table(["Framework", "Version", f"Where we stand on {data.as_of}", "Still to come"], rows), ""]


def _standing(data: SiteData, framework: Framework) -> tuple[str, str]:
    """Where the organisation stands against a framework today, and what binds later: the
    assessment's coverage of each obligation, counted once however many systems it binds."""
    in_force: dict[URIRef, list[RequirementCoverage]] = defaultdict(list)
    later: dict[URIRef, set[dt.date | None]] = defaultdict(set)
    for assessment in data.judged:
        for coverage in assessment.requirements:
            if coverage.requirement.framework == framework.iri:
                in_force[coverage.requirement.iri].append(coverage)
        for coverage in assessment.deferred:
            if coverage.requirement.framework == framework.iri and coverage.standing is not None:
                later[coverage.requirement.iri].add(coverage.standing.applies_from)
    open_, justified, met = 0, 0, 0
    for entries in in_force.values():
        if any(c.state == "not" or (c.unmapped and not c.justification) for c in entries):
            open_ += 1
        elif any(c.unmapped for c in entries):
            justified += 1
        else:
            met += 1
    if not in_force:
        now = "no obligation applies to our AI systems yet"
    else:
        state = badge("met") if not open_ else str(_html.macro("badge", "unapproved", "in progress"))
        total = met + open_
        now = f"{state} " + inline(f"{_count(total, 'obligation')} {'applies' if total == 1 else 'apply'} to "
                                   f"our systems today; {met} {'is' if met == 1 else 'are'} met")
        if justified:
            now += inline(f"; {_count(justified, 'other')} answered by a documented reason instead of a check")
    pending = {iri: dates for iri, dates in later.items() if iri not in in_force}
    if not pending:
        return now, "nothing scheduled"
    dates = sorted(d for dates in pending.values() for d in dates if d is not None)
    when = f"from {dates[0]}" if dates else UNDATED
    return now, inline(f"{_count(len(pending), 'more obligation')} "
                       f"{'applies' if len(pending) == 1 else 'apply'} {when}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _systems(data: SiteData) -> list[str]:
    out = [heading(2, "Our AI systems", "systems"), "",
           inline("The AI systems we have in use, with their risk tier under the EU AI Act and what "
                  "each is for."), ""]
    systems = sorted((a.system for a in data.judged), key=lambda s: natural_key(s.title))
    if not systems:
        return [*out, "We have no AI system in use.", ""]
    rows = [(inline(s.title), inline(data.label(s.tier)) if s.tier else "not yet classified",
             inline(s.intended_purpose or "—")) for s in systems]
    return [*out, table(["System", "Risk tier", "What it is for"], rows), ""]


def _about(data: SiteData, published: list[Published]) -> list[str]:
    reviewed = [p.commitment.reviewed for p in published if p.commitment.reviewed]
    contacts = list(dict.fromkeys(c for p in published if (c := _contact(p.commitment.contact))))
    out = [heading(2, "Reviews and contact", "contact"), ""]
    out += [facts([
        ("Statuses as of", day(data.as_of)),
        ("Commitments last reviewed", day(max(reviewed)) if reviewed else "not recorded"),
        ("Contact", "<br>".join(contacts) or "no contact published"),
    ]), ""]
    return out


# -- evidence pages ----------------------------------------------------------------------------


def _evidence_path(data: SiteData, evidence: Evidence) -> str:
    return f"evidence/{data.paths.evidence_anchor[evidence.iri]}.md"


def _document(data: SiteData, evidence: Evidence) -> tuple[str, str] | None:
    """Where the artefact is copied in the site and where it is read from, when it may be: intact,
    public, and not also a withheld record's file."""
    target = data.artifact_site_path(evidence)
    check = data.artifact_check(evidence)
    if target is None or check is None or data.view.hidden.names_any(check.path):
        return None
    return target, check.path


def _evidence_page(data: SiteData, title: str, evidence: Evidence, published: list[Published]) -> str:
    page = _evidence_path(data, evidence)
    systems = sorted((data.model.systems[s] for s in evidence.systems if s in data.model.systems),
                     key=lambda s: natural_key(s.title))
    approvals = [inline(" ".join([data.label(a.decision), *([f"on {a.date}"] if a.date else []),
                                  *([f"by the {data.label(a.role)}"] if a.role is not None else [])]))
                 for a in _counted_approvals(data, evidence)]
    document = _document(data, evidence)
    parts = []
    if document is not None:
        parts.append(str(_html.macro("artifact", relative(page, document[0]), document[1].rsplit("/", 1)[-1])))
        if evidence.sha256:
            parts.append("SHA-256 " + code(evidence.sha256))
    if evidence.artifact_url and http_url(evidence.artifact_url):
        parts.append(external(evidence.artifact_url, "the published document"))
    supports = [link(p.commitment.title, relative(page, INDEX, p.anchor)) for p in published if evidence in p.evidence]
    return "\n".join([
        front_matter(evidence.title),
        f"{link(title, relative(page, INDEX))} › {inline(evidence.title)}", "",
        heading(1, evidence.title), "",
        facts([
            ("What it is", inline(data.label(evidence.evidence_type)) if evidence.evidence_type else ""),
            ("About", inline(", ".join(s.title for s in systems)) or "our organisation as a whole"),
            ("Dated", day(data.generated(evidence)) if data.generated(evidence) else ""),
            ("Valid until", day(evidence.valid_until) if evidence.valid_until else ""),
            ("Approval", "<br>".join(approvals)),
            ("Document", " · ".join(parts) or "not available here at the moment"),
            ("Supports", "<br>".join(supports)),
        ]), "",
    ])


def _counted_approvals(data: SiteData, evidence: Evidence) -> list[Approval]:
    """The approvals the engine counts for the controls the evidence implements (an approval it
    does not count is never shown as approving); by role, never by name."""
    rules = data.assessment.rules
    if rules is None:
        return []
    counted = {}
    for iri in sorted(evidence.controls, key=str):
        control = data.model.controls.get(iri)
        approval = rules.approval_of(evidence, control) if control is not None else None
        if approval is not None:
            counted[approval.iri] = approval
    return sorted(counted.values(), key=lambda a: (a.date or dt.date.min, str(a.iri)))
