"""Clocks: the system clock, a fixed clock for tests, and an offset clock for the demo mode."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ensap_tui.services.ports import Clock


def _aware_utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a clock needs a timezone-aware datetime")
    return at.astimezone(UTC)


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (tests). Thread-safe."""

    def __init__(self, at: datetime) -> None:
        self._lock = threading.Lock()
        self._at = _aware_utc(at)

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        """Puts the clock at ``at`` (timezone-aware)."""
        moved = _aware_utc(at)
        with self._lock:
            self._at = moved

    def advance(self, delta: timedelta) -> None:
        """Moves the clock by ``delta`` (which may be negative)."""
        with self._lock:
            self._at = self._at + delta


class OffsetClock:
    """``base`` shifted by ``offset()``, read at every call (the trainer's demo clock, whose
    offset can be advanced while the app runs)."""

    def __init__(self, base: Clock, offset: Callable[[], timedelta]) -> None:
        self._base = base
        self._offset = offset

    def now(self) -> datetime:
        return _aware_utc(self._base.now()) + self._offset()
