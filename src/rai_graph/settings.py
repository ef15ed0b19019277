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

from pydantic import BaseModel, ConfigDict, ValidationError

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
