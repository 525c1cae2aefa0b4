"""Cutting a text into words, as the name checks of the password rules and the help desk's
name search both do."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def runs(chars: Iterable[str], keep: Callable[[str], bool]) -> list[str]:
    """The runs of consecutive characters of ``chars`` that ``keep`` accepts, in order; every
    other character ends a run and is dropped (``runs("d'Artagnan-Lefèvre", str.isalpha)`` is
    ``["d", "Artagnan", "Lefèvre"]``)."""
    parts: list[str] = []
    current: list[str] = []
    for c in chars:
        if keep(c):
            current.append(c)
        elif current:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts
