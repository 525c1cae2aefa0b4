"""The search keys of a birth name, as the help desk's search reads them.

A caller spells a name over the phone: case, accents, ligatures, apostrophes, hyphens and spaces
do not count, and any part of a compound name may be the one given. So a name has a *key*, the
whole name folded and compacted (``d'Artagnan-Lefèvre`` → ``dartagnanlefevre``), and *part
keys*, the same from the start of each later part (``artagnanlefevre``, ``lefevre``). A search
text, folded the same way, matches the start of either.
"""

from __future__ import annotations

import unicodedata

from ensap_tui.domain.words import runs

# Ligatures that NFKD leaves whole.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def _folded_parts(text: str) -> list[str]:
    """The name case-folded, without accents or ligatures, cut at every character that is
    neither a letter nor a digit (apostrophes of any shape, hyphens, spaces, dots)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return runs((c for c in decomposed if not unicodedata.combining(c)), str.isalnum)


def name_key(text: str) -> str:
    """The search key of a birth name, or of a search text: case-folded, accents and
    ligatures removed, only letters and digits kept (``LEFÈVRE`` → ``lefevre``, ``N'Diaye`` →
    ``ndiaye``, ``Le Goff`` → ``legoff``, ``Œuvray`` → ``oeuvray``)."""
    return "".join(_folded_parts(text))


def part_keys(text: str) -> list[str]:
    """The keys of a compound name from the start of each part after the first, without
    repeats (``d'Artagnan-Lefèvre`` → ``["artagnanlefevre", "lefevre"]``; a one-part name has
    none)."""
    parts = _folded_parts(text)
    keys: list[str] = []
    for start in range(1, len(parts)):
        key = "".join(parts[start:])
        if key not in keys:
            keys.append(key)
    return keys
