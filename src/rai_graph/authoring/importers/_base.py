"""What every importer shares: the result, the errors, numbers, metric names and careful reading.

Tool outputs are untrusted input. Every problem a user can cause (a wrong file, a missing field, a
NaN) becomes an :class:`ImporterError` naming the file and, where known, the line or the key.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from rai_graph.errors import RaiGraphError
from rai_graph.model import Measurement

# A measurement is a rate, a score or a count; a magnitude beyond these is a broken export (and a
# value such as 1e999999 would otherwise be written out as a million digits).
_LARGEST_EXPONENT = 60
_RATE_DIGITS = 12  # significant digits of a computed rate or ratio (1/3 → 0.333333333333)


class UnknownImporter(RaiGraphError):
    """``--import TOOL`` names no importer."""


class ImporterError(RaiGraphError):
    """A tool output that cannot be imported; the message says which file and where in it."""

    def __init__(self, file: Path | str, message: str, *, line: int | None = None,
                 key: str | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.key = key
        self.detail = message
        where = self.file if line is None else f"{self.file}:{line}"
        at = f"{key}: " if key else ""
        super().__init__(f"{where}: {at}{message}")


class UnreadableInput(ImporterError):
    """The file is missing, empty, a folder where a file was expected, or not UTF-8 text."""


class NotToolFormat(ImporterError):
    """The file is readable but is not the output of the tool the importer reads."""


class MissingField(ImporterError):
    """A field the tool always writes is absent."""


class InvalidValue(ImporterError):
    """A value is not a finite number (NaN, infinity, text, a boolean) or not of the expected kind."""


class BadMetricPath(ImporterError):
    """A ``--metric`` argument is malformed, matches nothing, or names a metric the file lacks."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one importer read from one file, before ``--metric`` filtering."""

    measurements: list[Measurement]
    title: str | None = None
    generated: dt.datetime | dt.date | None = None
    evidence_type: URIRef | None = None
    notes: list[str] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)
    """The files read, when not just the path given."""


Reader = Callable[[Path, Sequence[str]], Extracted]
"""An importer's reading function: the input path and the ``--metric`` arguments."""


@dataclass(frozen=True, slots=True)
class Importer:
    """One entry of :data:`rai_graph.authoring.importers.IMPORTERS`."""

    tool: str
    """The name given to ``--import`` (e.g. ``fairlearn``)."""
    name: str
    """The importer's name in ``rai:extractedBy`` (e.g. ``fairlearn-metricframe``)."""
    version: int
    """Bumped whenever the same file would give different measurements."""
    summary: str
    """One line for ``--help``: which file of which tool it reads."""
    read: Reader
    mapping: bool = False
    """True for the generic importers, whose ``--metric`` arguments say what to read."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Measurements read from a tool's output, with provenance and suggested record metadata."""

    tool: str
    importer: str
    version: int
    source: Path
    measurements: tuple[Measurement, ...]
    title: str | None = None
    """A suggested ``dcterms:title`` for the evidence record."""
    generated: dt.datetime | dt.date | None = None
    """When the tool produced the file, from the file's own timestamp (None when it has none)."""
    evidence_type: URIRef | None = None
    """A suggested ``rai:evidenceType`` (None when the importer cannot tell)."""
    metric_paths: tuple[str, ...] = ()
    """The ``--metric`` arguments applied, kept in ``extracted_by`` so the import can be repeated."""
    inputs: tuple[Path, ...] = ()
    """The files the measurements were read from."""
    notes: tuple[str, ...] = ()
    """Things a reviewer should know: values skipped and why."""

    @property
    def generated_on(self) -> dt.date | None:
        """The calendar day of ``generated`` (as written, in the tool's own time zone), for xsd:date."""
        if isinstance(self.generated, dt.datetime):
            return self.generated.date()
        return self.generated

    @property
    def extracted_by(self) -> str:
        """The ``rai:extractedBy`` value, e.g. ``fairlearn-metricframe/1``."""
        name = f"{self.importer}/{self.version}"
        return " ".join([name, *(f"--metric {shlex.quote(path)}" for path in self.metric_paths)])


# --- numbers ------------------------------------------------------------------------------------


def to_decimal(value: object, file: Path | str, *, key: str | None = None, line: int | None = None,
               text_allowed: bool = False) -> Decimal:
    """``value`` as an exact, finite decimal; anything else is an :class:`InvalidValue`.

    Floats are converted through their shortest round-trip repr, so 0.1 stays 0.1. Text is
    accepted only where the tool writes numbers as text (``text_allowed``).
    """
    number: Decimal
    if isinstance(value, bool) or value is None:
        shown = "null (pandas writes NaN as null)" if value is None else json.dumps(value)
        raise InvalidValue(file, f"expected a number, found {shown}", key=key, line=line)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValue(file, f"the value is {value!r}, not a finite number", key=key, line=line)
        number = Decimal(repr(value))
    elif isinstance(value, str) and text_allowed:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidValue(file, f"expected a number, found {value!r}", key=key, line=line) from None
    else:
        raise InvalidValue(file, f"expected a number, found {_show(value)}", key=key, line=line)
    if not number.is_finite():
        raise InvalidValue(file, f"the value is {number}, not a finite number", key=key, line=line)
    if number and abs(number.adjusted()) > _LARGEST_EXPONENT:
        raise InvalidValue(file, f"the value {number} is out of range for a measurement", key=key, line=line)
    return number


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """``part / whole`` to 12 significant digits, without trailing zeros (``whole`` is not 0)."""
    with localcontext() as context:
        context.prec = _RATE_DIGITS
        return (Decimal(part) / Decimal(whole)).normalize()


def decimal_turtle(value: Decimal) -> str:
    """``value`` as a Turtle xsd:decimal literal: plain digits, a point, never an exponent."""
    text = format(value, "f")
    if text.startswith("-") and not value:
        text = text[1:]  # -0 is 0
    return text if "." in text else f"{text}.0"


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


# --- names --------------------------------------------------------------------------------------

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\W_]+")


def snake_case(name: str) -> str:
    """``name`` in snake_case, as tools spell metrics: ``equalizedOdds``, ``val/loss`` → ``val_loss``."""
    return _SEPARATORS.sub("_", _CAMEL_BOUNDARY.sub("_", name.strip())).strip("_").lower()


def metric_name(raw: object, file: Path | str, *, key: str | None = None, line: int | None = None) -> str:
    """The snake_case metric name for ``raw``; an error when it is not text or has no letter or digit."""
    if not isinstance(raw, str):
        raise InvalidValue(file, f"expected a metric name, found {_show(raw)}", key=key, line=line)
    name = snake_case(raw)
    if not name:
        raise InvalidValue(file, f"{raw!r} is not usable as a metric name", key=key, line=line)
    return name


def slice_label(parts: Sequence[tuple[str, object]]) -> str:
    """``age_band=18-25`` or, for several features, ``sex=female, age_band=18-25``; a part with no
    name is its value alone."""
    return ", ".join(f"{name}={_label(value)}" if name else _label(value) for name, value in parts)


def _label(value: object) -> str:
    if isinstance(value, Decimal):
        return decimal_turtle(value) if value != value.to_integral_value() else str(value.to_integral_value())
    return str(value)


# --- reading ------------------------------------------------------------------------------------


MAX_INPUT_BYTES = 48 * 1024 * 1024
"""What an importer reads of one file: far above a tool's report, far below what would exhaust memory."""


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without aliases: ``*name`` lets a few lines expand to billions of nodes (the
    "billion laughs"), and no tool writes them in a model card or meta.yaml."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not read", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """Like ``yaml.safe_load`` but refusing aliases (a :class:`yaml.YAMLError`, with its line)."""
    return yaml.load(text, Loader=_NoAliasLoader)


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a BOM is dropped); an :class:`UnreadableInput` if that fails or it is empty."""
    if not path.exists():
        raise UnreadableInput(path, "no such file")
    if path.is_dir():
        raise UnreadableInput(path, "is a folder; give the tool's output file")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UnreadableInput(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        # Parsed JSON takes ten times its size in memory: a bound before parsing, not after.
        raise UnreadableInput(path, f"is larger than the {MAX_INPUT_BYTES // (1024 * 1024)} MB an importer reads")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UnreadableInput(path, "is not UTF-8 text", line=line) from None
    if not text.strip():
        raise UnreadableInput(path, "is empty")
    return text


def parse_json(text: str, file: Path | str, *, line: int | None = None) -> Any:
    """JSON with exact decimals; an error names the line (``line`` for one line of JSON Lines)."""
    try:
        # NaN and Infinity parse to floats so that to_decimal reports them with their key.
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise NotToolFormat(file, f"is not valid JSON ({exc.msg}, column {exc.colno})", line=where) from None
    except RecursionError:
        raise NotToolFormat(file, "is nested too deeply to be a tool output", line=line) from None


def load_json(path: Path) -> Any:
    """Read and parse a JSON file (see :func:`parse_json`)."""
    return parse_json(read_text(path), path)


def member(container: object, name: str, file: Path | str, *, key: str, line: int | None = None) -> Any:
    """``container[name]`` of a JSON object; a :class:`MissingField` naming ``key`` when absent."""
    if not isinstance(container, dict):
        where = key.rsplit(".", 1)[0] if "." in key else None
        raise NotToolFormat(file, f"expected an object, found {_show(container)}", key=where, line=line)
    if name not in container:
        raise MissingField(file, "is missing", key=key, line=line)
    return container[name]


def text_member(container: dict[str, Any], name: str, file: Path | str, *, key: str,
                line: int | None = None) -> str:
    value = member(container, name, file, key=key, line=line)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(file, f"expected text, found {_show(value)}", key=key, line=line)
    return value


def parse_timestamp(value: object) -> dt.datetime | dt.date | None:
    """An ISO 8601 date or date-time (``Z`` accepted), or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None


def from_epoch_millis(value: object) -> dt.datetime | None:
    """A UTC date-time from milliseconds since the epoch (MLflow's clock), or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    try:
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
