"""Dates and times as the user reads them, in the local zone (shared by the UI and the CLI).

Instants are stored in UTC; a naive ``datetime`` is taken to be UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def local(dt: datetime) -> datetime:
    """``dt`` in the machine's local zone (a naive value is read as UTC).

    At the very ends of the calendar, where the conversion would overflow, ``dt`` is returned
    in its own zone.
    """
    aware = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    try:
        return aware.astimezone()
    except (OverflowError, OSError, ValueError):
        return aware


def format_datetime(dt: datetime) -> str:
    """``"27/11/2026 à 14:02"`` in the local zone."""
    d = local(dt)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d} à {d.hour:02d}:{d.minute:02d}"


def format_time(dt: datetime) -> str:
    """``"14:02"`` in the local zone."""
    d = local(dt)
    return f"{d.hour:02d}:{d.minute:02d}"


def format_short(dt: datetime) -> str:
    """``"26/11 14:02"`` in the local zone (lists, where the year goes without saying)."""
    d = local(dt)
    return f"{d.day:02d}/{d.month:02d} {d.hour:02d}:{d.minute:02d}"
