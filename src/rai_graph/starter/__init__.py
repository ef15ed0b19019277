"""Starter content shipped with the package: the framework catalogues and the starter controls.

``frameworks`` and ``controls`` are links to the repository's own folders, so the content exists
once; packaging copies it into the wheel. ``rai-graph init`` and ``rai-graph demo generate`` read it
from here.
"""
