"""PDF export: WeasyPrint rendering the HTML export (same text, same print CSS)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from convene.errors import ConveneError
from drafting.export.html import to_html
from drafting.model import Draft

if TYPE_CHECKING:
    from drafting.store import Revision


def to_pdf(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # Pango missing on a bare system
        raise ConveneError(f"PDF export needs WeasyPrint and Pango: {exc}", code="E510") from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = to_html(draft, provenance=provenance, history=history).decode("utf-8")
    # base_url None and no url_fetcher use: the HTML references nothing external.
    return HTML(string=html, base_url=None).write_pdf()
