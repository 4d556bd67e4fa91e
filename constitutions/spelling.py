"""British and American spellings of one word, brought together.

Constitutions in English are written in both spellings: India, South Africa, Ireland, Kenya, Nepal and
Canada write "defence", "labour", "organisation" and "licence"; the United States, California and the
Constitute Project's topic ontology write "defense", "labor", "organization" and "license".  Left apart,
the two spellings are different terms to every lexical signal (TF-IDF, topic profiles, shared-term
explanations), so an Indian article on the defence of the Union shares nothing with "the common defense".

:func:`american` maps a lower-case word to its American spelling with spaCy's own English normalisation
table (``lexeme_norm`` of ``spacy-lookups-data``, about 3,500 British forms: "colour", "defence",
"organise", "organisation", "programme", "councillor", "judgement"...), installed with spaCy and read
offline.  Of that table only single words spelt differently are used: its informal abbreviations ("cos",
"plz") are left out, and so are the two pairs whose American form is another word in legal English
("cheque" is not a check, nor a "draught" a draft).  Nothing in it was chosen for this corpus.

Guarantees: deterministic; a word already American, unknown or empty is returned unchanged; never raises
(without the table, every word is returned unchanged).
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

# British forms whose American spelling is, in legal English, a different word.
NOT_VARIANTS = frozenset({"cheque", "cheques", "draught", "draughts"})
MIN_LENGTH = 4  # shorter keys of the table are chat abbreviations ("cos", "thx"), not spellings


@cache
def table() -> dict[str, str]:
    """British -> American, lower-case single words (empty when spacy-lookups-data is missing)."""
    try:
        import spacy_lookups_data
    except ImportError:
        return {}
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_norm.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError):
        return {}
    out = {}
    for key, value in raw.items():
        key, value = key.strip(), value.strip()
        if (len(key) >= MIN_LENGTH and key.isalpha() and key.islower() and value.isalpha() and value.islower()
                and key != value and key not in NOT_VARIANTS):
            out[key] = value
    return out


def american(word: str) -> str:
    """The American spelling of the lower-case ``word`` (itself when it has none)."""
    return table().get(word, word)


__all__ = ["NOT_VARIANTS", "american", "table"]
