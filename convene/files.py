"""Writing a file so that no reader ever sees half of it, and no existing file is written through.

:func:`write_atomically` fills a new temporary file beside the target (``.NAME.<random>.tmp``, created
exclusively, so an existing file or symbolic link of that name is never opened) and renames it over the
target.  On any failure, an interruption included, the temporary file is removed and the target is left
as it was; the error (``OSError`` for the file system) reaches the caller, who decides what it means: a
cache that could not be saved, or an export that must be reported.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_atomically"]


def write_atomically(path: Path, fill: Callable[[BinaryIO], object], *, mode: int = 0o666,
                     sync: bool = False) -> None:
    """Write ``path`` with ``fill(file)`` (see the module docstring); ``mode`` is that of a new file (less the
    umask); ``sync`` flushes the data to disk before the rename."""
    tmp = path.with_name(f".{path.name[:200]}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with open(fd, "wb") as fh:
            fill(fh)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
