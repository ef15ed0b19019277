"""``python -m rai_graph`` runs the command line."""

from __future__ import annotations

from rai_graph.cli import main

main()
