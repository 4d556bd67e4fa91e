"""Checksums of code and installed packages, for caches that must never outlive what computed them."""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable
from functools import cache

from convene import settings


@cache
def code_digest(files: tuple[str, ...], packages: tuple[str, ...]) -> str:
    """A checksum of repository files (paths relative to the repository root; a missing file counts as
    missing, never as an error) and of the installed versions of ``packages`` (an absent one counts as
    absent).  Computed once per process: the code of a running process does not change under it."""
    h = hashlib.blake2b(digest_size=16)
    for rel in files:
        path = settings.REPO_ROOT / rel
        h.update(rel.encode())
        h.update(path.read_bytes() if path.is_file() else b"-")
    for name in packages:
        try:
            h.update(f"{name}={importlib.metadata.version(name)};".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name}=-;".encode())
    return h.hexdigest()


def digest_of(files: Iterable[str], packages: Iterable[str]) -> str:
    """:func:`code_digest` of any iterables (order matters)."""
    return code_digest(tuple(files), tuple(packages))
