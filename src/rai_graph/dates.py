"""The dates rai-graph judges, in a module of its own: the command line checks ``--as-of``
against them without importing the model (and rdflib), so a replayed run stays light."""

from __future__ import annotations

import datetime as dt

DATE_RANGE = (dt.date(1900, 1, 1), dt.date(9000, 12, 31))
"""The dates rai-graph judges: far enough from the calendar's ends that adding an evidence age,
a year or a look-ahead never leaves it. A date outside is an input error, and ignored."""
