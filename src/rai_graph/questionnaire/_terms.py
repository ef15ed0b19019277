"""Question-bank terms, in the ``rai:`` namespace.

They are part of the closed vocabulary ``vocab.RAI``; the package refers to them through ``QB``.
"""

from __future__ import annotations

from rai_graph.vocab import RAI

QB = RAI
"""The question-bank terms of the closed vocabulary: ``rai:Question``, ``rai:questionText``,
``rai:mapsToControl``, ``rai:mapsToRequirement``, ``rai:approvedAnswer``, ``rai:needsHumanAnswer``."""
