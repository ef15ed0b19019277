"""rai-graph: an evidence-as-code compliance knowledge graph for responsible-AI teams.

The library entry point is :func:`run` (load, validate and judge a repository); the command line
is ``rai-graph`` (:mod:`rai_graph.cli`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError as InputError
from .errors import RaiGraphError as RaiGraphError
from .pipeline import PipelineResult as PipelineResult
from .pipeline import run as run

__all__ = ["InputError", "PipelineResult", "RaiGraphError", "__version__", "run"]
