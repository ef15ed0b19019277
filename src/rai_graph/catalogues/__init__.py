"""Framework catalogues, built from vendored sources: ``python -m rai_graph.catalogues``.

``build`` writes every catalogue under ``frameworks/``; ``check`` rebuilds them in memory and
exits 1 naming each committed file that differs, so CI can prove the committed output is current.

Module contract
---------------
Each name in :data:`MODULES` is a module ``rai_graph.catalogues.<name>`` that defines either

* ``OUTPUT: str`` (a file name under ``frameworks/``) and ``build(sources: Path) -> Graph``, or
* ``OUTPUTS: Mapping[str, Callable[[Path], Graph]]`` (file name → builder) when it writes several
  files, as ``nist_ai_rmf`` does for the Core and the Playbook guidance. ``OUTPUTS`` wins over
  ``OUTPUT``/``build`` when a module defines both.

``sources`` is the vendored ``frameworks/sources`` directory. A builder reads only files under it
(each with a SOURCE.md giving origin and licence), raises
:class:`~rai_graph.catalogues._common.SourceDataError` naming the file when one is missing or
malformed, and starts from :func:`~rai_graph.catalogues._common.new_graph`. Blank nodes are
allowed only nested, each the object of one triple (conditions, dates of application, earlier
wordings). The orchestrator writes each graph with
:func:`~rai_graph.catalogues._common.write_turtle`, whose output is byte-stable (blank nodes are
relabelled from their content first), so ``check`` compares bytes. Every clause records ``dcterms:source`` (the
official document) and ``prov:wasDerivedFrom`` (the vendored file, as a repository path).

A listed module that does not exist yet is skipped with a message; a module that exists but fails
to import, or breaks the contract, is an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import cast

from rdflib import Graph

from rai_graph.catalogues._common import SourceDataError as SourceDataError
from rai_graph.catalogues._common import turtle_bytes, write_turtle
from rai_graph.errors import RaiGraphError

__all__ = [
    "MODULES",
    "Builder",
    "Catalogue",
    "CatalogueModuleError",
    "Plan",
    "SourceDataError",
    "plan_catalogues",
    "stale_outputs",
    "write_catalogues",
]

#: Catalogue modules, in build order.
MODULES: tuple[str, ...] = (
    "nist_ai_rmf",
    "nist_ai_600_1",
    "iso_42001",
    "crosswalk_nist_iso",
    "eu_ai_act",
    "crosswalk_eu_nist",
)

Builder = Callable[[Path], Graph]


class CatalogueModuleError(RaiGraphError):
    """A catalogue module cannot be imported or does not follow the module contract."""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One output file and the builder that makes it."""

    module: str
    output: str
    build: Builder


@dataclass(slots=True)
class Plan:
    """The catalogues to build, and the listed modules skipped because they do not exist yet."""

    catalogues: list[Catalogue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _import(name: str) -> ModuleType | None:
    """The module ``rai_graph.catalogues.<name>``, or None when it does not exist."""
    qualified = f"{__name__}.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as error:
        if error.name == qualified:
            return None
        raise CatalogueModuleError(f"{qualified} cannot be imported: {error}") from error


def _outputs_of(module: ModuleType) -> dict[str, Builder]:
    """The module's outputs per the contract (``OUTPUTS``, else ``OUTPUT`` and ``build``)."""
    outputs: object = getattr(module, "OUTPUTS", None)
    if outputs is None:
        output: object = getattr(module, "OUTPUT", None)
        build: object = getattr(module, "build", None)
        if not isinstance(output, str) or not callable(build):
            raise CatalogueModuleError(f"{module.__name__} defines neither OUTPUTS nor OUTPUT and build()")
        return {output: cast(Builder, build)}
    if not isinstance(outputs, Mapping) or not all(
        isinstance(name, str) and callable(builder) for name, builder in outputs.items()
    ):
        raise CatalogueModuleError(f"{module.__name__}.OUTPUTS must map file names to builders")
    return {str(name): cast(Builder, builder) for name, builder in outputs.items()}


def plan_catalogues(modules: Sequence[str] = MODULES) -> Plan:
    """Import the catalogue modules and list their outputs, skipping modules not written yet."""
    plan = Plan()
    owners: dict[str, str] = {}
    for name in modules:
        module = _import(name)
        if module is None:
            plan.skipped.append(name)
            continue
        for output, builder in _outputs_of(module).items():
            if output in owners:
                raise CatalogueModuleError(f"{name} and {owners[output]} both write {output}")
            owners[output] = name
            plan.catalogues.append(Catalogue(name, output, builder))
    return plan


def write_catalogues(plan: Plan, sources: Path, out: Path) -> list[Path]:
    """Build every catalogue of the plan from ``sources`` and write it under ``out``."""
    written: list[Path] = []
    for catalogue in plan.catalogues:
        path = out / catalogue.output
        write_turtle(catalogue.build(sources), path)
        written.append(path)
    return written


def stale_outputs(plan: Plan, sources: Path, out: Path) -> list[Path]:
    """The files under ``out`` that are missing or differ from a fresh build."""
    stale: list[Path] = []
    for catalogue in plan.catalogues:
        path = out / catalogue.output
        fresh = turtle_bytes(catalogue.build(sources))
        if not path.is_file() or path.read_bytes() != fresh:
            stale.append(path)
    return stale
