"""Repository settings from the optional ``rai-graph.toml``.

Problems in the file are reported as :class:`~rai_graph.errors.InputError` (with the line of the
offending key where it can be found) and defaults are used, so a typo in settings never hides the
rest of the check.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from rai_graph.errors import InputError
from rai_graph.load.trees import Kind, RepositoryTree, read_bytes

SETTINGS_FILE = "rai-graph.toml"


class Settings(BaseModel):
    """What a repository may configure; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=True)

    base_iri: str | None = None
    """IRI prefix of the organisation's own terms (used by ``new`` and for relative IRIs)."""
    frameworks: list[str] | None = None
    """The frameworks the organisation claims to follow (ids such as ``eu-ai-act``); only their
    requirements are applicable. Unset: every framework in ``frameworks/``."""
    as_of: dt.date | None = None
    """Default ``--as-of`` date; the command line wins."""
    freshness_from_commit_date: bool = False
    """When a record lacks ``prov:generatedAtTime``, date it by the last commit that changed it."""
    approval_strictness: Literal["off", "author", "signature", "author-and-signature"] = "off"
    """Strict approvals: the commit adding the approval record must be authored by the approver's
    e-mail (``author``), carry a signature ``git verify-commit`` accepts (``signature``), or both."""
    install: str | None = None
    """How CI installs rai-graph (the workflow ``init`` writes reads it): a pip requirement on
    rai-graph (``rai-graph==0.2.0``), a git URL (``git+https://github.com/org/rai-graph@<commit>``)
    a path relative to the repository (``.``, ``tools/rai_graph-0.2.0-py3-none-any.whl``) or the
    https URL of a wheel or source archive. Unset: this version of rai-graph from the package index."""

    @field_validator("install")
    @classmethod
    def _known_install_source(cls, value: str | None) -> str | None:
        if value is not None:
            install_source_kind(value)
        return value


InstallKind = Literal["requirement", "git", "path", "archive"]

_REQUIREMENT = re.compile(
    r"rai[-_.]graph(\[[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*\])?"
    r"(\s*(==|>=|<=|~=|!=|<|>|===)\s*[0-9A-Za-z][0-9A-Za-z.*+!_-]*"
    r"(\s*,\s*(==|>=|<=|~=|!=|<|>|===)\s*[0-9A-Za-z][0-9A-Za-z.*+!_-]*)*)?",
    re.IGNORECASE,
)
_GIT_URL = re.compile(r"git\+(https|ssh)://[^\s@/]+(@[^\s@/]+)?/[^\s@]+(@[^\s@]+)?")
_ARCHIVE_URL = re.compile(r"https://[^\s/@]+/[^\s]+\.(whl|tar\.gz|zip)")
_PATH = re.compile(r"(\.|\.\.|[A-Za-z0-9_.][A-Za-z0-9_.+-]*)(/[A-Za-z0-9_.+-]+)*/?")


def install_source_kind(value: str) -> InstallKind:
    """What kind of install source ``value`` is; ValueError (a settings error) when it is none.

    The workflow passes the value to ``pip install`` as one argument, so it may hold no
    whitespace or line break, and may not start with '-' (pip would read an option).
    """
    if value != value.strip() or not value or any(ch.isspace() for ch in value.replace(" ", "")):
        raise ValueError("install must be one pip requirement, git URL or path, without surrounding spaces "
                         "or line breaks")
    if value.startswith("-"):
        raise ValueError("install may not start with '-' (pip would read it as an option)")
    if value.startswith("https://"):
        if _ARCHIVE_URL.fullmatch(value):
            return "archive"
        raise ValueError(f"install {value!r} is no https URL of a wheel or source archive (.whl, .tar.gz, .zip)")
    if value.startswith("/"):
        raise ValueError("install paths are relative to the repository: CI has no absolute path of yours")
    if value.startswith("git+"):
        if _GIT_URL.fullmatch(value):
            return "git"
        raise ValueError(f"install {value!r} is not a git URL such as git+https://github.com/org/rai-graph@v0.2.0")
    if " " not in value and _PATH.fullmatch(value) and (
            value in (".", "..") or "/" in value or value.endswith((".whl", ".tar.gz", ".zip"))):
        return "path"
    if _REQUIREMENT.fullmatch(value):
        return "requirement"
    raise ValueError(f"install {value!r} is neither a requirement on rai-graph (rai-graph==0.2.0), a git URL "
                     "(git+https://...@ref) nor a relative path (., tools/rai_graph-0.2.0-py3-none-any.whl)")


def read_settings(tree: RepositoryTree) -> tuple[Settings, list[InputError]]:
    """Read ``rai-graph.toml`` at the repository's top; a missing file gives the defaults."""
    kind = tree.resolve(SETTINGS_FILE).kind
    if kind is Kind.DIRECTORY:
        return Settings(), [InputError(SETTINGS_FILE, None, "is a directory, expected the settings file; "
                                       "defaults used", "parse")]
    if kind is not Kind.FILE:
        return Settings(), []
    text = read_bytes(tree, SETTINGS_FILE).decode("utf-8", errors="replace")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        return Settings(), [InputError(SETTINGS_FILE, line, f"invalid TOML: {exc}", "parse")]
    try:
        return Settings.model_validate(raw), []
    except ValidationError as exc:
        errors = []
        for problem in exc.errors():
            key = ".".join(str(part) for part in problem["loc"])
            errors.append(
                InputError(SETTINGS_FILE, _line_of_key(text, key), f"{key}: {problem['msg']}", "shape")
            )
        return Settings(), errors


def line_of_key(tree: RepositoryTree, key: str) -> int | None:
    """The line of ``key`` in the repository's settings file, for messages."""
    if tree.resolve(SETTINGS_FILE).kind is not Kind.FILE:
        return None
    return _line_of_key(read_bytes(tree, SETTINGS_FILE).decode("utf-8", "replace"), key)


def _line_from_toml_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _line_of_key(text: str, key: str) -> int | None:
    leaf = key.rsplit(".", 1)[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(leaf)}\s*=", line):
            return number
    return None
