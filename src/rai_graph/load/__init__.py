"""Load stage: governance files (a working tree or git objects) → per-file triples and line layouts.

``trees`` says where bytes come from, ``parse`` turns Turtle into triples, ``lines`` finds the line
of every subject, ``cache`` keeps what an unchanged file gave last time, and ``repository`` wires
them into a :class:`~rai_graph.load.repository.LoadedRepository`. Only this stage and
``provenance`` read the disk or git.
"""
