"""Importers: measurements with provenance, read from the real outputs of evaluation tools.

``rai-graph new evidence --import TOOL FILE [--metric PATH ...]`` writes an evidence record whose
``rai:measurement`` nodes come from FILE, naming the importer in ``rai:extractedBy`` so a reviewer
knows they were not typed by hand (data-model.md, "Extension: measured evidence, thresholds").

=============  ===============================================================================
TOOL           FILE
=============  ===============================================================================
fairlearn      Fairlearn ``MetricFrame`` export (JSON) — :mod:`.fairlearn`
mlflow         a run folder of a local ``mlruns/`` store, or its ``meta.yaml`` — :mod:`.mlflow`
huggingface    a model card with ``model-index`` results — :mod:`.huggingface`
garak          a garak scan report, ``*.report.jsonl`` — :mod:`.garak`
promptfoo      ``promptfoo eval -o results.json`` — :mod:`.promptfoo`
cyclonedx      a vendor's CycloneDX ML-BOM (JSON, 1.5+) with model cards — :mod:`.cyclonedx`
json, csv      any JSON or CSV file, with ``--metric [NAME=]PATH`` — :mod:`.mapping`
=============  ===============================================================================

Contract for the ``new evidence`` command
-----------------------------------------

``import_measurements(tool, path, *, metric_paths=()) -> ImportResult``

* ``tool`` is a key of :data:`IMPORTERS` (use ``sorted(IMPORTERS)`` for the click choice);
  another name raises :class:`UnknownImporter`.
* ``path`` is FILE as given (mlflow: the run folder or its ``meta.yaml``). Nothing is written.
* ``metric_paths`` are the ``--metric`` values. For ``json``/``csv`` they say where the values are
  and at least one is required. For the tool importers they name the metrics to keep (in any
  spelling: ``--metric equalized_odds_difference``); a name the file does not give is an error
  listing the names it does give.
* The result has at least one measurement, no two with the same metric and slice, in file
  order; metric names are snake_case; values are finite ``Decimal``\\ s. ``extracted_by`` is the
  ``rai:extractedBy`` text (``fairlearn-metricframe/1``, with the ``--metric`` arguments appended
  when given). ``title``, ``generated`` (a ``datetime``, tz-aware when the tool wrote a zone, or a
  ``date``; ``None`` when the file carries no timestamp) and ``evidence_type`` (a ``rai:``
  evidence type IRI, ``None`` for json/csv) are suggestions for flags the user did not give.
  ``generated_on`` is the calendar day of ``generated``: use it where a ``date`` is expected
  (``evidence_record`` writes ``generated.isoformat()`` as ``xsd:date``, and mypy accepts a
  ``datetime`` as a ``date``). ``inputs`` lists the files read (for mlflow: ``meta.yaml`` and
  the metric files), e.g. to hash or copy as the record's artefact. ``notes`` are lines to show
  the user (values skipped and why).
* Anything wrong with the input raises an :class:`ImporterError` (a ``RaiGraphError``) whose
  ``str()`` is ``FILE[:LINE]: [KEY: ]what is wrong``; the command line shows it without a
  traceback. Subclasses: :class:`UnreadableInput` (missing, empty, a folder, not UTF-8),
  :class:`NotToolFormat`, :class:`MissingField`, :class:`InvalidValue` (NaN, infinity, text where
  a number belongs) and :class:`BadMetricPath` (a ``--metric`` problem).

``render_measurements_turtle(result) -> str``

* One line per measurement, then the provenance line, each indented four spaces and ending in
  `` ;`` and a newline, ready for ``NewRecord.extra_turtle`` (spliced right after the record's
  ``ex:… a rai:Evidence ;`` line); the document must bind the ``rai:`` prefix, as
  ``authoring.new_graph`` does::

      rai:measurement [ rai:metric "equalized_odds_difference" ; rai:value 0.072815342 ; rai:slice "age_band" ] ;
      rai:extractedBy "fairlearn-metricframe/1" ;

* Values are Turtle decimals (``xsd:decimal``: digits and a point, never an exponent; integers are
  written ``12.0``); strings are escaped for Turtle.

Sketch of the wiring::

    result = import_measurements(tool, file, metric_paths=metric)
    for note in result.notes:
        click.echo(f"note: {note}")
    record = evidence_record(..., title=title or result.title,
                             evidence_type=given_type or result.evidence_type,
                             generated=given_date or result.generated_on or today,
                             extra_turtle=render_measurements_turtle(result))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rai_graph.authoring.importers import cyclonedx, fairlearn, garak, huggingface, mlflow, promptfoo
from rai_graph.authoring.importers._base import BadMetricPath as BadMetricPath
from rai_graph.authoring.importers._base import Importer as Importer
from rai_graph.authoring.importers._base import ImporterError as ImporterError
from rai_graph.authoring.importers._base import ImportResult as ImportResult
from rai_graph.authoring.importers._base import InvalidValue as InvalidValue
from rai_graph.authoring.importers._base import MissingField as MissingField
from rai_graph.authoring.importers._base import NotToolFormat as NotToolFormat
from rai_graph.authoring.importers._base import UnknownImporter as UnknownImporter
from rai_graph.authoring.importers._base import UnreadableInput as UnreadableInput
from rai_graph.authoring.importers._base import decimal_turtle, snake_case
from rai_graph.authoring.importers.mapping import CSV_IMPORTER, JSON_IMPORTER
from rai_graph.model import Measurement

IMPORTERS: dict[str, Importer] = {
    importer.tool: importer
    for importer in (fairlearn.IMPORTER, mlflow.IMPORTER, huggingface.IMPORTER, garak.IMPORTER,
                     promptfoo.IMPORTER, cyclonedx.IMPORTER, JSON_IMPORTER, CSV_IMPORTER)
}
"""Every importer by the name ``--import`` takes."""


def import_measurements(tool: str, path: Path, *, metric_paths: Sequence[str] = ()) -> ImportResult:
    """Read the measurements of ``path``, the output of ``tool`` (see the module docstring)."""
    importer = IMPORTERS.get(tool)
    if importer is None:
        raise UnknownImporter(f"no importer {tool!r}; choose one of {', '.join(IMPORTERS)}")
    extracted = importer.read(path, metric_paths)
    measurements = extracted.measurements
    if not importer.mapping and metric_paths:
        measurements = _keep(measurements, metric_paths, path)
    if not measurements:
        raise NotToolFormat(path, "holds no measurement")
    _check_unique(measurements, path, mapping=importer.mapping)
    return ImportResult(
        tool=importer.tool,
        importer=importer.name,
        version=importer.version,
        source=path,
        measurements=tuple(measurements),
        title=extracted.title,
        generated=extracted.generated,
        evidence_type=extracted.evidence_type,
        metric_paths=tuple(metric_paths),
        inputs=tuple(extracted.inputs) or (path,),
        notes=tuple(extracted.notes),
    )


def render_measurements_turtle(result: ImportResult) -> str:
    """The record's ``rai:measurement`` and ``rai:extractedBy`` lines (see the module docstring)."""
    lines = []
    for measurement in result.measurements:
        parts = [f"rai:metric {_turtle_string(measurement.metric)}",
                 f"rai:value {decimal_turtle(measurement.value)}"]
        if measurement.slice is not None:
            parts.append(f"rai:slice {_turtle_string(measurement.slice)}")
        lines.append(f"    rai:measurement [ {' ; '.join(parts)} ] ;\n")
    lines.append(f"    rai:extractedBy {_turtle_string(result.extracted_by)} ;\n")
    return "".join(lines)


_TURTLE_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _turtle_string(text: str) -> str:
    """A Turtle ``"..."`` literal: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in text:
        if char in _TURTLE_ESCAPES:
            escaped.append(_TURTLE_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) <= 0xDFFF:
            escaped.append(f"\\u{ord(char):04X}" if ord(char) < 0xD800 else "\\uFFFD")
        else:
            escaped.append(char)
    return f'"{"".join(escaped)}"'


def _keep(measurements: list[Measurement], wanted: Sequence[str], path: Path) -> list[Measurement]:
    names = {snake_case(name): name for name in wanted}
    given = {m.metric for m in measurements}
    for name, spelled in names.items():
        if name not in given:
            raise BadMetricPath(path, f"--metric {spelled}: the file gives no {name or spelled!r}; it gives "
                                + ", ".join(sorted(given)))
    return [m for m in measurements if m.metric in names]


def _check_unique(measurements: list[Measurement], path: Path, *, mapping: bool) -> None:
    seen: set[tuple[str, str | None]] = set()
    for measurement in measurements:
        key = (measurement.metric, measurement.slice)
        if key in seen:
            where = f" for slice {measurement.slice}" if measurement.slice else ""
            message = f"two values of {measurement.metric}{where}"
            if mapping:
                raise BadMetricPath(path, f"{message}: add the fields that tell them apart to the slice, "
                                    "e.g. results[attribute,group].auc")
            raise NotToolFormat(path, f"{message}; the file reports the same result twice")
        seen.add(key)


__all__ = [
    "IMPORTERS",
    "BadMetricPath",
    "ImportResult",
    "Importer",
    "ImporterError",
    "InvalidValue",
    "MissingField",
    "NotToolFormat",
    "UnknownImporter",
    "UnreadableInput",
    "import_measurements",
    "render_measurements_turtle",
]
