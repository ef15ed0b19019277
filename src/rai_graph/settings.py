"""Repository settings from the optional ``rai-graph.toml``.

Problems in the file are reported as :class:`~rai_graph.errors.InputError` (with the line of the
offending key where it can be found), so a typo in settings never hides the rest of the check.
Each key is read on its own: an unknown or invalid key is an error on its line and leaves every
other key as written. An invalid ``approval_strictness`` reads as the strictest value, never as
``off`` (a typo must not switch strict approvals off); a file that cannot be read at all gives the
defaults but keeps the strictness its ``approval_strictness`` line states (the strictest when that
line cannot be read either).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal, get_args, get_type_hints

from rai_graph.errors import InputError
from rai_graph.load.trees import Kind, RepositoryTree, read_bytes

if TYPE_CHECKING:
    from pydantic import BaseModel

SETTINGS_FILE = "rai-graph.toml"

Strictness = Literal["off", "author", "signature", "author-and-signature"]
STRICTEST: Strictness = "author-and-signature"
AS_OF_RANGE = (dt.date(1900, 1, 1), dt.date(9000, 12, 31))
"""The dates a repository may judge itself as of: far enough from the calendar's ends that adding
a look-ahead or an evidence age never leaves it."""
_MAX_NESTING = 64



@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What a repository may configure; unknown keys are an error."""

    base_iri: str | None = None
    """IRI prefix of the organisation's own terms (used by ``new`` and for relative IRIs)."""
    frameworks: list[str] | None = None
    """The frameworks the organisation claims to follow (ids such as ``eu-ai-act``); only their
    requirements are applicable. Unset: every framework in ``frameworks/``."""
    as_of: dt.date | None = None
    """Default ``--as-of`` date; the command line wins."""
    freshness_from_commit_date: bool = False
    """When a record lacks ``prov:generatedAtTime``, date it by the last commit that changed it."""
    approval_strictness: Strictness = "off"
    """Strict approvals: every commit that touched the approval's file must be authored by the
    approver's e-mail (``author``), and signed by a key listed for the approver under
    ``controls/`` (``rai:signingKey``) with a signature ``git verify-commit`` accepts
    (``signature``), or both; an approval with uncommitted changes does not count."""
    install: str | None = None
    """How CI installs rai-graph (the workflow ``init`` writes reads it): a pip requirement on
    rai-graph (``rai-graph==0.2.0``), a git URL (``git+https://github.com/org/rai-graph@<commit>``)
    a path relative to the repository (``.``, ``tools/rai_graph-0.2.0-py3-none-any.whl``) or the
    https URL of a wheel or source archive. Unset: this version of rai-graph from the package index."""


SETTING_NAMES = tuple(f.name for f in fields(Settings))


def _plausible_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not AS_OF_RANGE[0] <= value <= AS_OF_RANGE[1]:
        raise ValueError(f"as_of must lie between {AS_OF_RANGE[0]} and {AS_OF_RANGE[1]}")
    return value


def _known_install_source(value: str | None) -> str | None:
    if value is not None:
        install_source_kind(value)
    return value


def _as_written(key: str, value: Any) -> bool:
    """Whether ``value`` (as TOML read it) is already what :func:`_schema` makes of it, valid.

    Most settings files hold only such values; they never need pydantic, whose import is a
    tenth of a check that re-judges one folder. Anything else (a value pydantic would coerce, or
    reject with its message) goes through the schema.
    """
    try:
        if key in ("base_iri", "install"):
            return type(value) is str and (key != "install" or _known_install_source(value) is not None)
        if key == "frameworks":
            return type(value) is list and all(type(item) is str for item in value)
        if key == "as_of":
            return type(value) is dt.date and _plausible_date(value) is not None
        if key == "freshness_from_commit_date":
            return type(value) is bool
        if key == "approval_strictness":
            return type(value) is str and value in get_args(Strictness)
    except ValueError:
        return False
    return False


@functools.cache
def _schema() -> type[BaseModel]:
    """:class:`Settings` as a pydantic model (its fields, types and defaults, with the checks
    above), for the values :func:`_as_written` does not accept."""
    from pydantic import ConfigDict, create_model, field_validator

    types = get_type_hints(Settings)
    return create_model(  # type: ignore[call-overload, no-any-return]
        "SettingsSchema", __config__=ConfigDict(extra="forbid", frozen=True),
        __validators__={"check_as_of": field_validator("as_of")(_plausible_date),
                        "check_install": field_validator("install")(_known_install_source)},
        **{field.name: (types[field.name], field.default) for field in fields(Settings)},
    )


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
    data = read_bytes(tree, SETTINGS_FILE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        readable = data.decode("utf-8", "replace")
        return _unreadable(readable, data.count(b"\n", 0, exc.start) + 1, "not valid UTF-8")
    too_deep = _line_nested_too_deeply(text)
    if too_deep is not None:
        return _unreadable(text, too_deep, f"nested more than {_MAX_NESTING} levels deep")
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        return _unreadable(text, _line_from_toml_error(str(exc)), f"invalid TOML: {exc}")
    return _validated(raw, text)


_STRICTNESS_LINE = re.compile(r"""^[ \t]*["']?approval_strictness["']?[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')""",
                              re.MULTILINE)


def _stated_strictness(text: str) -> Strictness:
    """The strictest approval strictness any line of ``text`` states, wherever it stands (in a
    table, twice, beside a syntax error): an unknown value or one TOML cannot read counts as the
    strictest, "author" and "signature" together as both. "off" only when every line says off."""
    stated = set()
    for line in text.split("\n"):
        if re.match(r"""^[ \t]*["']?approval_strictness["']?[ \t]*=""", line):
            found = _STRICTNESS_LINE.match(line)
            value = (found.group(1) or found.group(2) or "") if found else ""
            stated.add(value if value in get_args(Strictness) else STRICTEST)
    stated.discard("off")
    if not stated:
        return "off"
    if len(stated) == 1:
        return stated.pop()  # type: ignore[return-value]
    return STRICTEST


def _unreadable(text: str, line: int | None, why: str) -> tuple[Settings, list[InputError]]:
    """The defaults for a settings file TOML cannot read, but with the approval strictness its
    ``approval_strictness`` lines state: a broken file never switches strict approvals off."""
    strictness = _stated_strictness(text)
    note = "defaults used" + (f", approvals strict ({strictness})" if strictness != "off" else "")
    return Settings(approval_strictness=strictness), [InputError(SETTINGS_FILE, line, f"{why}; {note}", "parse")]


def _validated(raw: dict[str, Any], text: str) -> tuple[Settings, list[InputError]]:
    """The settings of ``raw``, one key at a time: each bad key an error on its line, the others kept."""
    kept: dict[str, Any] = {}
    errors: list[InputError] = []
    for key, value in raw.items():
        if key not in SETTING_NAMES:
            known = ", ".join(sorted(SETTING_NAMES))
            errors.append(InputError(SETTINGS_FILE, _line_of_key(text, key),
                                     f"{key}: unknown setting, ignored (known: {known})", "shape"))
            continue
        if _as_written(key, value):
            kept[key] = value
            continue
        from pydantic import ValidationError

        try:
            kept[key] = getattr(_schema().model_validate({key: value}), key)
        except ValidationError as exc:
            for problem in exc.errors():
                where = ".".join(str(part) for part in problem["loc"])
                note = (f"; {STRICTEST!r} used until it is fixed" if key == "approval_strictness"
                        else "; the default used")
                message = str(problem["msg"]).removeprefix("Value error, ")
                errors.append(InputError(SETTINGS_FILE, _line_of_key(text, key), f"{where}: {message}{note}",
                                         "shape"))
            if key == "approval_strictness":
                kept[key] = STRICTEST
    if kept.get("approval_strictness", "off") == "off" and _stated_strictness(text) != "off":
        # A strictness stated where TOML puts it elsewhere (inside a table): still binding.
        kept["approval_strictness"] = _stated_strictness(text)
    return Settings(**kept), errors


def _line_nested_too_deeply(text: str) -> int | None:
    """The line where arrays or inline tables open more than :data:`_MAX_NESTING` deep (tomllib
    recurses once per level), ignoring brackets in strings and comments roughly; None if none."""
    depth = 0
    quote: str | None = None
    line = 1
    previous = ""
    for character in text:
        if character == "\n":
            line += 1
            if quote in ('"', "'"):
                quote = None
        if quote is not None:
            if character == quote and previous != "\\":
                quote = None
        elif character in "\"'":
            quote = character
        elif character == "#":
            quote = "\n"  # a comment runs to the end of the line
        elif character in "[{":
            depth += 1
            if depth > _MAX_NESTING:
                return line
        elif character in "]}":
            depth = max(0, depth - 1)
        previous = character
    return None


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
    for number, line in enumerate(text.split("\n"), start=1):
        if re.match(rf"\s*{re.escape(leaf)}\s*=", line):
            return number
    return None
