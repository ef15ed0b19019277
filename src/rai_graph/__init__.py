"""rai-graph: an evidence-as-code compliance knowledge graph for responsible-AI teams.

The library entry point is :func:`run` (load, validate and judge a repository); the command line
is ``rai-graph`` (:mod:`rai_graph.cli`).
"""

from __future__ import annotations

from rai_graph._version import __version__ as __version__
from rai_graph.errors import InputError as InputError
from rai_graph.errors import RaiGraphError as RaiGraphError
from rai_graph.pipeline import PipelineResult as PipelineResult
from rai_graph.pipeline import run as run

__all__ = ["InputError", "PipelineResult", "RaiGraphError", "__version__", "run"]
