"""Convene's one error type, with codes that say what went wrong and how to fix it.

Every failure that reaches a user (bad file, unknown citation, stale revision...)
is a :class:`ConveneError` or a subclass.  Readers, the store and the command
line raise nothing else on bad input, so callers need to catch only this.
"""

from __future__ import annotations


class ConveneError(Exception):
    """Base error.  ``code`` is stable (``E1xx`` reading, ``E2xx`` citations,
    ``E3xx`` store, ``E4xx`` comparison, ``E5xx`` drafts, ``E6xx`` design tools);
    ``source`` names the file, URL or object concerned, when there is one."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None, code: str | None = None):
        self.message = message
        self.source = source
        if code is not None:
            self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"[{self.code}] {where}{self.message}"


class ReadError(ConveneError):
    """A file or URL could not be read as a constitution (malformed, hostile,
    too large, unknown format, wrong encoding, unreachable)."""

    code = "E100"


class CitationError(ConveneError):
    """A citation could not be parsed or does not resolve in the document."""

    code = "E200"


class NotFoundError(ConveneError):
    """An unknown document, provision, draft or revision id."""

    code = "E300"


class StoreError(ConveneError):
    """The database could not be opened or written."""

    code = "E310"


class ConflictError(ConveneError):
    """A change was based on a stale revision.  ``rejected`` keeps what the
    author tried to save so nothing is lost; ``current_revision`` and
    ``changes`` say what happened meanwhile."""

    code = "E500"

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        current_revision: int | None = None,
        changes: tuple[str, ...] = (),
        rejected: dict | None = None,
    ):
        self.current_revision = current_revision
        self.changes = changes
        self.rejected = rejected or {}
        super().__init__(message, source=source)


class ValidationError(ConveneError):
    """An argument is out of range or inconsistent (negative population,
    unknown method, empty title...)."""

    code = "E600"
