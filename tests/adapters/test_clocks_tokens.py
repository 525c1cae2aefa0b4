"""Clocks and token sources."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import ensap_tui
from ensap_tui.adapters.clocks import FixedClock, OffsetClock, SystemClock
from ensap_tui.adapters.tokens import SecretsTokenSource, SequenceTokenSource

URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_fixed_clock_set_and_advance() -> None:
    clock = FixedClock(datetime(2026, 11, 26, 14, 2, tzinfo=ZoneInfo("Europe/Paris")))
    assert clock.now() == datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
    assert clock.now().tzinfo == UTC
    clock.advance(timedelta(hours=24))
    assert clock.now() == datetime(2026, 11, 27, 13, 2, tzinfo=UTC)
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.set(datetime(2030, 1, 1))
    with pytest.raises(ValueError):
        FixedClock(datetime(2030, 1, 1))


def test_offset_clock_reads_its_offset_every_time() -> None:
    base = FixedClock(datetime(2026, 11, 26, 13, 2, tzinfo=UTC))
    offset = [timedelta(0)]
    clock = OffsetClock(base, lambda: offset[0])
    assert clock.now() == base.now()
    offset[0] = timedelta(hours=24)
    assert clock.now() == base.now() + timedelta(hours=24)
    base.advance(timedelta(minutes=1))
    assert clock.now() == datetime(2026, 11, 27, 13, 3, tzinfo=UTC)


def test_sequence_tokens_are_predictable_and_long_enough() -> None:
    source = SequenceTokenSource()
    assert source.new_token() == "jetontest000000000001"
    assert source.new_token() == "jetontest000000000002"
    short = SequenceTokenSource("t").new_token()
    assert len(short) >= 20 and URL_SAFE.fullmatch(short)
    with pytest.raises(ValueError):
        SequenceTokenSource("jeton test")


def test_secret_tokens_are_url_safe_and_long() -> None:
    source = SecretsTokenSource()
    tokens = {source.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 43 and URL_SAFE.fullmatch(t) for t in tokens)


def test_predictable_tokens_are_reachable_from_tests_only() -> None:
    package = Path(ensap_tui.__file__).parent
    # Imported or instantiated anywhere but its own module (a mention in a docstring is fine).
    use = re.compile(r"import[^\n]*SequenceTokenSource|SequenceTokenSource\s*\(")
    users = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
             if use.search(p.read_text(encoding="utf-8"))]
    assert users == []
