"""Who may see what: audiences and confidentiality levels (``cli.md``, ``--audience``).

``public`` sees only ``rai:Public`` evidence, ``customer`` also ``rai:CustomerShareable``,
``auditor`` also ``rai:Internal``, ``internal`` everything. A record without a (known)
confidentiality level is treated as ``rai:Confidential``: when unsure, show less.
"""

from __future__ import annotations

from typing import Literal

from rdflib import URIRef

from rai_graph.vocab import RAI

Audience = Literal["public", "customer", "auditor", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "customer", "auditor", "internal")

_LEVEL: dict[URIRef, int] = {
    RAI.Public: 0,
    RAI.CustomerShareable: 1,
    RAI.Internal: 2,
    RAI.Confidential: 3,
}
_CLEARANCE: dict[Audience, int] = {"public": 0, "customer": 1, "auditor": 2, "internal": 3}


def may_see(audience: Audience, confidentiality: URIRef | None) -> bool:
    """Whether ``audience`` may see an item of the given confidentiality level."""
    level = _LEVEL.get(confidentiality, 3) if confidentiality is not None else 3
    return level <= _CLEARANCE[audience]
