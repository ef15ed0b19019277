"""The on-disk cache that lets ``check`` skip work on files that did not change.

Entries are content-addressed: a key is a hash of everything the cached value depends on (the
file's bytes, rai-graph's version, the SHACL shapes, ...), so a stale entry is simply never looked
up again. Entries of one kind are kept together in a *pack* (one file per kind), read and written
whole: a few large reads are much cheaper than tens of thousands of small ones.

Nothing read back is trusted blindly. Every pack is signed with HMAC-SHA256 under a secret kept in
the user's cache directory (``$XDG_CACHE_HOME/rai-graph/secret``), never in the repository, so a
pack that was corrupted, truncated, written by another version, or committed to the repository by
someone else fails the check and is ignored (the work is redone and the pack rewritten). Packs are
written atomically (a temporary file renamed over the old one), so a crash or a concurrent run
never leaves a half-written pack.

Location: ``.rai-graph-cache/`` in the repository (it contains its own ``.gitignore``), or the
directory named by ``RAI_GRAPH_CACHE_DIR``. ``RAI_GRAPH_NO_CACHE=1`` turns the cache off. A CI job
that keeps the folder between runs sets ``RAI_GRAPH_CACHE_SECRET`` (from a CI secret) so that its
runners, each with a fresh home directory, accept what the previous run wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rai_graph._version import __version__

CACHE_FOLDER = ".rai-graph-cache"
NO_CACHE_VARIABLE = "RAI_GRAPH_NO_CACHE"
CACHE_DIR_VARIABLE = "RAI_GRAPH_CACHE_DIR"
SECRET_VARIABLE = "RAI_GRAPH_CACHE_SECRET"

_MAGIC = b"rai-graph cache\n"
_FORMAT = 1


def source_files() -> list[Path]:
    """Every module of the rai_graph package (this file sits in rai_graph/load/)."""
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


def _code_fingerprint() -> str:
    """A hash of rai-graph's own source: a development build that changed any module never reads
    entries an older build wrote, even though its version number did not change."""
    hasher = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in source_files():
        hasher.update(path.relative_to(package).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


# What a cached value may depend on beyond its own key: the tool's code, the cache layout and the
# serialisation (marshal's and pickle's formats change between Python versions).
FINGERPRINT = (f"rai-graph {__version__} ({_code_fingerprint()}); cache {_FORMAT}; "
               f"python {sys.version_info[:2]}")


def digest(*parts: str | bytes) -> str:
    """A key: SHA-256 over ``parts`` (each length-prefixed, so no two lists collide)."""
    hasher = hashlib.sha256(FINGERPRINT.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def cache_disabled_by_environment() -> bool:
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


class Cache:
    """Packs of cached entries in one directory; every failure degrades to 'not cached'."""

    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = directory
        self._secret = secret

    @classmethod
    def for_repository(cls, location: Path) -> Cache | None:
        """The cache of the repository at ``location``; None when disabled or unusable."""
        if cache_disabled_by_environment():
            return None
        configured = os.environ.get(CACHE_DIR_VARIABLE)
        directory = Path(configured) if configured else location / CACHE_FOLDER
        secret = _secret()
        return cls(directory, secret) if secret is not None else None

    def read(self, kind: str) -> dict[str, Any]:
        """The entries of pack ``kind``; empty if missing, unreadable, corrupt or foreign."""
        try:
            blob = (self.directory / f"{kind}.pack").read_bytes()
        except OSError:
            return {}
        header = len(_MAGIC) + 32
        if len(blob) < header or not blob.startswith(_MAGIC):
            return {}
        signature, payload = blob[len(_MAGIC):header], blob[header:]
        if not hmac.compare_digest(signature, self._sign(kind, payload)):
            return {}
        try:
            # Only ever reached for bytes this user's rai-graph wrote (the signature matched).
            fingerprint, entries = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}
        if fingerprint != FINGERPRINT or not isinstance(entries, dict):
            return {}
        return entries

    def write(self, kind: str, entries: Mapping[str, Any]) -> None:
        """Replace pack ``kind`` atomically; a cache that cannot be written is silently skipped."""
        try:
            payload = marshal.dumps((FINGERPRINT, dict(entries)))
        except ValueError:
            return  # a value marshal cannot store: a bug, but never worth failing a check for
        blob = _MAGIC + self._sign(kind, payload) + payload
        try:
            self._prepare()
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{kind}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(blob)
                os.replace(temporary, self.directory / f"{kind}.pack")
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError:
            return

    def prune(self, prefix: str, *, keep: int) -> None:
        """Remove all but the ``keep`` most recently written packs whose kind starts with ``prefix``."""
        try:
            packs = sorted(self.directory.glob(f"{prefix}*.pack"), key=lambda p: p.stat().st_mtime_ns)
            for stale in packs[:-keep] if keep else packs:
                stale.unlink(missing_ok=True)
        except OSError:
            return

    def _sign(self, kind: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, kind.encode() + b"\0" + payload, hashlib.sha256).digest()

    def _prepare(self) -> None:
        if (self.directory / ".gitignore").is_file():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / ".gitignore").write_text(
            "# Created by rai-graph: a cache, never to be committed.\n*\n", encoding="utf-8")
        (self.directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This directory is a cache of rai-graph (https://w3id.org/rai-graph).\n",
            encoding="utf-8")


def _secret() -> bytes | None:
    """This user's signing secret, created on first use; None if it cannot be read or made.

    ``RAI_GRAPH_CACHE_SECRET`` gives one instead, for CI runners that restore the cache folder
    between runs (from a secret the pull requests of strangers cannot read).
    """
    given = os.environ.get(SECRET_VARIABLE)
    if given:
        return hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "rai-graph" / "secret"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(os.urandom(32))
            # Two runs racing to create it: the first link wins and both then read the winner.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) >= 32 else None
