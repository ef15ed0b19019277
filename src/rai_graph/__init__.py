"""rai-graph: an evidence-as-code compliance knowledge graph for responsible-AI teams.

The library entry point is :func:`run` (load, validate and judge a repository); the command line
is ``rai-graph`` (:mod:`rai_graph.cli`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from rai_graph._version import __version__ as __version__
from rai_graph.errors import InputError as InputError
from rai_graph.errors import RaiGraphError as RaiGraphError

if _TYPE_CHECKING:
    from rai_graph.pipeline import PipelineResult as PipelineResult
    from rai_graph.pipeline import run as run


def __getattr__(name: str) -> _Any:
    """``run`` and ``PipelineResult`` load the pipeline (rdflib and all) on first use only, so the
    command line starts fast."""
    if name in ("run", "PipelineResult"):
        from rai_graph import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'rai_graph' has no attribute {name!r}")

__all__ = ["InputError", "PipelineResult", "RaiGraphError", "__version__", "run"]
