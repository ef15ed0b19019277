"""Validate stage: structural SHACL, references, artefact hashes and per-tier completeness shapes.

``records`` runs the checks and returns a :class:`~rai_graph.validate.records.ValidationOutcome`;
``shacl`` evaluates the structural shapes, ``artifacts`` checks artefact bytes, and
``completeness`` generates the per-tier shapes for export.
"""
